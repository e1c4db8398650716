import type { ReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ExecutionError, RequestError, TributaryError, asTributaryError } from '@tributary/common';
import {
  CLUSTER_AUTH_HEADER,
  INTERNAL_PATHS,
  encodeEndFrame,
  encodeErrorFrame,
  encodeKeepAliveFrame,
  verifyClusterRequest,
  writeWithBackpressure,
  type ExecutorStatus,
  type TaskRequest,
} from '@tributary/protocol';
import { isSafeId, type ExchangeFiles } from './exchange/exchange-files.ts';
import type { TaskPool } from './tasks/task-pool.ts';

export interface InternalRoutesDeps {
  readonly id: () => string;
  readonly secret: string;
  readonly pool: TaskPool;
  readonly files: ExchangeFiles;
  /** The executor's memory budget: a query's limit when its task names none, and its cap. */
  readonly memoryLimitBytes: number;
  readonly log: (message: string) => void;
}

/** How long a task's frames may wait to leave together with the next ones (or its end). */
const CORK_MS = 1;

/** How often a running task's stream says it is alive. */
const KEEP_ALIVE_MS = 1000;

const FRAMES = 'application/vnd.tributary.frames';

function validTask(body: unknown): TaskRequest {
  const t = body as Partial<TaskRequest> | null;
  const ok =
    t &&
    typeof t === 'object' &&
    typeof t.queryId === 'string' &&
    isSafeId(t.queryId) &&
    typeof t.taskId === 'string' &&
    isSafeId(t.taskId) &&
    Number.isInteger(t.stage) &&
    Number.isInteger(t.index) &&
    typeof t.plan === 'string' &&
    Array.isArray(t.inputs) &&
    t.output &&
    typeof t.output === 'object' &&
    (t.lane === undefined || t.lane === 'small' || t.lane === 'large');
  if (!ok)
    throw new RequestError(
      'TASK_INVALID',
      'a task needs queryId, taskId, stage, index, plan, inputs and output (and a lane of small or large, if any)',
    );
  return t as TaskRequest;
}

/**
 * The executor's side of the internal channel: run a task (its frames streamed back, with
 * keep-alives while it computes), serve a finished task's output partition to another
 * executor, cancel a query, report what runs. Every route needs a request signed with the
 * cluster secret.
 */
export function registerInternalRoutes(app: FastifyInstance, deps: InternalRoutesDeps): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/internal/')) return;
    if (
      !verifyClusterRequest(deps.secret, request.headers[CLUSTER_AUTH_HEADER], request.method, request.url)
    ) {
      return reply
        .status(401)
        .send(
          new RequestError(
            'CLUSTER_AUTH_REQUIRED',
            'internal routes need a request signed with the cluster secret',
            { status: 401 },
          ).toBody(),
        );
    }
  });

  app.post(INTERNAL_PATHS.runTask, async (request, reply) => {
    const task = validTask(request.body);
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, { 'content-type': FRAMES });
    const keepAlive = setInterval(() => {
      if (!response.writableEnded && response.writableLength < 1024) response.write(encodeKeepAliveFrame());
    }, KEEP_ALIVE_MS);
    response.once('close', () => {
      if (!response.writableFinished)
        deps.pool.cancel(
          task.taskId,
          new ExecutionError('COORDINATOR_GONE', 'the coordinator closed the task connection', {
            status: 499,
          }),
        );
    });
    let corked: NodeJS.Timeout | undefined;
    try {
      const limit =
        task.queryMemoryBytes > 0
          ? Math.min(task.queryMemoryBytes, deps.memoryLimitBytes)
          : deps.memoryLimitBytes;
      // Frames leave at most CORK_MS after they came from the task's thread, together with
      // those that came meanwhile: a small task's only batch, its end frame right behind it,
      // then leaves in one write and reaches the coordinator as one chunk, not two (end()
      // below sends whatever is still corked).
      const uncork = () => {
        corked = undefined;
        response.uncork();
      };
      const stats = await deps.pool.run(task, limit, (frame) => {
        if (!corked) {
          response.cork();
          corked = setTimeout(uncork, CORK_MS);
        }
        return writeWithBackpressure(response, frame);
      });
      response.end(encodeEndFrame(stats));
    } catch (error) {
      const typed = asTributaryError(error);
      if (typed.code === 'INTERNAL_ERROR') deps.log(`task ${task.taskId} failed: ${typed.message}`);
      if (!response.destroyed) response.end(encodeErrorFrame(typed));
    } finally {
      clearInterval(keepAlive);
      clearTimeout(corked);
    }
  });

  app.get<{ Params: { queryId: string; taskId: string; partition: string } }>(
    `${INTERNAL_PATHS.exchange}/:queryId/:taskId/:partition`,
    async (request, reply) => {
      const { queryId, taskId } = request.params;
      const partition = Number(request.params.partition);
      if (!isSafeId(queryId) || !isSafeId(taskId) || !Number.isInteger(partition) || partition < 0)
        throw new RequestError('EXCHANGE_INVALID', 'bad exchange address');
      let body: Buffer | ReadStream;
      try {
        body = deps.files.readPartition(queryId, taskId, partition);
      } catch {
        throw new TributaryError(
          'EXCHANGE_DATA_GONE',
          'execution',
          `no output of task ${taskId} partition ${partition} here`,
          { status: 404 },
        );
      }
      return reply.type(FRAMES).send(body);
    },
  );

  /** Cancels what still runs of a query and, once its tasks stopped writing, drops its files. */
  const dropQuery = async (queryId: string): Promise<void> => {
    deps.pool.cancelQuery(
      queryId,
      new ExecutionError('QUERY_CANCELLED', 'the query was cancelled', { status: 409 }),
    );
    const started = Date.now();
    while (deps.pool.hasTasks(queryId) && Date.now() - started < 5000)
      await new Promise((r) => setTimeout(r, 20));
    await deps.files.removeQuery(queryId);
  };

  app.delete<{ Params: { queryId: string } }>(
    `${INTERNAL_PATHS.queries}/:queryId`,
    async (request, reply) => {
      const { queryId } = request.params;
      if (!isSafeId(queryId)) throw new RequestError('QUERY_INVALID', 'bad query id');
      await dropQuery(queryId);
      return reply.status(204).send();
    },
  );

  // Queries that completed, sent in batches: nothing waits on their cleanup, so it is not awaited.
  app.post(INTERNAL_PATHS.queriesEnded, async (request, reply) => {
    const ids = (request.body as { queryIds?: unknown } | null)?.queryIds;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && isSafeId(id)))
      throw new RequestError('QUERY_INVALID', 'queryIds must be a list of query ids');
    for (const id of ids as string[])
      dropQuery(id).catch((error: unknown) =>
        deps.log(`could not drop the data of query ${id}: ${(error as Error).message}`),
      );
    return reply.status(204).send();
  });

  app.get(INTERNAL_PATHS.status, async (): Promise<ExecutorStatus> => {
    const tasks = deps.pool.running();
    return {
      id: deps.id(),
      threads: deps.pool.threads,
      tasks,
      memoryReservedBytes: deps.pool.memoryReservedBytes(),
      queries: [...new Set(tasks.map((t) => t.queryId))],
    };
  });
}
