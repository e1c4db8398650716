import { parentPort, workerData } from 'node:worker_threads';
import { TributaryError, asTributaryError } from '@tributary/common';
import { SharedMemoryPool } from '@tributary/engine';
import { ExchangeFiles } from '../exchange/exchange-files.ts';
import { runTask, type TaskRuntime } from './run-task.ts';
import type { FromWorker, TaskWorkerData, ToWorker } from './task-messages.ts';

/** Frames a task may have in flight to the main thread before it waits for room. */
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
  credits: number;
  wake?: () => void;
}

const running = new Map<string, Running>();
const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

async function run(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const { task, memory } = message;
  const state: Running = { controller: new AbortController(), credits: CREDITS };
  running.set(task.taskId, state);
  const pool = new SharedMemoryPool(
    data.executorCounters,
    memory.queryCounters,
    data.executorLimitBytes,
    memory.queryLimitBytes,
    memory.charged,
  );
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
    const stats = await runTask(task, runtime, pool, state.controller.signal, emit);
    send({ type: 'done', taskId: task.taskId, stats });
  } catch (error) {
    const signal = state.controller.signal;
    const typed = asTributaryError(
      signal.aborted && signal.reason instanceof TributaryError ? signal.reason : error,
    );
    send({ type: 'failed', taskId: task.taskId, error: typed.toBody(), status: typed.status });
  } finally {
    running.delete(task.taskId);
  }
}

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
    case 'credit': {
      const state = running.get(message.taskId);
      if (!state) return;
      state.credits++;
      const wake = state.wake;
      state.wake = undefined;
      wake?.();
      return;
    }
  }
});
