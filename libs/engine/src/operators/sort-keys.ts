import type { RecordBatch } from 'apache-arrow';
import type { ColumnBuffers } from '@tributary/common';
import { exprToDisplayString, type Field, type SortKey } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { batchColumn } from './record-batch-column.ts';

export function describeSortKeys(keys: readonly SortKey[]): string {
  return keys
    .map(
      (k) =>
        `${exprToDisplayString(k.expr)} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`,
    )
    .join(', ');
}

/** Evaluates each sort key over a batch of `fields`: a column reference reads, others compile. */
export function compileSortKeys(
  keys: readonly SortKey[],
  fields: readonly Field[],
): ((batch: RecordBatch) => ColumnBuffers)[] {
  return keys.map((k) => {
    const e = k.expr;
    if (e.kind === 'column') return (batch: RecordBatch) => batchColumn(batch, e.index, fields[e.index].type);
    const fn = compileExpression(e, fields);
    return (batch: RecordBatch) => fn(batch);
  });
}
