import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  INTEGER,
  VARCHAR,
  decimal,
  makeRecordBatch,
  type ColumnBuffers,
} from '@tributary/common';
import { call, column, type AggregateCall, type Field } from '@tributary/plan';
import { HashAggregate } from './hash-aggregate.ts';
import { HashJoin } from './hash-join.ts';
import { concatColumns } from '../kernels/concat.ts';
import { LimitedMemoryPool } from '../memory/memory-pool.ts';
import { SortExec } from './sort.ts';
import { BatchSource, collectRows, duckRows, testColumn } from './operator-test-support.ts';
import { batchColumn } from './record-batch-column.ts';

/**
 * 1M lineitem-like rows generated from formulas that DuckDB evaluates too (over range()),
 * so results can be compared without shipping the data across; timings are logged.
 */
const ROWS = 1_000_000;
const BATCH = 65_536;
const DEC = decimal(15, 2);
const lineitemFields: Field[] = [
  { name: 'l_orderkey', type: BIGINT, nullable: true },
  { name: 'l_partkey', type: INTEGER, nullable: true },
  { name: 'l_returnflag', type: VARCHAR, nullable: true },
  { name: 'l_linestatus', type: VARCHAR, nullable: true },
  { name: 'l_quantity', type: DEC, nullable: true },
  { name: 'l_extendedprice', type: DEC, nullable: true },
  { name: 'l_discount', type: DEC, nullable: true },
  { name: 'l_shipdate', type: DATE, nullable: true },
];
const LINEITEM_SQL = `(SELECT i // 4 AS l_orderkey, ((i * 7919) % 20000)::INTEGER AS l_partkey,
  ['A', 'N', 'R'][i % 3 + 1] AS l_returnflag, ['F', 'O'][(i // 3) % 2 + 1] AS l_linestatus,
  ((((i * 31) % 50 + 1) * 100)::DECIMAL(15,2) * 0.01)::DECIMAL(15,2) AS l_quantity,
  (((i * 7877) % 10000000 + 90000)::DECIMAL(15,2) * 0.01)::DECIMAL(15,2) AS l_extendedprice,
  ((i % 11)::DECIMAL(15,2) * 0.01)::DECIMAL(15,2) AS l_discount,
  (DATE '1970-01-01' + (8000 + (i * 13) % 2500)::INTEGER) AS l_shipdate
  FROM range(${ROWS}) t(i))`;

function decimalColumn(n: number, unscaled: (i: number) => number): ColumnBuffers {
  const words = new Uint32Array(4 * n);
  const signed = new Int32Array(words.buffer);
  for (let i = 0; i < n; i++) {
    const v = unscaled(i);
    const hi = Math.floor(v / 4294967296);
    words[4 * i] = v - hi * 4294967296;
    signed[4 * i + 1] = hi;
    signed[4 * i + 2] = signed[4 * i + 3] = hi < 0 ? -1 : 0;
  }
  return { type: DEC, length: n, values: words, validity: undefined };
}

function lineitemBatches(): RecordBatch[] {
  const batches: RecordBatch[] = [];
  for (let start = 0; start < ROWS; start += BATCH) {
    const n = Math.min(BATCH, ROWS - start);
    const orderkey = new BigInt64Array(n);
    const halves = new Int32Array(orderkey.buffer);
    const partkey = new Int32Array(n);
    const shipdate = new Int32Array(n);
    const flags: string[] = [];
    const statuses: string[] = [];
    for (let k = 0; k < n; k++) {
      const i = start + k;
      halves[2 * k] = Math.floor(i / 4);
      partkey[k] = (i * 7919) % 20000;
      shipdate[k] = 8000 + ((i * 13) % 2500);
      flags.push(['A', 'N', 'R'][i % 3]);
      statuses.push(['F', 'O'][Math.floor(i / 3) % 2]);
    }
    const columns: ColumnBuffers[] = [
      { type: BIGINT, length: n, values: orderkey },
      { type: INTEGER, length: n, values: partkey },
      testColumn(VARCHAR, flags),
      testColumn(VARCHAR, statuses),
      decimalColumn(n, (k) => ((((start + k) * 31) % 50) + 1) * 100),
      decimalColumn(n, (k) => (((start + k) * 7877) % 10000000) + 90000),
      decimalColumn(n, (k) => (start + k) % 11),
      { type: DATE, length: n, values: shipdate },
    ];
    batches.push(makeRecordBatch(lineitemFields, columns, n));
  }
  return batches;
}

const li = (i: number) => column(i, lineitemFields[i].name, lineitemFields[i].type);
const agg = (
  fn: AggregateCall['fn'],
  arg: number | null,
  type: AggregateCall['type'],
  distinct = false,
): AggregateCall => ({
  fn,
  arg: arg === null ? null : li(arg),
  distinct,
  type,
});

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await run();
  console.log(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
  return result;
}

