import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { confinePath } from './confine-path.ts';

/** Past this many folders a source's folders are not all stamped, and it counts as changed. */
const MAX_FOLDERS = 10_000;

/**
 * A digest of the mtimes of a source's path and of every folder below it (symlinked folders
 * not followed). Adding, removing or renaming a file changes its folder's mtime, so together
 * with its tables' snapshots (which see files changed in place) an unchanged digest means
 * discovery would find the same tables: a background refresh may skip it. undefined when it
 * cannot tell (too many folders, an unreadable one): then discover.
 */
export async function folderStamps(path: string, roots: readonly string[]): Promise<string | undefined> {
  try {
    const real = await confinePath(path, roots);
    const hash = createHash('sha256');
    const top = await stat(real);
    hash.update(`${real}\0${top.mtimeMs}\0${top.isDirectory() ? 'd' : top.size}\n`);
    if (!top.isDirectory()) return hash.digest('hex').slice(0, 16);
    const pending = [real];
    let seen = 0;
    while (pending.length > 0) {
      const folder = pending.pop()!;
      if (++seen > MAX_FOLDERS) return undefined;
      const entries = await readdir(folder, { withFileTypes: true });
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (!entry.isDirectory()) continue;
        const child = join(folder, entry.name);
        hash.update(`${child}\0${(await stat(child)).mtimeMs}\n`);
        pending.push(child);
      }
    }
    return hash.digest('hex').slice(0, 16);
  } catch {
    return undefined;
  }
}
