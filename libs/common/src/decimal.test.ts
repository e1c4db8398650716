import { describe, expect, it } from 'vitest';
import {
  bigRescale,
  formatDecimal,
  formatExactDecimal,
  parseDecimal,
  parseExactDecimal,
  parseExactInteger,
  rescaleDecimal,
} from './decimal.ts';

describe('decimal', () => {
  it('parses text into unscaled integers, rounding half away from zero', () => {
    expect(parseDecimal('17.00', 2)).toBe(1700);
    expect(parseDecimal('-0.5', 0)).toBe(-1);
    expect(parseDecimal('0.125', 2)).toBe(13);
    expect(parseDecimal('.5', 1)).toBe(5);
    expect(parseDecimal('12', 3)).toBe(12000);
    expect(parseDecimal('1e2', 1)).toBe(1000);
    expect(parseDecimal('abc', 2)).toBeUndefined();
    expect(parseDecimal('.', 2)).toBeUndefined();
  });

  it('formats exactly', () => {
    expect(formatDecimal(1700, 2)).toBe('17.00');
    expect(formatDecimal(-5, 2)).toBe('-0.05');
    expect(formatDecimal(123456789012345, 4)).toBe('12345678901.2345');
    expect(formatDecimal(42, 0)).toBe('42');
  });

  it('rescales with rounding', () => {
    expect(rescaleDecimal(12345, 3, 1)).toBe(123);
    expect(rescaleDecimal(-12350, 3, 1)).toBe(-124);
    expect(rescaleDecimal(12, 0, 2)).toBe(1200);
  });
});

describe('exact decimal text', () => {
  it('parses as DuckDB casts text, rounding half away from zero at the scale', () => {
    expect(parseExactDecimal('99999999999999999999.99', 2)).toBe(9999999999999999999999n);
    expect(parseExactDecimal('1.005', 2)).toBe(101n);
    expect(parseExactDecimal('-0.005', 2)).toBe(-1n);
    expect(parseExactDecimal(' 1e2 ', 1)).toBe(1000n);
    expect(parseExactDecimal('1_000.5', 0)).toBe(1001n);
    expect(parseExactDecimal('.5', 1)).toBe(5n);
    expect(parseExactDecimal('abc', 0)).toBeUndefined();
    expect(parseExactDecimal('', 0)).toBeUndefined();
    expect(parseExactInteger('0x10')).toBe(16n);
    expect(parseExactInteger('-2.5')).toBe(-3n);
  });

  it('formats and rescales exactly', () => {
    expect(formatExactDecimal(-5n, 2)).toBe('-0.05');
    expect(formatExactDecimal(12345678901234567890123n, 3)).toBe('12345678901234567890.123');
    expect(bigRescale(-12345n, 3, 1)).toBe(-123n);
    expect(bigRescale(-12355n, 3, 1)).toBe(-124n);
    expect(bigRescale(7n, 0, 20)).toBe(700000000000000000000n);
  });
});
