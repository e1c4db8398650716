import type { LiteralValue, TableRef } from '@tributary/plan';

/** One file of a table, and the values of its Hive partition columns (`partitionColumns` order). */
export interface ParquetFileEntry {
  readonly path: string;
  readonly partition?: readonly LiteralValue[];
}

/**
 * Where a Parquet table's data is: one file (`file`, as tables of one file always were), or
 * the files of a folder (`files`) with the names of the columns their folders give
 * (`partitionColumns`); `settings` are the options it was registered with.
 */
export interface ParquetLocation {
  readonly file?: string;
  readonly files?: readonly ParquetFileEntry[];
  readonly partitionColumns?: readonly string[];
  readonly settings?: { readonly binaryAsString?: boolean; readonly unionByName?: boolean };
}

export function parquetLocation(table: TableRef): ParquetLocation {
  return table.location as unknown as ParquetLocation;
}

/** The files of a table; a location of one `file` is a table of that file alone. */
export function filesOf(table: TableRef): readonly ParquetFileEntry[] {
  const loc = parquetLocation(table);
  return loc.files ?? (loc.file === undefined ? [] : [{ path: loc.file }]);
}
