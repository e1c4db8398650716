import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  decimal,
  type SqlType,
} from '@tributary/common';
import {
  call,
  column,
  literal,
  type AggregateCall,
  type AggregateFunctionName,
  type Field,
} from '@tributary/plan';
import { LimitedMemoryPool } from '../memory/memory-pool.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { HashAggregate, partialAggregateSchema } from './hash-aggregate.ts';
import { batchColumn } from './record-batch-column.ts';
import {
  allTypeFields,
  BatchSource,
  collectRows,
  drainBatches,
  randomBatches,
  duckRows,
  sortedRows,
  sqlValues,
  type TestValue,
} from './operator-test-support.ts';

const fields: Field[] = [
  { name: 'g', type: VARCHAR, nullable: true },
  { name: 'k', type: INTEGER, nullable: true },
  { name: 'i', type: INTEGER, nullable: true },
  { name: 'b', type: BIGINT, nullable: true },
  { name: 'd', type: decimal(15, 2), nullable: true },
  { name: 'x', type: DOUBLE, nullable: true },
  { name: 'dt', type: DATE, nullable: true },
];

/** Deterministic rows with NULLs sprinkled over every column. */
function makeRows(n: number): TestValue[][] {
  let seed = 42;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed;
  };
  const rows: TestValue[][] = [];
  for (let r = 0; r < n; r++) {
    const maybe = <T extends TestValue>(v: T): T | null => (next() % 9 === 0 ? null : v);
    rows.push([
      maybe(['a', 'bb', 'ä', 'b', ''][next() % 5]),
      maybe(next() % 4),
      maybe((next() % 2001) - 1000),
      maybe((next() % 2000001) * 1000003 - 1e9),
      maybe((next() % 1000000) - 400000),
      maybe(((next() % 100000) - 50000) / 7),
      maybe(18000 + (next() % 400)),
    ]);
  }
  return rows;
}

function agg(
  fn: AggregateFunctionName,
  index: number | null,
  type: SqlType,
  distinct = false,
): AggregateCall {
  return {
    fn,
    arg: index === null ? null : column(index, fields[index].name, fields[index].type),
    distinct,
    type,
  };
}

const aggregates: AggregateCall[] = [
  agg('count_star', null, BIGINT),
  agg('count', 2, BIGINT),
  agg('sum', 2, BIGINT),
  agg('sum', 3, BIGINT),
  agg('sum', 4, decimal(38, 2)),
  agg('sum', 5, DOUBLE),
  agg('avg', 2, DOUBLE),
  agg('avg', 4, DOUBLE),
  agg('avg', 5, DOUBLE),
  agg('min', 0, VARCHAR),
  agg('max', 0, VARCHAR),
  agg('min', 3, BIGINT),
  agg('max', 4, decimal(15, 2)),
  agg('min', 5, DOUBLE),
  agg('max', 6, DATE),
  agg('count', 1, BIGINT, true),
  agg('sum', 2, BIGINT, true),
  agg('avg', 4, DOUBLE, true),
];
const aggregateSql =
  'count(*), count(i), sum(i), sum(b), sum(d), sum(x), avg(i), avg(d), avg(x), min(g), max(g), min(b), max(d), min(x), max(dt), ' +
  'count(DISTINCT k), sum(DISTINCT i), avg(DISTINCT d)';

function schemaFor(keys: number[]): Field[] {
  return [
    ...keys.map((k) => fields[k]),
    ...aggregates.map((a, i) => ({ name: `a${i}`, type: a.type, nullable: true })),
  ];
}

function expectRowsClose(actual: TestValue[][], expected: TestValue[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) =>
    row.forEach((v, c) => {
      const e = expected[r][c];
      if (typeof v === 'number' && typeof e === 'number' && !Number.isInteger(e)) {
        expect(Math.abs(v - e)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
      } else expect([r, c, v]).toEqual([r, c, e]);
    }),
  );
}

