import type { Expr, LogicalPlan } from '@tributary/plan';
import { column } from '@tributary/plan';
import { joinSetOf, type JoinSet } from './join-set.ts';
import { planSignature, stripIdentityProjects } from './plan-signature.ts';

/**
 * A view's plan under its top projection: what a query written directly on the same tables
 * (the same joins, in the same order, with the same conditions) computes, before it picks its
 * own columns. `exprs` are the view's columns over it.
 */
export interface DatasetCore {
  readonly signature: string;
  readonly exprs: readonly Expr[];
  /** The core as an inner-join tree's sets, for queries joining the same relations another way. */
  readonly joinSet: JoinSet | undefined;
}

export function datasetCore(dataset: LogicalPlan): DatasetCore | undefined {
  const top = stripIdentityProjects(dataset);
  // `SELECT *` over joins: the view's columns are the core's own.
  if (top.kind === 'join' || top.kind === 'filter')
    return {
      signature: planSignature(top),
      exprs: top.schema.map((f, i) => column(i, f.name, f.type)),
      joinSet: joinSetOf(top),
    };
  if (top.kind !== 'project') return undefined;
  const below = stripIdentityProjects(top.input);
  if (below.kind !== 'join' && below.kind !== 'filter') return undefined;
  return { signature: planSignature(top.input), exprs: top.exprs, joinSet: joinSetOf(top.input) };
}

const keyOf = (e: Expr): string => JSON.stringify(e, (k, v: unknown) => (k === 'name' ? undefined : v));

/**
 * An expression over the core's columns as one over the view's: every part of it equal to a
 * view column's expression becomes that column (largest parts first); undefined when a core
 * column is read outside of them (the view does not give it). `missing` is told its index.
 */
export function overViewColumns(
  expr: Expr,
  core: DatasetCore,
  names: readonly string[],
  missing?: (coreColumn: number) => void,
): Expr | undefined {
  const byKey = new Map<string, number>();
  core.exprs.forEach((e, i) => {
    if (!byKey.has(keyOf(e))) byKey.set(keyOf(e), i);
  });
  let ok = true;
  const walk = (e: Expr): Expr => {
    const at = byKey.get(keyOf(e));
    if (at !== undefined) return column(at, names[at], core.exprs[at].type);
    switch (e.kind) {
      case 'column':
        ok = false;
        missing?.(e.index);
        return e;
      case 'literal':
        return e;
      case 'call':
        return { ...e, args: e.args.map(walk) };
      case 'cast':
        return { ...e, expr: walk(e.expr) };
      case 'case':
        return {
          ...e,
          whens: e.whens.map((w) => ({ when: walk(w.when), then: walk(w.then) })),
          otherwise: e.otherwise ? walk(e.otherwise) : null,
        };
      case 'in-list':
        return { ...e, expr: walk(e.expr), list: e.list.map(walk) };
      case 'like':
        return { ...e, expr: walk(e.expr), pattern: walk(e.pattern) };
      case 'is-null':
        return { ...e, expr: walk(e.expr) };
    }
  };
  const result = walk(expr);
  return ok ? result : undefined;
}
