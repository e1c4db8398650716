import {
  BOOLEAN,
  ColumnBuilder,
  decimal,
  DOUBLE,
  HUGEINT,
  INTEGER,
  VARCHAR,
  type ColumnBuffers,
} from '@tributary/common';
import { column, needsAllValues, type AggregateCall } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { createAccumulator } from './hash-aggregate-accumulators.ts';
import { columnValue, exactColumnValue } from './column-value.ts';

type Value = number | string | boolean | null;

function build(type: Parameters<typeof column>[2], values: Value[]): ColumnBuffers {
  const b = new ColumnBuilder(type, values.length);
  for (const v of values) {
    if (v === null) b.appendNull();
    else if (typeof v === 'string') b.appendString(v);
    else if (typeof v === 'boolean') b.appendBoolean(v);
    else b.appendNumber(v);
  }
  return b.finish();
}

/** Runs `call` in one pass, or split in `parts` partial passes (rows dealt round-robin) merged by a final one. */
function run(call: AggregateCall, ids: number[], args: ColumnBuffers[], groups: number, parts = 1): Value[] {
  const read = (c: ColumnBuffers): Value[] =>
    Array.from({ length: c.length }, (_, i) => columnValue(c, c.type, i));
  if (parts === 1) {
    const acc = createAccumulator(call, 'single');
    acc.resize(groups);
    acc.update(Int32Array.from(ids), args, null, ids.length);
    return read(acc.emit(0, groups)[0]);
  }
  const final = createAccumulator(call, 'final');
  final.resize(groups);
  for (let p = 0; p < parts; p++) {
    const rows = Uint32Array.from(ids.keys()).filter((i) => i % parts === p);
    const partial = createAccumulator(call, 'partial');
    partial.resize(groups);
    partial.update(Int32Array.from(ids), args, rows, rows.length);
    final.update(
      Int32Array.from({ length: groups }, (_, g) => g),
      partial.emitState(0, groups),
      null,
      groups,
    );
  }
  return read(final.emit(0, groups)[0]);
}

const call = (
  fn: AggregateCall['fn'],
  type: Parameters<typeof column>[2],
  argType = type,
  arg2Type?: Parameters<typeof column>[2],
): AggregateCall => ({
  fn,
  arg: column(0, 'x', argType),
  ...(arg2Type ? { arg2: column(1, 'y', arg2Type) } : {}),
  distinct: false,
  type,
});

describe('pick aggregates', () => {
  // Group 0: NULL, 'b', 'c'; group 1: 'd'; group 2: no rows.
  const ids = [0, 0, 1, 0];
  const names = build(VARCHAR, [null, 'b', 'd', 'c']);
  it('any_value skips NULLs, first/last keep them', () => {
    expect(run(call('any_value', VARCHAR), ids, [names], 3)).toEqual(['b', 'd', null]);
    expect(run(call('first', VARCHAR), ids, [names], 3)).toEqual([null, 'd', null]);
    expect(run(call('last', VARCHAR), ids, [names], 3)).toEqual(['c', 'd', null]);
  });
  it('merges partial states in order of the parts', () => {
    // Split in two: part 0 has rows 0 and 2, part 1 rows 1 and 3.
    expect(run(call('first', VARCHAR), ids, [names], 3, 2)).toEqual([null, 'd', null]);
    expect(run(call('last', VARCHAR), ids, [names], 3, 2)).toEqual(['c', 'd', null]);
    expect(run(call('any_value', VARCHAR), ids, [names], 3, 2)).toEqual(['b', 'd', null]);
  });
  it('first/last skip rows whose condition is not true', () => {
    const condition = build(BOOLEAN, [true, false, null, true]);
    const filtered = { ...call('last', VARCHAR), arg2: column(1, 'c', BOOLEAN) };
    expect(run(filtered, ids, [names, condition], 3)).toEqual(['c', null, null]);
    expect(run({ ...filtered, fn: 'first' }, ids, [names, condition], 3, 2)).toEqual([null, null, null]);
  });
  it('arg_max/arg_min skip NULL values and keys, keep the first on ties', () => {
    const values = build(INTEGER, [1, 2, 3, null, 5, 6]);
    const keys = build(DOUBLE, [10, 30, 30, 99, null, 5]);
    const groups = [0, 0, 0, 0, 0, 1];
    expect(run(call('arg_max', INTEGER, INTEGER, DOUBLE), groups, [values, keys], 2)).toEqual([2, 6]);
    expect(run(call('arg_min', INTEGER, INTEGER, DOUBLE), groups, [values, keys], 2, 3)).toEqual([1, 6]);
  });
});

