import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '@tributary/catalog';
import { connectorFor, takeTableSnapshot } from '@tributary/connectors';
import type { SourceType } from '@tributary/plan';
import { SourceService, type DiscoveredSourceTable } from './source-service.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A service over a fresh catalog whose discovery runs in-process (the planner threads do it in the app). */
async function setup() {
  const base = await mkdtemp(join(tmpdir(), 'source-service-'));
  const folder = join(base, 'data');
  const catalog = CatalogStore.open(join(base, 'catalog.db'));
  cleanup.push(async () => {
    catalog.close();
    await rm(base, { recursive: true, force: true });
  });
  const roots = [base];
  let discoveries = 0;
  let gate: Promise<void> | undefined;
  const discover = async (type: SourceType, path: string, options: Readonly<Record<string, unknown>>) => {
    discoveries++;
    await gate;
    const tables = await connectorFor(type).discover(path, options, { roots });
    const out: DiscoveredSourceTable[] = [];
    for (const t of tables) out.push({ ...t, snapshot: await takeTableSnapshot(type, t.location, roots) });
    return out;
  };
  const service = new SourceService(catalog, () => roots, discover);
  return {
    base,
    folder,
    catalog,
    service,
    discoveries: () => discoveries,
    hold: () => {
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      return () => {
        gate = undefined;
        open();
      };
    },
  };
}

