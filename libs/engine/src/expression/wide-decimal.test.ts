import { describe, expect, it } from 'vitest';
import { BOOLEAN, DOUBLE, decimal, makeRecordBatch } from '@tributary/common';
import { call, column, literal, type Expr } from '@tributary/plan';
import { compileExpression } from './compile-expression.ts';
import { compilePredicate } from './compile-predicate.ts';

/** DECIMAL(38, 4) words of unscaled values (two's complement, 4 little-endian words). */
function words(values: bigint[]): Uint32Array {
  const out = new Uint32Array(values.length * 4);
  values.forEach((v, i) => {
    let x = BigInt.asUintN(128, v);
    for (let w = 0; w < 4; w++) {
      out[4 * i + w] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
  });
  return out;
}

describe('DECIMAL wider than 18 digits', () => {
  const type = decimal(38, 4);
  const values = [123456789012345678900n, -123456789012345678900n, 50_000n];
  const fields = [{ name: 'a', type, nullable: true }];
  const batch = makeRecordBatch([{ name: 'a', type }], [{ type, length: 3, values: words(values) }], 3);
  const a = column(0, 'a', type);

  it('casts to DOUBLE from all 128 bits, not the low 64', () => {
    const cast: Expr = { kind: 'cast', expr: a, type: DOUBLE };
    const out = compileExpression(cast, fields)(batch).values as Float64Array;
    // The nearest doubles to ±12345678901234567.89.
    expect([...out]).toEqual([Number('12345678901234567.89'), -Number('12345678901234567.89'), 5]);
  });

  it('compares with the whole value', () => {
    const gt = call('gt', [{ kind: 'cast', expr: a, type: DOUBLE }, literal(5, DOUBLE)], BOOLEAN);
    const { selection, count } = compilePredicate(gt, fields)(batch);
    expect([...selection.subarray(0, count)]).toEqual([0]);
  });
});
