import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch, sameType, type ColumnBuffers } from '@tributary/common';
import { exprToString, type Expr, type Field } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { concatColumns } from '../kernels/concat.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';

/** Literal rows: each row's expressions (over no input) are evaluated once, into one batch. */
export class ValuesExec implements PhysicalOperator {
  readonly name = 'Values';
  readonly children: readonly PhysicalOperator[] = [];

  constructor(
    readonly rows: readonly (readonly Expr[])[],
    readonly schema: readonly Field[],
  ) {}

  describe(): string {
    return this.rows.map((r) => `(${r.map(exprToString).join(', ')})`).join(', ');
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    signal.throwIfAborted();
    if (this.rows.length === 0) return;
    // A batch of one row and no columns to evaluate constant expressions against.
    const one = makeRecordBatch([], [], 1);
    const columns: ColumnBuffers[] = this.schema.map((field, j) =>
      concatColumns(
        this.rows.map((row) => {
          // A row may hold NULL (or a narrower type) where the column has a wider type.
          const expr: Expr = sameType(row[j].type, field.type)
            ? row[j]
            : { kind: 'cast', expr: row[j], type: field.type };
          return compileExpression(expr, [])(one);
        }),
      ),
    );
    yield makeRecordBatch(this.schema, columns, this.rows.length);
  }
}