async function failure(work: Promise<unknown> | (() => unknown)): Promise<unknown> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('SourceService', () => {
  it('refreshes a folder: tables added, removed and changed, with their snapshots stored', async () => {
    const { folder, service, catalog } = await setup();
    await mkdir(folder);
    await writeFile(join(folder, 'a.csv'), 'x,y\n1,2\n');
    await writeFile(join(folder, 'b.csv'), 'x\n1\n');
    await writeFile(join(folder, 'c.csv'), 'k\nq\n');
    const registered = await service.register({ name: 'files', type: 'csv', path: folder });
    expect(registered.tables.map((t) => t.name)).toEqual(['a', 'b', 'c']);
    const fingerprints = registered.tables.map((t) => t.snapshot?.fingerprint);
    expect(fingerprints.every((f) => /^[0-9a-f]{16}$/.test(f ?? ''))).toBe(true);
    expect(registered.tables[0].snapshot).toMatchObject({ files: 1, bytes: 8 });

    await writeFile(join(folder, 'b.csv'), 'x,z\n1,hello\n');
    await rm(join(folder, 'c.csv'));
    await writeFile(join(folder, 'd.csv'), 'w\n4\n');
    const { source, changes } = await service.refresh('FILES');
    expect(changes).toEqual({
      added: ['d'],
      removed: ['c'],
      changed: [{ name: 'b', schemaChanged: true, dataChanged: true }],
      unchanged: ['a'],
    });
    expect(source.tables.map((t) => t.name)).toEqual(['a', 'b', 'd']);
    expect(source.tables[1].columns.map((c) => c.name)).toEqual(['x', 'z']);
    expect(source.tables[0].snapshot?.fingerprint).toBe(fingerprints[0]);
    expect(source.tables[1].snapshot?.fingerprint).not.toBe(fingerprints[1]);
    expect(catalog.listTables('files').map((t) => t.snapshot !== undefined)).toEqual([true, true, true]);
    expect(Date.parse(source.refreshedAt)).toBeGreaterThanOrEqual(Date.parse(registered.refreshedAt));
  });

  it('keeps the old metadata when a refresh fails (the folder vanished), saying so', async () => {
    const { base, folder, service } = await setup();
    await mkdir(folder);
    await writeFile(join(folder, 'a.csv'), 'x\n1\n');
    const before = await service.register({ name: 's', type: 'csv', path: folder });
    await rename(folder, join(base, 'moved'));
    const error = await failure(service.refresh('s'));
    expect(error).toMatchObject({ code: 'PATH_NOT_FOUND', details: { source: 's', metadataKept: true } });
    expect((error as Error).message).toContain('metadata is kept');
    expect(service.get('s')).toEqual(before);
  });

  it('changes options through discovery, atomically, and refuses bad ones as registration does', async () => {
    const { folder, service } = await setup();
    await mkdir(folder);
    await writeFile(join(folder, 'a.csv'), 'x;y\n1;2\n');
    const before = await service.register({
      name: 's',
      type: 'csv',
      path: folder,
      options: { delimiter: ',' },
    });
    expect(before.tables[0].columns.map((c) => c.name)).toEqual(['x;y']);
    const { source, changes } = await service.update('s', { options: { delimiter: ';' } });
    expect(source.options).toEqual({ delimiter: ';' });
    expect(source.tables[0].columns.map((c) => c.name)).toEqual(['x', 'y']);
    expect(changes.changed).toEqual([{ name: 'a', schemaChanged: true, dataChanged: true }]);

    const other = join(folder, '..', 'other');
    await mkdir(other);
    await writeFile(join(other, 'z.csv'), 'q\n9\n');
    const moved = await service.update('s', { path: other, options: {} });
    expect(moved.source.path).toBe(other);
    expect(moved.changes).toMatchObject({ added: ['z'], removed: ['a'] });
    await service.update('s', { path: folder, options: { delimiter: ';' } });

    const kept = service.get('s');
    expect(await failure(service.update('s', { options: { delimiter: 'ab' } }))).toMatchObject({
      code: 'SOURCE_OPTION_INVALID',
    });
    expect(await failure(service.update('s', { options: [] }))).toMatchObject({
      code: 'INVALID_SOURCE_OPTIONS',
    });
    expect(await failure(service.update('s', { type: 'parquet' }))).toMatchObject({
      code: 'INVALID_SOURCE_TYPE',
    });
    expect(await failure(service.update('s', { path: '/etc' }))).toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    expect(service.get('s')).toEqual(kept);
  });

  it('tells a refused path which roots are allowed and which setting changes them', async () => {
    const { base, service } = await setup();
    const error = await failure(service.register({ name: 'etc', type: 'csv', path: '/etc/hosts' }));
    expect(error).toMatchObject({
      code: 'PATH_NOT_ALLOWED',
      details: { path: '/etc/hosts', allowedRoots: [base] },
    });
    expect((error as Error).message).toContain(`path "/etc/hosts" is outside the allowed data folders`);
    expect((error as Error).message).toContain(`"${base}"`);
    expect((error as Error).message).toContain('TRIBUTARY_SOURCE_ROOTS');
  });

  it('answers 404 with a did-you-mean for an unknown source', async () => {
    const { folder, service } = await setup();
    await mkdir(folder);
    await writeFile(join(folder, 'a.csv'), 'x\n1\n');
    await service.register({ name: 'sales_2024', type: 'csv', path: folder });
    for (const attempt of [
      () => service.refresh('sales_2042'),
      () => service.update('sales_2042', {}),
      () => service.get('sales_2042'),
    ]) {
      expect(await failure(attempt)).toMatchObject({
        code: 'SOURCE_NOT_FOUND',
        status: 404,
        suggestions: ['sales_2024'],
      });
    }
  });

  it('runs one refresh of a source at a time, and joins refreshes asked for while one waits', async () => {
    const { folder, service, hold, discoveries } = await setup();
    await mkdir(folder);
    await writeFile(join(folder, 'a.csv'), 'x\n1\n');
    await service.register({ name: 's', type: 'csv', path: folder });
    const release = hold();
    const first = service.refresh('s');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = service.refresh('s');
    const third = service.refresh('S');
    expect(third).toBe(second);
    release();
    await Promise.all([first, second, third]);
    expect(discoveries()).toBe(3); // registration, the first refresh, the joined second
  });

  it('skips a background refresh of an unchanged source, and reads a changed one again', async () => {
    const { folder, service, discoveries } = await setup();
    await mkdir(join(folder, 'sub'), { recursive: true });
    await writeFile(join(folder, 'a.csv'), 'x\n1\n');
    await service.register({ name: 's', type: 'csv', path: folder });
    const read = discoveries();
    expect(await service.refreshIfChanged('s')).toMatchObject({
      skipped: true,
      changes: { unchanged: ['a'] },
    });
    expect(discoveries()).toBe(read);

    await writeFile(join(folder, 'a.csv'), 'x\n1\n22\n'); // in place: the folder's mtime stays
    expect(await service.refreshIfChanged('s')).toMatchObject({ changes: { changed: [{ name: 'a' }] } });
    expect(discoveries()).toBe(read + 1);
    expect((await service.refreshIfChanged('s')).skipped).toBe(true);

    await writeFile(join(folder, 'sub', 'ignored.txt'), 'a file in a subfolder');
    expect((await service.refreshIfChanged('s')).skipped).toBeUndefined();
    await writeFile(join(folder, 'b.csv'), 'y\n2\n');
    expect(await service.refreshIfChanged('s')).toMatchObject({ changes: { added: ['b'] } });
    expect(discoveries()).toBe(read + 3);
    // A manual refresh always reads.
    await service.refresh('s');
    expect(discoveries()).toBe(read + 4);
  });

  it('never brings back a source removed while it was being refreshed', async () => {
    const { folder, service, hold } = await setup();
    await mkdir(folder);
    await writeFile(join(folder, 'a.csv'), 'x\n1\n');
    await service.register({ name: 's', type: 'csv', path: folder });
    const release = hold();
    const refresh = service.refresh('s');
    await new Promise((resolve) => setTimeout(resolve, 20));
    service.remove('s');
    release();
    expect(await failure(refresh)).toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    expect(service.list()).toEqual([]);
  });
});
