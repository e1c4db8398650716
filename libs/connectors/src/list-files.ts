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
