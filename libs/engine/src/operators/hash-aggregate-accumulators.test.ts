import {
  ColumnBuilder,
  BIGINT,
  BOOLEAN,
  decimal,
  DOUBLE,
  INTEGER,
  listAt,
  listOf,
  VARCHAR,
  type ColumnBuffers,
} from '@tributary/common';
import { column, type AggregateCall } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { aggregatesMergeable, createAccumulator } from './hash-aggregate-accumulators.ts';
import { columnValue } from './column-value.ts';
import { discreteIndex } from './quantile-accumulator.ts';

function build(
  type: Parameters<typeof column>[2],
  values: (number | string | boolean | null)[],
): ColumnBuffers {
  const b = new ColumnBuilder(type, values.length);
  for (const v of values) {
    if (v === null) b.appendNull();
    else if (typeof v === 'string') b.appendString(v);
    else if (typeof v === 'boolean') b.appendBoolean(v);
    else b.appendNumber(v);
  }
  return b.finish();
}

/** Runs `call` over groups (ids) in one pass, or split in `parts` partial passes merged by a final one. */
function run(
  call: AggregateCall,
  ids: number[],
  args: ColumnBuffers[],
  groups: number,
  parts = 1,
): (number | string | boolean | null)[] {
  const read = (c: ColumnBuffers): (number | string | boolean | null)[] =>
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
    const states = partial.emitState(0, groups);
    final.update(
      Int32Array.from({ length: groups }, (_, g) => g),
      states,
      null,
      groups,
    );
  }
  return read(final.emit(0, groups)[0]);
}

const x = (type = DOUBLE) => column(0, 'x', type);

describe('variance aggregates', () => {
  const values = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16, null, 2];
  const ids = [0, 0, 0, 0, 0, 1];
  const data = build(DOUBLE, values);
  it('computes sample and population variance stably (large offset) and NULL below enough values', () => {
    const call = (fn: AggregateCall['fn']): AggregateCall => ({
      fn,
      arg: x(),
      distinct: false,
      type: DOUBLE,
    });
    expect(run(call('var_samp'), ids, [data], 2)).toEqual([30, null]);
    expect(run(call('var_pop'), ids, [data], 2)).toEqual([22.5, 0]);
    expect(run(call('stddev_samp'), ids, [data], 2)[0]).toBeCloseTo(Math.sqrt(30), 9);
  });
  it('merges partial states to the same answer', () => {
    const call: AggregateCall = { fn: 'var_samp', arg: x(), distinct: false, type: DOUBLE };
    expect(run(call, ids, [data], 2, 3)[0]).toBeCloseTo(30, 6);
    expect(run({ ...call, fn: 'stddev_pop' }, ids, [data], 2, 2)[1]).toBe(0);
  });
});

describe('bool_and / bool_or', () => {
  it('skips NULLs, is NULL without values, and merges', () => {
    const data = build(BOOLEAN, [true, false, null, true, null]);
    const ids = [0, 0, 1, 1, 2];
    const and: AggregateCall = { fn: 'bool_and', arg: x(BOOLEAN), distinct: false, type: BOOLEAN };
    expect(run(and, ids, [data], 3)).toEqual([false, true, null]);
    expect(run({ ...and, fn: 'bool_or' }, ids, [data], 3, 2)).toEqual([true, true, null]);
  });
});

describe('string_agg', () => {
  const names = build(VARCHAR, ['b', 'é', null, 'a', 'c']);
  const keys = build(INTEGER, [3, 1, 0, 2, null]);
  const ids = [0, 0, 0, 0, 1];
  it('orders by its ORDER BY keys, NULLs last', () => {
    const call: AggregateCall = {
      fn: 'string_agg',
      arg: x(VARCHAR),
      distinct: false,
      type: VARCHAR,
      param: '→',
      orderBy: [{ expr: column(1, 'k', INTEGER), ascending: false, nullsFirst: false }],
    };
    expect(run(call, ids, [names, keys], 2)).toEqual(['b→a→é', 'c']);
    expect(aggregatesMergeable([call])).toBe(false);
  });
  it('without ORDER BY merges partial texts', () => {
    const call: AggregateCall = {
      fn: 'string_agg',
      arg: x(VARCHAR),
      distinct: false,
      type: VARCHAR,
      param: ',',
    };
    const [joined] = run(call, ids, [names], 2, 2) as string[];
    expect(joined.split(',').sort()).toEqual(['a', 'b', 'é']);
    expect(aggregatesMergeable([call])).toBe(true);
  });
});

