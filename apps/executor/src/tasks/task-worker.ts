import { parentPort, workerData } from 'node:worker_threads';
import { ExecutionError, SourceError, TributaryError, asTributaryError, isWasmTrap } from '@tributary/common';
import { discardParquetWasmAfterTrap } from '@tributary/connectors';
import { SharedBuilds, SharedMemoryPool, TaskTurn } from '@tributary/engine';
import { ExchangeFiles } from '../exchange/exchange-files.ts';
import { runTask, type TaskRuntime } from './run-task.ts';
import type { FromWorker, TaskWorkerData, ToWorker } from './task-messages.ts';

/**
 * Frames a task may have in flight to the main thread before it waits for room (the main
 * thread gives them back CREDITS_RETURNED at a time: task-pool.ts).
 */
const CREDITS = 4;

const data = workerData as TaskWorkerData;
const port = parentPort!;
const runtime: TaskRuntime = {
  executorId: data.executorId,
  secret: data.secret,
  files: new ExchangeFiles(data.workDir),
  roots: data.roots,
};

interface Running {
  readonly controller: AbortController;
  /** The file the task's scan reads now, if any. */
  file: string | null;
  credits: number;
  wake?: () => void;
}

const running = new Map<string, Running>();
/** Build sides the tasks of a stage share on this thread, until their query ends. */
const sharedBuilds = new SharedBuilds();
const sharedPools = new Map<string, SharedMemoryPool>();
const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function run(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const { task, memory } = message;
  const state: Running = { controller: new AbortController(), credits: CREDITS, file: null };
  running.set(task.taskId, state);
  const pool = new SharedMemoryPool(
    data.executorCounters,
    memory.queryCounters,
    data.executorLimitBytes,
    memory.queryLimitBytes,
    memory.charged,
  );
  let sharedPool = sharedPools.get(task.queryId);
  if (!sharedPool) {
    // One pool per query on this thread, so that its charged counter sums all its shared builds.
    sharedPool = new SharedMemoryPool(
      data.executorCounters,
      memory.queryCounters,
      data.executorLimitBytes,
      memory.queryLimitBytes,
      memory.sharedCharged,
    );
    sharedPools.set(task.queryId, sharedPool);
  }
  const emit = async (frame: Uint8Array) => {
    while (state.credits === 0) {
      state.controller.signal.throwIfAborted();
      await new Promise<void>((resolve) => (state.wake = resolve));
    }
    state.controller.signal.throwIfAborted();
    state.credits--;
    send({ type: 'frame', taskId: task.taskId, frame }, [frame.buffer as ArrayBuffer]);
  };
  try {
    const turn = new TaskTurn(task.lane, message.queryArrival);
    // A new task takes its first slice in turn too: a heavy one waits for quick ones queued here.
    await turn.start();
    state.controller.signal.throwIfAborted();
    const stats = await runTask(
      task,
      runtime,
      pool,
      state.controller.signal,
      emit,
      (file) => (state.file = file),
      { builds: sharedBuilds, pool: sharedPool },
      turn,
    );
    send({ type: 'done', taskId: task.taskId, stats });
  } catch (error) {
    const signal = state.controller.signal;
    const typed = asTributaryError(
      signal.aborted && signal.reason instanceof TributaryError ? signal.reason : error,
    );
    send({ type: 'failed', taskId: task.taskId, error: typed.toBody(), status: typed.status });
    // parquet-wasm's traps cost only its instance (decodeRowGroup); after any other
    // WebAssembly trap the module's memory may be inconsistent: this thread runs nothing
    // more, and the pool starts a fresh one.
    if (isWasmTrap(error)) setImmediate(() => process.exit(1));
  } finally {
    running.delete(task.taskId);
  }
}

/**
 * A decoder that fails outside any promise a task awaits (parquet-wasm trapping in a callback
 * of its own) would take the thread down with only "unreachable" to show. Report it first:
 * a task reading a file fails with SOURCE_FILE_INVALID naming it, the others with a
 * retryable TASK_CRASHED; then the thread ends and the pool starts a new one.
 */
process.on('uncaughtException', (error) => {
  // A trap of parquet-wasm costs its instance, not the thread: the reads on it start over.
  if (discardParquetWasmAfterTrap(error)) return;
  const reason = error instanceof Error ? error.message : String(error);
  for (const [taskId, state] of running) {
    const failure = state.file
      ? new SourceError(
          'SOURCE_FILE_INVALID',
          `cannot read file "${state.file}": its decoder failed (${reason})`,
        )
      : new ExecutionError('TASK_CRASHED', `the thread running the task crashed: ${reason}`, { status: 500 });
    send({ type: 'failed', taskId, error: failure.toBody(), status: failure.status });
  }
  running.clear();
  setImmediate(() => process.exit(1));
});

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'run':
      void run(message);
      return;
    case 'cancel': {
      const state = running.get(message.taskId);
      if (!state) return;
      state.controller.abort(TributaryError.fromBody(message.reason, 499));
      state.wake?.();
      return;
    }
    case 'query-ended':
      sharedBuilds.drop(message.queryId);
      sharedPools.delete(message.queryId);
      return;
    case 'credit': {
      const state = running.get(message.taskId);
      if (!state) return;
      state.credits += message.count;
      const wake = state.wake;
      state.wake = undefined;
      wake?.();
      return;
    }
  }
});

send({ type: 'loaded' });
