import { describe, expect, it } from 'vitest';
import { BOOLEAN, INTEGER, VARCHAR } from '@tributary/common';
import { call, column, type Field } from '@tributary/plan';
import { LimitedMemoryPool } from '../memory/memory-pool.ts';
import { HashJoin } from './hash-join.ts';
import { BatchSource, collectRows, sortedRows, type TestValue } from './operator-test-support.ts';
import { SharedBuilds, type BuildShare } from './shared-builds.ts';

const probeFields: Field[] = [{ name: 'a', type: INTEGER, nullable: true }];
const buildFields: Field[] = [
  { name: 'b', type: INTEGER, nullable: true },
  { name: 't', type: VARCHAR, nullable: true },
];
const condition = call('eq', [column(0, 'a', INTEGER), column(1, 'b', INTEGER)], BOOLEAN);
const buildRows: TestValue[][] = [
  [1, 'one'],
  [2, 'two'],
  [2, 'deux'],
  [null, 'none'],
];

function share(builds: SharedBuilds, pool: LimitedMemoryPool, queryId = 'q1'): BuildShare {
  return { builds, queryId, key: 'stage 2 join', pool };
}

/** A task's join: its own probe rows, the build side the same in every task of the stage. */
function taskJoin(probe: TestValue[][], build: BatchSource, shared: BuildShare | undefined): HashJoin {
  return new HashJoin(
    BatchSource.fromRows(probeFields, probe),
    build,
    'inner',
    condition,
    [...probeFields, ...buildFields],
    undefined,
    shared,
  );
}

describe('SharedBuilds', () => {
  it('makes a build once for all callers of one key, and drop returns its memory', async () => {
    const builds = new SharedBuilds();
    const pool = new LimitedMemoryPool(1 << 20);
    let made = 0;
    const make = async (reservation: { grow(bytes: number): void }) => {
      made++;
      reservation.grow(1000);
      return { table: made };
    };
    const [x, y] = await Promise.all([builds.get('q1', 'k', pool, make), builds.get('q1', 'k', pool, make)]);
    expect(made).toBe(1);
    expect(x).toBe(y);
    // Another query's build of the same key is its own.
    await builds.get('q2', 'k', pool, make);
    expect(made).toBe(2);
    expect(pool.used()).toBe(2000);
    builds.drop('q1');
    expect(pool.used()).toBe(1000);
    expect(builds.size).toBe(1);
    builds.drop('q2');
    expect(pool.used()).toBe(0);
  });

  it('forgets a build that failed, so a later task may try again; keeps one that did not fit as undefined', async () => {
    const builds = new SharedBuilds();
    const pool = new LimitedMemoryPool(1 << 20);
    const failing = async (reservation: { grow(bytes: number): void }) => {
      reservation.grow(500);
      throw new Error('the reading task was cancelled');
    };
    await expect(builds.get('q', 'k', pool, failing)).rejects.toThrow('cancelled');
    expect(pool.used()).toBe(0);
    expect(await builds.get('q', 'k', pool, async () => 42)).toBe(42);
    const tooBig = async (reservation: { grow(bytes: number): void }) => {
      reservation.grow(700);
      return undefined;
    };
    expect(await builds.get('q', 'other', pool, tooBig)).toBeUndefined();
    expect(pool.used()).toBe(0);
  });

  it('returns the memory of a build that finishes after its query was dropped', async () => {
    const builds = new SharedBuilds();
    const pool = new LimitedMemoryPool(1 << 20);
    let finish!: () => void;
    const slow = builds.get('q', 'k', pool, async (reservation) => {
      reservation.grow(300);
      await new Promise<void>((resolve) => (finish = resolve));
      reservation.grow(300);
      return 'built';
    });
    await Promise.resolve();
    builds.drop('q');
    finish();
    expect(await slow).toBe('built');
    expect(pool.used()).toBe(0);
  });
});

describe('HashJoin with a shared build side', () => {
  it('reads and builds the broadcast side once for the tasks of a stage, each joining its own rows', async () => {
    const builds = new SharedBuilds();
    const pool = new LimitedMemoryPool(1 << 20);
    const build = BatchSource.fromRows(buildFields, buildRows, 2);
    const first = taskJoin([[1], [2], [3]], build, share(builds, pool));
    const second = taskJoin([[2], [null], [1]], build, share(builds, pool));
    const [one, two] = await Promise.all([collectRows(first), collectRows(second)]);
    expect(build.executions).toBe(1);
    expect(sortedRows(one)).toEqual([
      [1, 1, 'one'],
      [2, 2, 'deux'],
      [2, 2, 'two'],
    ]);
    expect(sortedRows(two)).toEqual(
      sortedRows(await collectRows(taskJoin([[2], [null], [1]], build, undefined))),
    );
    // The shared table stays charged until the query ends here, not when a task does.
    expect(pool.used()).toBeGreaterThan(0);
    builds.drop('q1');
    expect(pool.used()).toBe(0);
  });

  it('lets each task build its own when the shared build does not fit the budget', async () => {
    const builds = new SharedBuilds();
    const tiny = new LimitedMemoryPool(16);
    const build = BatchSource.fromRows(buildFields, buildRows, 2);
    const rows = await collectRows(taskJoin([[2]], build, share(builds, tiny)));
    // Built twice: the shared attempt, then the task's own (unbounded here, so it fits).
    expect(build.executions).toBe(2);
    expect(sortedRows(rows)).toEqual([
      [2, 2, 'deux'],
      [2, 2, 'two'],
    ]);
    expect(tiny.used()).toBe(0);
  });
});
