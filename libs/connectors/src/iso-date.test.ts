import { describe, expect, it } from 'vitest';
import { parseDate } from '@tributary/common';
import { parseIsoDate } from './iso-date.ts';
import { parseDateBytes } from './csv/parse-csv-value.ts';

describe('parseIsoDate / parseDateBytes', () => {
  it('agree with parseDate of @tributary/common on every day from 1600 to 2400', () => {
    for (let days = -135_000; days < 157_000; days += 1) {
      const text = new Date(days * 86_400_000).toISOString().slice(0, 10);
      expect(parseIsoDate(text)).toBe(days);
      expect(parseDateBytes(Buffer.from(text), 0, 10)).toBe(days);
      if (days % 997 === 0) expect(parseDate(text)).toBe(days);
    }
  });

  it('refuses non-dates', () => {
    for (const text of [
      '2023-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-1-01',
      '2024-01-32',
      'abcd-01-01',
      '2024/01/01',
      '',
    ]) {
      expect(parseIsoDate(text)).toBeUndefined();
      expect(parseDateBytes(Buffer.from(text), 0, text.length)).toBeUndefined();
    }
    expect(parseIsoDate('2000-02-29')).toBe(11_016);
    expect(parseIsoDate('1900-02-29')).toBeUndefined();
  });
});
