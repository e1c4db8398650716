import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScanContext } from './connector.ts';
import { confineScanPath } from './confine-scan-path.ts';
import { confinedFolders, expectNotAllowed } from './test-support.ts';

describe('confineScanPath', () => {
  it('resolves a root given through a symlink, once per context', async () => {
    const { root, outside } = await confinedFolders();
    await mkdir(join(root, 'a'));
    await writeFile(join(root, 'a', 'x.csv'), 'x\n');
    await writeFile(join(outside, 'y.csv'), 'y\n');
    const alias = join(root, '..', 'alias');
    await symlink(join(root, 'a'), alias);
    const context: ScanContext = { roots: [alias] };
    expect(await confineScanPath(join(root, 'a', 'x.csv'), context)).toBe(join(root, 'a', 'x.csv'));
    // Re-pointing the root does not change a context already in use; a new context sees it.
    await rm(alias);
    await symlink(outside, alias);
    expect(await confineScanPath(join(alias, '..', 'root', 'a', 'x.csv'), context)).toBe(
      join(root, 'a', 'x.csv'),
    );
    await expectNotAllowed(confineScanPath(join(outside, 'y.csv'), context), join(outside, 'y.csv'));
    expect(await confineScanPath(join(outside, 'y.csv'), { roots: [alias] })).toBe(join(outside, 'y.csv'));
  });

  it('names the path it was shown, not the one it resolved', async () => {
    const { root, outside, context } = await confinedFolders();
    await writeFile(join(outside, 'secret.csv'), 's\n');
    await symlink(join(outside, 'secret.csv'), join(root, 'link.csv'));
    await expectNotAllowed(
      confineScanPath(join(root, 'link.csv'), context, 'table.csv'),
      'table.csv',
      join(outside, 'secret.csv'),
    );
  });
});
