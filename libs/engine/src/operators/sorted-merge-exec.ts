import type { RecordBatch } from 'apache-arrow';
import { InternalError, makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import type { Field, SortKey } from '@tributary/plan';
import { interleave } from '../kernels/interleave.ts';
import { takeBatch } from '../kernels/take.ts';
import { columnsBytes } from '../memory/column-bytes.ts';
import { MemoryReservation, UnboundedMemoryPool, type OperatorResources } from '../memory/memory-pool.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { crossBatchComparator, keyViews, type KeyView } from './cross-batch-comparator.ts';
import { batchColumn } from './record-batch-column.ts';
import { compileSortKeys, describeSortKeys } from './sort-keys.ts';

const OUTPUT_BATCH_ROWS = 65536;

export interface SortedMergeOptions {
  /** Stop after this many rows (ORDER BY … LIMIT over merged streams); all by default. */
  readonly limit?: number;
  /** Rows per output batch, at most 65536 (the default). */
  readonly batchRows?: number;
  /** Where the batches held from the inputs are accounted; unbounded by default. */
  readonly resources?: OperatorResources;
}

/** A batch an input gave, held while the input is on it or pending output points into it. */
interface HeldBatch {
  readonly columns: ColumnBuffers[];
  readonly bytes: number;
}

function range(start: number, count: number): Uint32Array {
  const indices = new Uint32Array(count);
  for (let i = 0; i < count; i++) indices[i] = start + i;
  return indices;
}

/**
 * Merges inputs that are each sorted by `keys` into one stream sorted by them, streaming:
 * each input has one current batch, and a binary heap of the inputs' current rows picks the
 * next row. Ties go to the lower input, so merging runs of one stable sort in input order
 * gives exactly that sort. Used to merge a Sort's spilled runs and, across executors, the
 * ordered-merge exchange. Rows are gathered from the inputs' batches into output batches of
 * at most `batchRows` rows.
 */
export class SortedMergeExec implements PhysicalOperator {
  readonly name = 'SortedMerge';
  readonly children: readonly PhysicalOperator[];
  readonly schema: readonly Field[];

  constructor(
    readonly inputs: readonly PhysicalOperator[],
    readonly keys: readonly SortKey[],
    readonly options: SortedMergeOptions = {},
  ) {
    if (inputs.length === 0) throw new InternalError('SortedMergeExec needs at least one input');
    this.children = inputs;
    this.schema = inputs[0].schema;
  }

  describe(): string {
    const limit = this.options.limit !== undefined ? ` limit=${this.options.limit}` : '';
    return `${describeSortKeys(this.keys)} inputs=${this.inputs.length}${limit}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const limit = this.options.limit ?? Infinity;
    if (limit <= 0) return;
    const batchRows = Math.max(1, Math.min(this.options.batchRows ?? OUTPUT_BATCH_ROWS, OUTPUT_BATCH_ROWS));
    const reservation = new MemoryReservation(
      this.options.resources?.memory ?? new UnboundedMemoryPool(),
      'SortedMerge',
    );
    const iterators = this.inputs.map((input) => input.execute(signal)[Symbol.asyncIterator]());
    try {
      if (this.inputs.length === 1) yield* this.passThrough(iterators[0], limit, reservation, signal);
      else yield* this.merge(iterators, limit, batchRows, reservation, signal);
    } finally {
      reservation.free();
      // Returning each input releases its files and connections, also on error or early exit.
      await Promise.allSettled(iterators.map((it) => it.return?.()));
    }
  }

  /** One input is already in order: only the limit and the accounting apply. */
  private async *passThrough(
    iterator: AsyncIterator<RecordBatch>,
    limit: number,
    reservation: MemoryReservation,
    signal: AbortSignal,
  ): AsyncGenerator<RecordBatch> {
    let remaining = limit;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      signal.throwIfAborted();
      const batch = next.value;
      if (batch.numRows === 0) continue;
      const bytes = columnsBytes(this.schema.map((f, i) => batchColumn(batch, i, f.type)));
      reservation.resize(bytes);
      if (batch.numRows >= remaining) {
        yield takeBatch(batch, this.schema, range(0, remaining), remaining);
        return;
      }
      remaining -= batch.numRows;
      yield batch;
    }
  }

  private async *merge(
    iterators: AsyncIterator<RecordBatch>[],
    limit: number,
    batchRows: number,
    reservation: MemoryReservation,
    signal: AbortSignal,
  ): AsyncGenerator<RecordBatch> {
    const fields = this.schema;
    const inputs = iterators.length;
    const keyFns = compileSortKeys(this.keys, fields);
    const compare = crossBatchComparator(
      this.keys.map((k) => k.expr.type),
      this.keys,
    );
    // Per input: the held batch it is on, its key views, its current row and row count.
    const slot = new Int32Array(inputs).fill(-1);
    const views: KeyView[][] = Array.from({ length: inputs }, () => []);
    const row = new Int32Array(inputs);
    const length = new Int32Array(inputs);
    let held: HeldBatch[] = [];

    const advance = async (i: number): Promise<boolean> => {
      for (;;) {
        const next = await iterators[i].next();
        if (next.done) {
          slot[i] = -1;
          return false;
        }
        signal.throwIfAborted();
        const batch = next.value;
        if (batch.numRows === 0) continue;
        const columns = fields.map((f, c) => batchColumn(batch, c, f.type));
        const bytes = columnsBytes(columns);
        reservation.grow(bytes);
        held.push({ columns, bytes });
        slot[i] = held.length - 1;
        views[i] = keyViews(keyFns.map((f) => f(batch)));
        row[i] = 0;
        length[i] = batch.numRows;
        return true;
      }
    };

    const less = (x: number, y: number): boolean => {
      const c = compare(views[x], row[x], views[y], row[y]);
      return c < 0 || (c === 0 && x < y);
    };
    const heap = new Int32Array(inputs);
    let size = 0;
    const siftDown = (at: number): void => {
      const item = heap[at];
      for (;;) {
        let child = 2 * at + 1;
        if (child >= size) break;
        if (child + 1 < size && less(heap[child + 1], heap[child])) child++;
        if (!less(heap[child], item)) break;
        heap[at] = heap[child];
        at = child;
      }
      heap[at] = item;
    };

    // The first batches are fetched at once: remote inputs then start in parallel.
    const started = await Promise.all(iterators.map((_, i) => advance(i)));
    for (let i = 0; i < inputs; i++) if (started[i]) heap[size++] = i;
    for (let at = (size >> 1) - 1; at >= 0; at--) siftDown(at);

    const sources = new Uint32Array(batchRows);
    const rows = new Uint32Array(batchRows);
    let pending = 0;
    let emitted = 0;
    const flush = (): RecordBatch => {
      const columns = fields.map((_, c) =>
        interleave(
          held.map((h) => h.columns[c]),
          sources,
          rows,
          pending,
        ),
      );
      const batch = makeRecordBatch(fields, columns, pending);
      emitted += pending;
      pending = 0;
      // Keep only the batches inputs are still on; the rest were fully emitted.
      const kept: HeldBatch[] = [];
      let released = 0;
      const keep = new Int32Array(held.length).fill(-1);
      for (let i = 0; i < inputs; i++) {
        if (slot[i] < 0) continue;
        if (keep[slot[i]] < 0) {
          keep[slot[i]] = kept.length;
          kept.push(held[slot[i]]);
        }
        slot[i] = keep[slot[i]];
      }
      for (let h = 0; h < held.length; h++) if (keep[h] < 0) released += held[h].bytes;
      held = kept;
      reservation.shrink(released);
      return batch;
    };

    while (size > 0) {
      const top = heap[0];
      sources[pending] = slot[top];
      rows[pending] = row[top];
      pending++;
      if (++row[top] === length[top] && !(await advance(top))) heap[0] = heap[--size];
      if (size > 0) siftDown(0);
      // Batches already left behind are let go early once they outnumber the inputs.
      if (pending === batchRows || emitted + pending >= limit || held.length > 2 * inputs) {
        yield flush();
        if (emitted >= limit) return;
      }
    }
    if (pending > 0) yield flush();
  }
}
