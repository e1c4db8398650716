import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { takeTableSnapshot } from '@tributary/connectors';
import type { PlannedQuery, PlanOutcome, PlanRequest, TableFreshness } from './plan-query.ts';
import { CachingPlanner } from './caching-planner.ts';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'plan-cache-'));
  file = join(dir, 'nation.csv');
  writeFileSync(file, 'n\n1\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A planner thread stand-in: counts its plans, and says what files each read as planning does. */
class CountingPlanner {
  calls = 0;
  volatile = false;

  async plan(request: PlanRequest): Promise<PlanOutcome> {
    this.calls++;
    const location = { file };
    const snapshot = await takeTableSnapshot('csv', location, [dir], { schema: false, folders: [] });
    const freshness: TableFreshness[] = [
      { sourceType: 'csv', location, folders: [], fingerprint: snapshot.fingerprint },
    ];
    return {
      kind: 'query',
      analyze: false,
      plan: { stages: [], note: `plan ${this.calls} of ${request.sql}` },
      reads: [],
      viewColumnChanges: [],
      volatile: this.volatile,
      estimatedRows: 1,
      stageScans: [],
      freshness: this.volatile ? null : freshness,
    } as unknown as PlannedQuery;
  }
}

const request = (sql: string, more: Partial<PlanRequest> = {}): PlanRequest => ({
  sql,
  partitions: 2,
  splitsPerThread: 2,
  broadcastRowLimit: 1000,
  ...more,
});
const signal = new AbortController().signal;
const noteOf = (outcome: PlanOutcome) => (outcome as unknown as { plan: { note: string } }).plan.note;

function cachingPlanner(inner: CountingPlanner, version = { now: 0 }, entries = 10) {
  const lookups: boolean[] = [];
  const planner = new CachingPlanner(inner, {
    entries,
    definitionVersion: () => version.now,
    roots: [dir],
    onLookup: (hit) => lookups.push(hit),
  });
  return { planner, lookups, version };
}

describe('CachingPlanner', () => {
  it('plans a statement once and serves that plan again, frozen', async () => {
    const inner = new CountingPlanner();
    const { planner, lookups } = cachingPlanner(inner);
    const first = await planner.plan(request('select 1'), signal);
    (first as unknown as { plan: { note: string } }).plan.note = 'changed by its caller';
    const second = await planner.plan(request('select 1'), signal);
    const third = await planner.plan(request('select 1'), signal);
    expect(inner.calls).toBe(1);
    expect(noteOf(second)).toBe('plan 1 of select 1');
    expect(second).toBe(third);
    expect(() => {
      (second as unknown as { plan: { note: string } }).plan.note = 'changed by a hit';
    }).toThrow(TypeError);
    expect(noteOf(third)).toBe('plan 1 of select 1');
    expect(lookups).toEqual([false, true, true]);
  });

  it('plans anew for another text, context, user, reader or cluster shape', async () => {
    const inner = new CountingPlanner();
    const { planner } = cachingPlanner(inner);
    const variants = [
      request('select 1'),
      request('select  1'),
      request('select 1', { context: ['tpch'] }),
      request('select 1', { user: 'ann' }),
      request('select 1', { user: 'ann', accessUser: 'ann' }),
      request('select 1', { partitions: 4 }),
      request('select 1', { disabledRules: ['push_down_filter'] }),
    ];
    for (const r of variants) await planner.plan(r, signal);
    expect(inner.calls).toBe(variants.length);
    for (const r of variants) await planner.plan({ ...r, executors: [] }, signal);
    expect(inner.calls).toBe(variants.length);
  });

  it('plans anew once a definition was written', async () => {
    const inner = new CountingPlanner();
    const { planner, version } = cachingPlanner(inner);
    await planner.plan(request('select 1'), signal);
    version.now++;
    expect(noteOf(await planner.plan(request('select 1'), signal))).toBe('plan 2 of select 1');
    expect(noteOf(await planner.plan(request('select 1'), signal))).toBe('plan 2 of select 1');
  });

  it('plans anew once a file it reads changed, even to the same size', async () => {
    const inner = new CountingPlanner();
    const { planner } = cachingPlanner(inner);
    await planner.plan(request('select 1'), signal);
    writeFileSync(file, 'n\n2\n');
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect(noteOf(await planner.plan(request('select 1'), signal))).toBe('plan 2 of select 1');
    rmSync(file);
    expect(noteOf(await planner.plan(request('select 1'), signal))).toBe('plan 3 of select 1');
  });

  it('never keeps a plan that holds the clock or catalog rows', async () => {
    const inner = new CountingPlanner();
    inner.volatile = true;
    const { planner } = cachingPlanner(inner);
    await planner.plan(request('select now()'), signal);
    await planner.plan(request('select now()'), signal);
    expect(inner.calls).toBe(2);
  });

  it('keeps at most its number of plans, dropping the least recently used', async () => {
    const inner = new CountingPlanner();
    const { planner } = cachingPlanner(inner, { now: 0 }, 2);
    await planner.plan(request('select 1'), signal);
    await planner.plan(request('select 2'), signal);
    await planner.plan(request('select 1'), signal);
    await planner.plan(request('select 3'), signal);
    expect(inner.calls).toBe(3);
    await planner.plan(request('select 1'), signal);
    expect(inner.calls).toBe(3);
    await planner.plan(request('select 2'), signal);
    expect(inner.calls).toBe(4);
  });

  it('with no entries plans every statement', async () => {
    const inner = new CountingPlanner();
    const { planner, lookups } = cachingPlanner(inner, { now: 0 }, 0);
    await planner.plan(request('select 1'), signal);
    await planner.plan(request('select 1'), signal);
    expect(inner.calls).toBe(2);
    expect(lookups).toEqual([]);
  });
});
