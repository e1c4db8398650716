import type { LogicalPlan } from '@tributary/plan';

export interface RuleContext {
  /** Names of rules switched off (for tests comparing results with and without a rule). */
  readonly disabledRules: ReadonlySet<string>;
  /**
   * Whether work may be pushed into scans (filters, projections, limits, and whatever a
   * connector computes itself). Off, every connector reads whole tables: a switch to prove
   * that pushdown never changes an answer, and to route around a connector's bug.
   */
  readonly scanPushdown: boolean;
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

/** The context of a plain run: no rule switched off, pushdown on (tests of one rule use it). */
export const DEFAULT_RULE_CONTEXT: RuleContext = { disabledRules: new Set(), scanPushdown: true };
