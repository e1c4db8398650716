import type { AggregateCall, Expr, LogicalPlan } from '@tributary/plan';

/** What the coordinator sends an executor: one leaf fragment and the splits it should scan. */
export interface FragmentRequest {
  readonly queryId: string;
  readonly fragmentId: string;
  /** A scan with filters/projections over it, possibly under a limit or sort+limit, as plain JSON. */
  readonly plan: LogicalPlan;
  /** Connector split infos for the fragment's scan. */
  readonly splits: readonly {
    readonly info: Readonly<Record<string, unknown>>;
    readonly estimatedRows?: number;
  }[];
  /**
   * When set, the executor pre-aggregates the fragment's rows (HashAggregate in partial mode)
   * and sends group keys with accumulator states; the coordinator merges them (final mode).
   */
  readonly partialAggregate?: PartialAggregate;
}

export interface PartialAggregate {
  readonly groupBy: readonly Expr[];
  readonly aggregates: readonly AggregateCall[];
}

export interface ExecutorRegistration {
  readonly id: string;
  readonly url: string;
  readonly pid: number;
}

export interface ExecutorHeartbeat {
  readonly id: string;
  readonly runningFragments: number;
}

export const EXECUTOR_PATHS = {
  register: '/api/v1/executors/register',
  heartbeat: '/api/v1/executors/heartbeat',
  runFragment: '/api/v1/fragments/run',
  health: '/api/v1/health',
} as const;
