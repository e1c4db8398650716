import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  DATE,
  DOUBLE,
  HUGEINT,
  INTEGER,
  VARCHAR,
  decimal,
  makeRecordBatch,
  type SqlType,
} from '@tributary/common';
import {
  column,
  DEFAULT_FRAME,
  literal,
  type Expr,
  type Field,
  type FrameBound,
  type SortKey,
  type WindowCall,
  type WindowFrame,
  type WindowFunctionName,
} from '@tributary/plan';
import { LimitedMemoryPool } from '../memory/memory-pool.ts';
import { windowSortKeys } from '../planner/plan-physical.ts';
import {
  BatchSource,
  collectRows,
  duckRows,
  seededRandom,
  sortedRows,
  sqlValues,
  type TestValue,
} from './operator-test-support.ts';
import { SortExec } from './sort.ts';
import { WindowExec } from './window-exec.ts';

const FIELDS: Field[] = [
  { name: 'id', type: INTEGER, nullable: false },
  { name: 'p', type: INTEGER, nullable: true },
  { name: 'o', type: INTEGER, nullable: true },
  { name: 'v', type: decimal(15, 2), nullable: true },
  { name: 's', type: VARCHAR, nullable: true },
  { name: 'd', type: DATE, nullable: true },
];
const [ID, P, O, V, S, D] = FIELDS.map((f, i) => column(i, f.name, f.type));

/** 150 rows: 4 partitions and a NULL one, order keys with ties and NULLs, values with NULLs. */
function testRows(): TestValue[][] {
  const next = seededRandom(42);
  const rows: TestValue[][] = [];
  for (let id = 0; id < 150; id++) {
    const maybe = <T extends TestValue>(v: T, every: number): T | null => (next() % every === 0 ? null : v);
    rows.push([
      id,
      maybe(next() % 4, 9),
      maybe(next() % 12, 8),
      maybe((next() % 200000) - 50000, 6),
      maybe(`s${next() % 30}`, 7),
      maybe(9000 + (next() % 400), 10),
    ]);
  }
  return rows;
}

const ROWS = testRows();

const bound = (kind: FrameBound['kind'], value?: number): FrameBound =>
  kind === 'preceding' || kind === 'following'
    ? { kind, offset: { kind: 'value', value: value ?? 0 } }
    : ({ kind } as FrameBound);
const rows = (start: FrameBound, end: FrameBound): WindowFrame => ({ units: 'rows', start, end });
const range = (start: FrameBound, end: FrameBound): WindowFrame => ({ units: 'range', start, end });
const WHOLE = rows(bound('unbounded-preceding'), bound('unbounded-following'));

function call(
  fn: WindowFunctionName,
  args: Expr[],
  type: SqlType,
  frame: WindowFrame = DEFAULT_FRAME,
): WindowCall {
  return { fn, args, frame, type };
}

interface Case {
  name: string;
  /** The OVER clause and the call as DuckDB reads them. */
  sql: string;
  partitionBy: Expr[];
  orderBy: SortKey[];
  call: WindowCall;
}

const asc = (expr: Expr, nullsFirst = false): SortKey => ({ expr, ascending: true, nullsFirst });
const desc = (expr: Expr, nullsFirst = false): SortKey => ({ expr, ascending: false, nullsFirst });

async function runWindow(
  c: Pick<Case, 'partitionBy' | 'orderBy' | 'call'>,
  data: readonly (readonly TestValue[])[],
  batchRows = 7,
  memory?: LimitedMemoryPool,
): Promise<TestValue[][]> {
  const source = BatchSource.fromRows(FIELDS, data, batchRows);
  const keys = windowSortKeys(c.partitionBy, c.orderBy);
  const resources = memory ? { memory } : undefined;
  const sorted = keys.length > 0 ? new SortExec(source, keys, resources) : source;
  const schema = [...FIELDS, { name: 'w', type: c.call.type, nullable: true }];
  const op = new WindowExec(sorted, c.partitionBy, c.orderBy, [c.call], schema, resources);
  return (await collectRows(op)).map((r) => [r[0], r[r.length - 1]]);
}

async function expectLikeDuckDb(c: Case, data: readonly (readonly TestValue[])[] = ROWS): Promise<void> {
  const ours = await runWindow(c, data);
  const theirs = await duckRows(`SELECT id, ${c.sql} FROM ${sqlValues(FIELDS, data)}`);
  expect(sortedRows(ours)).toEqual(sortedRows(theirs));
}

