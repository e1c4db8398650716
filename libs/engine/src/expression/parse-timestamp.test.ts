import { ExecutionError } from '@tributary/common';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from './parse-timestamp.ts';
import { textHelpers } from './text-helpers.ts';

const at = (iso: string): number => Date.parse(`${iso}Z`) * 1000;

describe('parseTimestamp (strptime)', () => {
  it('reads DuckDB specifiers', () => {
    expect(parseTimestamp('2023-05-07 10:11:12', '%Y-%m-%d %H:%M:%S')).toBe(at('2023-05-07T10:11:12'));
    expect(parseTimestamp('07/05/23 3:04 PM', '%d/%m/%y %I:%M %p')).toBe(at('2023-05-07T15:04:00'));
    expect(parseTimestamp('2021-03-04 05:06:07.25', '%Y-%m-%d %H:%M:%S.%f')).toBe(
      at('2021-03-04T05:06:07.250'),
    );
    expect(parseTimestamp('Mar 4 2021', '%b %d %Y')).toBe(at('2021-03-04T00:00:00'));
    expect(parseTimestamp('2021-032', '%Y-%j')).toBe(at('2021-02-01T00:00:00'));
    expect(parseTimestamp('2021-03-04T05:06:07+02:00', '%Y-%m-%dT%H:%M:%S%z')).toBe(
      at('2021-03-04T03:06:07'),
    );
  });
  it('fails with a typed error on text that does not match', () => {
    expect(() => parseTimestamp('2023-05-07', '%Y-%m-%d %H')).toThrow(ExecutionError);
    expect(() => parseTimestamp('2023-13-07', '%Y-%m-%d')).toThrow(ExecutionError);
    expect(() => parseTimestamp('2023-05-07x', '%Y-%m-%d')).toThrow(/could not parse/);
  });
});

describe('DuckDB text helpers', () => {
  it('ascii and chr by code point', () => {
    expect(textHelpers.ascii('Äb')).toBe(196);
    expect(textHelpers.ascii('')).toBe(0);
    expect(textHelpers.chr(8364)).toBe('€');
    expect(() => textHelpers.chr(-1)).toThrow(ExecutionError);
  });
  it('regexp_extract: a group of the first match, empty without one', () => {
    expect(textHelpers.regexpExtract('abc123def456', '[0-9]+', 0)).toBe('123');
    expect(textHelpers.regexpExtract('abc123', '([a-z]+)([0-9]+)', 2)).toBe('123');
    expect(textHelpers.regexpExtract('abc', 'x', 0)).toBe('');
    expect(textHelpers.regexpExtract('abc', '(a)|(x)', 2)).toBe('');
    expect(() => textHelpers.regexpExtract('abc', '(a)', 2)).toThrow(ExecutionError);
  });
  it('SIMILAR TO matches the whole text', () => {
    expect(textHelpers.regexpFullMatch('abc', 'a.*')).toBe(true);
    expect(textHelpers.regexpFullMatch('abc', 'b')).toBe(false);
    expect(textHelpers.regexpFullMatch('abc', 'a|abc')).toBe(true);
  });
});
