import type { ErrorBody } from '@tributary/common';
import type { TaskRequest, TaskStats } from '@tributary/protocol';

/** What the executor's main thread gives each task worker thread at start. */
export interface TaskWorkerData {
  readonly executorId: string;
  readonly secret: string;
  readonly workDir: string;
  /** Folders every file a task opens must lie inside. */
  readonly roots: readonly string[];
  /** The executor's memory counters, shared by every worker thread. */
  readonly executorCounters: SharedArrayBuffer;
  readonly executorLimitBytes: number;
}

/** The memory budget of one task: its query's shared counters and limit. */
export interface TaskMemory {
  readonly queryCounters: SharedArrayBuffer;
  readonly queryLimitBytes: number;
  /** What the task's pool charges now: taken back if its thread is torn down mid-task. */
  readonly charged: SharedArrayBuffer;
  /**
   * What the query's shared build sides on this thread charge (one counter per query and
   * thread, outliving the task): taken back if the thread is torn down.
   */
  readonly sharedCharged: SharedArrayBuffer;
}

export type ToWorker =
  | {
      readonly type: 'run';
      readonly task: TaskRequest;
      readonly memory: TaskMemory;
      /** When the task's query first reached this executor (Date.now()): its turn's age. */
      readonly queryArrival: number;
    }
  | { readonly type: 'cancel'; readonly taskId: string; readonly reason: ErrorBody }
  /** The main thread wrote one more of the task's frames: it may send another. */
  | { readonly type: 'credit'; readonly taskId: string; readonly count: number }
  /** The query ended on this executor: forget what the thread keeps for it (shared builds). */
  | { readonly type: 'query-ended'; readonly queryId: string };

export type FromWorker =
  /** The thread has loaded the engine and takes tasks. */
  | { readonly type: 'loaded' }
  | { readonly type: 'frame'; readonly taskId: string; readonly frame: Uint8Array }
  | { readonly type: 'done'; readonly taskId: string; readonly stats: TaskStats }
  | { readonly type: 'failed'; readonly taskId: string; readonly error: ErrorBody; readonly status: number };
