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
    expect(parseInterval(interval('90', 'day'))).toEqual({ months: 0, days: 90 });
    expect(parseInterval(interval(2, 'week'))).toEqual({ months: 0, days: 14 });
    expect(parseInterval(interval('1', 'quarter'))).toEqual({ months: 3, days: 0 });
    expect(parseInterval(interval('2 years', ''))).toEqual({ months: 24, days: 0 });
    expect(parseInterval(interval('1.5', 'day'))).toBeUndefined();
    expect(parseInterval(interval('3', 'hour'))).toBeUndefined();
  });

  it('sums several parts of one interval string', () => {
    expect(parseInterval(interval('1 year 2 months', ''))).toEqual({ months: 14, days: 0 });
    expect(parseInterval(interval('1 month -3 days', ''))).toEqual({ months: 1, days: -3 });
    expect(parseInterval(interval('2 weeks 1 fortnight', ''))).toBeUndefined();
  });

  it('adds months before days and negates for subtraction', () => {
    const d = column(0, 'd', DATE);
    expect(exprToString(addInterval(d, { months: 1, days: 2 }, -1, undefined))).toBe(
      'date_add_days(date_add_months(d#0, -1), -2)',
    );
    expect(addInterval(d, { months: 0, days: 0 }, 1, undefined).type).toEqual(DATE);
    expect(() =>
      addInterval(column(0, 'n', { kind: 'INTEGER' }), { months: 0, days: 1 }, 1, { line: 1, column: 3 }),
    ).toThrow(expect.objectContaining({ code: 'TYPE_MISMATCH', line: 1, column: 3 }));
  });
});
