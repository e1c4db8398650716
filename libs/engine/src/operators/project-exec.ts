import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch } from '@tributary/common';
import { exprToString, type Expr, type Field } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { compilePredicate } from '../expression/compile-predicate.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { FilterExec } from './filter-exec.ts';

/**
 * Computes `exprs` (over the input schema) into `schema`. With a `predicate` it is a fused
 * filter + project: the projections are evaluated only over the rows the predicate keeps,
 * so the filtered rows are never copied as a whole batch first.
 */
export class ProjectExec implements PhysicalOperator {
  readonly name: string;
  readonly children: readonly PhysicalOperator[];

  constructor(
    readonly input: PhysicalOperator,
    readonly exprs: readonly Expr[],
    readonly schema: readonly Field[],
    readonly predicate?: Expr,
  ) {
    this.name = predicate ? 'FilterProject' : 'Project';
    this.children = [input];
  }

  describe(): string {
    const list = this.exprs.map((e, i) => `${exprToString(e)} AS ${this.schema[i]?.name ?? i}`).join(', ');
    return this.predicate ? `${list} WHERE ${exprToString(this.predicate)}` : list;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const input = this.input.schema;
    const exprs = this.exprs.map((e) => compileExpression(e, input));
    const predicate = this.predicate ? compilePredicate(this.predicate, input) : undefined;
    for await (const batch of this.input.execute(signal)) {
      signal.throwIfAborted();
      if (batch.numRows === 0) continue;
      if (predicate) {
        const { selection, count } = predicate(batch);
        if (count === 0) continue;
        if (count === batch.numRows)
          yield makeRecordBatch(
            this.schema,
            exprs.map((e) => e(batch)),
            count,
          );
        else
          yield makeRecordBatch(
            this.schema,
            exprs.map((e) => e(batch, selection, count)),
            count,
          );
      } else {
        yield makeRecordBatch(
          this.schema,
          exprs.map((e) => e(batch)),
          batch.numRows,
        );
      }
    }
  }
}

/**
 * A projection over `input` that absorbs a FilterExec directly beneath it (for the physical
 * planner): Project(Filter(x, p), e) → ProjectExec(x, e, predicate p).
 */
export function fuseFilterProject(
  input: PhysicalOperator,
  exprs: readonly Expr[],
  schema: readonly Field[],
): ProjectExec {
  if (input instanceof FilterExec) return new ProjectExec(input.input, exprs, schema, input.predicate);
  return new ProjectExec(input, exprs, schema);
}