async function drain(op: {
  execute(signal: AbortSignal): AsyncIterable<RecordBatch>;
}): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of op.execute(new AbortController().signal)) out.push(b);
  return out;
}

/** Whether two outputs hold the same rows in the same order, compared as column bytes. */
function sameColumns(a: RecordBatch[], b: RecordBatch[], fields: readonly Field[]): boolean {
  return fields.every((f, c) => {
    const x = concatColumns(a.map((batch) => batchColumn(batch, c, f.type)));
    const y = concatColumns(b.map((batch) => batchColumn(batch, c, f.type)));
    const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    return (
      x.length === y.length &&
      bytes(x.values).equals(bytes(y.values)) &&
      (x.offsets === undefined || bytes(x.offsets).equals(bytes(y.offsets!))) &&
      (x.validity === undefined) === (y.validity === undefined)
    );
  });
}

const MB = 1024 * 1024;

describe('operators over 1M generated lineitem rows', () => {
  const batches = lineitemBatches();
  const source = new BatchSource(lineitemFields, batches);

  it('aggregates like TPC-H Q1 as DuckDB does', async () => {
    const aggregates = [
      agg('count_star', null, BIGINT),
      agg('sum', 4, decimal(38, 2)),
      agg('sum', 5, decimal(38, 2)),
      agg('avg', 5, DOUBLE),
      agg('avg', 6, DOUBLE),
      agg('min', 7, DATE),
      agg('max', 7, DATE),
      agg('count', 1, BIGINT, true),
    ];
    const schema: Field[] = [
      lineitemFields[2],
      lineitemFields[3],
      ...aggregates.map((a, i) => ({ name: `a${i}`, type: a.type, nullable: true })),
    ];
    const op = new HashAggregate(source, [li(2), li(3)], aggregates, schema);
    const rows = await timed('group by 2 string keys, 8 aggregates incl. count distinct', () =>
      collectRows(op),
    );
    const expected = await duckRows(
      `SELECT l_returnflag, l_linestatus, count(*), sum(l_quantity), sum(l_extendedprice), avg(l_extendedprice), avg(l_discount),
       min(l_shipdate), max(l_shipdate), count(DISTINCT l_partkey) FROM ${LINEITEM_SQL} GROUP BY ALL ORDER BY ALL`,
    );
    rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])));
    expect(rows.length).toBe(6);
    rows.forEach((row, r) =>
      row.forEach((v, c) =>
        typeof v === 'number'
          ? expect(v).toBeCloseTo(expected[r][c] as number, 9)
          : expect(v).toEqual(expected[r][c]),
      ),
    );
  });

  it('groups 250K BIGINT keys without going quadratic', async () => {
    const aggregates = [
      agg('count_star', null, BIGINT),
      agg('sum', 5, decimal(38, 2)),
      agg('max', 1, INTEGER),
    ];
    const schema: Field[] = [
      lineitemFields[0],
      ...aggregates.map((a, i) => ({ name: `a${i}`, type: a.type, nullable: true })),
    ];
    const out = await timed('group by l_orderkey (250K groups)', () =>
      drain(new HashAggregate(source, [li(0)], aggregates, schema)),
    );
    let groups = 0;
    let maxPart = 0;
    let partSum = 0;
    for (const b of out) {
      groups += b.numRows;
      const parts = batchColumn(b, 3, INTEGER).values as Int32Array;
      for (let i = 0; i < b.numRows; i++) {
        maxPart = Math.max(maxPart, parts[i]);
        partSum += parts[i];
      }
    }
    const [[count, sumOfMax, max]] = await duckRows(
      `SELECT count(*), sum(m), max(m) FROM (SELECT max(l_partkey) m FROM ${LINEITEM_SQL} GROUP BY l_orderkey)`,
    );
    expect([String(groups), String(partSum), maxPart]).toEqual([count, sumOfMax, max]);
  });

  it('joins 1M probe rows against a 250K-row build side', async () => {
    const orderFields: Field[] = [
      { name: 'o_orderkey', type: BIGINT, nullable: true },
      { name: 'o_custkey', type: INTEGER, nullable: true },
    ];
    const orderBatches: RecordBatch[] = [];
    const ORDERS = 250_000;
    for (let start = 0; start < ORDERS; start += BATCH) {
      const n = Math.min(BATCH, ORDERS - start);
      const keys = new BigInt64Array(n);
      const halves = new Int32Array(keys.buffer);
      const cust = new Int32Array(n);
      // Every other order exists, so half the lineitems find no match.
      for (let k = 0; k < n; k++) {
        halves[2 * k] = 2 * (start + k);
        cust[k] = (start + k) % 1500;
      }
      orderBatches.push(
        makeRecordBatch(
          orderFields,
          [
            { type: BIGINT, length: n, values: keys },
            { type: INTEGER, length: n, values: cust },
          ],
          n,
        ),
      );
    }
    const orders = new BatchSource(orderFields, orderBatches);
    const condition = call('eq', [li(0), column(8, 'o_orderkey', BIGINT)], BOOLEAN);
    const join = new HashJoin(source, orders, 'inner', condition, [...lineitemFields, ...orderFields]);
    const aggregates = [
      agg('count_star', null, BIGINT),
      { fn: 'sum', arg: column(9, 'o_custkey', INTEGER), distinct: false, type: BIGINT } as AggregateCall,
    ];
    const op = new HashAggregate(join, [], aggregates, [
      { name: 'c', type: BIGINT, nullable: true },
      { name: 's', type: BIGINT, nullable: true },
    ]);
    const rows = await timed('inner join 1M x 250K + count/sum', () => collectRows(op));
    const expected = await duckRows(
      `SELECT count(*), sum(o_custkey) FROM ${LINEITEM_SQL} l JOIN (SELECT 2 * j AS o_orderkey, j % 1500 AS o_custkey FROM range(${ORDERS}) t(j)) o ON l_orderkey = o_orderkey`,
    );
    expect(rows).toEqual(expected);
  });

  it('sorts 1M rows by a date and a BIGINT key', async () => {
    const keys = [
      { expr: li(7), ascending: true, nullsFirst: false },
      { expr: li(0), ascending: false, nullsFirst: false },
    ];
    const out = await timed('sort 1M rows by 2 keys', () => drain(new SortExec(source, keys)));
    let previousDate = -Infinity;
    let previousKey = Infinity;
    let rows = 0;
    let ordered = true;
    for (const b of out) {
      const dates = batchColumn(b, 7, DATE).values as Int32Array;
      const orderkeys = batchColumn(b, 0, BIGINT).values as BigInt64Array;
      for (let i = 0; i < b.numRows; i++) {
        const key = Number(orderkeys[i]);
        if (!(dates[i] > previousDate || (dates[i] === previousDate && key <= previousKey))) ordered = false;
        previousDate = dates[i];
        previousKey = key;
      }
      rows += b.numRows;
    }
    expect(ordered).toBe(true);
    expect(rows).toBe(ROWS);
  });
  it('sorts 1M rows through spilled runs exactly as in memory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tributary-large-sort-'));
    try {
      const keys = [
        { expr: li(2), ascending: false, nullsFirst: false },
        { expr: li(5), ascending: true, nullsFirst: false },
      ];
      const pool = new LimitedMemoryPool(24 * MB);
      const spilled = await timed('sort 1M rows spilling under 24 MB', () =>
        drain(new SortExec(source, keys, { memory: pool, spillDir: root })),
      );
      const inMemory = await drain(new SortExec(source, keys));
      expect(spilled.every((b) => b.numRows <= 65536)).toBe(true);
      expect(sameColumns(spilled, inMemory, lineitemFields)).toBe(true);
      expect(pool.used()).toBe(0);
      expect(await readdir(root)).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('groups 250K BIGINT keys through spill partitions as in memory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tributary-large-agg-'));
    try {
      const aggregates = [
        agg('count_star', null, BIGINT),
        agg('sum', 5, decimal(38, 2)),
        agg('avg', 4, DOUBLE),
        agg('max', 2, VARCHAR),
      ];
      const schema: Field[] = [
        lineitemFields[0],
        ...aggregates.map((a, i) => ({ name: `a${i}`, type: a.type, nullable: true })),
      ];
      const pool = new LimitedMemoryPool(8 * MB);
      const spilled = await timed('group by l_orderkey (250K groups) spilling under 8 MB', () =>
        drain(
          new HashAggregate(source, [li(0)], aggregates, schema, 'single', { memory: pool, spillDir: root }),
        ),
      );
      const inMemory = await drain(new HashAggregate(source, [li(0)], aggregates, schema));
      // Same groups in another order: sort both by the key before comparing.
      const byKey = [{ expr: column(0, 'l_orderkey', BIGINT), ascending: true, nullsFirst: false }];
      const sorted = async (batches: RecordBatch[]) =>
        drain(new SortExec(new BatchSource(schema, batches), byKey));
      expect(sameColumns(await sorted(spilled), await sorted(inMemory), schema)).toBe(true);
      expect(pool.used()).toBe(0);
      expect(await readdir(root)).toEqual([]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
