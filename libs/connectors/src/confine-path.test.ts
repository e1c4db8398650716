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

  it('refuses a path outside the roots the same way whether or not it exists', async () => {
    const base = await mkdtemp(join(tmpdir(), 'confine-'));
    await mkdir(join(base, 'data'));
    await mkdir(join(base, 'outside'));
    await writeFile(join(base, 'outside', 'there.csv'), 'x\n1\n');
    const roots = [join(base, 'data')];
    const refusal = async (path: string) => {
      const error = (await confinePath(path, roots).catch((e: unknown) => e)) as Error &
        Record<string, unknown>;
      return { code: error.code, status: error.status, message: error.message.replace(path, '<path>') };
    };
    const existing = await refusal(join(base, 'outside', 'there.csv'));
    expect(existing).toMatchObject({ code: 'PATH_NOT_ALLOWED', status: 400 });
    expect(await refusal(join(base, 'outside', 'missing.csv'))).toEqual(existing);
    expect(await refusal(join(base, 'nowhere', 'deep', 'missing.csv'))).toEqual(existing);
    expect(await refusal(join(base, 'data', '..', 'outside', 'missing.csv'))).toEqual(existing);
    // A missing path inside a root still says it is missing.
    expect((await refusal(join(base, 'data', 'later', 'x.csv'))).code).toBe('PATH_NOT_FOUND');
  });
});