describe('HashAggregate', () => {
  const rows = makeRows(500);

  it.each([[[0]], [[0, 1]], [[6, 1]], [[]]])('matches DuckDB grouping by %j', async (keys) => {
    const input = BatchSource.fromRows(fields, rows, 64);
    const op = new HashAggregate(
      input,
      keys.map((k) => column(k, fields[k].name, fields[k].type)),
      aggregates,
      schemaFor(keys),
    );
    const actual = sortedRows(await collectRows(op));
    const keySql = keys.map((k) => fields[k].name).join(', ');
    const sql = `SELECT ${keySql}${keys.length ? ', ' : ''}${aggregateSql} FROM ${sqlValues(fields, rows)}${keys.length ? ` GROUP BY ${keySql}` : ''}`;
    const expected = sortedRows(await duckRows(sql));
    expectRowsClose(actual, expected);
  });

  it('groups by an expression', async () => {
    const input = BatchSource.fromRows(fields, rows, 100);
    const key = call('modulo', [column(2, 'i', INTEGER), literal(3, INTEGER)], INTEGER);
    const op = new HashAggregate(
      input,
      [key],
      [agg('count_star', null, BIGINT), agg('sum', 4, decimal(38, 2))],
      [
        { name: 'm', type: INTEGER, nullable: true },
        { name: 'c', type: BIGINT, nullable: true },
        { name: 's', type: decimal(38, 2), nullable: true },
      ],
    );
    const expected = await duckRows(
      `SELECT i % 3 AS m, count(*), sum(d) FROM ${sqlValues(fields, rows)} GROUP BY m`,
    );
    expect(sortedRows(await collectRows(op))).toEqual(sortedRows(expected));
  });

  it('gives one row for empty input without keys and none with keys', async () => {
    const empty = new BatchSource(fields, []);
    const global = new HashAggregate(empty, [], aggregates, schemaFor([]));
    const expected = await duckRows(`SELECT ${aggregateSql} FROM ${sqlValues(fields, rows)} WHERE false`);
    expect(await collectRows(global)).toEqual(expected);
    const grouped = new HashAggregate(empty, [column(0, 'g', VARCHAR)], aggregates, schemaFor([0]));
    expect(await collectRows(grouped)).toEqual([]);
  });

  it('orders NaN above every number in min and max', async () => {
    const xs = BatchSource.fromRows([fields[5]], [[NaN], [2], [-1], [NaN]]);
    const x = column(0, 'x', DOUBLE);
    const calls: AggregateCall[] = [
      { fn: 'min', arg: x, distinct: false, type: DOUBLE },
      { fn: 'max', arg: x, distinct: false, type: DOUBLE },
    ];
    const op = new HashAggregate(xs, [], calls, [
      { name: 'lo', type: DOUBLE, nullable: true },
      { name: 'hi', type: DOUBLE, nullable: true },
    ]);
    expect(await collectRows(op)).toEqual([[-1, NaN]]);
  });

  it('fails with NUMERIC_OVERFLOW rather than a wrong BIGINT sum', async () => {
    const big = BatchSource.fromRows([fields[3]], [[2 ** 62], [2 ** 62]]);
    const op = new HashAggregate(
      big,
      [],
      [{ fn: 'sum', arg: column(0, 'b', BIGINT), distinct: false, type: BIGINT }],
      [{ name: 's', type: BIGINT, nullable: true }],
    );
    await expect(collectRows(op)).rejects.toMatchObject({ code: 'NUMERIC_OVERFLOW' });
  });

  it('sums BIGINT exactly beyond 2^53', async () => {
    const values = [[2 ** 60], [2 ** 60 + 2 ** 12], [3], [-(2 ** 61)], [2 ** 55]];
    const op = new HashAggregate(
      BatchSource.fromRows([fields[3]], values, 2),
      [],
      [{ fn: 'sum', arg: column(0, 'b', BIGINT), distinct: false, type: BIGINT }],
      [{ name: 's', type: BIGINT, nullable: true }],
    );
    expect(await collectRows(op)).toEqual([[String(2n ** 55n + 2n ** 12n + 3n)]]);
  });

  it('stops with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const op = new HashAggregate(
      BatchSource.fromRows(fields, rows, 10),
      [column(0, 'g', VARCHAR)],
      aggregates,
      schemaFor([0]),
    );
    controller.abort(new Error('cancelled by test'));
    const run = async () => {
      for await (const batch of op.execute(controller.signal)) void batch;
    };
    await expect(run()).rejects.toThrow('cancelled by test');
  });

  it('splits into partial and final aggregation with the same result', async () => {
    const nonDistinct = aggregates.filter((a) => !a.distinct);
    const keys = [column(0, 'g', VARCHAR), column(1, 'k', INTEGER)];
    const single = new HashAggregate(
      BatchSource.fromRows(fields, rows, 50),
      keys,
      nonDistinct,
      schemaFor([0, 1]).slice(0, 2 + nonDistinct.length),
    );
    const partials = [0, 1, 2].map(
      (part) =>
        new HashAggregate(
          BatchSource.fromRows(fields, rows.slice(part * 170, part * 170 + 170), 50),
          keys,
          nonDistinct,
          partialAggregateSchema(keys, nonDistinct),
          'partial',
        ),
    );
    const partialBatches = [];
    for (const p of partials)
      for await (const b of p.execute(new AbortController().signal)) partialBatches.push(b);
    const final = new HashAggregate(
      new BatchSource(partials[0].schema, partialBatches),
      keys,
      nonDistinct,
      single.schema,
      'final',
    );
    expectRowsClose(sortedRows(await collectRows(final)), sortedRows(await collectRows(single)));
  });
});

