import { describe, expect, it } from 'vitest';
import { TPCH_QUERY_NUMBERS, tpchQuery } from './tpch-queries.ts';

describe('tpchQuery', () => {
  it('reads each of the 22 queries as one statement without its terminator', () => {
    expect(TPCH_QUERY_NUMBERS).toHaveLength(22);
    for (const n of TPCH_QUERY_NUMBERS) {
      const sql = tpchQuery(n);
      expect(sql.startsWith('select') || sql.startsWith('with'), `q${n}`).toBe(true);
      expect(sql.endsWith(';'), `q${n}`).toBe(false);
    }
  });

  it('refuses numbers outside 1 to 22', () => {
    expect(() => tpchQuery(23)).toThrow(RangeError);
    expect(() => tpchQuery(0)).toThrow(RangeError);
  });
});
