import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { SourceError } from '@tributary/common';
import { confinePath } from './confine-path.ts';

export interface TableFile {
  readonly name: string;
  readonly file: string;
}

/**
 * The files a csv/parquet source covers: the file itself, or each file of a folder
 * (non-recursive) whose extension is one of `extensions`, each a table named after its stem.
 */
export async function listTableFiles(
  path: string,
  extensions: readonly string[],
  roots: readonly string[],
): Promise<TableFile[]> {
  const real = await confinePath(path, roots);
  const info = await stat(real);
  const tableName = (file: string): string => basename(file, extname(file));
  if (!info.isDirectory()) return [{ name: tableName(real), file: real }];
  const entries = await readdir(real, { withFileTypes: true });
  const files: TableFile[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!extensions.includes(extname(entry.name).toLowerCase())) continue;
    // Each entry is re-confined: a symlink inside the folder may point elsewhere.
    const file = await confinePath(join(real, entry.name), roots);
    if ((await stat(file)).isFile()) files.push({ name: tableName(entry.name), file });
  }
  if (files.length === 0) {
    throw new SourceError('SOURCE_EMPTY', `folder "${path}" holds no ${extensions.join('/')} file`);
  }
  return files;
}

/** A file found below a folder: its real path and its path relative to that folder ('/'-separated). */
export interface FolderFile {
  readonly file: string;
  readonly relative: string;
}

/**
 * Every file below the real folder `folder`, subfolders included, whose extension is one of
 * `extensions`, in a stable order (sorted by relative path). Each entry is confined to
 * `roots` as it is met, so a symlink leading out is refused; hidden and underscore-prefixed
 * entries (`.crc`, `_SUCCESS`, `_delta_log`) are writer bookkeeping, not data, and are skipped
 * as Spark and DuckDB skip them.
 */
export async function listFilesBelow(
  folder: string,
  extensions: readonly string[],
  roots: readonly string[],
): Promise<FolderFile[]> {
  const found: FolderFile[] = [];
  const visited = new Set<string>();
  const walk = async (real: string, relative: string): Promise<void> => {
    // A symlinked folder pointing back up would otherwise loop forever.
    if (visited.has(real)) return;
    visited.add(real);
    const entries = await readdir(real, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.') || entry.name.startsWith('_')) continue;
      const path = await confinePath(join(real, entry.name), roots);
      const info = await stat(path);
      const childRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (info.isDirectory()) await walk(path, childRelative);
      else if (info.isFile() && extensions.includes(extname(entry.name).toLowerCase()))
        found.push({ file: path, relative: childRelative });
    }
  };
  await walk(folder, '');
  return found;
}
