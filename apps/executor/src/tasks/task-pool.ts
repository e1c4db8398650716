import type { Worker } from 'node:worker_threads';
import { ExecutionError, TributaryError, startModuleWorker, type ErrorBody } from '@tributary/common';
import { createSharedMemoryCounters, releaseSharedMemory } from '@tributary/engine';
import type { RunningTaskInfo, TaskRequest, TaskStats } from '@tributary/protocol';
import type { FromWorker, TaskWorkerData, ToWorker } from './task-messages.ts';

const WORKER_URL = new URL('./task-worker.ts', import.meta.url);

/** Credits (task-worker.ts) given back to a task's thread at once, half of what it has. */
const CREDITS_RETURNED = 2;

/** How long a cancelled task may take to notice before its thread is torn down. */
const CANCEL_GRACE_MS = 500;

export interface TaskPoolOptions {
  readonly threads: number;
  readonly workerData: TaskWorkerData;
  /** Environment of the worker threads (the column cache is sized per thread). */
  readonly env: NodeJS.ProcessEnv;
  readonly log: (message: string) => void;
  /** The threads' module (tests start stand-ins); task-worker.ts by default. */
  readonly workerUrl?: URL;
}

interface Slot {
  worker: Worker;
  readonly tasks: Set<string>;
  /** Per query that ran here: what its shared build sides on this thread charge. */
  readonly sharedCharged: Map<string, SharedArrayBuffer>;
  /** Set once the thread is being torn down: it takes no new task. */
  retiring: boolean;
  /** Settles once the thread has loaded the engine (or was lost before it did). */
  readonly loaded: Promise<void>;
  readonly markLoaded: () => void;
}

interface TaskState {
  readonly task: TaskRequest;
  readonly charged: SharedArrayBuffer;
  readonly slot: Slot;
  readonly startedAt: number;
  readonly onFrame: (frame: Uint8Array) => Promise<void>;
  readonly resolve: (stats: TaskStats) => void;
  readonly reject: (error: TributaryError) => void;
  cancelTimer?: NodeJS.Timeout;
  cancelReason?: TributaryError;
  /** Frames written whose credit was not given back to the thread yet. */
  written: number;
}

/**
 * The executor's worker threads and the tasks on them. The main thread only routes
 * messages: tasks are placed on the thread with the fewest, run there (several interleave
 * at batch boundaries), and stream their frames back with credit-based flow control. A
 * cancelled task that does not stop within half a second (a long batch) has its thread
 * torn down and replaced; the other tasks on that thread fail with a retryable error. A
 * thread that crashes (a decoder panic, out of memory) fails its tasks the same way, with
 * the cause, and is replaced (by a spare started beforehand, once one thread was lost); the
 * process lives on.
 */
export class TaskPool {
  private readonly slots: Slot[] = [];
  /**
   * A started thread that takes no task yet, kept from the first lost thread on: starting one
   * loads the whole engine (a second or more on a busy machine), and a thread lost once (a
   * decoder trapping on a corrupt file) is often lost again, so the next replacement is ready.
   */
  private spare: Slot | undefined;
  private readonly tasks = new Map<string, TaskState>();
  private readonly queryCounters = new Map<string, SharedArrayBuffer>();
  /** When each query's first task arrived (Date.now(): comparable across threads), for turn order. */
  private readonly queryArrivals = new Map<string, number>();
  private closed = false;

  constructor(private readonly options: TaskPoolOptions) {
    for (let i = 0; i < options.threads; i++) this.slots.push(this.spawn());
  }

  get threads(): number {
    return this.options.threads;
  }

