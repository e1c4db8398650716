import { describe, expect, it } from 'vitest';
import { BOOLEAN, DOUBLE, INTEGER, VARCHAR, decimal } from '@tributary/common';
import { call, column, type Expr, type Field, type JoinType } from '@tributary/plan';
import { LimitedMemoryPool, type OperatorResources } from '../memory/memory-pool.ts';
import { HashJoin } from './hash-join.ts';
import { extractEquiKeys } from './hash-join-keys.ts';
import {
  allTypeFields,
  BatchSource,
  collectRows,
  duckRows,
  randomBatches,
  sortedRows,
  sqlValues,
  type TestValue,
} from './operator-test-support.ts';

const leftFields: Field[] = [
  { name: 'a', type: INTEGER, nullable: true },
  { name: 's', type: VARCHAR, nullable: true },
  { name: 'v', type: decimal(15, 2), nullable: true },
];
const rightFields: Field[] = [
  { name: 'b', type: INTEGER, nullable: true },
  { name: 't', type: VARCHAR, nullable: true },
  { name: 'w', type: DOUBLE, nullable: true },
];
const leftRows: TestValue[][] = [
  [1, 'x', 100],
  [1, 'y', 250],
  [2, 'x', -5],
  [3, null, 7],
  [null, 'x', 1],
  [null, null, null],
  [4, 'z', 999],
  [2, 'x', 300],
];
const rightRows: TestValue[][] = [
  [1, 'x', 1.5],
  [1, 'x', 3.5],
  [2, 'y', 0],
  [2, 'x', -1],
  [null, 'x', 2],
  [5, 'q', 10],
  [3, null, 100],
];

const a = column(0, 'a', INTEGER);
const s = column(1, 's', VARCHAR);
const v = column(2, 'v', decimal(15, 2));
const b = column(3, 'b', INTEGER);
const t = column(4, 't', VARCHAR);
const w = column(5, 'w', DOUBLE);
const and = (x: Expr, y: Expr): Expr => call('and', [x, y], BOOLEAN);
const castV = { kind: 'cast', expr: v, type: DOUBLE } as const;

const conditions: { name: string; expr: Expr | null; sql: string }[] = [
  { name: 'a = b', expr: call('eq', [a, b], BOOLEAN), sql: 'a = b' },
  {
    name: 'b = a AND s = t',
    expr: and(call('eq', [b, a], BOOLEAN), call('eq', [s, t], BOOLEAN)),
    sql: 'b = a AND s = t',
  },
  {
    name: 'a = b AND v < w',
    expr: and(call('eq', [a, b], BOOLEAN), call('lt', [castV, w], BOOLEAN)),
    sql: 'a = b AND v::DOUBLE < w',
  },
  { name: 'a < b (no keys)', expr: call('lt', [a, b], BOOLEAN), sql: 'a < b' },
];

function joinSchema(type: JoinType): Field[] {
  return type === 'semi' || type === 'anti' ? leftFields : [...leftFields, ...rightFields];
}

async function runJoin(
  type: JoinType,
  condition: Expr | null,
  left: TestValue[][],
  right: TestValue[][],
  batchRows = 3,
): Promise<TestValue[][]> {
  const op = new HashJoin(
    BatchSource.fromRows(leftFields, left, batchRows),
    BatchSource.fromRows(rightFields, right, batchRows),
    type,
    condition,
    joinSchema(type),
  );
  return sortedRows(await collectRows(op));
}

async function duckJoin(
  type: JoinType,
  condition: string | null,
  left: TestValue[][],
  right: TestValue[][],
): Promise<TestValue[][]> {
  const l = left.length
    ? sqlValues(leftFields, left)
    : `(SELECT 1::INTEGER a, ''::VARCHAR s, 1::DECIMAL(15,2) v WHERE false) l`;
  const r = right.length
    ? sqlValues(rightFields, right)
    : `(SELECT 1::INTEGER b, ''::VARCHAR t, 1::DOUBLE w WHERE false) r`;
  const kind = {
    inner: 'INNER',
    left: 'LEFT',
    right: 'RIGHT',
    full: 'FULL',
    semi: 'SEMI',
    anti: 'ANTI',
    cross: 'INNER',
  }[type];
  const select = type === 'semi' || type === 'anti' ? 'a, s, v' : '*';
  const sql = `SELECT ${select} FROM (SELECT * FROM ${l}) AS l ${kind} JOIN (SELECT * FROM ${r}) AS r ON ${condition ?? 'true'}`;
  return sortedRows(await duckRows(sql));
}

