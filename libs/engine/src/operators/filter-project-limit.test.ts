import { beforeAll, describe, expect, it } from 'vitest';
import type { RecordBatch } from 'apache-arrow';
import {
  ColumnBuilder,
  BIGINT,
  BOOLEAN,
  DATE,
  INTEGER,
  VARCHAR,
  decimal,
  makeRecordBatch,
  parseDate,
} from '@tributary/common';
import { sharedDuckDbOracle, type DuckDbOracle } from '@tributary/common/testing';
import { call, column, literal, type Expr, type Field } from '@tributary/plan';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { batchToJsonRows } from '../result/batch-to-json.ts';
import { FilterExec } from './filter-exec.ts';
import { LimitExec } from './limit-exec.ts';
import { ProjectExec, fuseFilterProject } from './project-exec.ts';
import { ValuesExec } from './values-exec.ts';

const LINEITEM = '/work/shared/data/tpch/sf0.01/parquet/lineitem.parquet';
const DEC = decimal(15, 2);
const fields: Field[] = [
  { name: 'l_orderkey', type: BIGINT, nullable: false },
  { name: 'l_quantity', type: DEC, nullable: false },
  { name: 'l_extendedprice', type: DEC, nullable: false },
  { name: 'l_discount', type: DEC, nullable: false },
  { name: 'l_shipdate', type: DATE, nullable: false },
  { name: 'l_shipmode', type: VARCHAR, nullable: false },
];

/** Replays fixed batches, counting how many were pulled. */
class BatchSource implements PhysicalOperator {
  readonly name = 'BatchSource';
  readonly children: readonly PhysicalOperator[] = [];
  pulled = 0;
  constructor(
    readonly batches: readonly RecordBatch[],
    readonly schema: readonly Field[],
  ) {}
  describe(): string {
    return `${this.batches.length} batches`;
  }
  async *execute(): AsyncIterable<RecordBatch> {
    for (const b of this.batches) {
      this.pulled++;
      yield b;
    }
  }
}

async function collect(op: PhysicalOperator): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const batch of op.execute(new AbortController().signal))
    rows.push(...batchToJsonRows(batch, op.schema));
  return rows;
}

const col = (i: number): Expr => column(i, fields[i].name, fields[i].type);
// Q6: shipdate in 1994, discount between 0.05 and 0.07, quantity < 24.
const q6: Expr = [
  call('gte', [col(4), literal(parseDate('1994-01-01') as number, DATE)], BOOLEAN),
  call('lt', [col(4), literal(parseDate('1995-01-01') as number, DATE)], BOOLEAN),
  call('gte', [col(3), literal(5, DEC)], BOOLEAN),
  call('lte', [col(3), literal(7, DEC)], BOOLEAN),
  call('lt', [col(1), literal(2400, DEC)], BOOLEAN),
].reduce((a, b) => call('and', [a, b], BOOLEAN));
const revenue = call('multiply', [col(2), col(3)], decimal(30, 4));

describe('Filter / Project / Limit / Values over TPC-H lineitem', () => {
  const batches: RecordBatch[] = [];
  let duck: DuckDbOracle;

  beforeAll(async () => {
    duck = await sharedDuckDbOracle();
    const rows = await duck.rowObjects(
      `SELECT l_orderkey, l_quantity::VARCHAR q, l_extendedprice::VARCHAR p, l_discount::VARCHAR d, l_shipdate::VARCHAR s, l_shipmode FROM '${LINEITEM}'`,
    );
    // Batches of 16K rows so operators see several, plus an empty one.
    for (let start = 0; start < rows.length; start += 16384) {
      const builders = fields.map((f) => new ColumnBuilder(f.type));
      const chunk = rows.slice(start, start + 16384);
      for (const r of chunk) {
        builders[0].appendNumber(Number(r.l_orderkey));
        builders[1].appendNumber(Math.round(Number(r.q) * 100));
        builders[2].appendNumber(Math.round(Number(r.p) * 100));
        builders[3].appendNumber(Math.round(Number(r.d) * 100));
        builders[4].appendNumber(parseDate(String(r.s)) as number);
        builders[5].appendString(String(r.l_shipmode));
      }
      batches.push(
        makeRecordBatch(
          fields,
          builders.map((b) => b.finish()),
          chunk.length,
        ),
      );
    }
    batches.splice(
      1,
      0,
      makeRecordBatch(
        fields,
        fields.map((f) => new ColumnBuilder(f.type).finish()),
        0,
      ),
    );
  });

  it('FilterExec + ProjectExec (and the fused form) match DuckDB on Q6', async () => {
    const [{ revenue: expected, n }] = await duck.rowObjects(
      `SELECT sum(l_extendedprice * l_discount)::VARCHAR revenue, count(*) n FROM '${LINEITEM}'
       WHERE l_shipdate >= DATE '1994-01-01' AND l_shipdate < DATE '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07 AND l_quantity < 24`,
    );
    const schema: Field[] = [{ name: 'revenue', type: decimal(30, 4), nullable: false }];
    const separate = new ProjectExec(new FilterExec(new BatchSource(batches, fields), q6), [revenue], schema);
    const fused = fuseFilterProject(new FilterExec(new BatchSource(batches, fields), q6), [revenue], schema);
    expect(fused.predicate).toBe(q6);
    expect(fused.name).toBe('FilterProject');
    for (const op of [separate, fused]) {
      const rows = await collect(op);
      expect(rows.length).toBe(Number(n));
      const sum = rows.reduce((s, r) => s + Math.round((r[0] as number) * 10000), 0);
      expect((sum / 10000).toFixed(4)).toBe(expected);
    }
  });

  it('FilterExec keeps string predicates exact', async () => {
    const mail = call('eq', [col(5), literal('MAIL', VARCHAR)], BOOLEAN);
    const [{ n }] = await duck.rowObjects(`SELECT count(*) n FROM '${LINEITEM}' WHERE l_shipmode = 'MAIL'`);
    const rows = await collect(new FilterExec(new BatchSource(batches, fields), mail));
    expect(rows.length).toBe(Number(n));
    expect(rows.every((r) => r[5] === 'MAIL')).toBe(true);
  });

  it('LimitExec skips across batches and stops pulling once satisfied', async () => {
    const all = await collect(new BatchSource(batches, fields));
    const source = new BatchSource(batches, fields);
    const rows = await collect(new LimitExec(source, 10, 16380));
    expect(rows).toEqual(all.slice(16380, 16390));
    expect(source.pulled).toBe(3);
    expect(await collect(new LimitExec(new BatchSource(batches, fields), 0, 0))).toEqual([]);
    expect(
      (await collect(new LimitExec(new BatchSource(batches, fields), null, all.length - 3))).length,
    ).toBe(3);
  });
});

