import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  BOOLEAN,
  HUGEINT,
  INTEGER,
  VARCHAR,
  decimal,
  makeRecordBatch,
  type ColumnBuffers,
  type SqlType,
} from '@tributary/common';
import { call, column, literal, type Expr } from '@tributary/plan';
import { compileExpression } from './compile-expression.ts';
import { compilePredicate } from './compile-predicate.ts';
import { kernelFor } from './kernel-cache.ts';

/** 128-bit two's-complement words (DECIMAL and HUGEINT storage). */
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

function read128(c: ColumnBuffers): bigint[] {
  const v = new BigInt64Array((c.values as Uint32Array).buffer);
  return Array.from({ length: c.length }, (_, i) => (v[2 * i + 1] << 64n) + BigInt.asUintN(64, v[2 * i]));
}

const bigints = [9007199254740993n, -9223372036854775807n, 5n];
const fields = [
  { name: 'b', type: BIGINT, nullable: false },
  { name: 'd', type: decimal(38, 2), nullable: false },
];
const batch = makeRecordBatch(
  fields,
  [
    { type: BIGINT, length: 3, values: BigInt64Array.from(bigints) },
    { type: decimal(38, 2), length: 3, values: words([9999999999999999999999n, -1n, 250n]) },
  ],
  3,
);
const b = column(0, 'b', BIGINT);
const d = column(1, 'd', decimal(38, 2));
const run = (expr: Expr): ColumnBuffers => compileExpression(expr, fields)(batch);

describe('exact kernels', () => {
  it('keep BIGINT values beyond 2^53 exact through arithmetic', () => {
    const out = run(call('add', [b, literal(1, BIGINT)], BIGINT));
    expect([...(out.values as BigInt64Array)]).toEqual([9007199254740994n, -9223372036854775806n, 6n]);
  });

  it('multiply wide decimals exactly and fail typed past their precision', () => {
    const times = (n: number): Expr => call('multiply', [d, literal(n, INTEGER)], decimal(38, 2));
    expect(read128(run(times(3)))).toEqual([29999999999999999999997n, -3n, 750n]);
    expect(() => run(call('multiply', [d, literal('100000000000000000', BIGINT)], decimal(38, 2)))).toThrow(
      expect.objectContaining({ code: 'NUMERIC_OVERFLOW' }),
    );
  });

  it('raise NUMERIC_OVERFLOW where a BIGINT result leaves 64 bits', () => {
    expect(() => run(call('subtract', [b, literal(2, BIGINT)], BIGINT))).toThrow(
      expect.objectContaining({ code: 'NUMERIC_OVERFLOW' }),
    );
  });

  it('compare exactly beyond 2^53', () => {
    const eq = call('eq', [b, literal('9007199254740993', BIGINT)], BOOLEAN);
    const { selection, count } = compilePredicate(eq, fields)(batch);
    expect([...selection.subarray(0, count)]).toEqual([0]);
  });

  it('cast text to DECIMAL(38,2) and HUGEINT exactly, TRY_CAST giving NULL', () => {
    const text = makeRecordBatch(
      [{ name: 's', type: VARCHAR }],
      [
        {
          type: VARCHAR,
          length: 3,
          values: new TextEncoder().encode('99999999999999999999.99x1e2'),
          offsets: new Int32Array([0, 23, 24, 27]),
        },
      ],
      3,
    );
    const s = column(0, 's', VARCHAR);
    const textFields = [{ name: 's', type: VARCHAR, nullable: false }];
    const cast = (type: SqlType, tryCast: boolean): Expr => ({ kind: 'cast', expr: s, type, try: tryCast });
    const dec = compileExpression(cast(decimal(38, 2), true), textFields)(text);
    expect(read128(dec)[0]).toBe(9999999999999999999999n);
    expect(read128(dec)[2]).toBe(10000n);
    expect(((dec.validity as Uint8Array)[0] >> 1) & 1).toBe(0);
    expect(() => compileExpression(cast(HUGEINT, false), textFields)(text)).toThrow(
      expect.objectContaining({ code: 'CAST_INVALID' }),
    );
  });

  it('stay fast while every value fits 2^53', () => {
    const small = makeRecordBatch(
      fields.slice(0, 1),
      [{ type: BIGINT, length: 1, values: BigInt64Array.from([7n]) }],
      1,
    );
    const kernel = kernelFor(call('add', [b, literal(1, BIGINT)], BIGINT), fields, [0], '0', 'value');
    expect(kernel.source).not.toContain('BigInt64Array(cols');
    const out = kernel.run([{ type: BIGINT, length: 1, values: BigInt64Array.from([7n]) }], undefined, 1);
    expect([...((out as ColumnBuffers).values as BigInt64Array)]).toEqual([8n]);
    expect(small.numRows).toBe(1);
  });
});
