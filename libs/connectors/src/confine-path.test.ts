import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confinePath } from './confine-path.ts';

describe('confinePath', () => {
  it('returns real paths inside a root and refuses neighbours, escapes and missing files', async () => {
    const base = await mkdtemp(join(tmpdir(), 'confine-'));
    await mkdir(join(base, 'data'));
    await mkdir(join(base, 'data-other'));
    await writeFile(join(base, 'data', 'a.csv'), 'x\n1\n');
    await writeFile(join(base, 'data-other', 'b.csv'), 'x\n1\n');
    await symlink(join(base, 'data', 'a.csv'), join(base, 'data', 'alias.csv'));
    await symlink(join(base, 'data-other', 'b.csv'), join(base, 'data', 'escape.csv'));
    const roots = [join(base, 'data')];
    expect(await confinePath(join(base, 'data', 'alias.csv'), roots)).toBe(join(base, 'data', 'a.csv'));
    expect(await confinePath(join(base, 'data', '..', 'data', 'a.csv'), roots)).toBe(
      join(base, 'data', 'a.csv'),
    );
    await expect(confinePath(join(base, 'data-other', 'b.csv'), roots)).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
      status: 400,
    });
    await expect(confinePath(join(base, 'data', 'escape.csv'), roots)).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    });
    await expect(confinePath(join(base, 'data', '..', 'data-other', 'b.csv'), roots)).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    });
    await expect(confinePath(join(base, 'data', 'nope.csv'), roots)).rejects.toMatchObject({
      code: 'PATH_NOT_FOUND',
    });
  });
});
