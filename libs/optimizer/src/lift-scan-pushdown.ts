import { column, conjunction, filter, project, scan, transformPlan } from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';

/**
 * With scan pushdown switched off (`scanPushdown: false`), puts back above every scan what
 * the rules before it pushed in: its filters become a Filter, its limit is dropped, and it
 * reads every column of its table under a projection of the ones it had kept. Connectors then
 * read whole tables and the engine does all the work, with the same join order and plan shape
 * otherwise, so comparing both settings isolates what the connectors do. With pushdown on
 * (the default), it changes nothing.
 */
export const liftScanPushdown: OptimizerRule = {
  name: 'lift_scan_pushdown',
  rewrite(plan, ctx) {
    if (ctx.scanPushdown) return { plan, changed: false };
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (node.kind !== 'scan') return node;
      const everyColumn = node.table.columns.map((_, i) => i);
      const plain =
        node.filters.length === 0 &&
        node.limit === null &&
        node.columns.length === everyColumn.length &&
        node.columns.every((c, i) => c === i);
      if (plain) return node;
      changed = true;
      const whole = scan(node.table, node.alias, everyColumn);
      // Scan filters are over table column indices, which are the whole scan's output indices.
      const predicate = conjunction(node.filters);
      const input = predicate ? filter(whole, predicate) : whole;
      return project(
        input,
        node.columns.map((c) => column(c, node.table.columns[c].name, node.table.columns[c].type)),
        node.columns.map((c) => node.table.columns[c].name),
      );
    });
    return { plan: rewritten, changed };
  },
};
