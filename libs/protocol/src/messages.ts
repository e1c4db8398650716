import type { ScanCounters } from '@tributary/plan';
import type { SplitInfo, StageOutput } from './distributed-plan.ts';

/** Where one finished task of an earlier stage left its output. */
export interface TaskOutputLocation {
  readonly executorId: string;
  readonly url: string;
  readonly taskId: string;
  /**
   * A small output carried here instead of left in the executor's files (TaskStats.inline):
   * each partition's frame stream, base64. It outlives the executor that made it.
   */
  readonly inline?: readonly string[];
}

/** The finished tasks of a stage this task reads, one location per task of that stage. */
export interface StageInputLocations {
  readonly stage: number;
  readonly outputs: readonly TaskOutputLocation[];
}

/** What the coordinator sends an executor to run one task of a stage. */
export interface TaskRequest {
  readonly queryId: string;
  readonly stage: number;
  /** The task's index in its stage: its partition for stages that read hash exchanges. */
  readonly index: number;
  /** Unique per attempt: `${queryId}.${stage}.${index}.${attempt}`. */
  readonly taskId: string;
  /** JSON of the stage's PhysicalNode (parsed on the task's thread, not the executor's HTTP thread). */
  readonly plan: string;
  /** The splits of the stage's scan this task reads (splits stages only). */
  readonly splits?: readonly SplitInfo[];
  readonly inputs: readonly StageInputLocations[];
  readonly output: StageOutput;
  /** The query's memory limit on each executor, in bytes (0: the executor's own limit). */
  readonly queryMemoryBytes: number;
  /** Tasks with the same affinity (the same splits) go to the same thread, where their decoded columns are cached. */
  readonly affinity?: number;
  /**
   * An output stage's task whose output (all partitions' frames) comes to at most this many
   * bytes sends it back in `TaskStats.inline` rather than leaving it in files: the next
   * stage then reads it from its own request, with no file written or fetched.
   */
  readonly inlineOutputBytes?: number;
  /** EXPLAIN ANALYZE: measure every operator and report it in `TaskStats.operators`. */
  readonly analyze?: boolean;
  /**
   * The admission lane of the task's query: on the executor's threads, tasks of small-lane
   * queries take their slices before large ones' (libs/engine TurnQueue). Absent: large.
   */
  readonly lane?: 'small' | 'large';
}

/**
 * What one operator of a task did (EXPLAIN ANALYZE): the rows and batches it produced and
 * its self time in milliseconds, the wall time spent in its own `next()` less the time
 * spent waiting on its children. A tuple, since a task reports one for every operator.
 */
export type OperatorRunStats = readonly [rows: number, batches: number, selfMs: number];

/** What a finished task reports (the payload of its stream's end frame). */
export interface TaskStats {
  readonly rows: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  /** Rows left in each output partition (hash and single outputs). */
  readonly partitionRows?: readonly number[];
  /** The output itself, each partition's frame stream in base64, when it fit in `TaskRequest.inlineOutputBytes`. */
  readonly inline?: readonly string[];
  /** Bytes written to spill files by its sorts and aggregations. */
  readonly spilledBytes?: number;
  /** What the task's scan read and skipped, when it has a scan and its connector counted anything. */
  readonly scan?: ScanCounters;
  /** Tasks asked to `analyze`: one entry per operator, by its pre-order position in the stage's plan. */
  readonly operators?: readonly OperatorRunStats[];
}

export interface ExecutorRegistration {
  readonly id: string;
  readonly url: string;
  /** Random per process start: a registration for a live id from another instance is refused. */
  readonly instance: string;
  /** Worker threads running tasks. */
  readonly threads: number;
  readonly pid: number;
}

export interface ExecutorHeartbeat {
  readonly id: string;
  readonly instance: string;
  readonly runningTasks: number;
}

/** A running task, as an executor reports it (GET status). */
export interface RunningTaskInfo {
  readonly taskId: string;
  readonly queryId: string;
  readonly stage: number;
  readonly startedAt: number;
}

export interface ExecutorStatus {
  readonly id: string;
  readonly threads: number;
  readonly tasks: readonly RunningTaskInfo[];
  /** Bytes reserved by running queries' operators. */
  readonly memoryReservedBytes: number;
  /** Queries with tasks running on this executor. */
  readonly queries: readonly string[];
}

/** Routes of the internal channel; every one of them needs the cluster secret. */
export const INTERNAL_PATHS = {
  /** Coordinator: an executor announces itself. */
  register: '/internal/v1/executors/register',
  /** Coordinator: an executor is alive. */
  heartbeat: '/internal/v1/executors/heartbeat',
  /** Executor: run a task; the response streams frames. */
  runTask: '/internal/v1/tasks',
  /** Executor: one partition of a finished task's output: `${exchange}/${queryId}/${taskId}/${partition}`. */
  exchange: '/internal/v1/exchange',
  /** Executor: DELETE `${queries}/${queryId}` cancels its tasks and drops its exchange data. */
  queries: '/internal/v1/queries',
  /** Executor: POST `{ queryIds }` of queries that completed: drop their exchange data (batched). */
  queriesEnded: '/internal/v1/queries-ended',
  /** Executor: what runs there now. */
  status: '/internal/v1/status',
} as const;

/** Public routes (no secret): liveness only, nothing internal. */
export const PUBLIC_PATHS = {
  health: '/api/v1/health',
} as const;
