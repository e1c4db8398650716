import { describe, expect, it } from 'vitest';
import { closestNames } from './did-you-mean.ts';

describe('closestNames', () => {
  it('suggests close names, best first, and nothing for unrelated ones', () => {
    expect(closestNames('lineitm', ['orders', 'lineitem', 'nation'])).toEqual(['lineitem']);
    expect(closestNames('L_QUANTIY', ['l_quantity', 'l_quality', 'l_tax'])[0]).toBe('l_quantity');
    expect(closestNames('zzz', ['orders', 'lineitem'])).toEqual([]);
  });
});
