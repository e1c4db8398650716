import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  BOOLEAN,
  ColumnBuilder,
  DOUBLE,
  VARCHAR,
  makeRecordBatch,
  type SqlType,
} from '@tributary/common';
import { call, column, literal, type Expr, type Field } from '@tributary/plan';
import { batchToJsonRows } from '../result/batch-to-json.ts';
import { compileExpression } from './compile-expression.ts';
import { kernelFor } from './kernel-cache.ts';

const doubles: Field[] = [{ name: 'd', type: DOUBLE, nullable: true }];
const d = column(0, 'd', DOUBLE);
const plus = (v: number | null) => call('add', [d, literal(v, DOUBLE)], DOUBLE);

function doublesBatch() {
  const b = new ColumnBuilder(DOUBLE);
  for (const v of [1.5, -2]) b.appendNumber(v);
  return makeRecordBatch(doubles, [b.finish()], 2);
}

describe('generated kernels kept by expression', () => {
  it('are shared by equal expressions and never by ones JSON alone cannot tell apart', () => {
    const first = kernelFor(plus(1), doubles, [0], '0', 'value');
    expect(kernelFor(plus(1), doubles, [0], '0', 'value').source).toBe(first.source);
    // NaN, ±Infinity and NULL print alike in JSON; each still gets its own kernel, whatever came first.
    const sums = [Number.NaN, Number.POSITIVE_INFINITY, null, Number.NEGATIVE_INFINITY, 1].map((v) =>
      batchToJsonRows(
        makeRecordBatch(doubles, [compileExpression(plus(v), doubles)(doublesBatch())], 2),
        doubles,
      ).map((r) => String(r[0])),
    );
    expect(sums).toEqual([
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['null', 'null'],
      ['-Infinity', '-Infinity'],
      ['2.5', '-1'],
    ]);
  });
});

const fields: Field[] = [
  { name: 'b', type: BIGINT, nullable: true },
  { name: 'd', type: DOUBLE, nullable: true },
  { name: 's', type: VARCHAR, nullable: true },
];
const rows: [number, number, string][] = Array.from({ length: 30 }, (_, i) => [i, i / 2, `v${i}`]);
const batch = makeRecordBatch(
  fields,
  fields.map((f, c) => {
    const builder = new ColumnBuilder(f.type);
    for (const row of rows) {
      const v = row[c];
      if (typeof v === 'string') builder.appendString(v);
      else builder.appendNumber(v);
    }
    return builder.finish();
  }),
  rows.length,
);

/** `column IN (values)`, with more values than are compared one by one: the kernel holds them in a Set constant. */
function inList(c: number, type: SqlType, values: readonly (number | string)[]): Expr {
  return {
    kind: 'in-list',
    expr: column(c, fields[c].name, type),
    list: values.map((v) => literal(v, type)),
    negated: false,
    type: BOOLEAN,
  };
}

function matches(expr: Expr): number[] {
  const out = compileExpression(expr, fields)(batch);
  const bits = out.values as Uint8Array;
  return rows.map((_, i) => i).filter((i) => (bits[i >> 3] >> (i & 7)) & 1);
}

describe('kernel functions shared through their generated kernel', () => {
  it('keeps kernels that differ only in their constants apart', () => {
    // Same generated source (an IN over a Set), different members: each answers for its own.
    const evens = Array.from({ length: 12 }, (_, i) => i * 2);
    const odds = evens.map((v) => v + 1);
    expect(matches(inList(0, BIGINT, evens))).toEqual(evens);
    expect(matches(inList(0, BIGINT, odds))).toEqual(odds);
    expect(
      matches(
        inList(
          1,
          DOUBLE,
          evens.map((v) => v / 2),
        ),
      ),
    ).toEqual(evens);
    expect(
      matches(
        inList(
          1,
          DOUBLE,
          odds.map((v) => v / 2),
        ),
      ),
    ).toEqual(odds);
    const texts = (values: number[]) => values.map((v) => `v${v}`);
    expect(matches(inList(2, VARCHAR, texts(evens)))).toEqual(evens);
    expect(matches(inList(2, VARCHAR, texts(odds)))).toEqual(odds);
  });

  it('gives a task compiling an expression again the same answers', () => {
    const expr = inList(0, BIGINT, [3, 5, 7, 9, 11, 13, 15, 17, 19]);
    expect(matches(expr)).toEqual(matches(expr));
    expect(matches(expr)).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });
});

describe('generated kernels, optimized', () => {
  it('stay optimized from batch to batch: no deoptimization per call for want of feedback', () => {
    // Synchronous optimization (--no-concurrent-recompilation) makes V8's timing repeatable:
    // unwarmed, both kernels deoptimized on every one of the 200 calls.
    const fixture = fileURLToPath(new URL('./fixtures/run-kernels.ts', import.meta.url));
    const run = spawnSync(
      process.execPath,
      ['--trace-deopt', '--no-concurrent-recompilation', '--import', 'tsx', fixture, '200'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('matched 6400, projected 1638400');
    const deopts = run.stdout.split('\n').filter((line) => /deoptimizing .*kernel_/.test(line));
    expect(deopts.filter((line) => line.includes('Insufficient type feedback'))).toEqual([]);
    // What is left is a kernel meeting the real columns after its warm-up: once each.
    expect(deopts.length).toBeLessThanOrEqual(2);
  });
});
