import type { SqlType } from '@tributary/common';
import type { AggregateCall, AggregateNode, Expr, LogicalPlan } from '@tributary/plan';
import {
  aggregate,
  column,
  conjunction,
  filter,
  mapAggregateCallExprs,
  project,
  scan,
  splitConjunction,
  transformExpr,
} from '@tributary/plan';
import { overViewColumns, type DatasetCore } from './dataset-core.ts';
import { deriveMeasure } from './derive-measure.ts';
import { joinSetOf } from './join-set.ts';
import { matchJoinSet } from './match-join-set.ts';
import { viewColumnFor } from './match-raw-join-set.ts';
import type { MaterializedLayout } from './materialized-columns.ts';
import { planSignature } from './plan-signature.ts';
import { castTo, translateDimensionExpr, type DimensionMiss } from './translate-dimension-expr.ts';

/** An aggregate's group keys, arguments and filters, rewritten over its dataset's columns. */
export interface AggregateOverDataset {
  readonly node: AggregateNode;
  readonly groupBy: readonly Expr[];
  readonly aggregates: readonly AggregateCall[];
  readonly predicates: readonly Expr[];
}

/** Replaces column i of `exprs`' input by `through[i]`: an expression seen through a project. */
function substitute(expr: Expr, through: readonly Expr[]): Expr {
  return transformExpr(expr, (e) => (e.kind === 'column' ? through[e.index] : e));
}

/**
 * Looks down from an aggregate through filters and projects for a subtree computing the
 * dataset (`signature`), and rewrites the aggregate and the filters passed over the dataset's
 * columns; undefined when something else (a join, a sort, another aggregate) is in between.
 */
export function aggregateOverDataset(
  node: AggregateNode,
  signature: string,
  core?: DatasetCore & { readonly names: readonly string[] },
): AggregateOverDataset | { readonly reason: string } | undefined {
  let groupBy = node.groupBy;
  let aggregates = node.aggregates;
  let predicates: Expr[] = [];
  let current: LogicalPlan = node.input;
  for (;;) {
    if (planSignature(current) === signature) return { node, groupBy, aggregates, predicates };
    // The view's joins written directly: its columns are found among the query's expressions.
    if (core && planSignature(current) === core.signature) {
      const below = current;
      let missing: string | undefined;
      const toView = (e: Expr) =>
        overViewColumns(e, core, core.names, (c) => (missing ??= below.schema[c]?.name)) ?? e;
      const mapped = {
        node,
        groupBy: groupBy.map(toView),
        aggregates: aggregates.map((a) => mapAggregateCallExprs(a, toView)),
        predicates: predicates.map(toView),
      };
      return missing === undefined
        ? mapped
        : { reason: `needs column ${missing}, which the view does not give` };
    }
    // The view's joins written another way: matched as sets, the query's extra conditions kept.
    const query = core?.joinSet && joinSetOf(current);
    const match = query && matchJoinSet(query, core!.joinSet!);
    if (core && match && match.extra.length === 0) {
      const set = match;
      let missing: string | undefined;
      const width = current.schema.length;
      const below = current;
      // Each query column as the dataset column the view gives for it, or as its own.
      const fromQuery = new Map<number, number>();
      const toView = (e: Expr) => {
        const overCore = transformExpr(e, (x) => {
          if (x.kind !== 'column' || x.index >= width) return x;
          const d = set.toDataset.get(x.index)!;
          const v = viewColumnFor(core, set, d);
          const at = v === undefined ? d : (core.exprs[v] as Expr & { kind: 'column' }).index;
          fromQuery.set(at, x.index);
          return { ...x, index: at };
        });
        const onView = overViewColumns(overCore, core, core.names, (c) => {
          missing ??= below.schema[fromQuery.get(c) ?? -1]?.name ?? `#${c}`;
        });
        return onView ?? e;
      };
      const mapped = {
        node,
        groupBy: groupBy.map(toView),
        aggregates: aggregates.map((a) => mapAggregateCallExprs(a, toView)),
        predicates: [...predicates, ...set.onTop].map(toView),
      };
      return missing === undefined
        ? mapped
        : { reason: `needs column ${missing}, which the view does not give` };
    }
    if (current.kind === 'filter') {
      predicates.push(...splitConjunction(current.predicate));
      current = current.input;
    } else if (current.kind === 'project') {
      const through = current.exprs;
      const map = (e: Expr) => substitute(e, through);
      groupBy = groupBy.map(map);
      aggregates = aggregates.map((a) => ({
        ...a,
        arg: a.arg && map(a.arg),
        ...(a.arg2 ? { arg2: map(a.arg2) } : {}),
        ...(a.orderBy ? { orderBy: a.orderBy.map((k) => ({ ...k, expr: map(k.expr) })) } : {}),
      }));
      predicates = predicates.map(map);
      current = current.input;
    } else return undefined;
  }
}

