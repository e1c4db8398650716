import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { SourceError } from '@tributary/common';
import { confinePath } from '../confine-path.ts';
import { listFilesBelow, type FolderFile } from '../list-files.ts';
import type { ParquetOptions } from './parquet-options.ts';

const EXTENSIONS = ['.parquet', '.parq'];

/** One table's files found at discovery, by real path and path below the table's folder. */
export interface TableFiles {
  readonly name: string;
  readonly files: readonly FolderFile[];
  /** Whether the table is a folder (files may carry partition folders), not a single file. */
  readonly folder: boolean;
}

const tableName = (file: string): string => basename(file, extname(file));

/**
 * The tables a registered path holds: a file is one table; a folder is one table of all its
 * Parquet files (subfolders included) when `folderLayout` says so or, by default, when its
 * subfolders are Hive partitions; else each Parquet file in it and each subfolder is a table.
 */
export async function findParquetTables(
  path: string,
  options: ParquetOptions,
  roots: readonly string[],
): Promise<TableFiles[]> {
  const real = await confinePath(path, roots);
  if (!(await stat(real)).isDirectory()) {
    return [{ name: tableName(real), files: [{ file: real, relative: basename(real) }], folder: false }];
  }
  const entries = (await readdir(real, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.') && !e.name.startsWith('_'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const oneTable =
    options.folderLayout === 'oneTable' ||
    (options.folderLayout === 'auto' && entries.some((e) => e.isDirectory() && e.name.indexOf('=') > 0));
  const tables: TableFiles[] = [];
  if (oneTable) {
    tables.push({ name: basename(real), files: await listFilesBelow(real, EXTENSIONS, roots), folder: true });
  } else {
    for (const entry of entries) {
      // Each entry is re-confined: a symlink inside the folder may point elsewhere.
      const file = await confinePath(join(real, entry.name), roots);
      const info = await stat(file);
      if (info.isDirectory()) {
        const files = await listFilesBelow(file, EXTENSIONS, roots);
        if (files.length > 0) tables.push({ name: entry.name, files, folder: true });
      } else if (info.isFile() && EXTENSIONS.includes(extname(entry.name).toLowerCase())) {
        tables.push({ name: tableName(entry.name), files: [{ file, relative: entry.name }], folder: false });
      }
    }
  }
  if (tables.length === 0 || tables.every((t) => t.files.length === 0)) {
    throw new SourceError('SOURCE_EMPTY', `folder "${path}" holds no ${EXTENSIONS.join('/')} file`);
  }
  return tables.filter((t) => t.files.length > 0);
}
