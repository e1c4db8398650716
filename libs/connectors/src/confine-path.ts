import { realpath, access, constants } from 'node:fs/promises';
import { sep } from 'node:path';
import { SourceError } from '@tributary/common';

/**
 * Resolves `path` to its real path (symlinks followed) and checks that it lies inside one
 * of `roots` (themselves resolved), so a symlink cannot lead a source out of its sandbox.
 */
export async function confinePath(path: string, roots: readonly string[]): Promise<string> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new SourceError('PATH_NOT_FOUND', `path "${path}" does not exist`, { status: 400, cause: error });
    }
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `path "${path}" cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = await realpath(root);
    } catch {
      continue;
    }
    const prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
    if (real === realRoot || real.startsWith(prefix)) {
      try {
        await access(real, constants.R_OK);
      } catch (error) {
        throw new SourceError('SOURCE_FILE_INVALID', `file "${real}" is not readable`, { cause: error });
      }
      return real;
    }
  }
  throw new SourceError('PATH_NOT_ALLOWED', `path "${path}" is outside the allowed data folders`, {
    status: 400,
    details: { path },
  });
}