const CASES: Case[] = [
  {
    name: 'row_number, NULL partition keys in one partition',
    sql: 'row_number() OVER (PARTITION BY p ORDER BY o, id)',
    partitionBy: [P],
    orderBy: [asc(O), asc(ID)],
    call: call('row_number', [], BIGINT),
  },
  {
    name: 'rank over ties and NULLs first',
    sql: 'rank() OVER (PARTITION BY p ORDER BY o DESC NULLS FIRST)',
    partitionBy: [P],
    orderBy: [desc(O, true)],
    call: call('rank', [], BIGINT),
  },
  {
    name: 'dense_rank',
    sql: 'dense_rank() OVER (PARTITION BY p ORDER BY o)',
    partitionBy: [P],
    orderBy: [asc(O)],
    call: call('dense_rank', [], BIGINT),
  },
  {
    name: 'percent_rank',
    sql: 'percent_rank() OVER (PARTITION BY p ORDER BY s)',
    partitionBy: [P],
    orderBy: [asc(S)],
    call: call('percent_rank', [], DOUBLE),
  },
  {
    name: 'cume_dist without partitions',
    sql: 'cume_dist() OVER (ORDER BY o NULLS FIRST)',
    partitionBy: [],
    orderBy: [asc(O, true)],
    call: call('cume_dist', [], DOUBLE),
  },
  {
    name: 'ntile with more buckets than some partitions have rows',
    sql: 'ntile(40) OVER (PARTITION BY p ORDER BY id)',
    partitionBy: [P],
    orderBy: [asc(ID)],
    call: call('ntile', [literal(40, BIGINT)], BIGINT),
  },
  {
    name: 'lag with a default',
    sql: 'lag(v, 2, 7.5) OVER (PARTITION BY p ORDER BY id)',
    partitionBy: [P],
    orderBy: [asc(ID)],
    call: call('lag', [V, literal(2, BIGINT), literal(750, decimal(15, 2))], decimal(15, 2)),
  },
  {
    name: 'lead of strings past the partition end',
    sql: 'lead(s, 3) OVER (PARTITION BY p ORDER BY id)',
    partitionBy: [P],
    orderBy: [asc(ID)],
    call: call('lead', [S, literal(3, BIGINT)], VARCHAR),
  },
  {
    name: 'first_value of a frame past the partition end',
    sql: 'first_value(d) OVER (PARTITION BY p ORDER BY id ROWS BETWEEN 5 FOLLOWING AND 7 FOLLOWING)',
    partitionBy: [P],
    orderBy: [asc(ID)],
    call: call('first_value', [D], DATE, rows(bound('following', 5), bound('following', 7))),
  },
  {
    name: 'last_value with the default frame',
    sql: 'last_value(s) OVER (PARTITION BY p ORDER BY o, id)',
    partitionBy: [P],
    orderBy: [asc(O), asc(ID)],
    call: call('last_value', [S], VARCHAR),
  },
  {
    name: 'running sum with peers (RANGE default)',
    sql: 'sum(v) OVER (PARTITION BY p ORDER BY o)',
    partitionBy: [P],
    orderBy: [asc(O)],
    call: call('sum', [V], decimal(38, 2)),
  },
  {
    name: 'running sum of integers is HUGEINT',
    sql: 'sum(o) OVER (PARTITION BY p ORDER BY id)',
    partitionBy: [P],
    orderBy: [asc(ID)],
    call: call('sum', [O], HUGEINT),
  },
  {
    name: 'sum of integers over a sliding ROWS frame',
    sql: 'sum(o) OVER (PARTITION BY p ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)',
    partitionBy: [P],
    orderBy: [asc(ID)],
    call: call('sum', [O], HUGEINT, rows(bound('preceding', 2), bound('following', 1))),
  },
  {
    name: 'sum of integers over RANGE offsets and the whole partition',
    sql: 'sum(id) OVER (PARTITION BY p ORDER BY o RANGE BETWEEN 1 PRECEDING AND 2 FOLLOWING)',
    partitionBy: [P],
    orderBy: [asc(O)],
    call: call('sum', [ID], HUGEINT, range(bound('preceding', 1), bound('following', 2))),
  },
  {
    name: 'sum of integers over the whole partition',
    sql: 'sum(o) OVER (PARTITION BY p)',
    partitionBy: [P],
    orderBy: [],
    call: call('sum', [O], HUGEINT, WHOLE),
  },
  {
    name: 'sum over the whole partition',
    sql: 'sum(v) OVER (PARTITION BY p)',
    partitionBy: [P],
    orderBy: [],
    call: call('sum', [V], decimal(38, 2), WHOLE),
  },
  {
    name: 'count(x) over a sliding ROWS frame',
    sql: 'count(v) OVER (PARTITION BY p ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING)',
    partitionBy: [P],
    orderBy: [asc(ID)],
    call: call('count', [V], BIGINT, rows(bound('preceding', 3), bound('following', 1))),
  },
  {
    name: 'count(*) over a frame wholly before the row',
    sql: 'count(*) OVER (PARTITION BY p ORDER BY id ROWS BETWEEN 4 PRECEDING AND 2 PRECEDING)',
    partitionBy: [P],
    orderBy: [asc(ID)],
    call: call('count_star', [], BIGINT, rows(bound('preceding', 4), bound('preceding', 2))),
  },
  {
    name: 'avg over RANGE offsets with NULL order keys last',
    sql: 'avg(v) OVER (PARTITION BY p ORDER BY o RANGE BETWEEN 2 PRECEDING AND 1 FOLLOWING)',
    partitionBy: [P],
    orderBy: [asc(O)],
    call: call('avg', [V], DOUBLE, range(bound('preceding', 2), bound('following', 1))),
  },
  {
    name: 'sum over RANGE offsets, descending, NULLs first',
    sql: 'sum(v) OVER (ORDER BY o DESC NULLS FIRST RANGE BETWEEN 1 PRECEDING AND 3 FOLLOWING)',
    partitionBy: [],
    orderBy: [desc(O, true)],
    call: call('sum', [V], decimal(38, 2), range(bound('preceding', 1), bound('following', 3))),
  },
  {
    name: 'count over RANGE CURRENT ROW to UNBOUNDED FOLLOWING',
    sql: 'count(*) OVER (PARTITION BY p ORDER BY o RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)',
    partitionBy: [P],
    orderBy: [asc(O)],
    call: call('count_star', [], BIGINT, range(bound('current-row'), bound('unbounded-following'))),
  },
  {
    name: 'min over a sliding ROWS frame',
    sql: 'min(v) OVER (PARTITION BY p ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING)',
    partitionBy: [P],
    orderBy: [asc(ID)],
    call: call('min', [V], decimal(15, 2), rows(bound('preceding', 2), bound('following', 2))),
  },
  {
    name: 'max of strings over RANGE offsets',
    sql: 'max(s) OVER (PARTITION BY p ORDER BY o RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING)',
    partitionBy: [P],
    orderBy: [asc(O)],
    call: call('max', [S], VARCHAR, range(bound('preceding', 1), bound('following', 1))),
  },
  {
    name: 'count over an interval RANGE on dates',
    sql: "count(*) OVER (ORDER BY d RANGE BETWEEN INTERVAL '1 month' PRECEDING AND INTERVAL 3 DAY FOLLOWING)",
    partitionBy: [],
    orderBy: [asc(D)],
    call: call(
      'count_star',
      [],
      BIGINT,
      range(
        { kind: 'preceding', offset: { kind: 'interval', months: 1, days: 0, micros: 0 } },
        { kind: 'following', offset: { kind: 'interval', months: 0, days: 3, micros: 0 } },
      ),
    ),
  },
];

