import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch, sameType, toArrowType } from '@tributary/common';
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

  /**
   * The Arrow fields of the output when it is its input's columns as they are (every column,
   * in order, same names and types): a batch whose own fields are those passes through
   * unchanged instead of being rebuilt (plans often stack such projections, one per naming
   * layer). Undefined when the projection changes anything.
   */
  private identityColumns(): { name: string; type: string }[] | undefined {
    const input = this.input.schema;
    if (this.predicate || this.exprs.length !== input.length || this.schema.length !== input.length)
      return undefined;
    const same = this.exprs.every(
      (e, i) =>
        e.kind === 'column' &&
        e.index === i &&
        this.schema[i].name === input[i].name &&
        sameType(this.schema[i].type, input[i].type),
    );
    return same ? this.schema.map((f) => ({ name: f.name, type: String(toArrowType(f.type)) })) : undefined;
  }

  describe(): string {
    const list = this.exprs.map((e, i) => `${exprToString(e)} AS ${this.schema[i]?.name ?? i}`).join(', ');
    return this.predicate ? `${list} WHERE ${exprToString(this.predicate)}` : list;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const input = this.input.schema;
    const passThrough = this.identityColumns();
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
      } else if (passThrough && sameArrowFields(batch, passThrough)) {
        yield batch;
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

/** A batch's Arrow fields, by name and type. */
function sameArrowFields(batch: RecordBatch, fields: readonly { name: string; type: string }[]): boolean {
  const actual = batch.schema.fields;
  if (actual.length !== fields.length) return false;
  for (let i = 0; i < fields.length; i++)
    if (actual[i].name !== fields[i].name || String(actual[i].type) !== fields[i].type) return false;
  return true;
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