describe('ValuesExec', () => {
  it('evaluates literal rows into one batch, casting to the column type', async () => {
    const schema: Field[] = [
      { name: 'a', type: INTEGER, nullable: true },
      { name: 'b', type: VARCHAR, nullable: true },
      { name: 'c', type: DEC, nullable: true },
    ];
    const op = new ValuesExec(
      [
        [literal(1, INTEGER), literal('x', VARCHAR), literal(150, DEC)],
        [
          call('add', [literal(2, INTEGER), literal(3, INTEGER)], INTEGER),
          literal(null, { kind: 'NULL' }),
          literal(-5, DEC),
        ],
      ],
      schema,
    );
    expect(await collect(op)).toEqual([
      [1, 'x', '1.50'],
      [5, null, '-0.05'],
    ]);
  });

  it('one row of no columns for SELECT without FROM', async () => {
    const op = new ValuesExec([[]], []);
    let rows = 0;
    for await (const b of op.execute(new AbortController().signal)) rows += b.numRows;
    expect(rows).toBe(1);
  });
});

describe('ProjectExec of its input columns as they are', () => {
  const schema: Field[] = [
    { name: 'k', type: BIGINT, nullable: false },
    { name: 's', type: VARCHAR, nullable: true },
  ];
  const batchOf = (names: readonly string[]) => {
    const k = new ColumnBuilder(BIGINT);
    const s = new ColumnBuilder(VARCHAR);
    for (let i = 0; i < 3; i++) {
      k.appendNumber(i);
      s.appendString(`v${i}`);
    }
    return makeRecordBatch(
      schema.map((f, i) => ({ ...f, name: names[i] })),
      [k.finish(), s.finish()],
      3,
    );
  };
  const refs = schema.map((f, i) => column(i, f.name, f.type));

  it('passes batches through unchanged, and builds new ones when anything differs', async () => {
    const same = batchOf(['k', 's']);
    const source = new BatchSource([same], schema);
    const signal = new AbortController().signal;
    const out: RecordBatch[] = [];
    for await (const b of new ProjectExec(source, refs, schema).execute(signal)) out.push(b);
    expect(out).toEqual([same]);
    expect(out[0]).toBe(same);

    // Renamed, reordered, or a batch whose own field names differ: a new batch each time.
    const renamed = schema.map((f, i) => ({ ...f, name: ['a', 'b'][i] }));
    const cases: [PhysicalOperator, readonly string[]][] = [
      [new ProjectExec(new BatchSource([same], schema), refs, renamed), ['a', 'b']],
      [
        new ProjectExec(new BatchSource([same], schema), [refs[1], refs[0]], [schema[1], schema[0]]),
        ['s', 'k'],
      ],
      [new ProjectExec(new BatchSource([batchOf(['x', 'y'])], schema), refs, schema), ['k', 's']],
    ];
    for (const [op, names] of cases) {
      for await (const b of op.execute(signal)) {
        expect(b).not.toBe(same);
        expect(b.schema.fields.map((f) => f.name)).toEqual(names);
      }
      expect(await collect(op)).toHaveLength(3);
    }
    const reordered = new ProjectExec(
      new BatchSource([same], schema),
      [refs[1], refs[0]],
      [schema[1], schema[0]],
    );
    expect(await collect(reordered)).toEqual([
      ['v0', '0'],
      ['v1', '1'],
      ['v2', '2'],
    ]);
    expect(await collect(new ProjectExec(new BatchSource([same], schema), refs, schema))).toEqual([
      ['0', 'v0'],
      ['1', 'v1'],
      ['2', 'v2'],
    ]);
  });
});
