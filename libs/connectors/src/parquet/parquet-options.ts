import { SourceError } from '@tributary/common';
import { checkOptionNames } from '../check-option-names.ts';

/**
 * The options of a Parquet source, as given at registration:
 * - hivePartitioning: `key=value` folders become typed columns (true), are ignored (false),
 *   or become columns when the table's files lie in such folders ('auto', the default);
 * - unionByName: a folder's files are unified by column name, a column a file lacks reading
 *   as NULL (true, the default), or must all have the same columns (false);
 * - folderLayout: a registered folder is one table ('oneTable'), or one table per Parquet file
 *   and per subfolder in it ('tablePerEntry'), or ('auto', the default) one table when its
 *   subfolders are Hive partitions, else one table per entry;
 * - binaryAsString: BYTE_ARRAY columns without a string annotation read as VARCHAR (DuckDB's
 *   binary_as_string) instead of being refused (Tributary has no BLOB).
 */
export interface ParquetOptions {
  readonly hivePartitioning: boolean | 'auto';
  readonly unionByName: boolean;
  readonly folderLayout: 'auto' | 'oneTable' | 'tablePerEntry';
  readonly binaryAsString: boolean;
}

export const PARQUET_OPTION_NAMES = [
  'hivePartitioning',
  'unionByName',
  'folderLayout',
  'binaryAsString',
] as const;

function invalid(name: string, expected: string, value: unknown): SourceError {
  return new SourceError(
    'SOURCE_OPTION_INVALID',
    `Parquet option "${name}" must be ${expected}, got ${JSON.stringify(value)}`,
    { details: { option: name } },
  );
}

function flag(options: Readonly<Record<string, unknown>>, name: string, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw invalid(name, 'true or false', value);
  return value;
}

/** Checks and defaults the options of a Parquet source; unknown names get a "did you mean". */
export function parquetOptions(given: Readonly<Record<string, unknown>> | undefined): ParquetOptions {
  const options = given ?? {};
  checkOptionNames(options, PARQUET_OPTION_NAMES, 'Parquet option');
  const hive = options.hivePartitioning ?? 'auto';
  if (hive !== 'auto' && typeof hive !== 'boolean')
    throw invalid('hivePartitioning', 'true, false or "auto"', hive);
  const layout = options.folderLayout ?? 'auto';
  if (layout !== 'auto' && layout !== 'oneTable' && layout !== 'tablePerEntry')
    throw invalid('folderLayout', '"auto", "oneTable" or "tablePerEntry"', layout);
  return {
    hivePartitioning: hive,
    unionByName: flag(options, 'unionByName', true),
    folderLayout: layout,
    binaryAsString: flag(options, 'binaryAsString', false),
  };
}
