import type { RecordBatch } from 'apache-arrow';
import { exprToDisplayString, type Expr, type Field } from '@tributary/plan';
import { compilePredicate } from '../expression/compile-predicate.ts';
import { takeBatch } from '../kernels/take.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';

/** Keeps the rows where `predicate` is TRUE; batches that keep every row pass through uncopied. */
export class FilterExec implements PhysicalOperator {
  readonly name = 'Filter';
  readonly schema: readonly Field[];
  readonly children: readonly PhysicalOperator[];

  constructor(
    readonly input: PhysicalOperator,
    readonly predicate: Expr,
  ) {
    this.schema = input.schema;
    this.children = [input];
  }

  describe(): string {
    return exprToDisplayString(this.predicate);
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const predicate = compilePredicate(this.predicate, this.input.schema);
    for await (const batch of this.input.execute(signal)) {
      signal.throwIfAborted();
      if (batch.numRows === 0) continue;
      const { selection, count } = predicate(batch);
      if (count === 0) continue;
      yield count === batch.numRows ? batch : takeBatch(batch, this.schema, selection, count);
    }
  }
}
