import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openConfinedFile } from './open-confined-file.ts';
import { confinedFolders, expectNotAllowed, makeFifo, swapForSymlink } from './test-support.ts';

async function read(path: string, context: Parameters<typeof openConfinedFile>[1]): Promise<string> {
  const { handle } = await openConfinedFile(path, context);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

describe('openConfinedFile', () => {
  it('opens the real path of a file inside the roots, also through symlinks that stay inside', async () => {
    const { root, context } = await confinedFolders();
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, 'sub', 'a.csv'), 'inside');
    await symlink(join(root, 'sub', 'a.csv'), join(root, 'alias.csv'));
    await symlink(join(root, 'sub'), join(root, 'folder-link'));
    const { handle, real } = await openConfinedFile(join(root, 'alias.csv'), context);
    await handle.close();
    expect(real).toBe(join(root, 'sub', 'a.csv'));
    expect(await read(join(root, 'folder-link', 'a.csv'), context)).toBe('inside');
  });

  it('refuses files outside the roots, directly or through a symlink, without naming the target', async () => {
    const { root, outside, context } = await confinedFolders();
    const secret = join(outside, 'secret.csv');
    await writeFile(secret, 'secret');
    await writeFile(join(root, 'a.csv'), 'inside');
    await swapForSymlink(join(root, 'a.csv'), secret);
    await expectNotAllowed(read(join(root, 'a.csv'), context), join(root, 'a.csv'), secret);
    await expectNotAllowed(read('/etc/passwd', context), '/etc/passwd');
    await expectNotAllowed(
      read(join(root, '..', 'outside', 'secret.csv'), context),
      join(root, '..', 'outside', 'secret.csv'),
    );
    // A folder of the path swapped for a symlink leads out just the same.
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, 'sub', 'secret.csv'), 'inside');
    await swapForSymlink(join(root, 'sub'), outside);
    await expectNotAllowed(
      read(join(root, 'sub', 'secret.csv'), context),
      join(root, 'sub', 'secret.csv'),
      outside,
    );
  });

  it('refuses before opening: a FIFO outside the roots is never opened, one inside is no regular file', async () => {
    const { root, outside, context } = await confinedFolders();
    makeFifo(join(outside, 'pipe'));
    await expectNotAllowed(read(join(outside, 'pipe'), context), join(outside, 'pipe'));
    makeFifo(join(root, 'pipe'));
    await expect(read(join(root, 'pipe'), context)).rejects.toMatchObject({ code: 'SOURCE_FILE_INVALID' });
  });

  it('refuses everything when the context has no roots, and reports missing files as such', async () => {
    const { root, context } = await confinedFolders();
    await writeFile(join(root, 'a.csv'), 'inside');
    await expectNotAllowed(read(join(root, 'a.csv'), { roots: [] }), join(root, 'a.csv'));
    await expect(read(join(root, 'missing.csv'), context)).rejects.toMatchObject({ code: 'PATH_NOT_FOUND' });
  });
});
