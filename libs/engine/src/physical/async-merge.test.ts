import { describe, expect, it } from 'vitest';
import { concatAsync, mergeAsync } from './async-merge.ts';

async function* numbers(
  from: number,
  count: number,
  delayMs: number,
  failAt?: number,
): AsyncGenerator<number> {
  for (let i = 0; i < count; i++) {
    await new Promise((r) => setTimeout(r, delayMs));
    if (i === failAt) throw new Error(`source ${from} failed`);
    yield from + i;
  }
}

describe('mergeAsync', () => {
  it('yields every item of every source', async () => {
    const out: number[] = [];
    for await (const n of mergeAsync([numbers(0, 5, 1), numbers(100, 3, 2), numbers(200, 0, 1)])) out.push(n);
    expect(out.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 100, 101, 102]);
  });

  it('fails with the first error and stops the other sources', async () => {
    let finished = false;
    async function* endless() {
      try {
        for (let i = 0; ; i++) {
          await new Promise((r) => setTimeout(r, 1));
          yield i;
        }
      } finally {
        finished = true;
      }
    }
    await expect(async () => {
      for await (const _ of mergeAsync([endless(), numbers(0, 10, 3, 2)])) void _;
    }).rejects.toThrow('source 0 failed');
    expect(finished).toBe(true);
  });

  it('keeps producers at most `capacity` items ahead', async () => {
    let produced = 0;
    async function* counting() {
      for (let i = 0; i < 100; i++) {
        produced++;
        yield i;
      }
    }
    const it = mergeAsync([counting()], 2)[Symbol.asyncIterator]();
    await it.next();
    await new Promise((r) => setTimeout(r, 20));
    expect(produced).toBeLessThanOrEqual(4);
    await it.return?.(undefined);
  });
});

describe('concatAsync', () => {
  it('yields sources in order even when later ones are faster', async () => {
    const out: number[] = [];
    for await (const n of concatAsync([numbers(0, 4, 5), numbers(100, 3, 1), numbers(200, 2, 0)]))
      out.push(n);
    expect(out).toEqual([0, 1, 2, 3, 100, 101, 102, 200, 201]);
  });

  it('fails with an error from any source, and stops early without hanging', async () => {
    await expect(async () => {
      for await (const _ of concatAsync([numbers(0, 50, 2), numbers(100, 5, 1, 1)])) void _;
    }).rejects.toThrow('source 100 failed');
    const out: number[] = [];
    for await (const n of concatAsync([numbers(0, 100, 1), numbers(100, 100, 1)])) {
      out.push(n);
      if (out.length === 3) break;
    }
    expect(out).toEqual([0, 1, 2]);
  });
});
