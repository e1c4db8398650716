import {
  aggregate,
  column,
  expand,
  aggregateCallExprs,
  mapAggregateCallExprs,
  join,
  project,
  referencedColumns,
  remapColumns,
  scan,
  window,
  union,
  type Expr,
  type LogicalPlan,
} from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';

interface Pruned {
  readonly plan: LogicalPlan;
  /** Old output index → new output index, for every index that was required. */
  readonly map: Map<number, number>;
}

function collect(exprs: readonly (Expr | null)[], into = new Set<number>()): Set<number> {
  for (const e of exprs) if (e) referencedColumns(e, into);
  return into;
}

function sorted(set: Iterable<number>): number[] {
  return [...new Set(set)].sort((a, b) => a - b);
}

function remap(expr: Expr, map: Map<number, number>): Expr {
  return remapColumns(expr, (i) => {
    const j = map.get(i);
    if (j === undefined) throw new Error(`prune_columns lost column #${i}`);
    return j;
  });
}

/** Rewrites `plan` to produce (at least) the `required` output columns, reading no more than needed. */
export interface PruneOptions {
  /** Drop the columns only a join's condition reads right above the join (narrow_join_outputs). */
  readonly narrowJoins: boolean;
}

function prune(plan: LogicalPlan, required: readonly number[], o: PruneOptions): Pruned {
  switch (plan.kind) {
    case 'scan': {
      const keep = sorted(required);
      // A scan whose source joins (its columns index the joined row) selects fewer of them;
      // one that aggregates or orders yields what its statement computes, as it is.
      if (plan.pushed) {
        if (plan.pushed.aggregate || plan.pushed.orderBy.length > 0 || keep.length === plan.columns.length)
          return { plan, map: new Map(plan.schema.map((_, i) => [i, i])) };
        return {
          plan: {
            ...plan,
            columns: keep.map((i) => plan.columns[i]),
            schema: keep.map((i) => plan.schema[i]),
          },
          map: new Map(keep.map((old, i) => [old, i])),
        };
      }
      return {
        plan: scan(
          plan.table,
          plan.alias,
          keep.map((i) => plan.columns[i]),
          plan.filters,
          plan.limit,
        ),
        map: new Map(keep.map((old, i) => [old, i])),
      };
    }
    case 'filter': {
      const input = prune(plan.input, sorted([...required, ...referencedColumns(plan.predicate)]), o);
      return {
        plan: {
          ...plan,
          input: input.plan,
          predicate: remap(plan.predicate, input.map),
          schema: input.plan.schema,
        },
        map: input.map,
      };
    }
    case 'sort':
    case 'limit': {
      const keyRefs = plan.kind === 'sort' ? collect(plan.keys.map((k) => k.expr)) : [];
      const input = prune(plan.input, sorted([...required, ...keyRefs]), o);
      const rebuilt =
        plan.kind === 'sort'
          ? {
              ...plan,
              input: input.plan,
              keys: plan.keys.map((k) => ({ ...k, expr: remap(k.expr, input.map) })),
              schema: input.plan.schema,
            }
          : { ...plan, input: input.plan, schema: input.plan.schema };
      return { plan: rebuilt, map: input.map };
    }
    case 'project': {
      const keep = sorted(required);
      const exprs = keep.map((i) => plan.exprs[i]);
      const input = prune(plan.input, sorted(collect(exprs)), o);
      const names = keep.map((i) => plan.schema[i].name);
      const qualifiers = keep.map((i) => plan.schema[i].qualifier);
      let below = input.plan;
      let remapped = exprs.map((e) => remap(e, input.map));
      // A projection that only picks columns (a pruned join's) folds into this one.
      if (below.kind === 'project' && below.exprs.every((e) => e.kind === 'column')) {
        const picked = below.exprs;
        remapped = remapped.map((e) => remapColumns(e, (i) => (picked[i] as { index: number }).index));
        below = below.input;
      }
      return {
        plan: project(below, remapped, names, qualifiers),
        map: new Map(keep.map((old, i) => [old, i])),
      };
    }
    case 'aggregate': {
      const groups = plan.groupBy.length;
      const keptAggs = sorted(required.filter((i) => i >= groups).map((i) => i - groups));
      const aggregates = keptAggs.map((i) => plan.aggregates[i]);
      const input = prune(
        plan.input,
        sorted(collect([...plan.groupBy, ...aggregates.flatMap(aggregateCallExprs)])),
        o,
      );
      const names = [
        ...plan.schema.slice(0, groups).map((f) => f.name),
        ...keptAggs.map((i) => plan.schema[groups + i].name),
      ];
      const map = new Map<number, number>();
      for (let g = 0; g < groups; g++) map.set(g, g);
      keptAggs.forEach((old, i) => map.set(groups + old, groups + i));
      return {
        plan: aggregate(
          input.plan,
          plan.groupBy.map((g) => remap(g, input.map)),
          aggregates.map((a) => mapAggregateCallExprs(a, (e) => remap(e, input.map))),
          names,
        ),
        map,
      };
    }
    case 'join': {
      const leftWidth = plan.left.schema.length;
      // A mark join's output past the left columns is its mark, not a right column.
      const outputs = plan.joinType === 'mark' ? required.filter((i) => i < leftWidth) : required;
      const needed = sorted([...outputs, ...(plan.condition ? referencedColumns(plan.condition) : [])]);
      const left = prune(
        plan.left,
        needed.filter((i) => i < leftWidth),
        o,
      );
      const right = prune(
        plan.right,
        needed.filter((i) => i >= leftWidth).map((i) => i - leftWidth),
        o,
      );
      const newLeftWidth = left.plan.schema.length;
      const map = new Map<number, number>(left.map);
      for (const [old, now] of right.map) map.set(old + leftWidth, now + newLeftWidth);
      const condition = plan.condition && remap(plan.condition, map);
      const rebuilt = join(plan.joinType, left.plan, right.plan, condition);
      const joined: Pruned =
        plan.joinType === 'semi' || plan.joinType === 'anti'
          ? { plan: rebuilt, map: left.map }
          : plan.joinType === 'mark'
            ? { plan: rebuilt, map: new Map([...left.map, [leftWidth, left.plan.schema.length]]) }
            : { plan: rebuilt, map };
      // Columns only the condition reads go no further than the join: not carried up the plan,
      // nor through the shuffle or broadcast that may follow it.
      const keep = sorted(required);
      if (!o.narrowJoins || keep.length === 0 || rebuilt.schema.length <= keep.length) return joined;
      return { plan: exactly(joined, keep), map: new Map(keep.map((old, i) => [old, i])) };
    }
    case 'values':
      return { plan, map: new Map(plan.schema.map((_, i) => [i, i])) };
    case 'window': {
      // Unused window calls are dropped (the whole node when none is left); the rest read
      // their arguments and the partition and order keys.
      const width = plan.input.schema.length;
      const keptCalls = sorted(required.filter((i) => i >= width).map((i) => i - width));
      const calls = keptCalls.map((i) => plan.calls[i]);
      const passThrough = required.filter((i) => i < width);
      const reads =
        calls.length === 0
          ? new Set<number>()
          : collect([
              ...plan.partitionBy,
              ...plan.orderBy.map((k) => k.expr),
              ...calls.flatMap((c) => c.args),
            ]);
      const input = prune(plan.input, sorted([...passThrough, ...reads]), o);
      if (calls.length === 0) return input;
      const inputWidth = input.plan.schema.length;
      const map = new Map(input.map);
      keptCalls.forEach((old, i) => map.set(width + old, inputWidth + i));
      return {
        plan: window(
          input.plan,
          plan.partitionBy.map((e) => remap(e, input.map)),
          plan.orderBy.map((k) => ({ ...k, expr: remap(k.expr, input.map) })),
          calls.map((c) => ({ ...c, args: c.args.map((a) => remap(a, input.map)) })),
          keptCalls.map((i) => plan.schema[width + i].name),
        ),
        map,
      };
    }
    case 'union': {
      // Every branch must give exactly the kept columns, in order. One column at least: its
      // rows are spread over tasks by their values, and rows of no columns would all meet in one.
      const keep = required.length > 0 ? sorted(required) : [0];
      const inputs = plan.inputs.map((input) => exactly(prune(input, keep, o), keep));
      return { plan: union(inputs), map: new Map(keep.map((old, i) => [old, i])) };
    }
    case 'expand': {
      const width = plan.input.schema.length;
      const input = prune(
        plan.input,
        sorted(collect(plan.keys, new Set(required.filter((i) => i < width)))),
        o,
      );
      const newWidth = input.plan.schema.length;
      const map = new Map<number, number>(input.map);
      for (let k = 0; k <= plan.keys.length; k++) map.set(width + k, newWidth + k);
      const names = plan.schema.slice(width, width + plan.keys.length).map((f) => f.name);
      const keys = plan.keys.map((k) => remap(k, input.map));
      return { plan: expand(input.plan, keys, names, plan.sets), map };
    }
    case 'unnest': {
      // The list stays the input's last column, and its element the output's, at one index.
      const list = plan.input.schema.length - 1;
      const input = prune(plan.input, sorted([...new Set([...required, list])]), o);
      const element = plan.schema[plan.schema.length - 1];
      return {
        plan: { ...plan, input: input.plan, schema: [...input.plan.schema.slice(0, -1), element] },
        map: input.map,
      };
    }
    case 'replicate': {
      // The count stays the input's last column: it is the highest index kept.
      const count = plan.input.schema.length - 1;
      const input = prune(plan.input, sorted([...required, count]), o);
      const map = new Map(input.map);
      map.delete(count);
      return { plan: { ...plan, input: input.plan, schema: input.plan.schema.slice(0, -1) }, map };
    }
  }
}

/** A pruned plan giving exactly the `keep` columns in order (a projection when it gives others too). */
function exactly(pruned: Pruned, keep: readonly number[]): LogicalPlan {
  const { plan, map } = pruned;
  if (plan.schema.length === keep.length && keep.every((old, i) => map.get(old) === i)) return plan;
  const exprs = keep.map((old) => {
    const i = map.get(old)!;
    return column(i, plan.schema[i].name, plan.schema[i].type);
  });
  return project(
    plan,
    exprs,
    exprs.map((e) => e.name),
  );
}

/** Rewrites a whole plan keeping its exact output (every column is required, in order). */
export function pruneWith(plan: LogicalPlan, options: PruneOptions): LogicalPlan {
  return prune(
    plan,
    plan.schema.map((_, i) => i),
    options,
  ).plan;
}

/**
 * Projection pushdown: every node reads only the columns something above it uses, so scans
 * decode only those columns and unused aggregates are never computed.
 */
export const pruneColumns: OptimizerRule = {
  name: 'prune_columns',
  rewrite(plan) {
    const pruned = pruneWith(plan, { narrowJoins: false });
    return { plan: pruned, changed: pruned !== plan };
  },
};
