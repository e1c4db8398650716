import type { RecordBatch } from 'apache-arrow';
import type { Expr, Field } from '@tributary/plan';
import { variantRunner } from './compile-expression.ts';

/** The row indices (into the batch) where the predicate is TRUE; NULL and FALSE rows drop. */
export type CompiledPredicate = (
  batch: RecordBatch,
  selection?: Uint32Array,
  count?: number,
) => { selection: Uint32Array; count: number };

export function compilePredicate(expr: Expr, input: readonly Field[]): CompiledPredicate {
  if (expr.kind === 'literal') {
    const keep = expr.value === true;
    return (batch, selection, count) => {
      const rows = selection ? (count ?? selection.length) : batch.numRows;
      if (!keep) return { selection: new Uint32Array(0), count: 0 };
      if (selection) return { selection, count: rows };
      const all = new Uint32Array(rows);
      for (let i = 0; i < rows; i++) all[i] = i;
      return { selection: all, count: rows };
    };
  }
  const run = variantRunner(expr, input, 'predicate');
  return (batch, selection, count) =>
    run(batch, selection, count) as { selection: Uint32Array; count: number };
}
