import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { releaseMemory } from './release-memory.ts';

const MB = 1024 * 1024;

describe('releaseMemory', () => {
  it('collects a burst’s garbage and gives back the heap it grew to', () => {
    releaseMemory();
    const baseline = getHeapStatistics();
    let burst: { a: number; b: string }[] | undefined = [];
    for (let i = 0; i < 1_000_000; i++) burst.push({ a: i, b: `x${i}` });
    const grown = getHeapStatistics();
    expect(grown.total_heap_size).toBeGreaterThan(baseline.total_heap_size + 40 * MB);
    burst = undefined;
    releaseMemory();
    const after = getHeapStatistics();
    expect(after.used_heap_size).toBeLessThan(baseline.used_heap_size + 10 * MB);
    expect(after.total_heap_size).toBeLessThan(grown.total_heap_size - 30 * MB);
  });
});
