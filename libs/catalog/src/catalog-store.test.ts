import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BIGINT, VARCHAR } from '@tributary/common';
import { CatalogStore } from './catalog-store.ts';
import { ANONYMOUS_USER } from './job-store.ts';
import { MIGRATIONS } from './migrations.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
  dirs.push(dir);
  return join(dir, 'catalog.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const table = {
  name: 'nation',
  columns: [
    { name: 'n_nationkey', type: BIGINT },
    { name: 'n_name', type: VARCHAR },
  ],
  location: { file: '/x/nation.csv' },
};

describe('CatalogStore', () => {
  it('persists sources and tables across reopen, in WAL mode', () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    store.createSource({ name: 'tpch', type: 'csv', path: '/x', options: { delimiter: ',' } }, [table]);
    store.close();
    const reopened = CatalogStore.open(file);
    expect(reopened.listSources().map((s) => [s.name, s.type, s.options])).toEqual([
      ['tpch', 'csv', { delimiter: ',' }],
    ]);
    expect(reopened.listTables('tpch')).toEqual([{ source: 'tpch', ...table }]);
    expect(reopened.schemaVersion()).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    reopened.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('counts writes to definitions, not to job history, and rolled-back writes not at all', () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    let version = store.definitionVersion();
    const changed = () => {
      const now = store.definitionVersion();
      const moved = now !== version;
      version = now;
      return moved;
    };
    store.jobs.recordSubmitted({ id: 'j1', sql: 'select 1' });
    store.jobs.flush();
    expect(changed()).toBe(false);
    store.createSource({ name: 'tpch', type: 'csv', path: '/x', options: {} }, [table]);
    expect(changed()).toBe(true);
    expect(() =>
      store.createSource({ name: 'TPCH', type: 'csv', path: '/x', options: {} }, [table]),
    ).toThrow();
    expect(changed()).toBe(false);
    store.namespace.createSpace('s');
    expect(changed()).toBe(true);
    store.namespace.putView(
      { path: ['s', 'v'], sql: 'select 1', context: [], owner: null, columns: [{ name: 'x', type: BIGINT }] },
      { replace: false },
    );
    expect(changed()).toBe(true);
    store.users.grant('space', ['s'], 'ann', ['SELECT'], 'admin');
    expect(changed()).toBe(true);
    expect(store.definitionVersion()).toBe(version);
    expect(CatalogStore.openReadOnly(file).definitionVersion()).toBe(0);
  });

  it('refuses a duplicate name (case-insensitively) and keeps the first intact', () => {
    const store = CatalogStore.open(tempFile());
    store.createSource({ name: 'tpch', type: 'csv', path: '/x', options: {} }, [table]);
    expect(() => store.createSource({ name: 'TPCH', type: 'parquet', path: '/y', options: {} }, [])).toThrow(
      expect.objectContaining({ code: 'SOURCE_EXISTS', status: 409 }),
    );
    expect(store.listSources()).toHaveLength(1);
    expect(store.listTables()).toHaveLength(1);
  });

  it('registers nothing when one table fails to insert', () => {
    const store = CatalogStore.open(tempFile());
    expect(() =>
      store.createSource({ name: 's', type: 'csv', path: '/x', options: {} }, [table, table]),
    ).toThrow();
    expect(store.listSources()).toEqual([]);
    expect(store.listTables()).toEqual([]);
  });

  it('deletes a source with its tables', () => {
    const store = CatalogStore.open(tempFile());
    store.createSource({ name: 's', type: 'csv', path: '/x', options: {} }, [table]);
    expect(store.deleteSource('s')).toBe(true);
    expect(store.deleteSource('s')).toBe(false);
    expect(store.listTables()).toEqual([]);
  });

  it('migrates a catalog written by an older version without losing its rows', () => {
    const file = tempFile();
    const old = CatalogStore.open(file, MIGRATIONS.slice(0, 1));
    old.createSource({ name: 'kept', type: 'csv', path: '/x', options: {} }, [table]);
    old.close();
    const store = CatalogStore.open(file);
    expect(store.schemaVersion()).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    expect(store.listSources().map((s) => s.name)).toEqual(['kept']);
    store.jobs.recordSubmitted({ id: 'j1', sql: 'select 1' });
    store.jobs.recordEnd('j1', { state: 'COMPLETED', rowCount: 1 });
    expect(store.jobs.get('j1')).toMatchObject({ state: 'COMPLETED', rowCount: 1 });
  });

  it('adds a statistics column to the tables of an older catalog, which keep none until registered again', () => {
    const file = tempFile();
    const old = CatalogStore.open(file, MIGRATIONS.slice(0, 2));
    old.createSource({ name: 'old', type: 'csv', path: '/x', options: {} }, [table]);
    old.close();
    const store = CatalogStore.open(file);
    expect(store.schemaVersion()).toBeGreaterThanOrEqual(3);
    expect(store.listTables()).toHaveLength(1);
    expect(store.listTables()[0].statistics).toBeUndefined();
    const statistics = {
      rowCount: 3,
      columns: {
        a: { min: 1, max: 9, nullCount: 0, distinctCount: 3 },
        b: { min: 'x', max: 'z', sampled: true },
      },
    };
    store.createSource({ name: 'new', type: 'csv', path: '/y', options: {} }, [{ ...table, statistics }]);
    const reopened = CatalogStore.open(file);
    expect(reopened.listTables('new')[0].statistics).toEqual(statistics);
    expect(reopened.listTables('old')[0].statistics).toBeUndefined();
  });

  it('keeps the columns a table holds but Tributary cannot read, from version 13 on', () => {
    const file = tempFile();
    const old = CatalogStore.open(
      file,
      MIGRATIONS.filter((m) => m.version < 13),
    );
    const unsupportedColumns = [
      { name: 'payload', type: 'BLOB', hint: 'the source option binaryAsString: true reads it as VARCHAR' },
      { name: 'attrs', type: 'STRUCT' },
    ];
    // An older catalog has nowhere to keep them: the table is stored without.
    old.createSource({ name: 'old', type: 'parquet', path: '/x', options: {} }, [
      { ...table, unsupportedColumns },
    ]);
    expect(old.listTables('old')[0].unsupportedColumns).toBeUndefined();
    old.close();
    const store = CatalogStore.open(file);
    store.createSource({ name: 'new', type: 'parquet', path: '/y', options: {} }, [
      { ...table, unsupportedColumns },
    ]);
    store.close();
    const reopened = CatalogStore.open(file);
    expect(reopened.listTables('new')[0].unsupportedColumns).toEqual(unsupportedColumns);
    expect(reopened.listTables('old')[0]).toEqual({ ...table, source: 'old' });
  });

  it("replaces a source's options and tables in one step, keeping its creation time", () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    const created = store.createSource({ name: 's', type: 'csv', path: '/x', options: {} }, [
      { ...table, snapshot: { files: [], fingerprint: 'a' } },
    ]);
    const snapshot = { files: [{ path: '/x/region.csv', size: 3, mtimeMs: 1 }], fingerprint: 'b' };
    const replaced = store.replaceSource(
      'S',
      { path: '/y', options: { delimiter: ';' }, folderStamps: 'f1' },
      [{ ...table, name: 'region', snapshot }],
    );
    expect(replaced).toMatchObject({ name: 's', path: '/y', createdAt: created.createdAt });
    const reopened = CatalogStore.open(file);
    expect(reopened.getSource('s')).toMatchObject({
      path: '/y',
      options: { delimiter: ';' },
      folderStamps: 'f1',
    });
    expect(reopened.listTables('s').map((t) => [t.name, t.snapshot])).toEqual([['region', snapshot]]);
  });

  it('keeps the old tables when a replacement fails half-way, and refuses a missing source', () => {
    const store = CatalogStore.open(tempFile());
    store.createSource({ name: 's', type: 'csv', path: '/x', options: {} }, [table]);
    // Two tables of one name: the second insert fails inside the transaction.
    expect(() => store.replaceSource('s', { path: '/y', options: {} }, [table, table])).toThrow();
    expect(store.getSource('s')?.path).toBe('/x');
    expect(store.listTables('s').map((t) => t.name)).toEqual(['nation']);
    expect(() => store.replaceSource('gone', { path: '/y', options: {} }, [table])).toThrow(
      expect.objectContaining({ code: 'SOURCE_NOT_FOUND' }),
    );
  });

  it('refuses a catalog from a newer version', () => {
    const file = tempFile();
    CatalogStore.open(file).close();
    expect(() => CatalogStore.open(file, MIGRATIONS.slice(0, 1))).toThrow(
      expect.objectContaining({ code: 'CATALOG_TOO_NEW' }),
    );
  });

  it('migrates version 4 job rows to Dremio state names and the new columns', () => {
    const file = tempFile();
    const old = CatalogStore.open(file, MIGRATIONS.slice(0, 4));
    old.close();
    const db = new Database(file);
    const insert = db.prepare(
      "INSERT INTO jobs (id, sql, state, started_at) VALUES (?, 'select 1', ?, '2026-01-01T00:00:00.000Z')",
    );
    for (const state of ['queued', 'running', 'completed', 'failed', 'cancelled']) insert.run(state, state);
    db.close();
    const store = CatalogStore.open(file);
    const states = ['queued', 'running', 'completed', 'failed', 'cancelled'].map(
      (id) => store.jobs.get(id)?.state,
    );
    expect(states).toEqual(['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELED']);
    expect(store.jobs.get('completed')).toMatchObject({
      submittedAt: '2026-01-01T00:00:00.000Z',
      startedAt: null,
      user: ANONYMOUS_USER,
      queryType: 'REST',
      sources: [],
      reflections: [],
    });
    expect(store.jobs.abandonRunning()).toBe(2);
    expect(store.jobs.get('running')).toMatchObject({ state: 'FAILED', errorCode: 'COORDINATOR_RESTARTED' });
    store.close();
  });

  it('gives each source an id that stays and a tag that changes with it; a stale tag is refused in the write', () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    const created = store.createSource({ name: 's', type: 'csv', path: '/x', options: {} }, [table]);
    expect(created.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.getSourceById(created.id)?.name).toBe('s');
    const replaced = store.replaceSource('s', { path: '/y', options: {} }, [table], created.tag);
    expect(replaced.id).toBe(created.id);
    expect(replaced.tag).not.toBe(created.tag);
    // The tag read before the replace is stale now: neither a replace nor a delete goes through.
    const stale = () => store.replaceSource('s', { path: '/z', options: {} }, [table], created.tag);
    expect(stale).toThrow(expect.objectContaining({ code: 'TAG_MISMATCH', status: 409 }));
    expect(() => store.deleteSource('s', created.tag)).toThrow(
      expect.objectContaining({ code: 'TAG_MISMATCH' }),
    );
    expect(store.getSource('s')?.path).toBe('/y');
    store.close();
    const reopened = CatalogStore.open(file);
    expect(reopened.getSource('s')).toMatchObject({ id: created.id, tag: replaced.tag });
    expect(reopened.deleteSource('s', replaced.tag)).toBe(true);
  });

  it('gives the sources of a catalog older than version 8 an id and a tag each, kept from then on', () => {
    const file = tempFile();
    const old = CatalogStore.open(file, MIGRATIONS.slice(0, 7));
    old.createSource({ name: 'a', type: 'csv', path: '/x', options: {} }, [table]);
    old.createSource({ name: 'b', type: 'csv', path: '/y', options: {} }, [table]);
    old.close();
    const store = CatalogStore.open(file);
    const [a, b] = store.listSources();
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.id).not.toBe(a.id);
    expect(a.tag).toMatch(/^[0-9a-f]{16}$/);
    store.close();
    expect(
      CatalogStore.open(file)
        .listSources()
        .map((s) => [s.id, s.tag]),
    ).toEqual([
      [a.id, a.tag],
      [b.id, b.tag],
    ]);
  });
});