describe('picks and mode of wide integers', () => {
  const wide = (type: Parameters<typeof column>[2], values: (bigint | null)[]): ColumnBuffers => {
    const b = new ColumnBuilder(type, values.length);
    for (const v of values)
      if (v === null) b.appendNull();
      else b.appendBigInt(v);
    return b.finish();
  };
  const exact = (c: ColumnBuffers): unknown[] =>
    Array.from({ length: c.length }, (_, i) => exactColumnValue(c, c.type, i));
  it('keep HUGEINT and DECIMAL(38) values and keys exact beyond 2^53', () => {
    const big = 2n ** 100n + 1n;
    const values = wide(HUGEINT, [big, big + 2n, null, big + 2n]);
    const keys = wide(decimal(38, 2), [10n ** 30n + 1n, 10n ** 30n, 5n, 10n ** 30n + 2n]);
    const ids = [0, 0, 0, 0];
    const runExact = (fn: AggregateCall['fn'], args: ColumnBuffers[], parts: number): unknown[] => {
      const c = call(fn, HUGEINT, HUGEINT, args.length > 1 ? decimal(38, 2) : undefined);
      if (parts === 1) {
        const acc = createAccumulator(c, 'single');
        acc.resize(1);
        acc.update(Int32Array.from(ids), args, null, ids.length);
        return exact(acc.emit(0, 1)[0]);
      }
      const final = createAccumulator(c, 'final');
      final.resize(1);
      for (let p = 0; p < parts; p++) {
        const rows = Uint32Array.from(ids.keys()).filter((i) => i % parts === p);
        const partial = createAccumulator(c, 'partial');
        partial.resize(1);
        partial.update(Int32Array.from(ids), args, rows, rows.length);
        final.update(Int32Array.from([0]), partial.emitState(0, 1), null, 1);
      }
      return exact(final.emit(0, 1)[0]);
    };
    expect(runExact('first', [values], 1)).toEqual([big]);
    expect(runExact('any_value', [values], 2)).toEqual([big]);
    expect(runExact('arg_max', [values, keys], 2)).toEqual([big + 2n]);
    expect(runExact('arg_min', [values, keys], 1)).toEqual([big + 2n]);
    expect(runExact('mode', [values], 1)).toEqual([big + 2n]);
  });
});

describe('mode', () => {
  it('is the most frequent value, the first seen on ties, and needs all values', () => {
    const values = build(INTEGER, [3, 1, 1, 3, null, 2, null]);
    const ids = [0, 0, 0, 0, 0, 1, 2];
    expect(run(call('mode', INTEGER), ids, [values], 3)).toEqual([3, 2, null]);
    expect(needsAllValues(call('mode', INTEGER))).toBe(true);
  });
});

describe('product', () => {
  it('multiplies non-NULL values, NULL without any, merging partial products', () => {
    const values = build(DOUBLE, [2, 3, null, 4, null]);
    const ids = [0, 0, 0, 0, 1];
    expect(run(call('product', DOUBLE), ids, [values], 2)).toEqual([24, null]);
    expect(run(call('product', DOUBLE), ids, [values], 2, 2)).toEqual([24, null]);
  });
});

describe('covariance aggregates', () => {
  const a = build(DOUBLE, [1, 2, 4, 7, null, 3, 5]);
  const b = build(DOUBLE, [2, 5, 9, 15, 1, 0, 0]);
  const ids = [0, 0, 0, 0, 0, 1, 1];
  const fn = (name: AggregateCall['fn']): AggregateCall => call(name, DOUBLE, DOUBLE, DOUBLE);
  // Group 0 pairs: (1,2) (2,5) (4,9) (7,15): means 3.5 and 7.75.
  it('computes covariances, correlation and regression, alone and merged', () => {
    for (const parts of [1, 2, 3]) {
      const covPop = run(fn('covar_pop'), ids, [a, b], 2, parts);
      expect(covPop[0]).toBeCloseTo(11.125, 12);
      expect(covPop[1]).toBe(0);
      expect(run(fn('covar_samp'), ids, [a, b], 2, parts)[0]).toBeCloseTo(44.5 / 3, 12);
      // A constant b: no correlation, and regr_slope(y, x) of a constant x is 0/0, as in DuckDB.
      const corr = run(fn('corr'), ids, [a, b], 2, parts);
      expect(corr[0]).toBeCloseTo(11.125 / Math.sqrt(5.25 * 23.6875), 12);
      expect(corr[1]).toBeNaN();
      const slope = run(fn('regr_slope'), ids, [b, a], 2, parts);
      expect(slope[0]).toBeCloseTo(11.125 / 5.25, 12);
      expect(run(fn('regr_slope'), ids, [a, b], 2, parts)[1]).toBeNaN();
      expect(run(fn('regr_intercept'), ids, [a, b], 2, parts)[1]).toBeNull();
      const intercept = run(fn('regr_intercept'), ids, [b, a], 2, parts)[0] as number;
      expect(intercept).toBeCloseTo(7.75 - (11.125 / 5.25) * 3.5, 12);
    }
  });
  it('is NULL without rows, covar_samp below two', () => {
    const one = build(DOUBLE, [1]);
    expect(run(fn('covar_samp'), [0], [one, one], 2)).toEqual([null, null]);
    expect(run(fn('covar_pop'), [0], [one, one], 2)).toEqual([0, null]);
  });
});
