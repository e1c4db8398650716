import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  DOUBLE,
  formatDate,
  formatTimestamp,
  HUGEINT,
  INTEGER,
  parseDate,
  parseTimestamp,
  VARCHAR,
} from '@tributary/common';
import { runtimeHelpers as H } from './runtime-helpers.ts';

describe('runtime helpers', () => {
  it('formats doubles as DuckDB casts them to VARCHAR', () => {
    // Expected strings taken from DuckDB 1.5 (SELECT x::DOUBLE::VARCHAR).
    const cases: [number, string][] = [
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [0.000123456, '0.000123456'],
      [1.5e-5, '1.5e-05'],
      [123456789.125, '123456789.125'],
      [9999999999999998, '9999999999999998.0'],
      [1e16, '1e+16'],
      [1e300, '1e+300'],
      [5e-324, '5e-324'],
      [1.2345678901234568e17, '1.2345678901234568e+17'],
      [1, '1.0'],
      [NaN, 'nan'],
      [-Infinity, '-inf'],
    ];
    for (const [v, text] of cases) expect(H.formatDouble(v)).toBe(text);
  });

  it('rounds half to even for DOUBLE → integer casts and half away from zero elsewhere', () => {
    expect([0.5, 1.5, 2.5, -2.5, -3.5, 2.4999].map(H.roundHalfEven)).toEqual([0, 2, 2, -2, -4, 2]);
    expect([0.5, -0.5, 2.5, -2.5].map(H.roundHalfAway)).toEqual([1, -1, 3, -3]);
    expect(H.rescale(-1235, 2, 1)).toBe(-124);
    expect(H.rescale(1234, 2, 1)).toBe(123);
    expect(H.roundDecimal(123450, 1, -2, 0)).toBe(12300);
  });

  it('adds months clamping the day, across years both ways', () => {
    const add = (d: string, n: number): string => formatDate(H.addMonths(parseDate(d) as number, n));
    expect(add('2024-01-31', 1)).toBe('2024-02-29');
    expect(add('2023-01-31', 1)).toBe('2023-02-28');
    expect(add('2024-03-31', -13)).toBe('2023-02-28');
    expect(add('1969-12-15', 1)).toBe('1970-01-15');
  });

  it('steps timestamp series by months, days and µs from the last value, up or down, empty for a zero step', () => {
    const us = (t: string) => parseTimestamp(t) as number;
    const text = (xs: bigint[]) => xs.map((x) => formatTimestamp(Number(x)).replace('T', ' '));
    expect(
      text(H.timestampRange(us('2024-01-31 12:00:00'), us('2024-04-29 12:00:00'), 1, 0, 0, true)),
    ).toEqual(['2024-01-31 12:00:00', '2024-02-29 12:00:00', '2024-03-29 12:00:00', '2024-04-29 12:00:00']);
    expect(
      text(
        H.timestampRange(us('2024-01-02 00:00:00'), us('2024-01-01 00:00:00'), 0, 0, -43_200_000_000, false),
      ),
    ).toEqual(['2024-01-02 00:00:00', '2024-01-01 12:00:00']);
    expect(
      H.timestampRange(us('1969-12-31 00:00:00'), us('1970-01-02 00:00:00'), 0, 1, 0, true),
    ).toHaveLength(3);
    expect(H.timestampRange(0, 10, 0, 0, 0, true)).toEqual([]);
  });

  it('aggregates a list as a group of its elements, with the types of the aggregate', () => {
    expect(H.listAggregate([1, 2, null, 4], 'sum', INTEGER, HUGEINT)).toBe(7n);
    expect(H.listAggregate([1, 2, null, 4], 'count', INTEGER, BIGINT)).toBe(3n);
    expect(H.listAggregate([], 'sum', INTEGER, HUGEINT)).toBeNull();
    expect(H.listAggregate(['b', 'a'], 'min', VARCHAR, VARCHAR)).toBe('a');
    expect(H.listAggregate([1, 2, 5, 4], 'median', INTEGER, DOUBLE)).toBe(3);
  });

  it('civil date parts for dates before the epoch', () => {
    const d = parseDate('1900-03-01') as number;
    expect([H.year(d), H.month(d), H.day(d), H.dayOfYear(d), H.dayOfWeek(d)]).toEqual([1900, 3, 1, 60, 4]);
  });
});