describe('HashAggregate under a memory budget', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tributary-agg-spill-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const all = allTypeFields;
  /** Random rows of every type; wide decimals kept below 2^96 so that their sums fit 128 bits. */
  const input = randomBatches(all, 8000, 1000, 77).map((batch) => {
    const w = batchColumn(batch, 5, all[5].type);
    const words = new Int32Array((w.values as Uint32Array).buffer, w.values.byteOffset, w.length * 4);
    for (let i = 0; i < w.length; i++) words[4 * i + 3] = words[4 * i + 2] < 0 ? -1 : 0;
    return batch;
  });
  const ref = (i: number) => column(i, all[i].name, all[i].type);
  const call_ = (
    fn: AggregateFunctionName,
    i: number | null,
    type: SqlType,
    distinct = false,
  ): AggregateCall => ({
    fn,
    arg: i === null ? null : ref(i),
    distinct,
    type,
  });
  const calls: AggregateCall[] = [
    call_('count_star', null, BIGINT),
    call_('count', 8, BIGINT),
    call_('sum', 1, BIGINT),
    call_('sum', 2, decimal(38, 0)),
    call_('sum', 3, DOUBLE),
    call_('sum', 4, decimal(38, 2)),
    call_('sum', 5, decimal(38, 4)),
    call_('avg', 1, DOUBLE),
    call_('avg', 2, DOUBLE),
    call_('avg', 4, DOUBLE),
    call_('avg', 5, DOUBLE),
    call_('min', 0, BOOLEAN),
    call_('max', 2, BIGINT),
    call_('min', 3, DOUBLE),
    call_('max', 3, DOUBLE),
    call_('min', 5, all[5].type),
    call_('max', 6, DATE),
    call_('min', 7, TIMESTAMP),
    call_('max', 8, VARCHAR),
    call_('min', 8, VARCHAR, true),
  ];
  const keyLists = [
    [1, 8],
    [6, 0, 8],
    [5, 7],
    [4, 3],
  ];
  const schemaOf = (keys: number[], aggregates = calls): Field[] => [
    ...keys.map((k) => all[k]),
    ...aggregates.map((a, i) => ({ name: `a${i}`, type: a.type, nullable: true })),
  ];
  const unbounded = async (keys: number[], aggregates = calls) =>
    sortedRows(
      await collectRows(
        new HashAggregate(new BatchSource(all, input), keys.map(ref), aggregates, schemaOf(keys, aggregates)),
      ),
    );
  /** Partition files now in the aggregation's folder under the spill root. */
  const partitionFiles = async (): Promise<string[]> => {
    const [folder] = await readdir(root);
    return folder ? (await readdir(join(root, folder))).filter((f) => f.startsWith('partition-')) : [];
  };
  const fileNumber = (f: string) => Number(/-(\d+)\./.exec(f)![1]);
  /** Doubles compare to 1e-9 relative (sums associate differently), everything else exactly. */
  const expectSame = (actual: TestValue[][], expected: TestValue[][]) => {
    expect(actual.length).toBe(expected.length);
    actual.forEach((row, r) =>
      row.forEach((v, c) => {
        const e = expected[r][c];
        if (typeof v === 'number' && typeof e === 'number' && !Number.isSafeInteger(e) && Number.isFinite(e))
          expect(Math.abs(v - e)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(e)));
        else expect([r, c, v]).toEqual([r, c, e]);
      }),
    );
  };

  for (const keys of keyLists) {
    it(`spills groups by [${keys.map((k) => all[k].name)}] to hash partitions and gives the unspilled result`, async () => {
      const pool = new LimitedMemoryPool(256 * 1024);
      const op = new HashAggregate(
        new BatchSource(all, input),
        keys.map(ref),
        calls,
        schemaOf(keys),
        'single',
        {
          memory: pool,
          spillDir: root,
        },
      );
      const batches: RecordBatch[] = [];
      let partitionsAtFirstOutput = 0;
      for await (const batch of op.execute(new AbortController().signal)) {
        if (batches.length === 0) partitionsAtFirstOutput = (await partitionFiles()).length;
        batches.push(batch);
      }
      expect(partitionsAtFirstOutput).toBeGreaterThanOrEqual(8);
      expectSame(sortedRows(await collectRows(new BatchSource(op.schema, batches))), await unbounded(keys));
      expect(pool.used()).toBe(0);
      expect(await readdir(root)).toEqual([]);
    });
  }

  it('splits a partition that is still too big again with another hash seed', async () => {
    const keys = [1, 8, 6];
    const pool = new LimitedMemoryPool(160 * 1024);
    const op = new HashAggregate(
      new BatchSource(all, input),
      keys.map(ref),
      calls,
      schemaOf(keys),
      'single',
      {
        memory: pool,
        spillDir: root,
      },
    );
    const batches: RecordBatch[] = [];
    let highestFile = 0;
    for await (const batch of op.execute(new AbortController().signal)) {
      highestFile = Math.max(highestFile, ...(await partitionFiles()).map(fileNumber));
      batches.push(batch);
    }
    // Files beyond the first 16 belong to partitions of partitions.
    expect(highestFile).toBeGreaterThanOrEqual(16);
    expectSame(sortedRows(await collectRows(new BatchSource(op.schema, batches))), await unbounded(keys));
    expect(await readdir(root)).toEqual([]);
  });

  it('flushes partial aggregation early and merges the flushes in final mode, spilling there too', async () => {
    const keys = [1, 8];
    const mergeable = calls.filter((c) => !c.distinct);
    const stateSchema = partialAggregateSchema(keys.map(ref), mergeable);
    const partialPool = new LimitedMemoryPool(128 * 1024);
    const partial = new HashAggregate(
      new BatchSource(all, input),
      keys.map(ref),
      mergeable,
      stateSchema,
      'partial',
      {
        memory: partialPool,
      },
    );
    const states = await drainBatches(partial);
    const stateRows = states.reduce((n, b) => n + b.numRows, 0);
    const expected = await unbounded(keys, mergeable);
    // More state rows than groups: the budget made it emit the same groups more than once.
    expect(stateRows).toBeGreaterThan(expected.length * 1.5);
    expect(partialPool.used()).toBe(0);
    const finalPool = new LimitedMemoryPool(96 * 1024);
    const final = new HashAggregate(
      new BatchSource(stateSchema, states),
      keys.map((k, i) => column(i, `key${i}`, all[k].type)),
      mergeable,
      schemaOf(keys, mergeable),
      'final',
      { memory: finalPool, spillDir: root },
    );
    const batches: RecordBatch[] = [];
    let spilled = 0;
    for await (const batch of final.execute(new AbortController().signal)) {
      if (batches.length === 0) spilled = (await partitionFiles()).length;
      batches.push(batch);
    }
    expect(spilled).toBeGreaterThan(0);
    expectSame(sortedRows(await collectRows(new BatchSource(final.schema, batches))), expected);
    expect(finalPool.used()).toBe(0);
    expect(await readdir(root)).toEqual([]);
  });

  it('fails with QUERY_MEMORY_EXCEEDED naming the limit without a spill folder or with DISTINCT', async () => {
    const keys = [1, 8];
    const pool = new LimitedMemoryPool(128 * 1024, 'test budget');
    const noFolder = new HashAggregate(
      new BatchSource(all, input),
      keys.map(ref),
      calls,
      schemaOf(keys),
      'single',
      {
        memory: pool,
      },
    );
    await expect(collectRows(noFolder)).rejects.toMatchObject({
      code: 'QUERY_MEMORY_EXCEEDED',
      message: expect.stringContaining('the test budget of 128 KB'),
    });
    const distinct = [call_('count', 3, BIGINT, true)];
    const withDistinct = new HashAggregate(
      new BatchSource(all, input),
      keys.map(ref),
      distinct,
      schemaOf(keys, distinct),
      'single',
      { memory: pool, spillDir: root },
    );
    await expect(collectRows(withDistinct)).rejects.toMatchObject({ code: 'QUERY_MEMORY_EXCEEDED' });
    // A global count(DISTINCT) grows its set of seen values, and is accounted too.
    const global = new HashAggregate(
      new BatchSource(all, input),
      [],
      distinct,
      schemaOf([], distinct),
      'single',
      {
        memory: new LimitedMemoryPool(64 * 1024),
      },
    );
    await expect(collectRows(global)).rejects.toMatchObject({ code: 'QUERY_MEMORY_EXCEEDED' });
    expect(pool.used()).toBe(0);
    expect(await readdir(root)).toEqual([]);
  });

  it('leaves nothing behind when stopped early, aborted or failed while spilling', async () => {
    const keys = [1, 8];
    const make = (source: PhysicalOperator) =>
      new HashAggregate(source, keys.map(ref), calls, schemaOf(keys), 'single', {
        memory: new LimitedMemoryPool(128 * 1024),
        spillDir: root,
      });
    for await (const batch of make(new BatchSource(all, input)).execute(new AbortController().signal)) {
      expect((await partitionFiles()).length).toBeGreaterThan(0);
      void batch;
      break;
    }
    expect(await readdir(root)).toEqual([]);

    const controller = new AbortController();
    const aborting = async () => {
      for await (const batch of make(new BatchSource(all, input)).execute(controller.signal)) {
        void batch;
        controller.abort(new Error('cancelled while merging partitions'));
      }
    };
    await expect(aborting()).rejects.toThrow('cancelled while merging partitions');
    expect(await readdir(root)).toEqual([]);

    const broken: PhysicalOperator = {
      name: 'Broken',
      schema: all,
      children: [],
      describe: () => '',
      async *execute() {
        yield* input.slice(0, 8);
        throw new Error('source broke');
      },
    };
    await expect(collectRows(make(broken))).rejects.toThrow('source broke');
    expect(await readdir(root)).toEqual([]);
  });

  it('averages BIGINTs beyond 2^63 in total through partial and final aggregation', async () => {
    const big: TestValue[][] = [[2 ** 62], [2 ** 62], [2 ** 62 + 2 ** 20], [3]];
    const b = column(0, 'b', BIGINT);
    const avg: AggregateCall[] = [{ fn: 'avg', arg: b, distinct: false, type: DOUBLE }];
    const partial = new HashAggregate(
      BatchSource.fromRows([fields[3]], big, 2),
      [],
      avg,
      partialAggregateSchema([], avg),
      'partial',
    );
    const final = new HashAggregate(
      new BatchSource(partial.schema, await drainBatches(partial)),
      [],
      avg,
      [{ name: 'a', type: DOUBLE, nullable: true }],
      'final',
    );
    expect(await collectRows(final)).toEqual([[(3 * 2 ** 62 + 2 ** 20 + 3) / 4]]);
  });
});