describe('WindowExec (sorted input, partitions across batches) like DuckDB', () => {
  for (const c of CASES) it(c.name, () => expectLikeDuckDb(c));

  it('yields nothing for empty input', async () => {
    expect(await runWindow(CASES[0], [])).toEqual([]);
  });

  it('handles one-row partitions and a single partition alike', async () => {
    const single = ROWS.map((r) => [r[0], 1, ...r.slice(2)]);
    const distinct = ROWS.map((r) => [r[0], r[0], ...r.slice(2)]);
    for (const data of [single, distinct])
      for (const c of [CASES[3], CASES[5], CASES[12], CASES[17]]) await expectLikeDuckDb(c, data);
  });

  it('sums BIGINT into an exact HUGEINT beyond 64 bits in every frame kind, as DuckDB does', async () => {
    const fields: Field[] = [
      { name: 'id', type: INTEGER, nullable: false },
      { name: 'x', type: BIGINT, nullable: true },
    ];
    const big = (i: number): bigint => (i % 3 === 2 ? -(2n ** 61n) : 2n ** 62n) + BigInt(i);
    const data = Array.from({ length: 20 }, (_, i) => [i, i % 5 === 4 ? null : `${big(i)}`]);
    // testColumn reads BIGINT through a double: these values are built exactly instead.
    const batchOf = (part: (string | number | null)[][]) => {
      const validity = new Uint8Array((part.length + 7) >> 3);
      part.forEach(([, x], i) => {
        if (x !== null) validity[i >> 3] |= 1 << (i & 7);
      });
      return makeRecordBatch(
        fields,
        [
          { type: INTEGER, length: part.length, values: Int32Array.from(part, ([i]) => Number(i)) },
          {
            type: BIGINT,
            length: part.length,
            values: BigInt64Array.from(part, ([, x]) => BigInt(x ?? 0)),
            validity,
          },
        ],
        part.length,
      );
    };
    const frames: [string, WindowFrame][] = [
      ['ROWS BETWEEN 3 PRECEDING AND CURRENT ROW', rows(bound('preceding', 3), bound('current-row'))],
      [
        'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
        rows(bound('unbounded-preceding'), bound('current-row')),
      ],
      ['RANGE BETWEEN 2 PRECEDING AND 4 FOLLOWING', range(bound('preceding', 2), bound('following', 4))],
      ['ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING', WHOLE],
    ];
    const values = data.map(([i, x]) => `(${i}, ${x === null ? 'NULL' : x}::BIGINT)`).join(', ');
    for (const [sql, frame] of frames) {
      const sum = call('sum', [column(1, 'x', BIGINT)], HUGEINT, frame);
      const source = new BatchSource(fields, [batchOf(data.slice(0, 7)), batchOf(data.slice(7))]);
      const op = new WindowExec(
        source,
        [],
        [asc(column(0, 'id', INTEGER))],
        [sum],
        [...fields, { name: 'w', type: HUGEINT, nullable: true }],
      );
      const ours = (await collectRows(op)).map((r) => [r[0], r[2]]);
      const theirs = await duckRows(
        `SELECT id, sum(x) OVER (ORDER BY id ${sql}) FROM (VALUES ${values}) t(id, x)`,
      );
      expect(ours).toEqual(theirs);
    }
    // A running sum of three 2^62-odd values and two negative ones passes 2^63.
    const running = data.slice(0, 5).reduce((a, [, x]) => a + BigInt(x ?? 0), 0n);
    expect(running > 2n ** 63n).toBe(true);
  });

  it('sums and orders HUGEINT values beyond 64 bits exactly, as DuckDB does', async () => {
    const fields: Field[] = [
      { name: 'id', type: INTEGER, nullable: false },
      { name: 'h', type: HUGEINT, nullable: true },
    ];
    const value = (i: number): bigint | null =>
      i % 6 === 5 ? null : (i % 3 === 0 ? -(2n ** 70n) : 2n ** 66n) * BigInt(i + 1) + BigInt(i);
    const data = Array.from({ length: 24 }, (_, i) => [i, value(i)] as const);
    const batchOf = (part: (readonly [number, bigint | null])[]) => {
      const validity = new Uint8Array((part.length + 7) >> 3);
      const words = new Uint32Array(4 * part.length);
      part.forEach(([, h], i) => {
        if (h === null) return;
        validity[i >> 3] |= 1 << (i & 7);
        let u = BigInt.asUintN(128, h);
        for (let k = 0; k < 4; k++, u >>= 32n) words[4 * i + k] = Number(u & 0xffffffffn);
      });
      return makeRecordBatch(
        fields,
        [
          { type: INTEGER, length: part.length, values: Int32Array.from(part, ([i]) => i) },
          { type: HUGEINT, length: part.length, values: words, validity },
        ],
        part.length,
      );
    };
    const h = column(1, 'h', HUGEINT);
    const calls: [string, WindowCall][] = [
      ['sum(h) OVER (ORDER BY id)', call('sum', [h], HUGEINT, DEFAULT_FRAME)],
      [
        'sum(h) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING)',
        call('sum', [h], HUGEINT, rows(bound('preceding', 2), bound('following', 1))),
      ],
      ['sum(h) OVER ()', call('sum', [h], HUGEINT, WHOLE)],
      [
        'max(h) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)',
        call('max', [h], HUGEINT, rows(bound('preceding', 3), bound('current-row'))),
      ],
      [
        'min(h) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)',
        call('min', [h], HUGEINT, rows(bound('preceding', 3), bound('current-row'))),
      ],
    ];
    const values = data.map(([i, x]) => `(${i}, ${x === null ? 'NULL' : x}::HUGEINT)`).join(', ');
    for (const [sql, c] of calls) {
      const source = new BatchSource(fields, [batchOf(data.slice(0, 10)), batchOf(data.slice(10))]);
      const orderBy = sql.includes('ORDER BY') ? [asc(column(0, 'id', INTEGER))] : [];
      const op = new WindowExec(
        source,
        [],
        orderBy,
        [c],
        [...fields, { name: 'w', type: HUGEINT, nullable: true }],
      );
      const ours = (await collectRows(op)).map((r) => [r[0], r[2]]);
      const theirs = await duckRows(`SELECT id, ${sql} FROM (VALUES ${values}) t(id, h) ORDER BY id`);
      expect(ours, sql).toEqual(theirs);
    }
  });

  it('carries HUGEINT input columns (an earlier window sum) whole when a batch is cut at a partition', async () => {
    const fields: Field[] = [
      { name: 'p', type: INTEGER, nullable: false },
      { name: 'h', type: HUGEINT, nullable: true },
    ];
    const data = Array.from({ length: 40 }, (_, i) => [Math.floor(i / 6), i % 7 === 3 ? null : i * 1000 + 7]);
    const source = BatchSource.fromRows(fields, data, 16);
    const op = new WindowExec(
      source,
      [column(0, 'p', INTEGER)],
      [],
      [call('count_star', [], BIGINT, WHOLE)],
      [...fields, { name: 'n', type: BIGINT, nullable: true }],
    );
    const ours = await collectRows(op);
    expect(ours.map((r) => r[1])).toEqual(data.map(([, h]) => (h === null ? null : String(h))));
  });

  it('fails with QUERY_MEMORY_EXCEEDED when one partition outgrows the budget', async () => {
    const many = Array.from({ length: 4000 }, (_, i) => [i, 1, i % 10, i, `row ${i}`, 9000]);
    const memory = new LimitedMemoryPool(64 * 1024);
    await expect(
      runWindow(
        { partitionBy: [], orderBy: [], call: call('count_star', [], BIGINT, WHOLE) },
        many,
        500,
        memory,
      ),
    ).rejects.toMatchObject({ code: 'QUERY_MEMORY_EXCEEDED' });
  });

  it('runs over a sort that spills, holding one partition at a time', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tributary-window-spill-'));
    try {
      const many = Array.from({ length: 12000 }, (_, i) => [
        i,
        i % 300,
        i % 17,
        i * 3,
        `row ${i % 1000}`,
        9000 + (i % 50),
      ]);
      const c: Pick<Case, 'partitionBy' | 'orderBy' | 'call'> = {
        partitionBy: [P],
        orderBy: [asc(O), asc(ID)],
        call: call('sum', [V], decimal(38, 2), rows(bound('preceding', 2), bound('current-row'))),
      };
      const expected = sortedRows(await runWindow(c, many, 1000));
      const memory = new LimitedMemoryPool(128 * 1024);
      const source = BatchSource.fromRows(FIELDS, many, 1000);
      const resources = { memory, spillDir: root };
      const sorted = new SortExec(source, windowSortKeys(c.partitionBy, c.orderBy), resources);
      const schema = [...FIELDS, { name: 'w', type: c.call.type, nullable: true }];
      const op = new WindowExec(sorted, c.partitionBy, c.orderBy, [c.call], schema, resources);
      const ours = (await collectRows(op)).map((r) => [r[0], r[r.length - 1]]);
      expect(sortedRows(ours)).toEqual(expected);
      expect(memory.used()).toBe(0);
      // The same budget without a spill folder is too small for the sort.
      await expect(runWindow(c, many, 1000, new LimitedMemoryPool(128 * 1024))).rejects.toMatchObject({
        code: 'QUERY_MEMORY_EXCEEDED',
      });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
