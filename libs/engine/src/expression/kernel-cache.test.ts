import { describe, expect, it } from 'vitest';
import { ColumnBuilder, DOUBLE, makeRecordBatch } from '@tributary/common';
import { call, column, literal, type Field } from '@tributary/plan';
import { batchToJsonRows } from '../result/batch-to-json.ts';
import { compileExpression } from './compile-expression.ts';
import { kernelFor } from './kernel-cache.ts';

const fields: Field[] = [{ name: 'd', type: DOUBLE, nullable: true }];
const d = column(0, 'd', DOUBLE);
const plus = (v: number | null) => call('add', [d, literal(v, DOUBLE)], DOUBLE);

function batch() {
  const b = new ColumnBuilder(DOUBLE);
  for (const v of [1.5, -2]) b.appendNumber(v);
  return makeRecordBatch(fields, [b.finish()], 2);
}

describe('generated kernels kept by expression', () => {
  it('are shared by equal expressions and never by ones JSON alone cannot tell apart', () => {
    const first = kernelFor(plus(1), fields, [0], '0', 'value');
    expect(kernelFor(plus(1), fields, [0], '0', 'value').source).toBe(first.source);
    // NaN, ±Infinity and NULL print alike in JSON; each still gets its own kernel, whatever came first.
    const sums = [Number.NaN, Number.POSITIVE_INFINITY, null, Number.NEGATIVE_INFINITY, 1].map((v) =>
      batchToJsonRows(makeRecordBatch(fields, [compileExpression(plus(v), fields)(batch())], 2), fields).map(
        (r) => String(r[0]),
      ),
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
