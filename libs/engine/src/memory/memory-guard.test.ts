import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { assertMemoryAvailable, defaultMemoryLimits } from './memory-guard.ts';

describe('assertMemoryAvailable', () => {
  it('passes under the limits and fails clearly over them', () => {
    expect(() => assertMemoryAvailable('Sort', { dataBytes: Infinity, heapBytes: Infinity })).not.toThrow();
    expect(() => assertMemoryAvailable('HashJoin build', { dataBytes: 1, heapBytes: Infinity })).toThrow(
      expect.objectContaining({ code: 'QUERY_MEMORY_EXCEEDED', phase: 'resource', status: 503 }),
    );
    expect(() => assertMemoryAvailable('Sort', { dataBytes: Infinity, heapBytes: 1 })).toThrow(
      /Sort needs more memory/,
    );
  });

  it('counts the columns held outside the heap (ArrayBuffers)', () => {
    const MB = 1024 * 1024;
    const now = getHeapStatistics();
    const limits = { dataBytes: now.used_heap_size + now.external_memory + 64 * MB, heapBytes: Infinity };
    expect(() => assertMemoryAvailable('Sort', limits)).not.toThrow();
    const column = new Float64Array((128 * MB) / 8).fill(1);
    expect(() => assertMemoryAvailable('Sort', limits)).toThrow(/Sort needs more memory/);
    expect(column[column.length - 1]).toBe(1);
  });

  it('reads the limit from the environment', () => {
    expect(defaultMemoryLimits({ TRIBUTARY_MEMORY_LIMIT_MB: '100' }).dataBytes).toBe(712 * 1024 * 1024);
    expect(defaultMemoryLimits({}).dataBytes).toBeGreaterThan(0);
  });
});
