import type { ColumnBuffers } from '@tributary/common';
import type { SortKey, WindowCall } from '@tributary/plan';
import { crossBatchComparator, keyViews } from './cross-batch-comparator.ts';
import { nullColumn } from './record-batch-column.ts';
import { frameBounds, rangeKeyOf, type PartitionRows } from './window-frame-bounds.ts';
import { evaluateFrameAggregate, framePrefixes } from './window-frame-aggregates.ts';
import { evaluateNavigation, nonNullRows } from './window-navigation.ts';
import { GatherOutput, NumericOutput } from './window-output.ts';
import { evaluateRanking } from './window-ranking.ts';
import { evaluateSlidingExtreme } from './window-sliding-extreme.ts';
import { comparableValues, numericValues } from './window-column-values.ts';

/** Rows of whole partitions, sorted by partition then order keys, with everything the calls read. */
export interface WindowChunk {
  readonly rows: number;
  readonly partition: readonly ColumnBuffers[];
  readonly order: readonly ColumnBuffers[];
  /** Per call, its evaluated arguments. */
  readonly args: readonly (readonly ColumnBuffers[])[];
}

const RANKING = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile']);
const NAVIGATION = new Set(['lag', 'lead', 'first_value', 'last_value', 'nth_value']);

/** A function telling whether rows i and i-1 of the same key columns tie (0) or not. */
export function rowComparator(
  columns: readonly ColumnBuffers[],
  keys: readonly SortKey[],
): (i: number, j: number) => number {
  if (columns.length === 0) return () => 0;
  const views = keyViews(columns);
  const compare = crossBatchComparator(
    columns.map((c) => c.type),
    keys,
  );
  return (i, j) => compare(views, i, views, j);
}

/**
 * Computes every call's column over a chunk: splits it into partitions (rows tying on the
 * partition keys), finds each row's peers (rows tying on ORDER BY too), then each call's
 * frames and values partition by partition.
 */
export function evaluateWindowChunk(
  chunk: WindowChunk,
  partitionKeys: readonly SortKey[],
  orderBy: readonly SortKey[],
  calls: readonly WindowCall[],
): ColumnBuffers[] {
  const n = chunk.rows;
  const samePartition = rowComparator(chunk.partition, partitionKeys);
  const samePeers = rowComparator(chunk.order, orderBy);
  const peerStart = new Int32Array(n);
  const peerEnd = new Int32Array(n);
  const partitions: PartitionRows[] = [];
  let partStart = 0;
  for (let i = 1; i <= n; i++) {
    if (i < n && samePartition(i - 1, i) === 0) continue;
    partitions.push({ start: partStart, end: i, peerStart, peerEnd });
    partStart = i;
  }
  for (const p of partitions) {
    let groupStart = p.start;
    for (let i = p.start + 1; i <= p.end; i++) {
      if (i < p.end && samePeers(i - 1, i) === 0) continue;
      for (let k = groupStart; k < i; k++) {
        peerStart[k] = groupStart;
        peerEnd[k] = i;
      }
      groupStart = i;
    }
  }
  const frameStart = new Int32Array(n);
  const frameEnd = new Int32Array(n);
  const rangeKey = chunk.order.length === 1 ? rangeKeyOf(chunk.order[0], orderBy[0]) : undefined;
  return calls.map((call, c) => {
    const args = chunk.args[c];
    // A value of NULL type (sum(NULL), lag(NULL)…) gives NULL everywhere; COUNT gives counts.
    const nullArgument = args[0]?.type.kind === 'NULL' && !RANKING.has(call.fn) && call.fn !== 'count';
    if (nullArgument) return nullColumn(call.type, n);
    if (RANKING.has(call.fn)) {
      const out = new NumericOutput(call.type, n);
      const buckets = args[0] && { column: args[0], values: numericValues(args[0]) };
      for (const p of partitions) evaluateRanking(call.fn, p, out, buckets);
      return out.finish();
    }
    if (NAVIGATION.has(call.fn)) {
      const out = new GatherOutput(args[0], n, call.fn === 'lag' || call.fn === 'lead' ? args[2] : undefined);
      const offsets = args[1] && { column: args[1], values: numericValues(args[1]) };
      const nonNull = call.ignoreNulls ? nonNullRows(args[0], n) : undefined;
      for (const p of partitions) {
        if (call.fn !== 'lag' && call.fn !== 'lead')
          frameBounds(call.frame, p, rangeKey, frameStart, frameEnd);
        evaluateNavigation(call.fn, p, out, frameStart, frameEnd, offsets, nonNull);
      }
      return out.finish();
    }
    if (call.fn === 'min' || call.fn === 'max') {
      const out = new GatherOutput(args[0], n);
      const keys = comparableValues(args[0]);
      for (const p of partitions) {
        frameBounds(call.frame, p, rangeKey, frameStart, frameEnd);
        evaluateSlidingExtreme(call.fn === 'max', p, out, frameStart, frameEnd, args[0], keys);
      }
      return out.finish();
    }
    const out = new NumericOutput(call.type, n);
    const values = args[0] && { column: args[0], values: numericValues(args[0]) };
    const prefixes = framePrefixes(call, values);
    for (const p of partitions) {
      frameBounds(call.frame, p, rangeKey, frameStart, frameEnd);
      evaluateFrameAggregate(call, p, out, frameStart, frameEnd, values, prefixes);
    }
    return out.finish();
  });
}