  /**
   * Settles once every thread has loaded the engine (a second or more on a busy machine): the
   * executor registers only then, so that a query sent to it at once does not wait for its
   * threads to start.
   */
  async loaded(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.loaded));
  }

  private spawn(): Slot {
    const worker = startModuleWorker(this.options.workerUrl ?? WORKER_URL, {
      workerData: this.options.workerData,
      env: this.options.env,
    });
    let markLoaded = () => {};
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    const slot: Slot = {
      worker,
      tasks: new Set(),
      sharedCharged: new Map(),
      retiring: false,
      loaded,
      markLoaded,
    };
    worker.on('message', (message: FromWorker) => this.onMessage(slot, message));
    worker.on('error', (error) => this.onThreadLost(slot, error));
    worker.on('exit', (code) => this.onThreadLost(slot, new Error(`the thread exited with code ${code}`)));
    return slot;
  }

  /** Runs a task; the promise settles with its stats or its typed error. */
  run(
    task: TaskRequest,
    queryLimitBytes: number,
    onFrame: (frame: Uint8Array) => Promise<void>,
  ): Promise<TaskStats> {
    if (this.closed)
      return Promise.reject(
        new ExecutionError('EXECUTOR_STOPPING', 'the executor is stopping', { status: 503 }),
      );
    if (this.tasks.has(task.taskId))
      return Promise.reject(
        new ExecutionError('TASK_DUPLICATE', `task ${task.taskId} already runs here`, { status: 409 }),
      );
    const slot = this.placeTask(task);
    let counters = this.queryCounters.get(task.queryId);
    if (!counters) {
      counters = createSharedMemoryCounters();
      this.queryCounters.set(task.queryId, counters);
    }
    let queryArrival = this.queryArrivals.get(task.queryId);
    if (queryArrival === undefined) {
      queryArrival = Date.now();
      this.queryArrivals.set(task.queryId, queryArrival);
    }
    const charged = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    let sharedCharged = slot.sharedCharged.get(task.queryId);
    if (!sharedCharged) {
      sharedCharged = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
      slot.sharedCharged.set(task.queryId, sharedCharged);
    }
    const memory = { queryCounters: counters, queryLimitBytes, charged, sharedCharged };
    return new Promise<TaskStats>((resolve, reject) => {
      this.tasks.set(task.taskId, {
        task,
        charged,
        slot,
        startedAt: Date.now(),
        onFrame,
        resolve,
        reject,
        written: 0,
      });
      slot.tasks.add(task.taskId);
      this.post(slot, { type: 'run', task, memory, queryArrival });
    });
  }

  /**
   * The thread for a task: the one its affinity names (its splits' decoded columns are cached
   * there) unless that one is busier than the least busy, else the least busy.
   */
  private placeTask(task: TaskRequest): Slot {
    const live = this.slots.filter((s) => !s.retiring);
    const least = live.reduce((best, s) => (s.tasks.size < best.tasks.size ? s : best));
    if (task.affinity === undefined) return least;
    const preferred = live[task.affinity % live.length];
    return preferred.tasks.size <= least.tasks.size ? preferred : least;
  }

  /** Stops a task: at its next batch, or by tearing its thread down after a grace period. */
  cancel(taskId: string, reason: TributaryError): void {
    const state = this.tasks.get(taskId);
    if (!state || state.cancelReason) return;
    state.cancelReason = reason;
    this.post(state.slot, { type: 'cancel', taskId, reason: reason.toBody() as ErrorBody });
    state.cancelTimer = setTimeout(() => {
      if (!this.tasks.has(taskId)) return;
      this.options.log(
        `task ${taskId} did not stop within ${CANCEL_GRACE_MS} ms of its cancel: restarting its thread`,
      );
      this.replace(
        state.slot,
        new ExecutionError(
          'TASK_THREAD_RESTARTED',
          'the thread running the task was restarted to stop a cancelled task beside it',
          { status: 503 },
        ),
      );
    }, CANCEL_GRACE_MS);
  }

  /** Cancels every task of a query, has its threads forget it, and forgets its memory counters. */
  cancelQuery(queryId: string, reason: TributaryError): void {
    for (const state of this.tasks.values())
      if (state.task.queryId === queryId) this.cancel(state.task.taskId, reason);
    for (const slot of this.slots)
      if (slot.sharedCharged.delete(queryId)) this.post(slot, { type: 'query-ended', queryId });
    this.queryCounters.delete(queryId);
    this.queryArrivals.delete(queryId);
  }

  /** Whether any task of the query still runs here. */
  hasTasks(queryId: string): boolean {
    for (const state of this.tasks.values()) if (state.task.queryId === queryId) return true;
    return false;
  }

  running(): RunningTaskInfo[] {
    return [...this.tasks.values()].map((s) => ({
      taskId: s.task.taskId,
      queryId: s.task.queryId,
      stage: s.task.stage,
      startedAt: s.startedAt,
    }));
  }

  memoryReservedBytes(): number {
    return Atomics.load(new Int32Array(this.options.workerData.executorCounters, 0, 1), 0) * 1024;
  }

  private post(slot: Slot, message: ToWorker): void {
    slot.worker.postMessage(message);
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    if (message.type === 'loaded') {
      slot.markLoaded();
      return;
    }
    const state = this.tasks.get(message.taskId);
    if (!state) return;
    switch (message.type) {
      case 'frame':
        state.onFrame(message.frame).then(
          () => {
            // Room is given back in pairs: a message less per two frames, and none for a task
            // of one frame (most small queries). The thread keeps at least two of its four.
            if (++state.written < CREDITS_RETURNED) return;
            state.written = 0;
            this.post(slot, { type: 'credit', taskId: message.taskId, count: CREDITS_RETURNED });
          },
          (error: unknown) => this.cancel(message.taskId, asCancel(error)),
        );
        return;
      case 'done':
        this.settle(state, undefined, message.stats);
        return;
      case 'failed':
        this.settle(state, state.cancelReason ?? TributaryError.fromBody(message.error, message.status));
        return;
    }
  }

  private settle(state: TaskState, error: TributaryError | undefined, stats?: TaskStats): void {
    if (!this.tasks.delete(state.task.taskId)) return;
    state.slot.tasks.delete(state.task.taskId);
    clearTimeout(state.cancelTimer);
    if (error) state.reject(error);
    else state.resolve(stats!);
  }

  /** A thread died or must go: its tasks fail (retryably, with the cause) and a new thread takes its place. */
  private replace(slot: Slot, error: TributaryError): void {
    if (slot.retiring) return;
    slot.retiring = true;
    void slot.worker.terminate();
    for (const [queryId, charged] of slot.sharedCharged)
      releaseSharedMemory(this.options.workerData.executorCounters, this.queryCounters.get(queryId), charged);
    for (const taskId of [...slot.tasks]) {
      const state = this.tasks.get(taskId);
      if (!state) continue;
      // The thread cannot free what its operators held: take it back off the shared counters.
      releaseSharedMemory(
        this.options.workerData.executorCounters,
        this.queryCounters.get(state.task.queryId),
        state.charged,
      );
      this.settle(state, state.cancelReason ?? error);
    }
    const index = this.slots.indexOf(slot);
    if (slot === this.spare) this.spare = undefined;
    if (index < 0 || this.closed) return;
    this.slots[index] = this.spare ?? this.spawn();
    this.spare = this.spawn();
  }

  private onThreadLost(slot: Slot, cause: Error): void {
    slot.markLoaded();
    if (slot.retiring || this.closed) return;
    const message = cause.message || String(cause);
    this.options.log(`a task thread died: ${message}; starting a new one`);
    const outOfMemory = (cause as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
    this.replace(
      slot,
      outOfMemory
        ? new ExecutionError('QUERY_MEMORY_EXCEEDED', `a task ran its thread out of memory: ${message}`, {
            status: 503,
          })
        : new ExecutionError('TASK_CRASHED', `the thread running the task crashed: ${message}`, {
            status: 500,
            details: { retryable: true },
          }),
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopping = new ExecutionError('EXECUTOR_STOPPING', 'the executor is stopping', { status: 503 });
    for (const state of [...this.tasks.values()]) this.settle(state, stopping);
    const spare = this.spare ? [this.spare] : [];
    this.spare = undefined;
    await Promise.all([...this.slots, ...spare].map((s) => s.worker.terminate()));
  }
}

function asCancel(error: unknown): TributaryError {
  return error instanceof TributaryError
    ? error
    : new ExecutionError('COORDINATOR_GONE', 'the reader of the task went away', { status: 499 });
}
