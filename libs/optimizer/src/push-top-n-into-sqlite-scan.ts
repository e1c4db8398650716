import { sqliteScanStatement, transformPlan, type LogicalPlan, type ScanNode } from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';
import { overScanInput, sqliteScanUnder } from './sqlite-scan-under.ts';

/** `plan` with the scan under its projections replaced. */
function replaceScan(plan: LogicalPlan, scan: ScanNode): LogicalPlan {
  if (plan.kind === 'scan') return scan;
  if (plan.kind === 'project') return { ...plan, input: replaceScan(plan.input, scan) };
  return plan;
}

/**
 * Limit over Sort over (projections over) a sqlite scan → each split's statement has the
 * ORDER BY (NULLs placed as the plan says) and LIMIT limit+offset, so a split yields only
 * its top rows; the engine's Sort and Limit stay to merge the splits. A Sort without a
 * Limit is not pushed: the engine sorts the whole input anyway and SQLite sorting it first
 * would only add work. Keys must be expressible exactly in SQLite, or nothing moves. A
 * LIMIT without an order reaches a scan that joins inside SQLite here too (the scan limit
 * push_limit_into_scan gives single tables came before the join was one scan).
 */
export const pushTopNIntoSqliteScan: OptimizerRule = {
  name: 'push_top_n_into_sqlite_scan',
  rewrite(plan, ctx) {
    if (!ctx.scanPushdown) return { plan, changed: false };
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (node.kind !== 'limit' || node.limit === null) return node;
      if (node.input.kind !== 'sort') {
        // A plain LIMIT over a scan that joins inside SQLite (push_limit_into_scan ran before the join moved).
        const under = sqliteScanUnder(node.input, false);
        if (!under?.scan.pushed?.joins.length) return node;
        const scan: ScanNode = { ...under.scan, limit: node.limit + node.offset };
        if (!sqliteScanStatement(scan)) return node;
        changed = true;
        return { ...node, input: replaceScan(node.input, scan) };
      }
      const sort = node.input;
      const under = sqliteScanUnder(sort.input, false);
      if (!under) return node;
      const orderBy = sort.keys.map((k) => ({ ...k, expr: overScanInput(k.expr, under.outputs) }));
      const scan: ScanNode = {
        ...under.scan,
        limit: node.limit + node.offset,
        pushed: { joins: under.scan.pushed?.joins ?? [], aggregate: null, orderBy },
      };
      if (!sqliteScanStatement(scan)) return node;
      changed = true;
      return { ...node, input: { ...sort, input: replaceScan(sort.input, scan) } };
    });
    return { plan: rewritten, changed };
  },
};
