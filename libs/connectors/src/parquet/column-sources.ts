import { SourceError, typeToString } from '@tributary/common';
import type { LiteralValue, TableRef } from '@tributary/plan';
import { parquetFileColumns, type ParquetChunkRef, type ParquetFileColumns } from './parquet-file-columns.ts';
import { parquetLocation, type ParquetFileEntry } from './parquet-location.ts';
import type { ParquetFooter } from './read-parquet-footer.ts';
import { unifiedType } from './unify-file-columns.ts';

/** Where one table column's values come from in one file. */
export type ColumnSource =
  | ({ readonly kind: 'chunk' } & ParquetChunkRef)
  | { readonly kind: 'constant'; readonly value: LiteralValue };

const fileColumnsCache = new WeakMap<ParquetFooter, Map<string, ParquetFileColumns>>();

/** A file's typed columns, once per parsed footer and options. */
function columnsOfFile(footer: ParquetFooter, path: string, binaryAsString: boolean): ParquetFileColumns {
  let byOptions = fileColumnsCache.get(footer);
  if (!byOptions) fileColumnsCache.set(footer, (byOptions = new Map()));
  const key = `${binaryAsString}`;
  let columns = byOptions.get(key);
  if (!columns) byOptions.set(key, (columns = parquetFileColumns(footer, path, { binaryAsString })));
  return columns;
}

/**
 * How each table column is read from one file: a partition column from the file's folder
 * values, a file column from its chunk (found by name), a column the file lacks as NULL.
 * A file column whose type no longer widens to the table's, or is one Tributary cannot read
 * (the file was rewritten), fails with SOURCE_CHANGED.
 */
export function columnSources(
  table: TableRef,
  entry: ParquetFileEntry,
  footer: ParquetFooter,
): ColumnSource[] {
  const loc = parquetLocation(table);
  const partitions = loc.partitionColumns ?? [];
  const file = columnsOfFile(footer, entry.path, loc.settings?.binaryAsString === true);
  const byName = new Map(file.columns.map((c) => [c.name, c]));
  const unsupported = new Map(file.unsupported.map((c) => [c.name, c.type]));
  return table.columns.map((column) => {
    const p = partitions.indexOf(column.name);
    if (p >= 0) return { kind: 'constant', value: entry.partition?.[p] ?? null };
    const found = byName.get(column.name);
    const fileType = found ? typeToString(found.type) : unsupported.get(column.name);
    if (fileType === undefined) return { kind: 'constant', value: null };
    const widened = found && unifiedType(found.type, column.type);
    if (!found || !widened || typeToString(widened) !== typeToString(column.type)) {
      throw new SourceError(
        'SOURCE_CHANGED',
        `column "${column.name}" of Parquet file "${entry.path}" is now ${fileType}, not ${typeToString(column.type)} as registered; refresh the source`,
        { details: { file: entry.path, column: column.name } },
      );
    }
    return { kind: 'chunk', chunk: found.chunk, element: found.element, field: found.field };
  });
}
