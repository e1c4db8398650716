import { InternalError, PlanError, sameType, typeToString } from '@tributary/common';
import type { LogicalPlan } from '@tributary/plan';
import type { OptimizerRule, RuleContext, RuleResult } from './optimizer-rule.ts';
import { foldConstants } from './fold-constants.ts';
import { orToInList } from './or-to-in-list.ts';
import { pruneColumns } from './prune-columns.ts';
import { pushDownFilter } from './push-down-filter.ts';
import { pushLimitIntoScan } from './push-limit-into-scan.ts';

/**
 * The fixed sequence of rules, each run once, in this order:
 * 0. fold_constants first, so that pushed filters compare columns with plain literals.
 * 1. or_to_in_list after it (equalities with folded casts are equalities with literals) and
 *    before filters move, so that a merged IN list is pushed down as one predicate.
 * 2. push_down_filter next: it turns cross joins with equalities into inner joins and puts
 *    predicates into scans, which later rules and the connectors rely on.
 * 3. push_limit_into_scan after filters are in scans (the scan limit counts rows after them).
 * 4. prune_columns last: it must see every predicate where it finally sits to know which
 *    columns are still read.
 */
export const DEFAULT_RULES: readonly OptimizerRule[] = [
  foldConstants,
  orToInList,
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
    const { plan: next } = runRule(rule, current, ctx);
    assertSameSchema(rule.name, current, next);
    current = next;
  }
  return current;
}

/** Runs one rule; a plan whose expressions nest too deeply for its recursion fails typed. */
function runRule(rule: OptimizerRule, plan: LogicalPlan, ctx: RuleContext): RuleResult {
  try {
    return rule.rewrite(plan, ctx);
  } catch (error) {
    if (error instanceof RangeError && error.message.includes('call stack'))
      throw new PlanError(
        'EXPRESSION_TOO_DEEP',
        `expressions are nested too deeply for optimizer rule ${rule.name}`,
        {
          cause: error,
        },
      );
    throw error;
  }
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
