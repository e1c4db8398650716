import { existsSync } from 'node:fs';
import { constants, open, readlink, type FileHandle } from 'node:fs/promises';
import { SourceError } from '@tributary/common';
import type { ScanContext } from './connector.ts';
import { isInsideRoots, pathNotAllowed } from './confine-path.ts';
import { confineScanPath, scanRealRoots } from './confine-scan-path.ts';

export interface ConfinedFile {
  readonly handle: FileHandle;
  /** The real path that was checked and opened. */
  readonly real: string;
}

/** Where Linux names the file behind an open descriptor; undefined where there is no procfs. */
const FD_LINKS = process.platform === 'linux' && existsSync('/proc/self/fd') ? '/proc/self/fd' : undefined;

/**
 * Opens `path` read-only for a scan once its real path is confined to the context's roots.
 * The checked real path itself is opened, without following a last symlink and without
 * blocking on a FIFO; then the descriptor's own file (on Linux, as the kernel names it) is
 * checked again, so a path swapped between the check and the open is refused, never read.
 * Only regular files are opened. Errors name `path` as given.
 */
export async function openConfinedFile(path: string, context: ScanContext): Promise<ConfinedFile> {
  const real = await confineScanPath(path, context);
  let handle: FileHandle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // The real path had no symlink a moment ago: one now means it was swapped.
    if (code === 'ELOOP') throw pathNotAllowed(path);
    if (code === 'ENOENT') {
      throw new SourceError('PATH_NOT_FOUND', `path "${path}" does not exist`, { status: 400, cause: error });
    }
    // The errno code, not the message: the message names the real path.
    throw new SourceError('SOURCE_FILE_INVALID', `file "${path}" cannot be read (${code ?? 'error'})`, {
      cause: error,
    });
  }
  try {
    if (FD_LINKS !== undefined) {
      const opened = await readlink(`${FD_LINKS}/${handle.fd}`);
      if (!isInsideRoots(opened, await scanRealRoots(context))) throw pathNotAllowed(path);
    }
    if (!(await handle.stat()).isFile()) {
      throw new SourceError('SOURCE_FILE_INVALID', `path "${path}" is not a regular file`, {
        details: { path },
      });
    }
  } catch (error) {
    await handle.close();
    throw error;
  }
  return { handle, real };
}
