import type { RecordBatch } from 'apache-arrow';
import { isWide, makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import {
  exprToString,
  windowCallToString,
  type Expr,
  type Field,
  type SortKey,
  type WindowCall,
} from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { concatColumns } from '../kernels/concat.ts';
import { take } from '../kernels/take.ts';
import { columnsBytes } from '../memory/column-bytes.ts';
import { MemoryReservation, unboundedResources, type OperatorResources } from '../memory/memory-pool.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { crossBatchComparator, keyViews } from './cross-batch-comparator.ts';
import { batchColumn } from './record-batch-column.ts';
import { describeSortKeys } from './sort-keys.ts';
import { evaluateWindowChunk, type WindowChunk } from './window-chunk.ts';

const OUTPUT_BATCH_ROWS = 65536;

/** Rows of a batch with every column the window reads, evaluated once. */
interface WindowRows extends WindowChunk {
  readonly columns: readonly ColumnBuffers[];
}

function rowRange(from: number, to: number): Uint32Array {
  const index = new Uint32Array(to - from);
  for (let k = 0; k < index.length; k++) index[k] = from + k;
  return index;
}

/** Rows 0..to of a column without copying: views of its buffers (bitmaps start at bit 0 still). */
function headOf(column: ColumnBuffers, to: number): ColumnBuffers {
  const kind = column.type.kind;
  const values = column.values;
  const width = isWide(column.type) ? 4 : 1;
  const head =
    kind === 'NULL' || kind === 'BOOLEAN' || kind === 'VARCHAR' ? values : values.subarray(0, to * width);
  const offsets = column.offsets?.subarray(0, to + 1);
  return { ...column, length: to, values: head, ...(offsets ? { offsets } : {}) };
}

function sliceRows(rows: WindowRows, from: number, to: number): WindowRows {
  if (from === 0 && to === rows.rows) return rows;
  const index = from === 0 ? undefined : rowRange(from, to);
  const cut = (c: ColumnBuffers) => (index ? take(c, index) : headOf(c, to));
  return {
    rows: to - from,
    columns: rows.columns.map(cut),
    partition: rows.partition.map(cut),
    order: rows.order.map(cut),
    args: rows.args.map((a) => a.map(cut)),
  };
}

function concatRows(parts: readonly WindowRows[]): WindowRows {
  if (parts.length === 1) return parts[0];
  const join = (pick: (p: WindowRows) => readonly ColumnBuffers[]) =>
    pick(parts[0]).map((_, c) => concatColumns(parts.map((p) => pick(p)[c])));
  return {
    rows: parts.reduce((sum, p) => sum + p.rows, 0),
    columns: join((p) => p.columns),
    partition: join((p) => p.partition),
    order: join((p) => p.order),
    args: parts[0].args.map((_, a) => join((p) => p.args[a])),
  };
}

function rowsBytes(rows: WindowRows): number {
  return columnsBytes([...rows.columns, ...rows.partition, ...rows.order, ...rows.args.flat()]);
}

/**
 * Window functions over input sorted by the partition keys, then ORDER BY (a SortExec below,
 * which spills). Rows are buffered only until their partition ends: a batch's rows up to its
 * last partition start are complete and computed at once, the rest wait for the next batch.
 * What waits across batches is reserved from `resources.memory`; a single partition too big
 * for the budget fails with QUERY_MEMORY_EXCEEDED.
 */
export class WindowExec implements PhysicalOperator {
  readonly name = 'Window';
  readonly children: readonly PhysicalOperator[];
  private readonly partitionKeys: readonly SortKey[];

  constructor(
    readonly input: PhysicalOperator,
    readonly partitionBy: readonly Expr[],
    readonly orderBy: readonly SortKey[],
    readonly calls: readonly WindowCall[],
    readonly schema: readonly Field[],
    readonly resources: OperatorResources = unboundedResources(),
  ) {
    this.children = [input];
    this.partitionKeys = partitionBy.map((expr) => ({ expr, ascending: true, nullsFirst: false }));
  }

  describe(): string {
    const parts = [
      `partitionBy=[${this.partitionBy.map(exprToString).join(', ')}]`,
      `orderBy=[${describeSortKeys(this.orderBy)}]`,
      `calls=[${this.calls.map(windowCallToString).join(', ')}]`,
    ];
    return parts.join(' ');
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const fields = this.input.schema;
    const partitionFns = this.partitionBy.map((e) => compileExpression(e, fields));
    const orderFns = this.orderBy.map((k) => compileExpression(k.expr, fields));
    const argFns = this.calls.map((c) => c.args.map((a) => compileExpression(a, fields)));
    const samePartition = crossBatchComparator(
      this.partitionBy.map((e) => e.type),
      this.partitionKeys,
    );
    const reservation = new MemoryReservation(this.resources.memory, 'Window');
    let pending: WindowRows[] = [];
    let pendingBytes = 0;
    try {
      for await (const batch of this.input.execute(signal)) {
        signal.throwIfAborted();
        const n = batch.numRows;
        if (n === 0) continue;
        const rows: WindowRows = {
          rows: n,
          columns: fields.map((f, i) => batchColumn(batch, i, f.type)),
          partition: partitionFns.map((f) => f(batch)),
          order: orderFns.map((f) => f(batch)),
          args: argFns.map((fns) => fns.map((f) => f(batch))),
        };
        // The last row of this batch that starts a partition (-1: none does).
        const views = keyViews(rows.partition);
        let lastStart = -1;
        for (let i = n - 1; i >= 1 && lastStart < 0; i--)
          if (samePartition(views, i - 1, views, i) !== 0) lastStart = i;
        if (lastStart < 0) {
          const last = pending[pending.length - 1];
          const continues =
            last !== undefined && samePartition(keyViews(last.partition), last.rows - 1, views, 0) === 0;
          lastStart = continues ? -1 : 0;
        }
        if (lastStart < 0) {
          // The whole batch continues the open partition: it waits, and is charged for.
          pending.push(rows);
          pendingBytes += rowsBytes(rows);
          reservation.resize(pendingBytes);
          continue;
        }
        const complete = [...pending, ...(lastStart > 0 ? [sliceRows(rows, 0, lastStart)] : [])];
        if (complete.length > 0) yield* this.emit(concatRows(complete));
        pending = [sliceRows(rows, lastStart, n)];
        pendingBytes = rowsBytes(pending[0]);
        reservation.resize(pendingBytes);
      }
      if (pending.length > 0) yield* this.emit(concatRows(pending));
    } finally {
      reservation.free();
    }
  }

  private *emit(rows: WindowRows): Generator<RecordBatch> {
    const results = evaluateWindowChunk(rows, this.partitionKeys, this.orderBy, this.calls);
    const columns = [...rows.columns, ...results];
    const n = rows.rows;
    if (n <= OUTPUT_BATCH_ROWS) {
      yield makeRecordBatch(this.schema, columns, n);
      return;
    }
    for (let from = 0; from < n; from += OUTPUT_BATCH_ROWS) {
      const index = rowRange(from, Math.min(n, from + OUTPUT_BATCH_ROWS));
      yield makeRecordBatch(
        this.schema,
        columns.map((c) => take(c, index)),
        index.length,
      );
    }
  }
}
