import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore, dropReflectionsOn } from '@tributary/catalog';
import { BIGINT, TributaryError } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import { ReflectionStore, type StoredMaterialization } from './reflection-store.ts';

const dirs: string[] = [];
function openCatalog(): { catalog: CatalogStore; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'reflections-'));
  dirs.push(dir);
  const file = join(dir, 'catalog.db');
  return { catalog: CatalogStore.open(file), file };
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function code(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof TributaryError) return error.code;
    throw error;
  }
  return 'no error';
}

const raw = {
  name: 'r',
  datasetPath: ['tpch', 'orders'],
  type: 'RAW' as const,
  displayColumns: ['o_orderkey'],
};

function materialization(reflectionId: string, id: string): StoredMaterialization {
  const table = { source: '$reflection', table: reflectionId } as unknown as TableRef;
  return {
    id,
    reflectionId,
    folder: `/r/${reflectionId}/${id}`,
    table,
    builtAt: 1000,
    rows: 10,
    bytes: 100,
    snapshot: [{ source: 'tpch', table: 'orders', fingerprint: 'f1' }],
    refreshMs: 5,
    incremental: false,
  };
}

describe('ReflectionStore', () => {
  it('creates, finds case-insensitively, refuses a second of the same name, lists, alters and drops', () => {
    const { catalog } = openCatalog();
    const store = new ReflectionStore(catalog.database);
    const created = store.create(raw);
    expect(created).toMatchObject({
      status: 'REFRESHING',
      enabled: true,
      failureCount: 0,
      materialization: null,
    });
    expect(store.find(['TPCH', 'Orders'], 'R')?.id).toBe(created.id);
    expect(code(() => store.create({ ...raw, name: 'R', datasetPath: ['TPCH', 'ORDERS'] }))).toBe(
      'REFLECTION_EXISTS',
    );
    store.create({ ...raw, datasetPath: ['tpch', 'lineitem'] });
    expect(store.list().length).toBe(2);
    expect(store.list({ datasetPath: ['tpch', 'orders'] }).map((r) => r.id)).toEqual([created.id]);

    const before = catalog.definitionVersion();
    const disabled = store.alter(created.id, { enabled: false }, created.tag);
    expect(disabled.status).toBe('DISABLED');
    expect(disabled.tag).not.toBe(created.tag);
    expect(catalog.definitionVersion()).not.toBe(before);
    expect(code(() => store.alter(created.id, { enabled: true }, created.tag))).toBe('TAG_MISMATCH');
    expect(store.planningCandidates().map((c) => c.definition.id)).not.toContain(created.id);
    expect(store.drop(created.id).id).toBe(created.id);
    expect(code(() => store.drop(created.id))).toBe('REFLECTION_NOT_FOUND');
    catalog.close();
  });

  it('switches materializations in one step, returning the one replaced, and a planner sees it read-only', () => {
    const { catalog, file } = openCatalog();
    const store = new ReflectionStore(catalog.database);
    const r = store.create(raw);
    const before = catalog.definitionVersion();
    expect(store.switchMaterialization(materialization(r.id, 'm1'))).toBeNull();
    // A switch is a change of definitions: a cached plan that read the old copy is not reused.
    expect(catalog.definitionVersion()).not.toBe(before);
    store.setStatus(r.id, 'FAILED', { failureCount: 2, lastError: 'disk full' });
    const previous = store.switchMaterialization(materialization(r.id, 'm2'));
    expect(previous?.id).toBe('m1');
    const now = store.get(r.id)!;
    expect(now).toMatchObject({ status: 'CAN_ACCELERATE', failureCount: 0, lastError: null });
    expect(now.materialization?.id).toBe('m2');
    expect([...store.referencedFolders()]).toEqual([`/r/${r.id}/m2`]);

    const reader = CatalogStore.openReadOnly(file);
    const [candidate] = new ReflectionStore(reader.database).planningCandidates();
    expect(candidate.status).toBe('CAN_ACCELERATE');
    expect(candidate.materialization?.snapshot).toEqual([
      { source: 'tpch', table: 'orders', fingerprint: 'f1' },
    ]);
    expect(candidate.definition.displayColumns).toEqual(['o_orderkey']);
    reader.close();
    catalog.close();
  });

  it('dropping a dataset drops its reflections in the same transaction', () => {
    const { catalog } = openCatalog();
    const store = new ReflectionStore(catalog.database);
    const columns = [{ name: 'o_orderkey', type: BIGINT }];
    catalog.createSource({ name: 'tpch', type: 'csv', path: '/x', options: {} }, [
      { name: 'orders', columns, location: {} },
      { name: 'lineitem', columns, location: {} },
    ]);
    catalog.namespace.createSpace('s');
    catalog.namespace.putView(
      { path: ['s', 'v'], sql: 'SELECT 1', context: [], owner: null, columns },
      { replace: false },
    );
    const onOrders = store.create(raw);
    const onLineitem = store.create({ ...raw, datasetPath: ['tpch', 'lineitem'] });
    const onView = store.create({ ...raw, datasetPath: ['S', 'V'] });
    store.switchMaterialization(materialization(onView.id, 'mv'));
    // A refresh that no longer finds lineitem's files drops its reflections.
    catalog.replaceSource('tpch', { path: '/x', options: {} }, [{ name: 'orders', columns, location: {} }]);
    expect(store.get(onLineitem.id)).toBeUndefined();
    expect(store.get(onOrders.id)).toBeDefined();
    catalog.namespace.deleteView(['s', 'v']);
    expect(store.get(onView.id)).toBeUndefined();
    expect(store.referencedFolders().size).toBe(0);
    dropReflectionsOn(catalog.database, ['tpch']);
    expect(store.list()).toEqual([]);
    catalog.close();
  });

  it("keeps a dataset's refresh field for its reflections now and later, until FULL or the dataset goes", () => {
    const { catalog } = openCatalog();
    const store = new ReflectionStore(catalog.database);
    const before = store.create(raw);
    const other = store.create({ ...raw, datasetPath: ['tpch', 'lineitem'] });
    const [altered] = store.setDatasetRefreshField(['TPCH', 'Orders'], 'o_orderkey');
    expect(altered).toMatchObject({ id: before.id, refreshPolicy: { refreshField: 'o_orderkey' } });
    expect(store.create({ ...raw, name: 'later' }).refreshPolicy).toEqual({ refreshField: 'o_orderkey' });
    expect(store.get(other.id)?.refreshPolicy).toEqual({});
    // Its own (REST) wins over the dataset's.
    expect(
      store.create({ ...raw, name: 'own', refreshPolicy: { refreshField: 'o_custkey' } }).refreshPolicy,
    ).toEqual({ refreshField: 'o_custkey' });
    store.setDatasetRefreshField(['tpch', 'orders'], null);
    expect(store.datasetRefreshField(['tpch', 'orders'])).toBeUndefined();
    expect(store.get(before.id)?.refreshPolicy).toEqual({ refreshField: null });
    store.setDatasetRefreshField(['tpch', 'orders'], 'o_orderkey');
    dropReflectionsOn(catalog.database, ['tpch']);
    expect(store.datasetRefreshField(['tpch', 'orders'])).toBeUndefined();
    catalog.close();
  });
});
