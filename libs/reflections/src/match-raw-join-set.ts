import type { Expr, LogicalPlan } from '@tributary/plan';
import {
  column,
  conjunction,
  filter,
  join,
  literal,
  project,
  referencedColumns,
  scan,
  transformExpr,
} from '@tributary/plan';
import type { DatasetCore } from './dataset-core.ts';
import type { JoinSet } from './join-set.ts';
import type { JoinSetMatch } from './match-join-set.ts';
import type { MaterializedLayout } from './materialized-columns.ts';
import { castTo } from './translate-dimension-expr.ts';

/**
 * The view column giving a dataset column as it is, trying the columns its equi-conditions
 * make equal to it when the view does not give it itself (`o_orderkey` for `l_orderkey`).
 */
export function viewColumnFor(
  core: DatasetCore,
  match: JoinSetMatch,
  datasetColumn: number,
  given: (viewColumn: number) => boolean = () => true,
): number | undefined {
  for (const d of match.equivalents(datasetColumn)) {
    const v = core.exprs.findIndex((e) => e.kind === 'column' && e.index === d);
    if (v >= 0 && given(v)) return v;
  }
  return undefined;
}

export type RawJoinSetMatch =
  | {
      readonly plan: LogicalPlan;
      /** The conditions on top that read the reflection alone, over its scan's columns (they prune it). */
      readonly reflectionPredicates: readonly Expr[];
    }
  | { readonly reason: string };

/**
 * A raw reflection on a view joining relations, standing in for the part of a query's join
 * tree it covers: its scan, cross-joined with the query's other relations, filtered by the
 * query's conditions the view's do not imply, projected to the tree's columns (typed NULLs
 * for those nobody above reads). The optimizer then turns the filter's equi-conditions into
 * join keys, as for a comma join written by hand.
 */
export function matchRawJoinSet(
  node: LogicalPlan,
  query: JoinSet,
  match: JoinSetMatch,
  core: DatasetCore,
  layout: MaterializedLayout,
  required: ReadonlySet<number>,
  alias: string,
  /** What to read for each extra relation (by `match.extra`'s order; default: the relation as it is). */
  extraPlans: readonly LogicalPlan[] = [],
): RawJoinSetMatch {
  const read = scan(layout.table, alias);
  const extras = match.extra.map((i) => query.leaves[i]);
  let combined: LogicalPlan = read;
  const extraAt = new Map<number, number>();
  extras.forEach((leaf, i) => {
    extraAt.set(leaf.offset, combined.schema.length);
    combined = join('cross', combined, extraPlans[i] ?? leaf.plan, null);
  });
  const stored = (q: number): number | undefined => {
    const d = match.toDataset.get(q);
    if (d === undefined) {
      const leaf = extras.find((l) => q >= l.offset && q < l.offset + l.width)!;
      return extraAt.get(leaf.offset)! + (q - leaf.offset);
    }
    const v = viewColumnFor(core, match, d, (view) => layout.display.has(view));
    return v === undefined ? undefined : layout.display.get(v);
  };
  const needed = new Set(required);
  for (const c of match.onTop) referencedColumns(c, needed);
  const missing = [...needed].sort((a, b) => a - b).filter((q) => stored(q) === undefined);
  if (missing.length > 0)
    return {
      reason: `needs column${missing.length > 1 ? 's' : ''} ${missing.map((q) => node.schema[q].name).join(', ')}`,
    };
  const over = (q: number, type: Expr['type']): Expr => {
    const at = stored(q)!;
    const field = combined.schema[at];
    return castTo(column(at, field.name, field.type), type);
  };
  const onTop = match.onTop.map((c) =>
    transformExpr(c, (e) => (e.kind === 'column' ? over(e.index, e.type) : e)),
  );
  const where = conjunction(onTop);
  const width = read.schema.length;
  const reflectionPredicates = onTop.filter((p) =>
    [...referencedColumns(p, new Set())].every((c) => c < width),
  );
  const exprs = node.schema.map((field, q): Expr =>
    required.has(q) ? over(q, field.type) : literal(null, field.type),
  );
  return {
    plan: project(
      where ? filter(combined, where) : combined,
      exprs,
      node.schema.map((f) => f.name),
      node.schema.map((f) => f.qualifier),
    ),
    reflectionPredicates,
  };
}
