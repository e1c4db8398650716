import { access, constants } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { SourceError } from '@tributary/common';
import { realpathOf } from './metadata-fs.ts';

/** The real paths of `roots`; a root that does not exist (yet) admits nothing. */
export async function resolveRoots(roots: readonly string[]): Promise<string[]> {
  const resolved: string[] = [];
  for (const root of roots) {
    try {
      resolved.push(await realpathOf(root));
    } catch {
      continue; // a missing root is a configuration the operator may fix later, not an error here
    }
  }
  return resolved;
}

/** Whether the real path `real` is one of `realRoots` or lies below one. */
export function isInsideRoots(real: string, realRoots: readonly string[]): boolean {
  return realRoots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep));
}

/** The refusal of a path outside the roots; it names the path as given, never where it leads. */
export function pathNotAllowed(path: string): SourceError {
  return new SourceError('PATH_NOT_ALLOWED', `path "${path}" is outside the allowed data folders`, {
    status: 400,
    details: { path },
  });
}

/** Where a missing `path` would be: the real path of its nearest existing folder, then the rest. */
async function nearestRealPath(path: string): Promise<string> {
  let folder = resolve(path);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpathOf(folder), ...rest.reverse());
    } catch {
      const parent = dirname(folder);
      if (parent === folder) return resolve(path);
      rest.push(basename(folder));
      folder = parent;
    }
  }
}

/**
 * Resolves `path` to its real path (symlinks followed) and checks that it lies inside one of
 * `realRoots` (already resolved, see resolveRoots). Opens nothing. Errors name `shown`.
 */
export async function confineToRoots(
  path: string,
  realRoots: readonly string[],
  shown = path,
  /** Resolve synchronously even on a main thread (metadata-fs.ts). */
  inPlace?: boolean,
): Promise<string> {
  let real: string;
  try {
    real = await realpathOf(path, inPlace);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // Outside the roots, a missing path is refused as an existing one is: which paths exist
      // there is not for a client to learn.
      if (!isInsideRoots(await nearestRealPath(path), realRoots)) throw pathNotAllowed(shown);
      throw new SourceError('PATH_NOT_FOUND', `path "${shown}" does not exist`, {
        status: 400,
        cause: error,
      });
    }
    // The errno code, not the message: the message names `path`, which may not be `shown`.
    throw new SourceError('SOURCE_FILE_INVALID', `path "${shown}" cannot be read (${code ?? 'error'})`, {
      cause: error,
    });
  }
  if (!isInsideRoots(real, realRoots)) throw pathNotAllowed(shown);
  return real;
}

/**
 * Resolves `path` to its real path (symlinks followed) and checks that it lies inside one
 * of `roots` (themselves resolved) and is readable, so a symlink cannot lead a source out of
 * its sandbox.
 */
export async function confinePath(path: string, roots: readonly string[]): Promise<string> {
  const real = await confineToRoots(path, await resolveRoots(roots));
  try {
    await access(real, constants.R_OK);
  } catch (error) {
    throw new SourceError('SOURCE_FILE_INVALID', `file "${path}" is not readable`, { cause: error });
  }
  return real;
}
