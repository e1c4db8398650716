import { describe, expect, it } from 'vitest';
import { formatDouble, formatFloat, parseDoubleText, shortestFloat } from './float-text.ts';

describe('FLOAT text', () => {
  it('shows a FLOAT by the shortest digits that read back as it, as DuckDB casts it', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [1.1 * 3, '3.3'],
      [Math.fround(1.1) * 3, '3.3000002'],
      [16777216, '16777216.0'],
      [1e10, '10000000000.0'],
      [1e20, '1e+20'],
      [1.5e-7, '1.5e-07'],
      [123456.789, '123456.79'],
      [-0, '-0.0'],
      [NaN, 'nan'],
      [-Infinity, '-inf'],
    ];
    for (const [value, text] of cases) expect(formatFloat(Math.fround(value)), String(value)).toBe(text);
    expect(shortestFloat(Math.fround(0.1))).toBe(0.1);
    expect(Math.fround(shortestFloat(Math.fround(Math.PI)))).toBe(Math.fround(Math.PI));
  });

  it('shows a DOUBLE by its shortest digits, in exponent form from 1e16', () => {
    expect([1, 0.1, 1e15, 1e16, 1e-5, 2.5e-300].map(formatDouble)).toEqual([
      '1.0',
      '0.1',
      '1000000000000000.0',
      '1e+16',
      '1e-05',
      '2.5e-300',
    ]);
  });

  it('reads number text as DuckDB casts it to DOUBLE', () => {
    expect(parseDoubleText(' 1.5e3 ')).toBe(1500);
    expect(parseDoubleText('.5')).toBe(0.5);
    expect(parseDoubleText('5.')).toBe(5);
    expect(parseDoubleText('1_000.2_5')).toBe(1000.25);
    expect(parseDoubleText('-Infinity')).toBe(-Infinity);
    expect(parseDoubleText('INF')).toBe(Infinity);
    expect(parseDoubleText('+nan')).toBeNaN();
    for (const bad of ['', ' ', '0x10', '1__0', '1_', 'abc', '1e', '--1', 'infinit'])
      expect(parseDoubleText(bad), bad).toBeUndefined();
  });
});