describe('extractEquiKeys', () => {
  it('pulls out equi-keys on either side and keeps the rest as residual', () => {
    const keys = extractEquiKeys(
      and(call('eq', [b, a], BOOLEAN), and(call('eq', [s, t], BOOLEAN), call('lt', [castV, w], BOOLEAN))),
      3,
    );
    expect(keys.leftKeys).toEqual([a, s]);
    expect(keys.rightKeys).toEqual([column(0, 'b', INTEGER), column(1, 't', VARCHAR)]);
    expect(keys.residual).toEqual(call('lt', [castV, w], BOOLEAN));
    expect(extractEquiKeys(call('eq', [a, column(1, 's', INTEGER)], BOOLEAN), 3).leftKeys).toEqual([]);
  });
});

describe('HashJoin', () => {
  const types: JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];
  for (const type of types) {
    for (const condition of conditions) {
      it(`${type} join on ${condition.name} matches DuckDB`, async () => {
        expect(await runJoin(type, condition.expr, leftRows, rightRows)).toEqual(
          await duckJoin(type, condition.sql, leftRows, rightRows),
        );
      });
    }
    it(`${type} join with an empty side matches DuckDB`, async () => {
      const on = conditions[0];
      expect(await runJoin(type, on.expr, leftRows, [])).toEqual(await duckJoin(type, on.sql, leftRows, []));
      expect(await runJoin(type, on.expr, [], rightRows)).toEqual(
        await duckJoin(type, on.sql, [], rightRows),
      );
    });
  }

  it('does not read the probe side when an empty build side decides the result', async () => {
    const left = BatchSource.fromRows(leftFields, leftRows);
    const op = new HashJoin(
      left,
      BatchSource.fromRows(rightFields, []),
      'inner',
      conditions[0].expr,
      joinSchema('inner'),
    );
    expect(await collectRows(op)).toEqual([]);
    expect(left.executions).toBe(0);
  });

  it('cross joins without a condition', async () => {
    expect(await runJoin('cross', null, leftRows, rightRows)).toEqual(
      await duckJoin('cross', null, leftRows, rightRows),
    );
  });

  it('handles key chains longer than an output chunk', async () => {
    const left = Array.from({ length: 300 }, (_, i): TestValue[] => [i % 2, 'l', i]);
    const right = Array.from({ length: 500 }, (_, i): TestValue[] => [i % 3, 'r', i]);
    const count = async (type: JoinType, condition: Expr | null): Promise<number> => {
      const op = new HashJoin(
        BatchSource.fromRows(leftFields, left, 128),
        BatchSource.fromRows(rightFields, right, 256),
        type,
        condition,
        joinSchema(type),
      );
      let rows = 0;
      for await (const batch of op.execute(new AbortController().signal)) {
        expect(batch.numRows).toBeLessThanOrEqual(65536);
        rows += batch.numRows;
      }
      return rows;
    };
    expect(await count('inner', conditions[0].expr)).toBe(150 * 167 + 150 * 167);
    expect(await count('cross', null)).toBe(150_000);
    expect(await count('full', call('lt', [a, b], BOOLEAN))).toBe(150 * 333 + 150 * 166 + 167);
  });
});

describe('HashJoin under a memory budget', () => {
  const all = allTypeFields;
  const probe = randomBatches(all, 3000, 500, 31);
  const build = randomBatches(all, 4000, 500, 32);
  const keyed = (i: number) =>
    call(
      'eq',
      [column(i, all[i].name, all[i].type), column(all.length + i, all[i].name, all[i].type)],
      BOOLEAN,
    );
  const condition = call('and', [keyed(8), keyed(6)], BOOLEAN);
  const schema = [...all, ...all];
  const join = (resources?: OperatorResources, type: JoinType = 'full') =>
    new HashJoin(
      new BatchSource(all, probe),
      new BatchSource(all, build),
      type,
      condition,
      schema,
      resources,
    );

  it('reserves the build side and gives the unbounded result within budget', async () => {
    const pool = new LimitedMemoryPool(8 * 1024 * 1024);
    const expected = sortedRows(await collectRows(join()));
    expect(expected.length).toBeGreaterThan(3000);
    expect(sortedRows(await collectRows(join({ memory: pool })))).toEqual(expected);
    expect(pool.used()).toBe(0);
    // Stopping after the first batch releases the reservation as well.
    for await (const batch of join({ memory: pool }, 'inner').execute(new AbortController().signal)) {
      expect(pool.used()).toBeGreaterThan(build.length * 500 * 8);
      void batch;
      break;
    }
    expect(pool.used()).toBe(0);
  });

  it('fails with QUERY_MEMORY_EXCEEDED naming the limit past the budget', async () => {
    const pool = new LimitedMemoryPool(256 * 1024, 'test budget');
    await expect(collectRows(join({ memory: pool }))).rejects.toMatchObject({
      code: 'QUERY_MEMORY_EXCEEDED',
      phase: 'resource',
      message: expect.stringMatching(/^HashJoin build needs .* more than the test budget of 256 KB allows/),
    });
    expect(pool.used()).toBe(0);
  });
});
