import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOOLEAN, DOUBLE, INTEGER, VARCHAR, decimal, makeRecordBatch } from '@tributary/common';
import { call, column, type Expr, type Field, type JoinType } from '@tributary/plan';
import { LimitedMemoryPool, type OperatorResources } from '../memory/memory-pool.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
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
  testBatch,
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
  if (type === 'mark') return [...leftFields, { name: 'mark', type: BOOLEAN, nullable: false }];
  return type === 'semi' || type === 'anti' ? leftFields : [...leftFields, ...rightFields];
}

async function runJoin(
  type: JoinType,
  condition: Expr | null,
  left: TestValue[][],
  right: TestValue[][],
  batchRows = 3,
  buildLeft = false,
): Promise<TestValue[][]> {
  const op = new HashJoin(
    BatchSource.fromRows(leftFields, left, batchRows),
    BatchSource.fromRows(rightFields, right, batchRows),
    type,
    condition,
    joinSchema(type),
    undefined,
    undefined,
    buildLeft,
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
  const kinds: Partial<Record<JoinType, string>> = {
    inner: 'INNER',
    left: 'LEFT',
    right: 'RIGHT',
    full: 'FULL',
    semi: 'SEMI',
    anti: 'ANTI',
    cross: 'INNER',
  };
  const kind = kinds[type];
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

  for (const type of ['semi', 'anti'] as const) {
    for (const condition of conditions) {
      it(`${type} join built on its left input on ${condition.name} matches DuckDB`, async () => {
        const expected = await duckJoin(type, condition.sql, leftRows, rightRows);
        for (const batchRows of [1, 3, 100])
          expect(await runJoin(type, condition.expr, leftRows, rightRows, batchRows, true)).toEqual(expected);
        const on = conditions[0];
        expect(await runJoin(type, on.expr, leftRows, [], 3, true)).toEqual(
          await duckJoin(type, on.sql, leftRows, []),
        );
        expect(await runJoin(type, on.expr, [], rightRows, 3, true)).toEqual([]);
      });
    }
  }

  it('says when it builds on its left input, which only semi, anti and mark joins with keys do', () => {
    const describe = (type: JoinType, condition: Expr | null) =>
      new HashJoin(
        BatchSource.fromRows(leftFields, []),
        BatchSource.fromRows(rightFields, []),
        type,
        condition,
        joinSchema(type),
        undefined,
        undefined,
        true,
      ).describe();
    expect(describe('semi', conditions[2].expr)).toBe(
      'semi keys=[a#0 = b#0] residual=(CAST(v#2 AS DOUBLE) < w#5) build=left',
    );
    expect(describe('mark', conditions[0].expr)).toMatch(/build=left$/);
    expect(describe('anti', conditions[3].expr)).not.toMatch(/build=left/);
    expect(describe('left', conditions[0].expr)).not.toMatch(/build=left/);
  });

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

describe('HashJoin for decorrelated subqueries', () => {
  for (const condition of conditions) {
    it(`mark join on ${condition.name} is EXISTS of the pairs, as in DuckDB`, async () => {
      const l = sqlValues(leftFields, leftRows);
      const r = sqlValues(rightFields, rightRows);
      const sql = `SELECT l.*, EXISTS (SELECT 1 FROM (SELECT * FROM ${r}) AS r WHERE ${condition.sql}) FROM (SELECT * FROM ${l}) AS l`;
      const expected = sortedRows(await duckRows(sql));
      for (const batchRows of [2, 100])
        for (const buildLeft of [false, true])
          expect(await runJoin('mark', condition.expr, leftRows, rightRows, batchRows, buildLeft)).toEqual(
            expected,
          );
    });
  }

  it('mark join over an empty build side marks every row FALSE', async () => {
    for (const buildLeft of [false, true]) {
      const rows = await runJoin('mark', conditions[0].expr, leftRows, [], 3, buildLeft);
      expect(rows.map((r) => r[3])).toEqual(leftRows.map(() => false));
    }
  });

  it('single join pads unmatched rows with NULLs like a left join', async () => {
    const unique = rightRows.filter((r) => r[0] !== 1 && r[0] !== 2);
    expect(await runJoin('single', conditions[0].expr, leftRows, unique)).toEqual(
      await duckJoin('left', conditions[0].sql, leftRows, unique),
    );
  });

  it('single join fails when a row matches twice, within one chunk or across batches', async () => {
    for (const batchRows of [1, 100])
      await expect(
        runJoin('single', conditions[0].expr, leftRows, rightRows, batchRows),
      ).rejects.toMatchObject({
        code: 'SUBQUERY_MULTIPLE_ROWS',
      });
    // Without keys (an uncorrelated subquery) two build rows are already one too many.
    await expect(runJoin('single', null, leftRows.slice(0, 1), rightRows.slice(0, 2))).rejects.toMatchObject({
      code: 'SUBQUERY_MULTIPLE_ROWS',
    });
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

  it('cross joins a build side without columns (count(*) over a join)', async () => {
    const noColumns = new BatchSource([], [makeRecordBatch([], [], 3), makeRecordBatch([], [], 2)]);
    const op = new HashJoin(new BatchSource(all, probe.slice(0, 1)), noColumns, 'cross', null, all, {
      memory: new LimitedMemoryPool(1024 * 1024),
    });
    expect((await collectRows(op)).length).toBe(5 * probe[0].numRows);
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

describe('HashJoin spilling both sides (grace hash join)', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tributary-join-spill-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const all = allTypeFields;
  const probe = randomBatches(all, 2000, 250, 41);
  const build = randomBatches(all, 3000, 250, 42);
  const ref = (i: number, right = false) => column(right ? all.length + i : i, all[i].name, all[i].type);
  const eq = (i: number) => call('eq', [ref(i), ref(i, true)], BOOLEAN);
  const conditions: { name: string; expr: Expr }[] = [
    { name: 's = s AND d = d', expr: call('and', [eq(8), eq(6)], BOOLEAN) },
    {
      name: 'w = w AND b = b, residual i < i',
      expr: call(
        'and',
        [call('and', [eq(5), eq(0)], BOOLEAN), call('lt', [ref(1), ref(1, true)], BOOLEAN)],
        BOOLEAN,
      ),
    },
  ];
  const types: JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];
  const schemaOf = (type: JoinType) =>
    type === 'semi' || type === 'anti'
      ? all
      : type === 'mark'
        ? [...all, { name: 'mark', type: BOOLEAN, nullable: false }]
        : [...all, ...all];
  const run = (type: JoinType, condition: Expr, resources?: OperatorResources, buildLeft = false) =>
    new HashJoin(
      new BatchSource(all, probe),
      new BatchSource(all, build),
      type,
      condition,
      schemaOf(type),
      resources,
      undefined,
      buildLeft,
    );
  // Semi, anti and mark joins built on their left input spill it as their build side.
  const variants = [
    ...types.map((type) => ({ type, buildLeft: false })),
    ...(['semi', 'anti', 'mark'] as const).map((type) => ({ type, buildLeft: true })),
  ];

  for (const { name, expr } of conditions) {
    it(`gives the in-memory result for every join type on ${name}`, async () => {
      for (const { type, buildLeft } of variants) {
        const pool = new LimitedMemoryPool(72 * 1024);
        const op = run(type, expr, { memory: pool, spillDir: root }, buildLeft);
        const batches: RecordBatch[] = [];
        let folders = 0;
        for await (const batch of op.execute(new AbortController().signal)) {
          folders = Math.max(folders, (await readdir(root)).length);
          batches.push(batch);
        }
        // Against the join in memory, built on its right input.
        const expected = sortedRows(await collectRows(run(type, expr)));
        expect([type, buildLeft, sortedRows(await collectRows(new BatchSource(op.schema, batches)))]).toEqual(
          [type, buildLeft, expected],
        );
        // Output came while the join's spill folder existed: it did spill.
        expect([type, buildLeft, folders]).toEqual([type, buildLeft, 1]);
        expect(pool.used()).toBe(0);
        expect(await readdir(root)).toEqual([]);
      }
    });
  }

  it('splits a partition whose build side still does not fit again', async () => {
    const pool = new LimitedMemoryPool(24 * 1024);
    const fewProbes = () => new BatchSource(all, probe.slice(0, 2));
    const make = (resources?: OperatorResources) =>
      new HashJoin(
        fewProbes(),
        new BatchSource(all, build),
        'full',
        conditions[0].expr,
        schemaOf('full'),
        resources,
      );
    const op = make({ memory: pool, spillDir: root });
    let nested = 0;
    const batches: RecordBatch[] = [];
    for await (const batch of op.execute(new AbortController().signal)) {
      nested = Math.max(nested, (await readdir(root)).length);
      batches.push(batch);
    }
    // The join's folder and, while one of its partitions is split again, that join's folder.
    expect(nested).toBeGreaterThanOrEqual(2);
    expect(sortedRows(await collectRows(new BatchSource(op.schema, batches)))).toEqual(
      sortedRows(await collectRows(make())),
    );
    expect(pool.used()).toBe(0);
    expect(await readdir(root)).toEqual([]);
  });

  it('fails naming the limit when a partition too large for it holds a single key', async () => {
    const fields: Field[] = [
      { name: 'k', type: INTEGER, nullable: false },
      { name: 'pad', type: VARCHAR, nullable: false },
    ];
    const rows = Array.from({ length: 400 }, (_, i) => [7, `row ${i} of one key, padded to take room`]);
    const batches = [0, 1, 2, 3].map((b) => testBatch(fields, rows.slice(b * 100, b * 100 + 100)));
    const condition = call('eq', [column(0, 'k', INTEGER), column(2, 'k', INTEGER)], BOOLEAN);
    const op = new HashJoin(
      new BatchSource(fields, batches.slice(0, 1)),
      new BatchSource(fields, batches),
      'inner',
      condition,
      [...fields, ...fields],
      { memory: new LimitedMemoryPool(8 * 1024, 'test budget'), spillDir: root },
    );
    await expect(collectRows(op)).rejects.toMatchObject({
      code: 'QUERY_MEMORY_EXCEEDED',
      // Found at the first re-split: splitting again cannot part rows of one key.
      message: expect.stringContaining('split by join key 1 time(s)'),
    });
    expect(await readdir(root)).toEqual([]);
  });

  it('cannot spill a join without equi-keys and fails naming the limit', async () => {
    const pool = new LimitedMemoryPool(64 * 1024, 'test budget');
    const op = run('inner', call('lt', [ref(1), ref(1, true)], BOOLEAN), { memory: pool, spillDir: root });
    await expect(collectRows(op)).rejects.toMatchObject({
      code: 'QUERY_MEMORY_EXCEEDED',
      message: expect.stringContaining('the test budget of 64 KB'),
    });
    expect(await readdir(root)).toEqual([]);
  });

  it('leaves nothing behind when stopped early, aborted, or when an input fails', async () => {
    const resources = () => ({ memory: new LimitedMemoryPool(64 * 1024), spillDir: root });
    for await (const batch of run('inner', conditions[0].expr, resources()).execute(
      new AbortController().signal,
    )) {
      expect((await readdir(root)).length).toBeGreaterThan(0);
      void batch;
      break;
    }
    expect(await readdir(root)).toEqual([]);

    const controller = new AbortController();
    const aborting = async () => {
      for await (const batch of run('left', conditions[0].expr, resources()).execute(controller.signal)) {
        void batch;
        controller.abort(new Error('cancelled while joining partitions'));
      }
    };
    await expect(aborting()).rejects.toThrow('cancelled while joining partitions');
    expect(await readdir(root)).toEqual([]);

    const broken: PhysicalOperator = {
      name: 'Broken',
      schema: all,
      children: [],
      describe: () => '',
      async *execute() {
        yield* probe.slice(0, 3);
        throw new Error('probe side broke');
      },
    };
    const failing = new HashJoin(
      broken,
      new BatchSource(all, build),
      'inner',
      conditions[0].expr,
      schemaOf('inner'),
      resources(),
    );
    await expect(collectRows(failing)).rejects.toThrow('probe side broke');
    expect(await readdir(root)).toEqual([]);
  });
});
