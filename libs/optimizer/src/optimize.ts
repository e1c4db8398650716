import { InternalError, PlanError, RequestError, sameType, typeToString } from '@tributary/common';
import type { LogicalPlan } from '@tributary/plan';
import type { OptimizerRule, RuleContext, RuleResult } from './optimizer-rule.ts';
import { deriveOrFilters } from './derive-or-filters.ts';
import { factorOrConjuncts } from './factor-or-conjuncts.ts';
import { foldConstants } from './fold-constants.ts';
import { liftScanPushdown } from './lift-scan-pushdown.ts';
import { orToInList } from './or-to-in-list.ts';
import { pruneColumns } from './prune-columns.ts';
import { pushDownFilter } from './push-down-filter.ts';
import { pushDownSemiJoin } from './push-down-semi-join.ts';
import { pushAggregateIntoSqliteScan } from './push-aggregate-into-sqlite-scan.ts';
import { pushJoinIntoSqliteScan } from './push-join-into-sqlite-scan.ts';
import { pushLimitIntoScan } from './push-limit-into-scan.ts';
import { pushTopNIntoSqliteScan } from './push-top-n-into-sqlite-scan.ts';
import { narrowJoinOutputs } from './narrow-join-outputs.ts';
import { reorderJoins } from './reorder-joins.ts';
import { semiJoinReduction } from './semi-join-reduction.ts';

/**
 * The fixed sequence of rules, each run once, in this order:
 * 0. fold_constants first, so that pushed filters compare columns with plain literals.
 * 1. factor_or_conjuncts before anything reads conjuncts: a join key repeated in every
 *    branch of an OR becomes a conjunct of its own (and `(a AND x = 1) OR (a AND x = 2)`
 *    becomes `a AND (x = 1 OR x = 2)`, which or_to_in_list can then merge).
 * 2. or_to_in_list after them (equalities with folded casts are equalities with literals) and
 *    before filters move, so that a merged IN list is pushed down as one predicate.
 * 3. derive_or_filters before filters move: it adds single-relation filters implied by an OR
 *    over a join, for push_down_filter to put into the scans.
 * 4. push_down_filter next: it turns cross joins with equalities into inner joins and puts
 *    predicates into scans, which later rules and the connectors rely on.
 * 5. push_down_semi_join after it: IN and EXISTS tests (semi and anti joins) move onto the
 *    relation whose columns they read, once the joins they sat over are inner joins.
 * 6. join_order after them: it sizes relations by the filters now in their scans and the
 *    tests now on them, and takes the join conditions where push_down_filter left them.
 * 7. semi_join_reduction after it: it sizes both inputs of each join as they will
 *    run, and reads the keys from the smallest relation join_order left under one of them.
 * 8. push_limit_into_scan after filters are in scans (the scan limit counts rows after them).
 * 9. prune_columns next: it must see every predicate where it finally sits to know which
 *    columns are still read.
 * 10-12. The SQLite pushdowns next, over the final plan shape: filters are in the scans,
 *    joins are ordered (by estimates of the separate tables), and columns are pruned, so a
 *    scan's statement selects only what is read. push_join_into_sqlite_scan first (a join of
 *    two scans of one database becomes one scan), then push_aggregate_into_sqlite_scan (an
 *    aggregate over such a scan, joined or not, becomes a partial aggregate in it), then
 *    push_top_n_into_sqlite_scan (a top-N over plain rows). Nothing after them reads a
 *    scan's columns as its table's; `scanPushdown: false` switches all three off.
 * 13. narrow_join_outputs after them: it drops the columns only a join's condition reads
 *    right above the join, with projections the SQLite pushdowns would not see through.
 * 14. lift_scan_pushdown last, and only with scan pushdown off: it takes out of the scans
 *    whatever the rules before it put there (filters, projections, limits; the SQLite rules
 *    do not run then), leaving the plan otherwise as it was.
 */
export const DEFAULT_RULES: readonly OptimizerRule[] = [
  foldConstants,
  factorOrConjuncts,
  orToInList,
  deriveOrFilters,
  pushDownFilter,
  pushDownSemiJoin,
  reorderJoins,
  semiJoinReduction,
  pushLimitIntoScan,
  pruneColumns,
  pushJoinIntoSqliteScan,
  pushAggregateIntoSqliteScan,
  pushTopNIntoSqliteScan,
  narrowJoinOutputs,
  liftScanPushdown,
];

/** The names of the rules `disabledRules` may name, in the order they run. */
export const OPTIMIZER_RULE_NAMES: readonly string[] = DEFAULT_RULES.map((r) => r.name);

/**
 * Checks a request's list of rules to switch off: every name must be one of
 * OPTIMIZER_RULE_NAMES (an unknown one is a typed error listing them, with the closest as a
 * suggestion), so a misspelt switch never silently leaves a rule on.
 */
export function validateDisabledRules(names: unknown): string[] {
  if (names === undefined || names === null) return [];
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string'))
    throw new RequestError(
      'INVALID_OPTIONS',
      '"options.disabledRules" must be a list of optimizer rule names',
    );
  const known = new Set(OPTIMIZER_RULE_NAMES);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0)
    throw new RequestError(
      'UNKNOWN_OPTIMIZER_RULE',
      `unknown optimizer rule ${unknown.map((n) => `"${n}"`).join(', ')}; the rules are ${OPTIMIZER_RULE_NAMES.join(', ')}`,
      { suggestions: [...OPTIMIZER_RULE_NAMES] },
    );
  return [...new Set(names as string[])];
}

export interface OptimizeOptions {
  readonly disabledRules?: Iterable<string>;
  /** false takes all work out of scans (lift_scan_pushdown); true by default. */
  readonly scanPushdown?: boolean;
  readonly rules?: readonly OptimizerRule[];
}

export function optimize(plan: LogicalPlan, options: OptimizeOptions = {}): LogicalPlan {
  const disabled = [...(options.disabledRules ?? [])];
  if (!options.rules) validateDisabledRules(disabled);
  const ctx: RuleContext = {
    disabledRules: new Set(disabled),
    scanPushdown: options.scanPushdown ?? true,
  };
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
