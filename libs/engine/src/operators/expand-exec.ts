import type { RecordBatch } from 'apache-arrow';
import { INTEGER, makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import { exprToDisplayString, type Expr, type Field } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { batchColumn, nullColumn } from './record-batch-column.ts';

/**
 * GROUPING SETS: each input batch once per set, as the input columns, then the keys (NULL
 * where the set lacks them), then the set's index; an aggregate over keys and index then
 * computes every set in one pass, partial and final like any other aggregate.
 */
export class ExpandExec implements PhysicalOperator {
  readonly name = 'Expand';
  readonly children: readonly PhysicalOperator[];

  constructor(
    readonly input: PhysicalOperator,
    readonly keys: readonly Expr[],
    readonly sets: readonly (readonly number[])[],
    readonly schema: readonly Field[],
  ) {
    this.children = [input];
  }

  describe(): string {
    const sets = this.sets.map((s) => `(${s.map((k) => exprToDisplayString(this.keys[k])).join(', ')})`);
    return `keys=[${this.keys.map(exprToDisplayString).join(', ')}] sets=[${sets.join(', ')}]`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const inputSchema = this.input.schema;
    const keys = this.keys.map((k) => compileExpression(k, inputSchema));
    for await (const batch of this.input.execute(signal)) {
      signal.throwIfAborted();
      const rows = batch.numRows;
      if (rows === 0) continue;
      const passed = inputSchema.map((f, i) => batchColumn(batch, i, f.type));
      const values = keys.map((k) => k(batch));
      for (let s = 0; s < this.sets.length; s++) {
        const set = this.sets[s];
        const keyColumns: ColumnBuffers[] = this.keys.map((k, i) =>
          set.includes(i) ? values[i] : nullColumn(k.type, rows),
        );
        const id: ColumnBuffers = { type: INTEGER, length: rows, values: new Int32Array(rows).fill(s) };
        yield makeRecordBatch(this.schema, [...passed, ...keyColumns, id], rows);
      }
    }
  }
}
