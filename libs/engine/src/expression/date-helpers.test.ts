import { daysFromValidCivil } from '@tributary/common';
import { describe, expect, it } from 'vitest';
import { dateHelpers as H } from './date-helpers.ts';

const day = (y: number, m: number, d: number): number => daysFromValidCivil(y, m, d);
const US_PER_DAY = 86_400_000_000;

describe('date helpers', () => {
  it('ISO weeks, years and weekdays', () => {
    expect(H.isoWeek(day(2021, 1, 1))).toBe(53);
    expect(H.isoYear(day(2021, 1, 1))).toBe(2020);
    expect(H.isoWeek(day(2020, 1, 1))).toBe(1);
    expect(H.isoDayOfWeek(day(2020, 1, 5))).toBe(7);
  });
  it('date_diff counts calendar boundaries for months, quarters and years', () => {
    expect(H.diffMonths(day(2020, 1, 31), day(2020, 2, 1))).toBe(1);
    expect(H.diffQuarters(day(2020, 3, 31), day(2020, 4, 1))).toBe(1);
    expect(H.diffYears(day(2020, 12, 31), day(2021, 1, 1))).toBe(1);
    expect(H.diffMonths(day(2020, 3, 1), day(2020, 1, 31))).toBe(-2);
  });
  it('strftime names the zone of a TIMESTAMP WITH TIME ZONE only', () => {
    expect(H.strftime(0, '%z|%Z', true)).toBe('+00|UTC');
    expect(H.strftime(0, '%z|%Z')).toBe('+00|');
  });

  it('strftime with DuckDB specifiers', () => {
    const t = day(2020, 3, 4) * US_PER_DAY + ((15 * 60 + 6) * 60 + 7) * 1_000_000 + 89_000;
    expect(H.strftime(t, '%Y-%m-%d %H:%M:%S %y %b %B %a %A %j %f %p %I %%')).toBe(
      '2020-03-04 15:06:07 20 Mar March Wed Wednesday 064 089000 PM 03 %',
    );
    expect(H.strftime(day(2020, 3, 4) * US_PER_DAY + 5 * 3_600_000_000, '%-d %-m %-H %g %w %u %V %G')).toBe(
      '4 3 5 000 3 3 10 2020',
    );
    expect(() => H.strftime(0, '%Q')).toThrow(/unsupported/);
  });
  it('make_date rejects impossible dates', () => {
    expect(H.makeDate(2000, 2, 29)).toBe(day(2000, 2, 29));
    expect(() => H.makeDate(2001, 2, 29)).toThrow(/out of range/);
  });
});
