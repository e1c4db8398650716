import type { LogicalPlan } from '@tributary/plan';

export interface RuleContext {
  /** Names of rules switched off (for tests comparing results with and without a rule). */
  readonly disabledRules: ReadonlySet<string>;
  /**
   * Whether rules may move work into scans' sources (SQLite joins, aggregates, orders);
   * false turns every such rule off at once (the setting comparing results both ways).
   * Absent means true.
   */
  readonly scanPushdown?: boolean;
}

/** Whether scan-pushdown rules may rewrite under `ctx` (on unless switched off). */
export function scanPushdownEnabled(ctx: RuleContext): boolean {
  return ctx.scanPushdown !== false;
}

export interface RuleResult {
  readonly plan: LogicalPlan;
  readonly changed: boolean;
}

/**
 * An optimizer rule: a pure rewrite that keeps the plan's output schema (names and types).
 * The runner checks that it does.
 */
export interface OptimizerRule {
  readonly name: string;
  rewrite(plan: LogicalPlan, ctx: RuleContext): RuleResult;
}
