import { describe, expect, it } from 'vitest';
import { addDecimalTexts, combineAggregatePartitions } from './combine-partitions.ts';

describe('combining partition answers', () => {
  it('adds decimal texts exactly', () => {
    expect(addDecimalTexts(['0.10', '0.20', '-0.05'])).toBe('0.25');
    expect(addDecimalTexts(['9007199254740993', '1'])).toBe('9007199254740994');
    expect(addDecimalTexts(['-1.5', '1.5'])).toBe('0');
  });

  it('adds counts and sums and takes the extremes of the parts, skipping NULLs', () => {
    const columns = ['n', 's', 'lo', 'hi'].map((name) => ({ name, type: 'DECIMAL(38,2)' }));
    const combined = combineAggregatePartitions([
      { columns, rows: [['2', '10.50', '3', '9']] },
      { columns, rows: [['0', null, null, null]] },
      { columns, rows: [['1', '-0.50', '-4', '12']] },
    ]);
    expect(combined.rows).toEqual([['3', '10', '-4', '12']]);
  });
});
