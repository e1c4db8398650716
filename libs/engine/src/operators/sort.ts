import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import { exprToString, type Field, type SortKey } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { concatColumns } from '../kernels/concat.ts';
import { take } from '../kernels/take.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { batchColumn, nullColumn } from './record-batch-column.ts';
import { sortPermutation } from './sort-permutation.ts';
import { assertMemoryAvailable } from '../memory/memory-guard.ts';

const OUTPUT_BATCH_ROWS = 65536;

export function describeSortKeys(keys: readonly SortKey[]): string {
  return keys
    .map(
      (k) =>
        `${exprToString(k.expr)} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`,
    )
    .join(', ');
}

/** Rows buffered by a sort: columns of the input schema, concatenated on demand. */
export class SortBuffer {
  private parts: ColumnBuffers[][];
  rows = 0;
  private readonly keyFns: ((batch: RecordBatch) => ColumnBuffers)[];

  constructor(
    private readonly fields: readonly Field[],
    private readonly keys: readonly SortKey[],
  ) {
    this.parts = fields.map(() => []);
    this.keyFns = keys.map((k) => {
      const e = k.expr;
      if (e.kind === 'column')
        return (batch: RecordBatch) => batchColumn(batch, e.index, fields[e.index].type);
      const fn = compileExpression(e, fields);
      return (batch: RecordBatch) => fn(batch);
    });
  }

  add(batch: RecordBatch): void {
    assertMemoryAvailable('Sort');
    this.fields.forEach((f, i) => this.parts[i].push(batchColumn(batch, i, f.type)));
    this.rows += batch.numRows;
  }

  /** Sorts what is buffered and keeps rows from..to of the order (all by default). */
  sortAndKeep(from = 0, to = this.rows): ColumnBuffers[] {
    const columns = this.fields.map((f, i) =>
      this.parts[i].length === 0 ? nullColumn(f.type, 0) : concatColumns(this.parts[i]),
    );
    const whole = makeRecordBatch(this.fields, columns, this.rows);
    const permutation = sortPermutation(
      this.keyFns.map((f) => f(whole)),
      this.keys,
      this.rows,
    ).subarray(from, Math.min(to, this.rows));
    const kept = columns.map((c) => take(c, permutation));
    this.parts = kept.map((c) => [c]);
    this.rows = permutation.length;
    return kept;
  }
}

function* emit(fields: readonly Field[], columns: ColumnBuffers[], rows: number): Generator<RecordBatch> {
  if (rows === 0) return;
  if (rows <= OUTPUT_BATCH_ROWS) {
    yield makeRecordBatch(fields, columns, rows);
    return;
  }
  const index = new Uint32Array(OUTPUT_BATCH_ROWS);
  for (let start = 0; start < rows; start += OUTPUT_BATCH_ROWS) {
    const n = Math.min(OUTPUT_BATCH_ROWS, rows - start);
    for (let k = 0; k < n; k++) index[k] = start + k;
    yield makeRecordBatch(
      fields,
      columns.map((c) => take(c, index, n)),
      n,
    );
  }
}

/**
 * ORDER BY: collects the input, evaluates the keys into columns, sorts a permutation with a
 * comparator specialised per key type (numbers as doubles, strings by bytes), then gathers.
 */
export class SortExec implements PhysicalOperator {
  readonly name = 'Sort';
  readonly children: readonly PhysicalOperator[];
  readonly schema: readonly Field[];

  constructor(
    readonly input: PhysicalOperator,
    readonly keys: readonly SortKey[],
  ) {
    this.children = [input];
    this.schema = input.schema;
  }

  describe(): string {
    return describeSortKeys(this.keys);
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const buffer = new SortBuffer(this.input.schema, this.keys);
    for await (const batch of this.input.execute(signal)) {
      signal.throwIfAborted();
      if (batch.numRows > 0) buffer.add(batch);
    }
    const rows = buffer.rows;
    yield* emit(this.schema, buffer.sortAndKeep(), rows);
  }
}

/**
 * ORDER BY … LIMIT: keeps only the best limit+offset rows, trimming the buffer by sorting
 * whenever it holds a batch's worth more than that, so memory stays bounded.
 */
export class TopN implements PhysicalOperator {
  readonly name = 'TopN';
  readonly children: readonly PhysicalOperator[];
  readonly schema: readonly Field[];

  constructor(
    readonly input: PhysicalOperator,
    readonly keys: readonly SortKey[],
    readonly limit: number,
    readonly offset = 0,
  ) {
    this.children = [input];
    this.schema = input.schema;
  }

  describe(): string {
    return `${describeSortKeys(this.keys)} limit=${this.limit}${this.offset ? ` offset=${this.offset}` : ''}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const keep = this.limit + this.offset;
    if (this.limit <= 0) return;
    const buffer = new SortBuffer(this.input.schema, this.keys);
    const threshold = keep + Math.max(keep, OUTPUT_BATCH_ROWS);
    for await (const batch of this.input.execute(signal)) {
      signal.throwIfAborted();
      if (batch.numRows === 0) continue;
      buffer.add(batch);
      if (buffer.rows >= threshold) buffer.sortAndKeep(0, keep);
    }
    const columns = buffer.sortAndKeep(this.offset, keep);
    yield* emit(this.schema, columns, buffer.rows);
  }
}
