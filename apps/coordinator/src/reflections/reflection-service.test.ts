import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '@tributary/catalog';
import { ExecutionError } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import { ReflectionStore } from '@tributary/reflections';
import type { QueryJob, QueryRequest } from '../query/query-service.ts';
import type { CheckedTableSnapshot } from './base-table-snapshots.ts';
import { ReflectionService } from './reflection-service.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A service over a real catalog whose builds' queries fail (and are counted), with the planner's snapshot given. */
function setUp(
  snapshot: () => CheckedTableSnapshot[],
  options: { retries?: number; refreshIntervalMs?: number } = {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), 'reflection-service-'));
  dirs.push(dir);
  const catalog = CatalogStore.open(path.join(dir, 'catalog.db'));
  const store = new ReflectionStore(catalog.database);
  const started: QueryRequest[] = [];
  const service = new ReflectionService({
    store,
    queries: {
      start: (request): QueryJob => {
        started.push(request);
        return {
          id: `job-${started.length}`,
          result: Promise.reject(new ExecutionError('CAST_FAILED', 'bad cast')),
        };
      },
    },
    planner: {
      snapshot: () => Promise.resolve(snapshot()),
      discover: () => Promise.reject(new Error('not reached')),
    },
    refreshSource: () => Promise.resolve(),
    reflectionsDir: path.join(dir, 'reflections'),
    refreshIntervalMs: options.refreshIntervalMs ?? 0,
    checkIntervalMs: 0,
    retries: options.retries ?? 2,
    retryDelayMs: 5,
    graceMs: 1000,
    log: () => undefined,
  });
  return { catalog, store, service, started };
}

const lake = (fingerprint: string): CheckedTableSnapshot[] => [
  { source: 'lake', table: 'orders', fingerprint, changedOnDisk: false },
];

describe('ReflectionService', () => {
  it('retries a failing build with backoff, then marks it FAILED with the reason; a user refresh retries anew', async () => {
    const { catalog, store, service, started } = setUp(() => lake('f1'));
    const r = store.create({
      name: 'r',
      datasetPath: ['lake', 'orders'],
      type: 'RAW',
      displayColumns: ['o_orderkey'],
    });
    const done = service.waitForBuild(r.id, 10_000);
    service.request(r.id);
    const outcome = await done;
    expect(outcome.ok).toBe(false);
    expect(started.length).toBe(3);
    expect(
      started.every(
        (q) => q.queryType === 'INTERNAL' && String(q.sql).startsWith('SELECT "o_orderkey" FROM'),
      ),
    ).toBe(true);
    expect(store.get(r.id)).toMatchObject({
      status: 'FAILED',
      failureCount: 3,
      lastError: 'CAST_FAILED: bad cast',
    });
    const again = service.waitForBuild(r.id, 10_000);
    service.refreshNow(r.id);
    expect((await again).ok).toBe(false);
    expect(started.length).toBe(6);
    service.stop();
    catalog.close();
  });

  it('marks a reflection whose data changed STALE and rebuilds it; one past its interval is rebuilt', async () => {
    let fingerprint = 'f1';
    const { catalog, store, service, started } = setUp(() => lake(fingerprint), { retries: 0 });
    const r = store.create({
      name: 'r',
      datasetPath: ['lake', 'orders'],
      type: 'RAW',
      displayColumns: ['o_orderkey'],
    });
    store.switchMaterialization({
      id: 'm1',
      reflectionId: r.id,
      folder: '/nowhere/m1',
      table: { source: '$reflection', table: r.id } as unknown as TableRef,
      builtAt: Date.now(),
      rows: 1,
      bytes: 1,
      snapshot: lake('f1').map(({ changedOnDisk: _c, ...s }) => s),
      refreshMs: 1,
      incremental: false,
    });
    await service.check();
    expect(store.get(r.id)?.status).toBe('CAN_ACCELERATE');
    expect(started.length).toBe(0);
    fingerprint = 'f2';
    const done = service.waitForBuild(r.id, 10_000);
    await service.check();
    expect(store.get(r.id)?.status).toBe('REFRESHING');
    await done;
    expect(started.length).toBe(1);
    // The failed rebuild left the old copy serving.
    expect(store.get(r.id)?.materialization?.id).toBe('m1');

    const timed = store.create({
      name: 't',
      datasetPath: ['lake', 'orders'],
      type: 'RAW',
      displayColumns: ['o_orderkey'],
      refreshPolicy: { intervalMs: 1 },
    });
    store.switchMaterialization({
      ...store.get(r.id)!.materialization!,
      id: 'm2',
      reflectionId: timed.id,
      builtAt: Date.now() - 1000,
      snapshot: lake('f2').map(({ changedOnDisk: _c, ...s }) => s),
    });
    const rebuilt = service.waitForBuild(timed.id, 10_000);
    await service.check();
    await rebuilt;
    expect(started.at(-1)?.sql).toContain('"lake"."orders"');
    expect(started.length).toBe(2);
    service.stop();
    catalog.close();
  });
});
