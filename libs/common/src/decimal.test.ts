import { describe, expect, it } from 'vitest';
import { formatDecimal, parseDecimal, rescaleDecimal } from './decimal.ts';

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
