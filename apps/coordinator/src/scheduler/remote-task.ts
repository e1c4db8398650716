import type { RecordBatch } from 'apache-arrow';
import { ExecutionError, TributaryError } from '@tributary/common';
import {
  INTERNAL_PATHS,
  clusterHeaders,
  decodeFrames,
  requestInternal,
  responseText,
  type TaskRequest,
  type TaskStats,
} from '@tributary/protocol';
import type { IncomingMessage } from 'node:http';
import type { ExecutorInfo, ExecutorRegistry } from '../executors/executor-registry.ts';

export interface RemoteTaskOptions {
  readonly registry: ExecutorRegistry;
  readonly secret: string;
  /** How long an executor may leave a task without a sign of life (keep-alives count). */
  readonly fragmentTimeoutMs: number;
  /** The query's signal: cancel, deadline, client gone. */
  readonly signal: AbortSignal;
  readonly onStats?: (stats: TaskStats) => void;
}

/**
 * The chunks of a response body, failing with `onSilence`'s error when the executor sends
 * nothing while we wait for it for `ms` (it keeps the task's stream alive every second
 * while it computes, so silence means it is hung or gone). Time spent while our own
 * consumer is not asking (backpressure from a slow client) does not count.
 */
async function* watched(
  chunks: AsyncIterable<Uint8Array>,
  ms: number,
  onSilence: () => void,
): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    for (;;) {
      const timer = setTimeout(onSilence, ms);
      let next: IteratorResult<Uint8Array>;
      try {
        next = await iterator.next();
      } finally {
        clearTimeout(timer);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

/** Why a task's request is aborted once its reader is done with it (nobody sees it). */
const TASK_STREAM_CLOSED = Object.freeze({ name: 'TaskStreamClosed', message: 'the task stream was closed' });

/**
 * Runs one task on an executor and yields the batches it streams back (none for a task
 * whose output stays on the executor). Closing the iteration closes the connection, which
 * cancels the task there. Failures are typed: the executor's own error as it sent it,
 * EXECUTOR_LOST when the executor died or was declared lost, FRAGMENT_TIMEOUT when it
 * went silent.
 */
export async function* runRemoteTask(
  executor: ExecutorInfo,
  task: TaskRequest,
  options: RemoteTaskOptions,
): AsyncGenerator<RecordBatch> {
  const controller = new AbortController();
  const origin = `executor ${executor.id}`;
  const fail = (error: TributaryError) => {
    if (!controller.signal.aborted) controller.abort(error);
  };
  const onLost = (info: ExecutorInfo) => {
    if (info.id === executor.id)
      fail(
        new ExecutionError('EXECUTOR_LOST', `${origin} stopped responding while it ran task ${task.taskId}`, {
          status: 502,
        }),
      );
  };
  const timedOut = () =>
    fail(
      new ExecutionError(
        'FRAGMENT_TIMEOUT',
        `${origin} did not answer task ${task.taskId} for ${options.fragmentTimeoutMs} ms`,
        {
          status: 504,
        },
      ),
    );
  const onAbort = () => fail(asError(options.signal.reason));
  if (options.signal.aborted) throw options.signal.reason;
  options.signal.addEventListener('abort', onAbort, { once: true });
  options.registry.on('lost', onLost);
  let cut: (() => void) | undefined;
  const why = (error: unknown): unknown => {
    if (controller.signal.aborted) return controller.signal.reason;
    if (error instanceof TributaryError) return error;
    const cause = (error as Error).cause as Error | undefined;
    return new ExecutionError(
      'EXECUTOR_LOST',
      `${origin} went away while it ran task ${task.taskId}: ${cause?.message ?? (error as Error).message}`,
      {
        status: 502,
        cause: error,
      },
    );
  };
  try {
    const url = new URL(INTERNAL_PATHS.runTask, executor.url);
    const exchange = requestInternal(
      'POST',
      url,
      clusterHeaders(options.secret, 'POST', url),
      JSON.stringify(task),
    );
    // Cancel, deadline, silence, a lost executor: the connection is cut, which stops the task there.
    cut = () => exchange.destroy();
    controller.signal.addEventListener('abort', cut, { once: true });
    const headersTimer = setTimeout(timedOut, options.fragmentTimeoutMs);
    let response: IncomingMessage;
    try {
      response = await exchange.response;
    } catch (error) {
      throw why(error);
    } finally {
      clearTimeout(headersTimer);
    }
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      const text = await responseText(response).catch(() => '');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      if (body && typeof body === 'object' && 'code' in body)
        throw TributaryError.fromBody(body as never, status);
      throw new ExecutionError('EXECUTOR_FAILED', `${origin} answered ${status}: ${text.slice(0, 200)}`, {
        status: 502,
      });
    }
    const chunks = watched(response as AsyncIterable<Uint8Array>, options.fragmentTimeoutMs, timedOut);
    try {
      yield* decodeFrames(chunks, origin, { onEnd: (stats) => options.onStats?.(stats as TaskStats) });
    } catch (error) {
      throw why(error);
    }
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    options.registry.off('lost', onLost);
    // Closes the connection if the task still streams (a response read to its end is back in
    // the pool and left alone). A shared reason: abort() without one builds a DOMException
    // with a stack for every task, a measurable cost under load.
    controller.abort(TASK_STREAM_CLOSED);
    if (cut) controller.signal.removeEventListener('abort', cut);
  }
}

function asError(reason: unknown): TributaryError {
  return reason instanceof TributaryError
    ? reason
    : new ExecutionError('QUERY_CANCELLED', 'the query was cancelled', { status: 409 });
}
