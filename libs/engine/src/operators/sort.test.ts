import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIGINT, DATE, DOUBLE, INTEGER, VARCHAR, decimal } from '@tributary/common';
import { call, column, literal, type Field, type SortKey } from '@tributary/plan';
import { LimitedMemoryPool } from '../memory/memory-pool.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { SortExec, TopN } from './sort.ts';
import { describeSortKeys } from './sort-keys.ts';
import { RADIX_SORT_MIN_ROWS } from './sort-permutation.ts';
import {
  allTypeFields,
  BatchSource,
  collectRows,
  drainBatches,
  duckRows,
  randomBatches,
  sqlValues,
  type TestValue,
} from './operator-test-support.ts';

const fields: Field[] = [
  { name: 'id', type: INTEGER, nullable: true },
  { name: 's', type: VARCHAR, nullable: true },
  { name: 'n', type: INTEGER, nullable: true },
  { name: 'x', type: DOUBLE, nullable: true },
  { name: 'd', type: decimal(15, 2), nullable: true },
  { name: 'b', type: BIGINT, nullable: true },
  { name: 'dt', type: DATE, nullable: true },
];

function makeRows(count: number): TestValue[][] {
  let seed = 7;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed;
  };
  const maybe = <T extends TestValue>(v: T): T | null => (next() % 7 === 0 ? null : v);
  return Array.from({ length: count }, (_, id) => [
    id,
    maybe(['apple', 'Apple', 'äpfel', 'b', '', 'apples', 'ab'][next() % 7]),
    maybe((next() % 9) - 4),
    maybe(((next() % 2000) - 1000) / 8),
    maybe((next() % 20000) - 10000),
    maybe((next() % 5) * 2 ** 40 - 2 ** 41),
    maybe(10000 + (next() % 50)),
  ]);
}

const col = (i: number) => column(i, fields[i].name, fields[i].type);
const key = (i: number, ascending: boolean, nullsFirst: boolean): SortKey => ({
  expr: col(i),
  ascending,
  nullsFirst,
});
const keySql = (k: SortKey): string =>
  `${fields[(k.expr as { index: number }).index].name} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`;

describe('SortExec and TopN', () => {
  const rows = makeRows(400);
  const keyLists: SortKey[][] = [
    [key(1, true, false), key(0, true, false)],
    [key(1, false, true), key(2, true, true), key(0, false, false)],
    [key(3, true, true), key(0, true, true)],
    [key(4, false, false), key(5, true, false), key(0, true, false)],
    [key(6, true, false), key(5, false, true), key(0, true, false)],
  ];
  // Below RADIX_SORT_MIN_ROWS the comparator sorts; above it integer-like keys are radix-sorted.
  const bigger = makeRows(RADIX_SORT_MIN_ROWS + 500);
  for (const [keys, input] of keyLists.flatMap((k) => [rows, bigger].map((r) => [k, r] as const))) {
    const orderBy = keys.map(keySql).join(', ');
    it(`sorts ${input.length} rows by ${orderBy} as DuckDB does`, async () => {
      const expected = await duckRows(`SELECT * FROM ${sqlValues(fields, input)} ORDER BY ${orderBy}`);
      expect(await collectRows(new SortExec(BatchSource.fromRows(fields, input, 64), keys))).toEqual(
        expected,
      );
      const top = await duckRows(
        `SELECT * FROM ${sqlValues(fields, input)} ORDER BY ${orderBy} LIMIT 25 OFFSET 10`,
      );
      expect(await collectRows(new TopN(BatchSource.fromRows(fields, input, 64), keys, 25, 10))).toEqual(top);
    });
  }

  it('sorts by an expression key', async () => {
    const keys: SortKey[] = [
      { expr: call('modulo', [col(0), literal(7, INTEGER)], INTEGER), ascending: false, nullsFirst: false },
      { expr: col(0), ascending: true, nullsFirst: false },
    ];
    const expected = await duckRows(`SELECT * FROM ${sqlValues(fields, rows)} ORDER BY id % 7 DESC, id`);
    expect(await collectRows(new SortExec(BatchSource.fromRows(fields, rows, 100), keys))).toEqual(expected);
  });

  it('keeps TopN memory bounded by trimming across many batches', async () => {
    const many = makeRows(70_000);
    const keys = [key(3, false, false), key(0, true, false)];
    const result = await collectRows(new TopN(BatchSource.fromRows(fields, many, 4096), keys, 5));
    const expected = [...many]
      .filter((r) => r[3] !== null)
      .sort((p, q) => (q[3] as number) - (p[3] as number) || (p[0] as number) - (q[0] as number));
    expect(result.map((r) => r[0])).toEqual(expected.slice(0, 5).map((r) => r[0]));
  });

  it('puts NaN above every number and yields nothing for empty input', async () => {
    const xs: TestValue[][] = [
      [1, 'a', 1, NaN, 1, 1, 1],
      [2, 'a', 1, Infinity, 1, 1, 1],
      [3, 'a', 1, -1, 1, 1, 1],
    ];
    const sorted = await collectRows(new SortExec(BatchSource.fromRows(fields, xs), [key(3, true, false)]));
    expect(sorted.map((r) => r[0])).toEqual([3, 2, 1]);
    expect(await collectRows(new SortExec(new BatchSource(fields, []), [key(3, true, false)]))).toEqual([]);
  });
});

