import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIGINT, TributaryError, VARCHAR } from '@tributary/common';
import { CatalogStore } from './catalog-store.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'namespace-'));
  dirs.push(dir);
  return join(dir, 'catalog.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const columns = [
  { name: 'k', type: BIGINT },
  { name: 'name', type: VARCHAR },
];
const viewOf = (path: string[], sql = 'SELECT 1') => ({ path, sql, context: ['tpch'], owner: null, columns });

function code(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof TributaryError) return error.code;
    throw error;
  }
  return 'none';
}

describe('NamespaceStore', () => {
  it('keeps spaces, folders and views across a reopen, found case-insensitively', () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    const space = store.namespace.createSpace('Sales');
    store.namespace.createFolder(['sales', 'EU']);
    const view = store.namespace.putView(viewOf(['SALES', 'eu', 'Top']), { replace: false });
    expect(view.path).toEqual(['Sales', 'EU', 'Top']);
    store.close();
    const reopened = CatalogStore.open(file);
    // Version 6 brought the namespaces; later versions keep them.
    expect(reopened.schemaVersion()).toBeGreaterThanOrEqual(6);
    expect(reopened.namespace.getSpace('SALES')).toEqual(space);
    expect(reopened.namespace.getView(['sales', 'eu', 'top'])).toEqual(view);
    expect(reopened.namespace.getViewById(view.id)?.path).toEqual(['Sales', 'EU', 'Top']);
    expect(reopened.namespace.listFolders(['sales']).map((f) => f.path)).toEqual([['Sales', 'EU']]);
    reopened.close();
  });

  it('replaces a view with a new tag, keeping its id, owner and creation time; checks tags', () => {
    const store = CatalogStore.open(tempFile());
    store.namespace.createSpace('s');
    const first = store.namespace.putView({ ...viewOf(['s', 'v']), owner: 'ann' }, { replace: false });
    expect(code(() => store.namespace.putView(viewOf(['s', 'v']), { replace: false }))).toBe('VIEW_EXISTS');
    const second = store.namespace.putView(
      { ...viewOf(['s', 'v'], 'SELECT 2'), owner: 'bob' },
      { replace: true },
    );
    expect(second).toMatchObject({ id: first.id, owner: 'ann', createdAt: first.createdAt, sql: 'SELECT 2' });
    expect(second.tag).not.toBe(first.tag);
    expect(
      code(() => store.namespace.putView(viewOf(['s', 'v']), { replace: true, expectedTag: first.tag })),
    ).toBe('TAG_MISMATCH');
    expect(code(() => store.namespace.deleteView(['s', 'v'], first.tag))).toBe('TAG_MISMATCH');
    store.namespace.deleteView(['S', 'V'], second.tag);
    expect(code(() => store.namespace.deleteView(['s', 'v']))).toBe('VIEW_NOT_FOUND');
    store.close();
  });

  it('updates derived columns only for the SQL they came from', () => {
    const store = CatalogStore.open(tempFile());
    store.namespace.createSpace('s');
    const view = store.namespace.putView(viewOf(['s', 'v']), { replace: false });
    expect(store.namespace.updateViewColumns(['s', 'v'], 'SELECT other', [])).toBe(false);
    expect(store.namespace.updateViewColumns(['s', 'v'], view.sql, [columns[0]])).toBe(true);
    const updated = store.namespace.getView(['s', 'v'])!;
    expect(updated.columns).toEqual([columns[0]]);
    expect(updated.tag).not.toBe(view.tag);
    store.close();
  });

  it('refuses what does not fit: names taken, parents missing, non-empty spaces unless forced', () => {
    const store = CatalogStore.open(tempFile());
    store.createSource({ name: 'tpch', type: 'csv', path: '/x', options: {} }, []);
    expect(code(() => store.namespace.createSpace('TPCH'))).toBe('NAME_TAKEN');
    store.namespace.createSpace('s');
    expect(code(() => store.namespace.createSpace('S'))).toBe('SPACE_EXISTS');
    expect(code(() => store.createSource({ name: 'S', type: 'csv', path: '/x', options: {} }, []))).toBe(
      'NAME_TAKEN',
    );
    expect(code(() => store.namespace.createSpace('a/b'))).toBe('INVALID_PATH');
    expect(code(() => store.namespace.createSpace('SYS'))).toBe('NAME_RESERVED');
    expect(code(() => store.namespace.putView(viewOf(['nope', 'v']), { replace: false }))).toBe(
      'SPACE_NOT_FOUND',
    );
    expect(code(() => store.namespace.putView(viewOf(['s', 'f', 'v']), { replace: false }))).toBe(
      'FOLDER_NOT_FOUND',
    );
    store.namespace.createFolder(['s', 'f']);
    expect(code(() => store.namespace.createFolder(['s', 'F']))).toBe('FOLDER_EXISTS');
    expect(code(() => store.namespace.putView(viewOf(['s', 'f']), { replace: false }))).toBe('PATH_TAKEN');
    store.namespace.putView(viewOf(['s', 'f', 'v']), { replace: false });
    expect(code(() => store.namespace.deleteFolder(['s', 'f'], false))).toBe('FOLDER_NOT_EMPTY');
    expect(code(() => store.namespace.deleteSpace('s', false))).toBe('SPACE_NOT_EMPTY');
    store.namespace.deleteSpace('s', true);
    expect(store.namespace.listViews()).toEqual([]);
    expect(store.namespace.listFolders()).toEqual([]);
    expect(code(() => store.namespace.deleteSpace('s', true))).toBe('SPACE_NOT_FOUND');
    store.close();
  });
});