export type AggregateMatch = { readonly plan: LogicalPlan } | { readonly reason: string };

const GRAIN_WORDS = { day: 'day', month: 'month', year: 'year' } as const;

function describeMiss(
  miss: DimensionMiss,
  names: readonly string[],
  use: 'grouping by' | 'filtering on',
): string {
  const name = names[miss.column];
  if (miss.why === 'missing')
    return use === 'grouping by'
      ? `grouping by ${name} is finer than the reflection`
      : `filters on ${name}, which is not a dimension of the reflection`;
  return `${use} ${name} needs a finer grain than the reflection's ${GRAIN_WORDS[miss.granularity ?? 'day']}`;
}

/**
 * An aggregation reflection answering an aggregate over its dataset: the reflection's rows
 * filtered on dimensions, grouped again by the query's keys (a subset of the dimensions,
 * rolled up where they are dates), its measures derived from the stored ones, and the result
 * cast to exactly the types the query's plan has. It always re-aggregates: a materialization
 * may hold several rows of one group.
 */
export function matchAggregateReflection(
  over: AggregateOverDataset,
  dataset: readonly { readonly name: string; readonly type: SqlType }[],
  layout: MaterializedLayout,
  alias: string,
): AggregateMatch {
  const names = dataset.map((f) => f.name);
  const types = dataset.map((f) => f.type);
  const keys: Expr[] = [];
  for (const key of over.groupBy) {
    const t = translateDimensionExpr(key, layout, types);
    if ('miss' in t) return { reason: describeMiss(t.miss, names, 'grouping by') };
    keys.push(t.expr);
  }
  const predicates: Expr[] = [];
  for (const predicate of over.predicates) {
    const t = translateDimensionExpr(predicate, layout, types);
    if ('miss' in t) return { reason: describeMiss(t.miss, names, 'filtering on') };
    predicates.push(t.expr);
  }
  // Each distinct re-aggregation once: AVG and SUM of one column share the sum of its sums.
  const calls: AggregateCall[] = [];
  const callKeys: string[] = [];
  const finishes: ((results: readonly Expr[]) => Expr)[] = [];
  const uses: number[][] = [];
  for (const call of over.aggregates) {
    const d = deriveMeasure(call, layout, types, names);
    if ('reason' in d) return { reason: d.reason };
    uses.push(
      d.derived.calls.map((c) => {
        const key = JSON.stringify(c);
        let at = callKeys.indexOf(key);
        if (at < 0) {
          at = calls.push(c) - 1;
          callKeys.push(key);
        }
        return at;
      }),
    );
    finishes.push(d.derived.finish);
  }
  const read = scan(layout.table, alias);
  const where = conjunction(predicates);
  const input = where ? filter(read, where) : read;
  const grouped = aggregate(input, keys, calls, [
    ...keys.map((_, i) => `key${i}`),
    ...calls.map((_, i) => `agg${i}`),
  ]);
  const node = over.node;
  const results = calls.map((c, i) => column(keys.length + i, `agg${i}`, c.type));
  const exprs = [
    ...keys.map((k, i) => castTo(column(i, `key${i}`, k.type), node.groupBy[i].type)),
    ...finishes.map((finish, i) => castTo(finish(uses[i].map((u) => results[u])), node.aggregates[i].type)),
  ];
  return {
    plan: project(
      grouped,
      exprs,
      node.schema.map((f) => f.name),
      node.schema.map((f) => f.qualifier),
    ),
  };
}
