import { describe, expect, it } from 'vitest';
import { DATE, INTEGER } from '@tributary/common';
import { column, type FrameBound, type WindowFrame } from '@tributary/plan';
import { testColumn } from './operator-test-support.ts';
import { frameBounds, rangeKeyOf, type PartitionRows } from './window-frame-bounds.ts';
import { ntile } from './window-ranking.ts';

/** Peer groups of sorted keys (null ties with null). */
function partition(keys: readonly (number | null)[]): PartitionRows {
  const n = keys.length;
  const peerStart = new Int32Array(n);
  const peerEnd = new Int32Array(n);
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && keys[i] === keys[i - 1]) continue;
    for (let k = start; k < i; k++) {
      peerStart[k] = start;
      peerEnd[k] = i;
    }
    start = i;
  }
  return { start: 0, end: n, peerStart, peerEnd };
}

function frames(
  frame: WindowFrame,
  keys: readonly (number | null)[],
  options: { ascending?: boolean; nullsFirst?: boolean; type?: typeof INTEGER } = {},
): [number, number][] {
  const part = partition(keys);
  const type = options.type ?? INTEGER;
  const key = {
    expr: column(0, 'k', type),
    ascending: options.ascending ?? true,
    nullsFirst: options.nullsFirst ?? false,
  };
  const start = new Int32Array(keys.length);
  const end = new Int32Array(keys.length);
  frameBounds(frame, part, rangeKeyOf(testColumn(type, keys), key), start, end);
  return [...start].map((s, i) => [s, end[i]]);
}

const b = (kind: FrameBound['kind'], value = 0): FrameBound =>
  kind === 'preceding' || kind === 'following'
    ? { kind, offset: { kind: 'value', value } }
    : ({ kind } as FrameBound);

describe('frameBounds', () => {
  it('clamps ROWS frames at the partition edges and empties frames past them', () => {
    const frame: WindowFrame = { units: 'rows', start: b('preceding', 1), end: b('following', 1) };
    expect(frames(frame, [1, 2, 3])).toEqual([
      [0, 2],
      [0, 3],
      [1, 3],
    ]);
    const ahead: WindowFrame = { units: 'rows', start: b('following', 2), end: b('following', 4) };
    expect(frames(ahead, [1, 2, 3, 4])).toEqual([
      [2, 4],
      [3, 4],
      [4, 4],
      [4, 4],
    ]);
  });

  it('takes whole peer groups under RANGE CURRENT ROW', () => {
    const frame: WindowFrame = { units: 'range', start: b('current-row'), end: b('current-row') };
    expect(frames(frame, [1, 1, 2, 2, 2, 5])).toEqual([
      [0, 2],
      [0, 2],
      [2, 5],
      [2, 5],
      [2, 5],
      [5, 6],
    ]);
  });

  it('measures RANGE offsets on the key, NULL keys framing only their peers', () => {
    const frame: WindowFrame = { units: 'range', start: b('preceding', 2), end: b('following', 1) };
    expect(frames(frame, [1, 2, 4, 7, null, null])).toEqual([
      [0, 2],
      [0, 2],
      [1, 3],
      [3, 4],
      [4, 6],
      [4, 6],
    ]);
    // Descending: "preceding" rows have larger keys.
    expect(frames(frame, [null, 7, 4, 2, 1], { ascending: false, nullsFirst: true })).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [2, 5],
      [3, 5],
    ]);
  });

  it('shifts DATE keys by calendar months', () => {
    const frame: WindowFrame = {
      units: 'range',
      start: { kind: 'preceding', offset: { kind: 'interval', months: 1, days: 0, micros: 0 } },
      end: b('current-row'),
    };
    // 2021-01-31, 2021-02-28, 2021-03-28, 2021-03-31: a month before March 31 is February 28.
    const days = [18658, 18686, 18714, 18717];
    expect(frames(frame, days, { type: DATE })).toEqual([
      [0, 1],
      [0, 2],
      [1, 3],
      [1, 4],
    ]);
  });

  it('gives an empty frame when the end lies before the start', () => {
    const frame: WindowFrame = { units: 'range', start: b('following', 5), end: b('following', 6) };
    expect(frames(frame, [1, 2, 3])).toEqual([
      [3, 3],
      [3, 3],
      [3, 3],
    ]);
  });
});

describe('ntile', () => {
  it('cuts rows into buckets of sizes differing by at most one, bigger first', () => {
    expect(Array.from({ length: 10 }, (_, r) => ntile(4, 10, r))).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 4, 4]);
  });

  it('numbers rows 1..n when there are more buckets than rows', () => {
    expect(Array.from({ length: 3 }, (_, r) => ntile(10, 3, r))).toEqual([1, 2, 3]);
  });

  it('refuses a bucket count below one', () => {
    expect(() => ntile(0, 3, 0)).toThrow(/positive/);
  });
});
