import { parentPort } from 'node:worker_threads';
import { runTask, transferList, type GenerateTask } from './generate-task.ts';

/** A generator thread: answers each task with its payloads, or with the error that stopped it. */
parentPort?.on('message', (message: { id: number; task: GenerateTask }) => {
  try {
    const payloads = runTask(message.task);
    parentPort?.postMessage({ id: message.id, payloads }, transferList(payloads));
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
