import { addMonthsToDate, type ColumnBuffers } from '@tributary/common';
import type { FrameBound, FrameOffset, SortKey, WindowFrame } from '@tributary/plan';
import { isValidAt, numericValues } from './window-column-values.ts';

const MICROS_PER_DAY = 86_400_000_000;

/** One partition's rows [start, end) of a chunk, with each row's peer group (rows tying on ORDER BY). */
export interface PartitionRows {
  readonly start: number;
  readonly end: number;
  /** Per chunk row: first row of its peer group, and one past its last. */
  readonly peerStart: Int32Array;
  readonly peerEnd: Int32Array;
}

/**
 * The single ORDER BY key a RANGE frame with offsets measures, evaluated over the chunk,
 * with its values made ascending (negated under DESC) for searching.
 */
export interface RangeKey {
  readonly column: ColumnBuffers;
  readonly key: SortKey;
  readonly ascendingValues: Float64Array;
}

export function rangeKeyOf(column: ColumnBuffers, key: SortKey): RangeKey {
  const values = numericValues(column);
  if (!key.ascending) for (let i = 0; i < values.length; i++) values[i] = -values[i];
  return { column, key, ascendingValues: values };
}

/** `value` moved by `sign` × offset in the key's own unit (days, µs, or the number itself). */
function shift(value: number, offset: FrameOffset, sign: number, kind: string): number {
  if (offset.kind === 'value') return value + sign * offset.value;
  if (kind === 'DATE') {
    const moved = offset.months ? addMonthsToDate(value, sign * offset.months) : value;
    return moved + sign * (offset.days + offset.micros / MICROS_PER_DAY);
  }
  const day = Math.floor(value / MICROS_PER_DAY);
  const within = value - day * MICROS_PER_DAY;
  const moved = offset.months ? addMonthsToDate(day, sign * offset.months) : day;
  return moved * MICROS_PER_DAY + within + sign * (offset.days * MICROS_PER_DAY + offset.micros);
}

/** First index in [lo, hi) whose value is >= target (strict: > target); `keys` ascending there. */
function search(keys: Float64Array, lo: number, hi: number, target: number, strict: boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = keys[mid];
    if (strict ? v <= target : v < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Computes each row's frame [frameStart, frameEnd) of one partition, as chunk row indices;
 * an empty frame has frameEnd = frameStart. Both edges only ever move forward from row to
 * row (for every frame kind), which the sliding evaluators rely on.
 */
export function frameBounds(
  frame: WindowFrame,
  part: PartitionRows,
  rangeKey: RangeKey | undefined,
  frameStart: Int32Array,
  frameEnd: Int32Array,
): void {
  const { start: ps, end: pe, peerStart, peerEnd } = part;
  const ranged = frame.units === 'range' && (needsKey(frame.start) || needsKey(frame.end));
  // RANGE offsets: keys made ascending (negated under DESC), searched among non-NULL rows.
  let keys: Float64Array | undefined;
  let validFrom = ps;
  let validTo = pe;
  let direction = 1;
  let kind = '';
  if (ranged && rangeKey) {
    const col = rangeKey.column;
    kind = col.type.kind;
    direction = rangeKey.key.ascending ? 1 : -1;
    keys = rangeKey.ascendingValues;
    if (rangeKey.key.nullsFirst) while (validFrom < pe && !isValidAt(col, validFrom)) validFrom++;
    else while (validTo > ps && !isValidAt(col, validTo - 1)) validTo--;
  }
  const edge = (bound: FrameBound, i: number, isStart: boolean): number => {
    switch (bound.kind) {
      case 'unbounded-preceding':
        return ps;
      case 'unbounded-following':
        return pe;
      case 'current-row':
        if (frame.units === 'rows') return isStart ? i : i + 1;
        return isStart ? peerStart[i] : peerEnd[i];
      default: {
        const sign = bound.kind === 'preceding' ? -1 : 1;
        if (frame.units === 'rows') {
          const n = (bound.offset as FrameOffset & { kind: 'value' }).value;
          const at = i + sign * n + (isStart ? 0 : 1);
          return at < ps ? ps : at > pe ? pe : at;
        }
        if (!keys || i < validFrom || i >= validTo) return isStart ? peerStart[i] : peerEnd[i];
        const original = direction * keys[i];
        const target = direction * shift(original, bound.offset, sign * direction, kind);
        return search(keys, validFrom, validTo, target, !isStart);
      }
    }
  };
  for (let i = ps; i < pe; i++) {
    const s = edge(frame.start, i, true);
    const e = edge(frame.end, i, false);
    frameStart[i] = s;
    frameEnd[i] = e < s ? s : e;
  }
}

function needsKey(bound: FrameBound): boolean {
  return bound.kind === 'preceding' || bound.kind === 'following';
}