describe('SortExec under a memory budget', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tributary-sort-spill-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const all = allTypeFields;
  const input = randomBatches(all, 6000, 500, 21);
  const allKey = (i: number, ascending: boolean, nullsFirst: boolean): SortKey => ({
    expr: column(i, all[i].name, all[i].type),
    ascending,
    nullsFirst,
  });
  const unbounded = async (keys: SortKey[]) => collectRows(new SortExec(new BatchSource(all, input), keys));
  /** Run files in the sort's own folder under the spill root now. */
  const runFiles = async (): Promise<string[]> => {
    const [folder] = await readdir(root);
    return folder ? (await readdir(join(root, folder))).filter((f) => f.startsWith('run-')) : [];
  };
  /** How many run files were written so far, from the highest number in their names. */
  const runsWritten = async (): Promise<number> =>
    Math.max(0, ...(await runFiles()).map((f) => Number(/run-(\d+)/.exec(f)![1]) + 1));

  const keyLists: SortKey[][] = [
    [allKey(8, true, false), allKey(5, false, true)],
    [allKey(3, false, true), allKey(2, true, false)],
    [allKey(4, true, true), allKey(7, false, false), allKey(0, true, true)],
    [allKey(6, false, false), allKey(1, true, true)],
    [
      {
        expr: call('modulo', [column(1, 'i', INTEGER), literal(5, INTEGER)], INTEGER),
        ascending: true,
        nullsFirst: false,
      },
      allKey(8, false, true),
    ],
  ];
  for (const keys of keyLists) {
    it(`spills runs and merges them into the in-memory order by ${describeSortKeys(keys)}`, async () => {
      const pool = new LimitedMemoryPool(96 * 1024);
      const sort = new SortExec(new BatchSource(all, input), keys, { memory: pool, spillDir: root });
      const batches: RecordBatch[] = [];
      let runsWhileMerging = 0;
      for await (const batch of sort.execute(new AbortController().signal)) {
        if (batches.length === 0) runsWhileMerging = await runsWritten();
        batches.push(batch);
      }
      expect(runsWhileMerging).toBeGreaterThanOrEqual(3);
      expect(await collectRows(new BatchSource(all, batches))).toEqual(await unbounded(keys));
      expect(pool.used()).toBe(0);
      expect(await readdir(root)).toEqual([]);
    });
  }

  it('sorts every key type alone, each order, through spilled runs', async () => {
    for (let c = 0; c < all.length; c++) {
      for (const [ascending, nullsFirst] of [
        [true, false],
        [false, true],
      ]) {
        const keys = [allKey(c, ascending, nullsFirst)];
        const sort = new SortExec(new BatchSource(all, input), keys, {
          memory: new LimitedMemoryPool(128 * 1024),
          spillDir: root,
        });
        expect([c, await collectRows(sort)]).toEqual([c, await unbounded(keys)]);
      }
    }
    expect(await readdir(root)).toEqual([]);
  });

  it('merges runs in several passes when not all fit at once, and spills batches over the budget', async () => {
    const keys = keyLists[0];
    // Too small for one input batch: every batch is a run, and runs merge a few at a time.
    const pool = new LimitedMemoryPool(24 * 1024);
    const sort = new SortExec(new BatchSource(all, input), keys, { memory: pool, spillDir: root });
    expect(await collectRows(sort)).toEqual(await unbounded(keys));
    expect(pool.used()).toBe(0);
    expect(await readdir(root)).toEqual([]);
  });

  it('emits batches of at most 64K rows from a merge', async () => {
    const big = randomBatches(all.slice(0, 3), 150_000, 65_536, 3);
    const keys = [allKey(2, false, false), allKey(1, true, true)];
    const pool = new LimitedMemoryPool(1024 * 1024);
    const spilled = await drainBatches(
      new SortExec(new BatchSource(all.slice(0, 3), big), keys, { memory: pool, spillDir: root }),
    );
    expect(spilled.every((b) => b.numRows <= 65536)).toBe(true);
    const inMemory = await drainBatches(new SortExec(new BatchSource(all.slice(0, 3), big), keys));
    expect(await collectRows(new BatchSource(all.slice(0, 3), spilled))).toEqual(
      await collectRows(new BatchSource(all.slice(0, 3), inMemory)),
    );
  });

  it('fails with QUERY_MEMORY_EXCEEDED naming the limit when it may not spill', async () => {
    const pool = new LimitedMemoryPool(64 * 1024, 'test budget');
    const sort = new SortExec(new BatchSource(all, input), keyLists[0], { memory: pool });
    await expect(collectRows(sort)).rejects.toMatchObject({
      code: 'QUERY_MEMORY_EXCEEDED',
      phase: 'resource',
      message: expect.stringContaining('the test budget of 64 KB'),
    });
    expect(pool.used()).toBe(0);
  });

  it('leaves nothing behind when the consumer stops early, the query is aborted, or the input fails', async () => {
    const keys = keyLists[1];
    const resources = () => ({ memory: new LimitedMemoryPool(64 * 1024), spillDir: root });

    // Breaking out of the iteration after the first batch.
    const early = new SortExec(new BatchSource(all, input), keys, resources());
    for await (const batch of early.execute(new AbortController().signal)) {
      expect(batch.numRows).toBeGreaterThan(0);
      expect((await runFiles()).length).toBeGreaterThan(0);
      break;
    }
    expect(await readdir(root)).toEqual([]);

    // Aborted while merging.
    const controller = new AbortController();
    const aborted = new SortExec(new BatchSource(all, input), keys, resources());
    const whileMerging = async () => {
      for await (const batch of aborted.execute(controller.signal)) {
        void batch;
        controller.abort(new Error('cancelled while merging'));
      }
    };
    await expect(whileMerging()).rejects.toThrow('cancelled while merging');
    expect(await readdir(root)).toEqual([]);

    // Aborted while reading the input, after runs were written.
    const reading = new AbortController();
    const abortingSource = failingSource(all, input, 8, () =>
      reading.abort(new Error('cancelled while reading')),
    );
    await expect(
      drainBatches(new SortExec(abortingSource, keys, resources()), reading.signal),
    ).rejects.toThrow('cancelled while reading');
    expect(await readdir(root)).toEqual([]);

    // The input fails after runs were written.
    const broken = failingSource(all, input, 8, () => {
      throw new Error('source broke');
    });
    await expect(collectRows(new SortExec(broken, keys, resources()))).rejects.toThrow('source broke');
    expect(await readdir(root)).toEqual([]);
  });

  it('accounts TopN and fails past its budget', async () => {
    const keys = keyLists[0];
    const pool = new LimitedMemoryPool(1024 * 1024);
    const top = await collectRows(new TopN(new BatchSource(all, input), keys, 50, 5, { memory: pool }));
    expect(top).toEqual((await unbounded(keys)).slice(5, 55));
    expect(pool.used()).toBe(0);
    const tiny = new LimitedMemoryPool(16 * 1024);
    await expect(
      collectRows(new TopN(new BatchSource(all, input), keys, 5000, 0, { memory: tiny })),
    ).rejects.toMatchObject({ code: 'QUERY_MEMORY_EXCEEDED' });
    expect(tiny.used()).toBe(0);
  });
});

/** Yields `batches`, calling `fail` before batch number `at` (which may throw or abort). */
function failingSource(
  fields: Field[],
  batches: RecordBatch[],
  at: number,
  fail: () => void,
): PhysicalOperator {
  return {
    name: 'Failing',
    schema: fields,
    children: [],
    describe: () => '',
    async *execute(signal: AbortSignal) {
      for (let i = 0; i < batches.length; i++) {
        if (i === at) fail();
        signal.throwIfAborted();
        yield batches[i];
      }
    },
  };
}