describe('CatalogLookup', () => {
  /** A catalog of `sources` sources with `perSource` tables each. */
  function catalogWith(sources: number, perSource: number): CatalogStore {
    const store = CatalogStore.open(tempFile());
    for (let s = 0; s < sources; s++)
      store.createSource(
        { name: `src${s}`, type: 'csv', path: `/x/${s}`, options: {} },
        Array.from({ length: perSource }, (_, t) => ({
          name: t === 0 ? 'Shared' : `t${t}`,
          columns,
          location: { file: `/x/${s}/${t}.csv` },
        })),
      );
    store.namespace.createSpace('space');
    store.namespace.putView(viewOf(['space', 'v']), { replace: false });
    return store;
  }

  it('reads only the rows a name matches, however many tables there are', () => {
    for (const [sources, perSource] of [
      [3, 227],
      [30, 400],
    ]) {
      const store = catalogWith(sources, perSource);
      const lookup = store.lookup;
      lookup.rowsRead = 0;
      expect(lookup.findTables('T5', 'SRC1').map((t) => [t.source, t.name, t.sourceType])).toEqual([
        ['src1', 't5', 'csv'],
      ]);
      expect(lookup.findTables('shared')).toHaveLength(sources);
      expect(lookup.findView(['SPACE', 'V'])?.sql).toBe('SELECT 1');
      expect(lookup.findTables('missing', 'src1')).toEqual([]);
      expect(lookup.namespaceKind(['Space'])).toBe('space');
      expect(lookup.namespaceKind(['src2'])).toBe('source');
      // One row per match (the shared name is in every source) and one per namespace probe.
      expect(lookup.rowsRead).toBe(1 + sources + 1 + 2);
      store.close();
    }
  });

  it('uses the indexes for look-ups by name (no scan of source_tables)', () => {
    const store = catalogWith(2, 5);
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x', 'y') as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    const anywhere = plan(
      'SELECT t.*, s.type FROM source_tables t JOIN sources s ON s.name = t.source WHERE t.name = ? COLLATE NOCASE AND ? IS NOT NULL',
    );
    expect(anywhere).toContain('USING INDEX source_tables_name_nocase');
    store.close();
  });

  it('takes the grants on a removed space, folder, view or source with it, and no others', () => {
    const store = CatalogStore.open(tempFile());
    const users = store.users;
    users.createUser({ id: 'u1', name: 'bob', passwordHash: 'x', role: 'user' });
    const granted = () =>
      users
        .listGrants()
        .map((g) => `${g.objectKind}:${g.objectPath.join('.')}`)
        .sort();
    store.createSource({ name: 'src', type: 'csv', path: '/nowhere', options: {} }, []);
    store.namespace.createSpace('S');
    store.namespace.createFolder(['s', 'F']);
    store.namespace.putView(viewOf(['s', 'f', 'V']), { replace: false });
    store.namespace.putView(viewOf(['s', 'W']), { replace: false });
    store.namespace.createSpace('keep');
    users.grant('source', ['src'], 'bob', ['SELECT'], 'admin');
    users.grant('space', ['S'], 'bob', ['SELECT'], 'admin');
    users.grant('folder', ['S', 'F'], 'bob', ['SELECT'], 'admin');
    users.grant('view', ['S', 'F', 'V'], 'bob', ['SELECT', 'ALTER'], 'admin');
    users.grant('view', ['S', 'W'], 'bob', ['SELECT'], 'admin');
    users.grant('space', ['keep'], 'bob', ['SELECT'], 'admin');
    store.namespace.deleteView(['s', 'w']);
    expect(granted()).toEqual([
      'folder:S.F',
      'source:src',
      'space:S',
      'space:keep',
      'view:S.F.V',
      'view:S.F.V',
    ]);
    store.namespace.deleteFolder(['s', 'f'], true);
    expect(granted()).toEqual(['source:src', 'space:S', 'space:keep']);
    store.namespace.deleteSpace('s', true);
    expect(store.deleteSource('SRC')).toBe(true);
    expect(granted()).toEqual(['space:keep']);
    store.close();
  });

  it('finds spaces and folders by id, and deletes them only with their current tag, in the same transaction', () => {
    const ns = CatalogStore.open(tempFile()).namespace;
    const space = ns.createSpace('sales');
    const folder = ns.createFolder(['sales', 'eu']);
    expect(ns.getSpaceById(space.id)?.name).toBe('sales');
    expect(ns.getFolderById(folder.id)?.path).toEqual(['sales', 'eu']);
    expect(code(() => ns.deleteFolder(['sales', 'eu'], true, 'stale'))).toBe('TAG_MISMATCH');
    expect(code(() => ns.deleteSpace('sales', true, 'stale'))).toBe('TAG_MISMATCH');
    expect(ns.getFolder(['sales', 'eu'])).toBeDefined();
    ns.deleteFolder(['sales', 'eu'], true, folder.tag);
    ns.deleteSpace('sales', true, space.tag);
    expect(ns.getSpaceById(space.id)).toBeUndefined();
  });
});
