import { DATE } from '@tributary/common';
import { column, exprToString } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { addInterval, parseInterval } from './sql-interval.ts';
import type { AstNode } from './sql-ast.ts';

const interval = (value: string | number, unit: string): AstNode => ({
  type: 'interval',
  expr: { type: 'single_quote_string', value },
  unit,
});

describe('intervals', () => {
  it('reads amounts and units, in either spelling', () => {
    expect(parseInterval(interval('90', 'day'))).toEqual({ months: 0, days: 90, micros: 0 });
    expect(parseInterval(interval(2, 'week'))).toEqual({ months: 0, days: 14, micros: 0 });
    expect(parseInterval(interval('1', 'quarter'))).toEqual({ months: 3, days: 0, micros: 0 });
    expect(parseInterval(interval('2 years', ''))).toEqual({ months: 24, days: 0, micros: 0 });
    expect(parseInterval(interval('1.5', 'day'))).toBeUndefined();
    expect(parseInterval(interval('3', 'century'))).toBeUndefined();
  });

  it('sums several parts of one interval string', () => {
    expect(parseInterval(interval('1 year 2 months', ''))).toEqual({ months: 14, days: 0, micros: 0 });
    expect(parseInterval(interval('1 month -3 days', ''))).toEqual({ months: 1, days: -3, micros: 0 });
    expect(parseInterval(interval('2 weeks 1 fortnight', ''))).toBeUndefined();
  });

  it('adds months before days and negates for subtraction', () => {
    const d = column(0, 'd', DATE);
    expect(exprToString(addInterval(d, { months: 1, days: 2, micros: 0 }, -1, undefined))).toBe(
      'CAST(date_add_days(date_add_months(d#0, -1), -2) AS TIMESTAMP)',
    );
    expect(addInterval(d, { months: 0, days: 0, micros: 0 }, 1, undefined).type.kind).toBe('TIMESTAMP');
    expect(() =>
      addInterval(column(0, 'n', { kind: 'INTEGER' }), { months: 0, days: 1, micros: 0 }, 1, {
        line: 1,
        column: 3,
      }),
    ).toThrow(expect.objectContaining({ code: 'TYPE_MISMATCH', line: 1, column: 3 }));
  });
});

describe('time parts of intervals', () => {
  it('reads hours, minutes and seconds as microseconds, and adds them to a TIMESTAMP', () => {
    expect(parseInterval(interval('3', 'hour'))).toEqual({ months: 0, days: 0, micros: 10_800_000_000 });
    expect(parseInterval(interval('1 day 2 minutes', ''))).toEqual({
      months: 0,
      days: 1,
      micros: 120_000_000,
    });
    const d = column(0, 'd', DATE);
    const shifted = addInterval(d, { months: 0, days: 1, micros: 5 }, -1, undefined);
    expect(shifted.type.kind).toBe('TIMESTAMP');
    expect(exprToString(shifted)).toBe('timestamp_add_micros(CAST(date_add_days(d#0, -1) AS TIMESTAMP), -5)');
  });
});
