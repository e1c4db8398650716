import { describe, expect, it } from 'vitest';
import { BindError, InternalError, SourceError } from '@tributary/common';
import type { PlannedQuery, PlanRequest } from '../planning/plan-query.ts';
import { RefreshingPlanner } from './refreshing-planner.ts';

const request = { sql: 'SELECT 1', partitions: 1, splitsPerThread: 1, broadcastRowLimit: 0 } as PlanRequest;
const planned = { kind: 'query' } as PlannedQuery;
const changed = () =>
  new SourceError('SOURCE_CHANGED', 'table f.b changed', {
    status: 409,
    details: {
      source: 'f',
      table: 'b',
      changes: ['/d/b.csv: size 40 → 12'],
    },
  });
const notBound = () =>
  new BindError('INVALID_POSITION', 'ORDER BY position 6 is not in the select list', {
    position: { line: 1, column: 40 },
  });

/** A planner that fails with each of `failures` in turn, then plans. */
function planner(failures: Error[]) {
  let calls = 0;
  return {
    calls: () => calls,
    plan: async () => {
      calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return planned;
    },
  };
}

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('RefreshingPlanner', () => {
  it('refreshes the changed source and plans again', async () => {
    const inner = planner([changed()]);
    const refreshed: string[] = [];
    const logs: string[] = [];
    const refreshing = new RefreshingPlanner(inner, { refresh: async (n) => void refreshed.push(n) }, (m) =>
      logs.push(m),
    );
    expect(await refreshing.plan(request, new AbortController().signal)).toBe(planned);
    expect(refreshed).toEqual(['f']);
    expect(inner.calls()).toBe(2);
    expect(logs[0]).toContain('source "f" changed');
  });

  it('says that a query which does not bind against the table read again fails where it changed', async () => {
    const noop = { refresh: async () => undefined };
    const after = new RefreshingPlanner(planner([changed(), notBound()]), noop, () => undefined);
    const error = await failure(after.plan(request, new AbortController().signal));
    expect(error).toMatchObject({
      code: 'SOURCE_CHANGED',
      line: 1,
      column: 40,
      details: { source: 'f', table: 'b', refreshed: true, bindError: 'INVALID_POSITION' },
    });
    expect((error as Error).message).toContain('/d/b.csv: size 40 → 12');
    expect((error as Error).message).toContain('ORDER BY position 6 is not in the select list');
  });

  it('tries once: a second change, a failed refresh or another error is the answer', async () => {
    const noop = { refresh: async () => undefined };
    const twice = new RefreshingPlanner(planner([changed(), changed()]), noop, () => undefined);
    expect(await failure(twice.plan(request, new AbortController().signal))).toMatchObject({
      code: 'SOURCE_CHANGED',
    });

    const gone = new SourceError('PATH_NOT_FOUND', 'path "/x" does not exist');
    const failing = new RefreshingPlanner(
      planner([changed()]),
      {
        refresh: async () => {
          throw gone;
        },
      },
      () => undefined,
    );
    expect(await failure(failing.plan(request, new AbortController().signal))).toBe(gone);

    const crashed = new RefreshingPlanner(
      planner([changed()]),
      {
        refresh: async () => {
          throw new InternalError('planning failed: its thread died (unreachable)');
        },
      },
      () => undefined,
    );
    const error = await failure(crashed.plan(request, new AbortController().signal));
    expect(error).toMatchObject({
      code: 'SOURCE_FILE_INVALID',
      status: 400,
      details: { metadataKept: true },
    });
    expect((error as Error).message).toContain('/d/b.csv');

    let refreshes = 0;
    const other = new SourceError('TABLE_NOT_FOUND', 'no table');
    const passing = new RefreshingPlanner(
      planner([other]),
      { refresh: async () => void refreshes++ },
      () => undefined,
    );
    expect(await failure(passing.plan(request, new AbortController().signal))).toBe(other);
    expect(refreshes).toBe(0);
  });
});
