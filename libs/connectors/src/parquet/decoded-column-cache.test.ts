import { describe, expect, it } from 'vitest';
import { DOUBLE } from '@tributary/common';
import { DecodedColumnCache } from './decoded-column-cache.ts';

const column = (rows: number) => [{ type: DOUBLE, length: rows, values: new Float64Array(rows) }];

describe('DecodedColumnCache', () => {
  it('evicts least recently used chunks beyond its byte budget', () => {
    const cache = new DecodedColumnCache(3 * 800);
    for (const k of ['a', 'b', 'c']) cache.set(k, column(100));
    expect(cache.usedBytes).toBe(2400);
    cache.get('a');
    cache.set('d', column(100));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('d')).toBeDefined();
    expect(cache.usedBytes).toBe(2400);
  });

  it('never keeps a chunk larger than the whole budget, and keys include size and mtime', () => {
    const cache = new DecodedColumnCache(100);
    cache.set('big', column(1000));
    expect(cache.size).toBe(0);
    expect(DecodedColumnCache.key('/f', 1, 2, 0, 'x')).not.toBe(DecodedColumnCache.key('/f', 1, 3, 0, 'x'));
  });
});
