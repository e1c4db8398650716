import { InternalError, sameType, typeToString } from '@tributary/common';
import type { LogicalPlan } from '@tributary/plan';
import type { OptimizerRule, RuleContext } from './optimizer-rule.ts';
import { foldConstants } from './fold-constants.ts';
import { pruneColumns } from './prune-columns.ts';
import { pushDownFilter } from './push-down-filter.ts';
import { pushLimitIntoScan } from './push-limit-into-scan.ts';

/**
 * The fixed sequence of rules, each run once, in this order:
 * 0. fold_constants first, so that pushed filters compare columns with plain literals.
 * 1. push_down_filter next: it turns cross joins with equalities into inner joins and puts
 *    predicates into scans, which later rules and the connectors rely on.
 * 2. push_limit_into_scan after filters are in scans (the scan limit counts rows after them).
 * 3. prune_columns last: it must see every predicate where it finally sits to know which
 *    columns are still read.
 */
export const DEFAULT_RULES: readonly OptimizerRule[] = [
  foldConstants,
  pushDownFilter,
  pushLimitIntoScan,
  pruneColumns,
];

export interface OptimizeOptions {
  readonly disabledRules?: Iterable<string>;
  readonly rules?: readonly OptimizerRule[];
}

export function optimize(plan: LogicalPlan, options: OptimizeOptions = {}): LogicalPlan {
  const ctx: RuleContext = { disabledRules: new Set(options.disabledRules ?? []) };
  let current = plan;
  for (const rule of options.rules ?? DEFAULT_RULES) {
    if (ctx.disabledRules.has(rule.name)) continue;
    const { plan: next } = rule.rewrite(current, ctx);
    assertSameSchema(rule.name, current, next);
    current = next;
  }
  return current;
}

/** Rules must not change what a query returns: same column names and types, in order. */
function assertSameSchema(rule: string, before: LogicalPlan, after: LogicalPlan): void {
  const a = before.schema;
  const b = after.schema;
  const same =
    a.length === b.length && a.every((f, i) => f.name === b[i].name && sameType(f.type, b[i].type));
  if (!same) {
    const show = (p: LogicalPlan) => p.schema.map((f) => `${f.name}: ${typeToString(f.type)}`).join(', ');
    throw new InternalError(
      `optimizer rule ${rule} changed the plan schema from [${show(before)}] to [${show(after)}]`,
    );
  }
}
