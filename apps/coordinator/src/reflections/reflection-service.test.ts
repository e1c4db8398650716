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
  options: { retries?: number; refreshIntervalMs?: number; concurrency?: number } = {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), 'reflection-service-'));
  dirs.push(dir);
  const catalog = CatalogStore.open(path.join(dir, 'catalog.db'));
  const store = new ReflectionStore(catalog.database);
  const started: QueryRequest[] = [];
  /** Fails every build's query that is still running (they fail at once unless `hold` is set). */
  const failAll: (() => void)[] = [];
  let hold = false;
  const service = new ReflectionService({
    store,
    queries: {
      start: (request): QueryJob => {
        started.push(request);
        const failure = new ExecutionError('CAST_FAILED', 'bad cast');
        return {
          id: `job-${started.length}`,
          result: hold
            ? new Promise((_, reject) => failAll.push(() => reject(failure)))
            : Promise.reject(failure),
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
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    retryDelayMs: 5,
    graceMs: 1000,
    log: () => undefined,
  });
  const holdBuilds = (on: boolean) => {
    hold = on;
  };
  const failRunning = () => {
    for (const fail of failAll.splice(0)) fail();
  };
  return { catalog, store, service, started, holdBuilds, failRunning };
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
    // Start-up queues what was never built.
    await service.start();
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
    await service.start();
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

  it('runs up to `concurrency` builds at once, never two of one reflection, the next when one ends', async () => {
    const { catalog, store, service, started, holdBuilds, failRunning } = setUp(() => lake('f1'), {
      retries: 0,
      concurrency: 2,
    });
    holdBuilds(true);
    const ids = ['a', 'b', 'c'].map(
      (name) =>
        store.create({ name, datasetPath: ['lake', 'orders'], type: 'RAW', displayColumns: ['o_orderkey'] })
          .id,
    );
    const waits = ids.map((id) => service.waitForBuild(id, 10_000));
    await service.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(started.length).toBe(2);
    expect(service.buildsRunning).toBe(2);
    expect([ids[0], ids[1]].every((id) => service.buildingJob(id) !== undefined)).toBe(true);
    // Asked for again while it builds: it runs after, not beside, itself.
    service.request(ids[0]);
    expect(started.length).toBe(2);
    failRunning();
    await Promise.all(waits.slice(0, 2));
    await new Promise((resolve) => setTimeout(resolve, 50));
    // c took a freed slot (a's repeat went with its final failure).
    expect(started.length).toBe(3);
    expect(service.buildingJob(ids[2])).toBe('job-3');
    holdBuilds(false);
    failRunning();
    await waits[2];
    service.stop();
    catalog.close();
  });
});
