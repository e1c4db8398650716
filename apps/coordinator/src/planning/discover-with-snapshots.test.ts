import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VARCHAR } from '@tributary/common';
import type { DiscoveredTable } from '@tributary/connectors';
import { discoverWithSnapshots } from './discover-with-snapshots.ts';

const folders: string[] = [];
afterEach(async () => {
  for (const f of folders.splice(0)) await rm(f, { recursive: true, force: true });
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'discover-snapshots-'));
  folders.push(dir);
  return dir;
}

/** A discoverer of one table over `file`, calling `during` as it reads (the n-th read). */
function discoverer(file: string, during: (read: number) => Promise<void>) {
  let reads = 0;
  const discover = async (): Promise<DiscoveredTable[]> => {
    await during(++reads);
    return [{ name: 't', columns: [{ name: 'a', type: VARCHAR }], location: { file } }];
  };
  return { discover, reads: () => reads };
}

describe('discoverWithSnapshots', () => {
  it('reads once a file left alone, and once more a file written while it was read', async () => {
    const dir = await folder();
    const file = join(dir, 't.csv');
    await writeFile(file, 'a\n1\n');
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old);
    const calm = discoverer(file, async () => undefined);
    const [table] = await discoverWithSnapshots(calm.discover, 'csv', dir, {}, [dir]);
    expect(calm.reads()).toBe(1);
    expect(table.snapshot.files[0]).toMatchObject({ path: file, size: 4 });
    expect(Math.abs(table.snapshot.files[0].mtimeMs - old.getTime())).toBeLessThan(2);

    const once = discoverer(file, async (read) => {
      if (read === 1) await writeFile(file, 'a\n12\n');
    });
    const [reread] = await discoverWithSnapshots(once.discover, 'csv', dir, {}, [dir]);
    expect(once.reads()).toBe(2);
    expect(reread.snapshot.files[0]).toMatchObject({ size: 5 });
    expect(reread.snapshot.files[0].mtimeMs).toBeGreaterThan(0);
  });

  it('leaves the mtime unknown of a file still written on the second read', async () => {
    const dir = await folder();
    const file = join(dir, 't.csv');
    const busy = discoverer(file, async (read) => writeFile(file, `a\n${read}\n`));
    const [table] = await discoverWithSnapshots(busy.discover, 'csv', dir, {}, [dir]);
    expect(busy.reads()).toBe(2);
    expect(table.snapshot.files[0].mtimeMs).toBe(-1);
  });

  it('trusts a file stamped in the future: it is not being written now', async () => {
    const dir = await folder();
    const file = join(dir, 't.csv');
    await writeFile(file, 'a\n1\n');
    const future = new Date(Date.now() + 3_600_000);
    await utimes(file, future, future);
    const calm = discoverer(file, async () => undefined);
    const [table] = await discoverWithSnapshots(calm.discover, 'csv', dir, {}, [dir]);
    expect(calm.reads()).toBe(1);
    expect(Math.abs(table.snapshot.files[0].mtimeMs - future.getTime())).toBeLessThan(2);
  });
});
