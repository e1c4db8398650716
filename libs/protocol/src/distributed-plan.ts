import type { Expr, Field, SortKey } from '@tributary/plan';
import type { PhysicalNode } from './physical-plan.ts';

/** An independently scannable part of a table (a connector's Split, as JSON). */
export interface SplitInfo {
  readonly info: Readonly<Record<string, unknown>>;
  readonly estimatedRows?: number;
}

/**
 * How a stage is cut into tasks:
 * - splits: one task per group of its scan's splits, handed out as executors free up;
 * - partitions: one task per partition of the hash exchanges it reads (`count` of them);
 * - single: one task.
 */
export type StageTasks =
  | { readonly kind: 'splits'; readonly groups: readonly (readonly SplitInfo[])[] }
  | { readonly kind: 'partitions'; readonly count: number }
  | { readonly kind: 'single' };

/**
 * Where a stage's output goes:
 * - hash: every task cuts its rows into `partitions` by a hash of `keys` (over the stage's
 *   output) and leaves them on its executor for the next stage to fetch (a shuffle);
 * - single: every task leaves its whole output as one partition (read by broadcast, gather
 *   or merge exchanges);
 * - result: tasks stream their rows to the coordinator, which finishes the query.
 */
export type StageOutput =
  | { readonly kind: 'hash'; readonly keys: readonly Expr[]; readonly partitions: number }
  | { readonly kind: 'single' }
  | { readonly kind: 'result' };

export interface StagePlan {
  readonly id: number;
  readonly root: PhysicalNode;
  readonly tasks: StageTasks;
  readonly output: StageOutput;
  /** The stages this one reads through its exchanges. */
  readonly inputs: readonly number[];
  /** What was decided about this stage at run time from the actual sizes of others, for EXPLAIN. */
  readonly adapted?: string;
}

/**
 * What the coordinator does with the result stage's streams: take them as they come
 * ('any'), one task after another ('in-order': rows in file order, as DuckDB returns them
 * without ORDER BY), or merged by `orderBy` ('merge'); then apply offset and limit and keep
 * the `columns` listed (a stage may carry sort keys beside the visible columns).
 */
export interface ResultPlan {
  readonly read: 'any' | 'in-order' | 'merge';
  readonly orderBy?: readonly SortKey[];
  readonly limit: number | null;
  readonly offset: number;
  readonly columns: readonly number[];
}

/** A query cut into stages (in dependency order; the last one is the result stage). */
export interface DistributedPlan {
  readonly stages: readonly StagePlan[];
  readonly result: ResultPlan;
  /** The query's output schema. */
  readonly schema: readonly Field[];
}

/**
 * A stage as the coordinator schedules it: its plan already serialized, because the
 * coordinator never walks a plan (one with a 100,000-item IN list is megabytes of objects
 * its event loop should not copy); only executors parse it.
 */
export interface ScheduledStage extends Omit<StagePlan, 'root'> {
  /** JSON of the stage's PhysicalNode. */
  readonly plan: string;
  /** The stage's output schema. */
  readonly schema: readonly Field[];
}

export interface ScheduledPlan {
  readonly stages: readonly ScheduledStage[];
  readonly result: ResultPlan;
  readonly schema: readonly Field[];
}

/** The key of `{"nonFiniteNumber":"NaN"}`: a NaN or ±Infinity (a DOUBLE literal), which JSON has no number for. */
const NON_FINITE = 'nonFiniteNumber';

/** A stage's plan as JSON, non-finite numbers included (`'nan'::DOUBLE` must not arrive as NULL). */
export function planToJson(root: PhysicalNode): string {
  return JSON.stringify(root, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? { [NON_FINITE]: String(value) } : value,
  );
}

/** The plan planToJson wrote. Plans without a non-finite number (nearly all) parse without a reviver. */
export function planFromJson(text: string): PhysicalNode {
  if (!text.includes(`"${NON_FINITE}"`)) return JSON.parse(text) as PhysicalNode;
  return JSON.parse(text, (_key, value: unknown) => {
    const special = (value as Record<string, unknown> | null)?.[NON_FINITE];
    return typeof special === 'string' ? Number(special) : value;
  }) as PhysicalNode;
}

export function scheduledPlan(plan: DistributedPlan): ScheduledPlan {
  return {
    stages: plan.stages.map(({ root, ...stage }) => ({
      ...stage,
      plan: planToJson(root),
      schema: root.schema,
    })),
    result: plan.result,
    schema: plan.schema,
  };
}

/** The result stage of a plan. */
export function resultStage<S>(plan: { readonly stages: readonly S[] }): S {
  return plan.stages[plan.stages.length - 1];
}

/** How many tasks a stage runs. */
export function taskCount(tasks: StageTasks): number {
  return tasks.kind === 'splits' ? tasks.groups.length : tasks.kind === 'partitions' ? tasks.count : 1;
}
