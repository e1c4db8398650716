import { describe, expect, it } from 'vitest';
import {
  LimitedMemoryPool,
  MemoryReservation,
  SharedMemoryPool,
  UnboundedMemoryPool,
  createSharedMemoryCounters,
  formatBytes,
} from './memory-pool.ts';

const KB = 1024;
const MB = 1024 * KB;

describe('memory pools and reservations', () => {
  it('refuse growth past a limit and name it', () => {
    const pool = new LimitedMemoryPool(100 * KB, 'test limit');
    const a = new MemoryReservation(pool, 'Sort');
    const b = new MemoryReservation(pool, 'HashJoin build');
    expect(a.tryGrow(60 * KB)).toBe(true);
    expect(b.tryGrow(50 * KB)).toBe(false);
    expect([a.size, b.size, pool.used()]).toEqual([60 * KB, 0, 60 * KB]);
    expect(b.tryResize(40 * KB)).toBe(true);
    expect(() => b.grow(1)).toThrow(
      expect.objectContaining({
        code: 'QUERY_MEMORY_EXCEEDED',
        message: expect.stringContaining(
          'HashJoin build needs 40 KB, more than the test limit of 100 KB allows',
        ),
      }),
    );
    b.resize(10 * KB);
    expect(pool.used()).toBe(70 * KB);
    a.free();
    b.free();
    a.free();
    expect(pool.used()).toBe(0);
    expect(new UnboundedMemoryPool().tryGrow(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('formats sizes below a megabyte and above a gigabyte', () => {
    expect([10, 64 * KB, 72.44 * KB, 256 * MB, 1.5 * 1024 * MB, 300 * KB].map(formatBytes)).toEqual([
      '0.1 KB',
      '64 KB',
      '72.4 KB',
      '256 MB',
      '1.5 GB',
      '300 KB',
    ]);
  });

  it('share one budget between pools on the same counters, as worker threads do', () => {
    const executor = createSharedMemoryCounters();
    const queryA = createSharedMemoryCounters();
    const queryB = createSharedMemoryCounters();
    // Two tasks of query A (two threads) and one of query B on one executor.
    const a1 = new SharedMemoryPool(executor, queryA, 1 * MB, 600 * KB);
    const a2 = new SharedMemoryPool(executor, queryA, 1 * MB, 600 * KB);
    const b1 = new SharedMemoryPool(executor, queryB, 1 * MB, 600 * KB);
    expect(a1.tryGrow(400 * KB)).toBe(true);
    expect(a2.tryGrow(300 * KB)).toBe(false);
    expect(a2.describeLimit()).toContain("the query's memory limit of 600 KB per executor");
    expect(b1.tryGrow(500 * KB)).toBe(true);
    expect(a2.tryGrow(150 * KB)).toBe(false);
    expect(a2.describeLimit()).toContain("the executor's memory limit of 1 MB");
    expect([a1.used(), b1.used()]).toEqual([400 * KB, 500 * KB]);
    a1.shrink(400 * KB);
    expect(a2.tryGrow(150 * KB)).toBe(true);
    expect(a1.used()).toBe(150 * KB);
  });

  it('leave no KiB behind in shared counters after odd-sized grows and shrinks', () => {
    const executor = createSharedMemoryCounters();
    const query = createSharedMemoryCounters();
    const pools = [0, 1, 2].map(() => new SharedMemoryPool(executor, query, 64 * MB, 64 * MB));
    const reservations = pools.map((p, i) => new MemoryReservation(p, `task ${i}`));
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff);
    for (let step = 0; step < 5000; step++) {
      const r = reservations[next() % 3];
      const bytes = next() % 5000;
      if (next() % 3 === 0) r.shrink(bytes);
      else r.grow(bytes);
    }
    const held = reservations.reduce((n, r) => n + r.size, 0);
    // Each pool charges ceil(its bytes / KiB): at most one KiB over per pool.
    expect(pools[0].used()).toBeGreaterThanOrEqual(held);
    expect(pools[0].used()).toBeLessThanOrEqual(held + 3 * KB);
    for (const r of reservations) r.free();
    expect(pools[0].used()).toBe(0);
    expect(Array.from(new Int32Array(executor))).toEqual([0, 0]);
  });
});
