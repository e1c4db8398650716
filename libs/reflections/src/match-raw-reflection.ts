import type { Expr, LogicalPlan } from '@tributary/plan';
import { literal, project, scan } from '@tributary/plan';
import type { MaterializedLayout } from './materialized-columns.ts';
import { castTo } from './translate-dimension-expr.ts';

export type RawMatch = { readonly plan: LogicalPlan } | { readonly reason: string };

/**
 * A raw reflection standing in for `node`, a subtree computing its dataset: a project over a
 * scan of the materialization giving the subtree's columns in order. Columns no one above
 * reads (`required` says which are read) may be missing from the reflection: they become
 * typed NULLs, which column pruning then drops.
 */
export function matchRawReflection(
  node: LogicalPlan,
  datasetNames: readonly string[],
  layout: MaterializedLayout,
  required: ReadonlySet<number>,
  alias: string,
): RawMatch {
  const missing = [...required].sort((a, b) => a - b).filter((i) => !layout.display.has(i));
  if (missing.length > 0)
    return {
      reason: `needs column${missing.length > 1 ? 's' : ''} ${missing.map((i) => datasetNames[i]).join(', ')}`,
    };
  const read = scan(layout.table, alias);
  const exprs = node.schema.map((field, i): Expr => {
    const index = layout.display.get(i);
    if (index === undefined || !required.has(i)) return literal(null, field.type);
    const stored = layout.table.columns[index];
    return castTo({ kind: 'column', index, name: stored.name, type: stored.type }, field.type);
  });
  return {
    plan: project(
      read,
      exprs,
      node.schema.map((f) => f.name),
      node.schema.map((f) => f.qualifier),
    ),
  };
}
