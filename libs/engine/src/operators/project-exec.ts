import { Field as ArrowField, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { makeRecordBatch, recordBatchOf, sameType, toArrowType } from '@tributary/common';
import { exprToDisplayString, type Expr, type Field } from '@tributary/plan';
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
   * The input columns the output is, when every expression is a bare column of the type the
   * output declares, none taken twice (projection pruning, reordering, renaming): a batch
   * whose own fields are as the input declares them is then not rebuilt column by column,
   * its columns' Arrow data are taken as they are (and the batch itself when the output is
   * the input unchanged; plans often stack such projections, one per naming layer).
   * Undefined when the projection computes anything.
   */
  private columnSelection(): ColumnSelection | undefined {
    const input = this.input.schema;
    if (this.predicate || this.schema.length !== this.exprs.length) return undefined;
    const indexes: number[] = [];
    for (const [i, e] of this.exprs.entries()) {
      if (e.kind !== 'column' || indexes.includes(e.index) || !input[e.index]) return undefined;
      if (!sameType(this.schema[i].type, input[e.index].type)) return undefined;
      indexes.push(e.index);
    }
    const inputFields = input.map((f) => ({ name: f.name, type: String(toArrowType(f.type)) }));
    const identity =
      indexes.length === input.length &&
      indexes.every((c, i) => c === i && this.schema[i].name === input[i].name);
    const fields = this.schema.map((f) => new ArrowField(f.name, toArrowType(f.type), true));
    return { indexes, inputFields, identity, schema: new Schema(fields), type: new Struct(fields) };
  }

  describe(): string {
    const list = this.exprs
      .map((e, i) => `${exprToDisplayString(e)} AS ${this.schema[i]?.name ?? i}`)
      .join(', ');
    return this.predicate ? `${list} WHERE ${exprToDisplayString(this.predicate)}` : list;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const input = this.input.schema;
    const selection = this.columnSelection();
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
      } else if (selection && sameArrowFields(batch, selection.inputFields)) {
        if (selection.identity) yield batch;
        else
          yield recordBatchOf(
            selection.schema,
            makeData({
              type: selection.type,
              length: batch.numRows,
              nullCount: 0,
              children: selection.indexes.map((c) => batch.data.children[c]),
            }),
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

interface ColumnSelection {
  /** The input column of each output column. */
  readonly indexes: readonly number[];
  /** The input's Arrow fields as its schema declares them, by name and type. */
  readonly inputFields: readonly { readonly name: string; readonly type: string }[];
  /** The output is the input, unchanged. */
  readonly identity: boolean;
  readonly schema: Schema;
  readonly type: Struct;
}

/** Whether a batch's Arrow fields are these, by name and type. */
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