describe('median and quantiles', () => {
  it('interpolates doubles, truncates decimal steps and picks discrete positions as DuckDB', () => {
    const ints = build(INTEGER, [4, 1, 3, 2, null]);
    const ids = [0, 0, 0, 0, 0];
    const median: AggregateCall = { fn: 'median', arg: x(INTEGER), distinct: false, type: DOUBLE };
    expect(run(median, ids, [ints], 1)).toEqual([2.5]);
    const cont: AggregateCall = {
      fn: 'quantile_cont',
      arg: x(INTEGER),
      distinct: false,
      type: DOUBLE,
      param: 0.3,
    };
    expect(run(cont, ids, [ints], 1)[0]).toBeCloseTo(1.9, 12);
    const disc: AggregateCall = {
      fn: 'quantile_disc',
      arg: x(INTEGER),
      distinct: false,
      type: INTEGER,
      param: 0.3,
    };
    expect(run(disc, ids, [ints], 1)).toEqual([2]);
    // (-1.04 + -1.03) / 2 on DECIMAL(3,2) is -1.04 in DuckDB: the step is truncated.
    const decimals = build(decimal(3, 2), [-104, -103]);
    const dmedian: AggregateCall = {
      fn: 'median',
      arg: x(decimal(3, 2)),
      distinct: false,
      type: decimal(3, 2),
    };
    expect(run(dmedian, [0, 0], [decimals], 1)).toEqual([-104]);
    expect(run(median, [], [build(INTEGER, [])], 1)).toEqual([null]);
  });
  it('takes the quantile among the values in descending order when asked, as DuckDB does', () => {
    // DuckDB over range(10): percentile_disc(0.9) WITHIN GROUP (ORDER BY x DESC) is 1 (not
    // quantile_disc(x, 0.1), 0), percentile_cont(0.9) … DESC is 0.9000000000000004.
    const values = build(INTEGER, [3, 7, 0, 9, null, 1, 5, 2, 8, 4, 6]);
    const ids = Array.from({ length: 11 }, () => 0);
    const desc = [{ expr: x(INTEGER), ascending: false, nullsFirst: false }];
    const disc: AggregateCall = {
      fn: 'quantile_disc',
      arg: x(INTEGER),
      distinct: false,
      type: INTEGER,
      param: 0.9,
      orderBy: desc,
    };
    expect(run(disc, ids, [values], 1)).toEqual([1]);
    expect(run({ ...disc, orderBy: undefined }, ids, [values], 1)).toEqual([8]);
    const cont: AggregateCall = { ...disc, fn: 'quantile_cont', type: DOUBLE };
    expect(run(cont, ids, [values], 1)).toEqual([0.9000000000000004]);
  });
  it('gives mode ties to the first value seen, or the first in the order asked for', () => {
    const values = build(INTEGER, [5, 3, null, 5, 3, 9, null]);
    const ids = Array.from({ length: 7 }, () => 0);
    const mode: AggregateCall = { fn: 'mode', arg: x(INTEGER), distinct: false, type: INTEGER };
    expect(run(mode, ids, [values], 1)).toEqual([5]);
    const ascending = [{ expr: x(INTEGER), ascending: true, nullsFirst: false }];
    expect(run({ ...mode, orderBy: ascending }, ids, [values], 1)).toEqual([3]);
    expect(run({ ...mode, orderBy: [{ ...ascending[0], ascending: false }] }, ids, [values], 1)).toEqual([5]);
  });
  it('has DuckDB discrete indexes', () => {
    expect(discreteIndex(4, 0.3)).toBe(1);
    expect(discreteIndex(2, 0.5)).toBe(0);
    expect(discreteIndex(5, 1)).toBe(4);
    expect(discreteIndex(5, 0)).toBe(0);
  });
  it('is never split into partial and final', () => {
    const median: AggregateCall = { fn: 'median', arg: x(BIGINT), distinct: false, type: DOUBLE };
    expect(aggregatesMergeable([median])).toBe(false);
    expect(() => createAccumulator(median, 'partial')).toThrow();
  });
});

describe('list with FILTER and DISTINCT', () => {
  const values = build(INTEGER, [3, null, 1, 3, null, 2, 5]);
  const ids = Int32Array.from([0, 0, 0, 0, 0, 0, 1]);
  const keep = build(BOOLEAN, [true, true, false, true, true, null, false]);
  const list = (distinct: boolean, filtered: boolean): AggregateCall => ({
    fn: 'list',
    arg: x(INTEGER),
    distinct,
    type: listOf(INTEGER),
    ...(filtered ? { arg2: column(1, 'keep', BOOLEAN) } : {}),
  });
  const lists = (c: ColumnBuffers) => Array.from({ length: c.length }, (_, g) => listAt(c, g));
  const args = (call: AggregateCall) => (call.arg2 ? [values, keep] : [values]);

  it('keeps only the rows its FILTER passes, NULL values among them, in one pass and merged', () => {
    const call = list(false, true);
    const single = createAccumulator(call, 'single');
    single.resize(2);
    single.update(ids, args(call), null, ids.length);
    expect(lists(single.emit(0, 2)[0])).toEqual([[3, null, 3, null], null]);
    const final = createAccumulator(call, 'final');
    final.resize(2);
    for (const rows of [Uint32Array.from([0, 2, 4, 6]), Uint32Array.from([1, 3, 5])]) {
      const partial = createAccumulator(call, 'partial');
      partial.resize(2);
      partial.update(ids, args(call), rows, rows.length);
      final.update(Int32Array.from([0, 1]), partial.emitState(0, 2), null, 2);
    }
    expect(lists(final.emit(0, 2)[0])).toEqual([[3, null, null, 3], null]);
  });

  it('keeps one NULL among the distinct values, as DuckDB does, and leaves filtered rows unseen', () => {
    const distinctLists = (call: AggregateCall) => {
      const acc = createAccumulator(call, 'single');
      acc.resize(2);
      acc.update(ids, args(call), null, ids.length);
      return lists(acc.emit(0, 2)[0]);
    };
    expect(distinctLists(list(true, false))).toEqual([[3, null, 1, 2], [5]]);
    // Row 2 (1) is filtered out and row 5 (2) has a NULL condition: neither counts; the later 3 is a repeat.
    expect(distinctLists(list(true, true))).toEqual([[3, null], null]);
  });
});
