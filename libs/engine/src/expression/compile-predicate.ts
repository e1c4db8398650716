import type { RecordBatch } from 'apache-arrow';
import type { Expr, Field } from '@tributary/plan';
import { referencedColumns } from '@tributary/plan';
import { readColumns } from './compile-expression.ts';
import { kernelFor, type Kernel } from './kernel-cache.ts';

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
  const referenced = [...referencedColumns(expr)].sort((a, b) => a - b);
  const variants = new Map<string, Kernel>();
  return (batch, selection, count) => {
    const rows = selection ? (count ?? selection.length) : batch.numRows;
    const { columns, nullMask } = readColumns(batch, input, referenced);
    let kernel = variants.get(nullMask);
    if (!kernel) {
      kernel = kernelFor(expr, input, referenced, nullMask, 'predicate');
      variants.set(nullMask, kernel);
    }
    return kernel.run(columns, selection, rows) as { selection: Uint32Array; count: number };
  };
}
