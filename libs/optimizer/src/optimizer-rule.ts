import type { LogicalPlan } from '@tributary/plan';

export interface RuleContext {
  /** Names of rules switched off (for tests comparing results with and without a rule). */
  readonly disabledRules: ReadonlySet<string>;
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
