import { TributaryError } from '@tributary/common';

/**
 * Failures of the machinery rather than of the query: the executor died, was declared lost,
 * went silent, had the task's thread crash or restart, or was stopping. Running the task
 * elsewhere may succeed. Errors in the data or the SQL are not among them: they would fail
 * again.
 */
const RETRYABLE = new Set([
  'EXECUTOR_LOST',
  'EXECUTOR_STREAM_CUT',
  'EXECUTOR_STOPPING',
  'EXECUTOR_FAILED',
  'FRAGMENT_TIMEOUT',
  'TASK_CRASHED',
  'TASK_THREAD_RESTARTED',
  'EXCHANGE_FETCH_FAILED',
]);

export function isRetryable(error: unknown): boolean {
  return error instanceof TributaryError && RETRYABLE.has(error.code);
}

/** The executor whose stored output a task could not read, when that is why it failed. */
export function lostExecutorOf(error: unknown): string | undefined {
  if (!(error instanceof TributaryError) || error.code !== 'EXCHANGE_FETCH_FAILED') return undefined;
  const id = error.details?.executorId;
  return typeof id === 'string' ? id : undefined;
}
