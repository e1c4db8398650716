import type { OptimizerRule } from './optimizer-rule.ts';
import { pruneColumns, pruneWith } from './prune-columns.ts';

/**
 * Drops, right above each join, the columns only its condition reads (the join keys nothing
 * above uses), as prune_columns does for every other node: fewer columns are carried up the
 * plan and, above all, through the shuffle or broadcast that sends a join's rows to the next
 * one (TPC-H Q9 shuffles lineitem ⋈ partsupp by l_orderkey without its four key columns). It
 * runs after the SQLite pushdowns, which merge joins of scans and would not see through the
 * projections it adds. It is prune_columns run again with those projections, so with
 * prune_columns switched off it does nothing either.
 */
export const narrowJoinOutputs: OptimizerRule = {
  name: 'narrow_join_outputs',
  rewrite(plan, ctx) {
    if (ctx.disabledRules.has(pruneColumns.name)) return { plan, changed: false };
    const narrowed = pruneWith(plan, { narrowJoins: true });
    return { plan: narrowed, changed: narrowed !== plan };
  },
};
