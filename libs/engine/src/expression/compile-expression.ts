import type { RecordBatch } from 'apache-arrow';
import { columnBuffers, type ColumnBuffers } from '@tributary/common';
import type { Expr, Field } from '@tributary/plan';
import { referencedColumns } from '@tributary/plan';
import { take } from '../kernels/take.ts';
import { kernelFor, type Kernel } from './kernel-cache.ts';
import { columnItems, itemsBatch, setElementCaster } from './list-helpers.ts';

/**
 * Evaluates an expression over all rows of a batch, or only over `selection[0..count)`
 * (the output then has `count` rows), giving a column in the canonical layout of expr.type.
 */
export type CompiledExpression = (
  batch: RecordBatch,
  selection?: Uint32Array,
  count?: number,
) => ColumnBuffers;

/** Reads the referenced columns of a batch and the bit pattern of which carry NULLs. */
export function readColumns(
  batch: RecordBatch,
  input: readonly Field[],
  indices: readonly number[],
): { columns: ColumnBuffers[]; nullMask: string } {
  const columns: ColumnBuffers[] = [];
  let nullMask = '';
  for (const i of indices) {
    const c = columnBuffers(batch.getChildAt(i)!.data[0], input[i].type);
    columns.push(c);
    nullMask += c.validity ? '1' : '0';
  }
  return { columns, nullMask };
}

/** How list elements are cast: the compiled CAST of a column of them (list-helpers.ts). */
setElementCaster((items, from, to) => {
  const cast = compileExpression(
    { kind: 'cast', expr: { kind: 'column', index: 0, name: 'e', type: from }, type: to },
    [{ name: 'e', type: from, nullable: true }],
  );
  return columnItems(cast(itemsBatch(items, from)));
});

export function compileExpression(expr: Expr, input: readonly Field[]): CompiledExpression {
  if (expr.kind === 'column') {
    // A bare column needs no kernel: hand out its buffers, gathered when there is a selection.
    const index = expr.index;
    return (batch, selection, count) => {
      const column = columnBuffers(batch.getChildAt(index)!.data[0], input[index].type);
      return selection ? take(column, selection, count ?? selection.length) : column;
    };
  }
  const run = variantRunner(expr, input, 'value');
  return (batch, selection, count) => run(batch, selection, count) as ColumnBuffers;
}

/**
 * Runs the kernel of `expr` specialised for which of the columns it reads carry NULLs in
 * this batch, compiling each such variant once.
 */
export function variantRunner(
  expr: Expr,
  input: readonly Field[],
  mode: 'value' | 'predicate',
): (batch: RecordBatch, selection?: Uint32Array, count?: number) => unknown {
  const referenced = [...referencedColumns(expr)].sort((a, b) => a - b);
  const variants = new Map<string, Kernel>();
  return (batch, selection, count) => {
    const rows = selection ? (count ?? selection.length) : batch.numRows;
    const { columns, nullMask } = readColumns(batch, input, referenced);
    let kernel = variants.get(nullMask);
    if (!kernel) {
      kernel = kernelFor(expr, input, referenced, nullMask, mode);
      variants.set(nullMask, kernel);
    }
    return kernel.run(columns, selection, rows);
  };
}
