import { isWasmTrap, SourceError, TributaryError } from '@tributary/common';
import type { TableRef } from '@tributary/plan';

/**
 * The file a table's location (or one split of it) reads, for messages: a CSV or Parquet
 * `file`, a SQLite `database`, a folder's `path`; undefined when it names none.
 */
export function locationFile(location: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of ['file', 'database', 'path']) {
    const value = location[key];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/**
 * A connector call's error as the user should see it: a Tributary error as it is, anything
 * else (a decoder's panic or trap on a corrupt file, SQLite's "database disk image is
 * malformed") as SOURCE_FILE_INVALID naming the table and its file (the split's, where the
 * split names one: a folder's file), keeping the cause. Retrying
 * elsewhere cannot help such an error, and the file is what the user must look at.
 */
export function sourceFileError(
  error: unknown,
  table: TableRef,
  split?: Readonly<Record<string, unknown>>,
): TributaryError {
  if (error instanceof TributaryError) return error;
  const file = (split && locationFile(split)) ?? locationFile(table.location);
  const where = file === undefined ? '' : ` (file "${file}")`;
  return new SourceError(
    'SOURCE_FILE_INVALID',
    `cannot read ${table.source}.${table.table}${where}: ${errorText(error)}`,
    { cause: error, details: { table: `${table.source}.${table.table}`, ...(file ? { file } : {}) } },
  );
}

/** The same for reading the file or folder at `path` while a source is registered. */
export function discoveryError(error: unknown, path: string): TributaryError {
  if (error instanceof TributaryError) return error;
  return new SourceError('SOURCE_FILE_INVALID', `cannot read "${path}": ${errorText(error)}`, {
    cause: error,
    details: { file: path },
  });
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // A WebAssembly trap says only "unreachable": say whose it was.
  return isWasmTrap(error) ? `its decoder failed (${message})` : message;
}
