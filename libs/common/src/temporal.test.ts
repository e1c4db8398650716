import { describe, expect, it } from 'vitest';
import {
  addMonthsToDate,
  formatDate,
  formatTime,
  formatTimestamp,
  parseDate,
  parseTime,
  parseTimestamp,
} from './temporal.ts';

describe('temporal', () => {
  it('round-trips dates, including leap days and early years', () => {
    for (const text of ['1970-01-01', '1996-03-13', '2000-02-29', '1969-12-31', '0001-01-01', '9999-12-31']) {
      expect(formatDate(parseDate(text)!)).toBe(text);
    }
    expect(parseDate('1970-01-02')).toBe(1);
    expect(parseDate('2001-02-29')).toBeUndefined();
    expect(parseDate('1996-13-01')).toBeUndefined();
  });

  it('parses and formats timestamps to the microsecond', () => {
    expect(parseTimestamp('1970-01-01 00:00:01.5')).toBe(1_500_000);
    expect(formatTimestamp(parseTimestamp('2024-02-29T23:59:59.000123')!)).toBe('2024-02-29T23:59:59.000123');
    expect(formatTimestamp(parseTimestamp('1969-12-31 23:00:00')!)).toBe('1969-12-31T23:00:00');
    expect(parseTimestamp('2024-01-01 24:00:00')).toBeUndefined();
  });

  it('reads a zone as the UTC instant for TIMESTAMP WITH TIME ZONE, and ignores it for TIMESTAMP', () => {
    const utc = parseTimestamp('2024-01-01 08:00:00')!;
    expect(parseTimestamp('2024-01-01 10:00:00+02', true)).toBe(utc);
    expect(parseTimestamp('2024-01-01T02:30:00-05:30', true)).toBe(utc);
    expect(parseTimestamp('2024-01-01 13:30:00+0530', true)).toBe(utc);
    expect(parseTimestamp('2024-01-01 08:00:00Z', true)).toBe(utc);
    expect(parseTimestamp('2024-01-01 08:00:00', true)).toBe(utc);
    expect(parseTimestamp('2024-01-01 08:00:00+02')).toBe(utc);
    expect(parseTimestamp('2024-01-01 08:00:00+2', true)).toBeUndefined();
    expect(formatTimestamp(utc + 500_000, ' ', true)).toBe('2024-01-01 08:00:00.5+00');
    expect(formatTimestamp(utc, 'T', true)).toBe('2024-01-01T08:00:00+00:00');
  });
});

describe('times of day', () => {
  it('read as DuckDB casts text to TIME, up to 24:00:00, and print back', () => {
    expect(parseTime('12:30')).toBe(45_000_000_000);
    expect(parseTime('3:4:5.5')).toBe(((3 * 60 + 4) * 60 + 5.5) * 1e6);
    expect(parseTime('10:00:00.1234567')).toBe(36_000_123_456);
    expect(parseTime('2024-01-01 10:00:00')).toBe(36_000_000_000);
    expect(parseTime('10:00:00+02')).toBe(36_000_000_000);
    expect(parseTime('24:00:00')).toBe(86_400_000_000);
    for (const bad of ['12', '24:00:01', '10:60', '23:59:60', ' 10:00', 'T10:00', '10:00 PM'])
      expect(parseTime(bad), bad).toBeUndefined();
    expect(
      ['00:00:00', '23:59:59.999999', '24:00:00', '03:04:05.5'].map((t) => formatTime(parseTime(t)!)),
    ).toEqual(['00:00:00', '23:59:59.999999', '24:00:00', '03:04:05.5']);
  });
});

describe('addMonthsToDate', () => {
  it('clamps to the end of shorter months and crosses years', () => {
    const add = (date: string, months: number) => formatDate(addMonthsToDate(parseDate(date)!, months));
    expect(add('2024-01-31', 1)).toBe('2024-02-29');
    expect(add('2023-01-31', 1)).toBe('2023-02-28');
    expect(add('1998-12-01', -3)).toBe('1998-09-01');
    expect(add('1995-11-30', 3)).toBe('1996-02-29');
    expect(add('2000-03-15', -15)).toBe('1998-12-15');
  });
});

describe('formatDate', () => {
  it('agrees with the calendar for every day over four centuries and before the epoch', () => {
    for (let days = -150_000; days < 150_000; days += 7) {
      expect(formatDate(days)).toBe(new Date(days * 86_400_000).toISOString().slice(0, 10));
    }
  });
});
