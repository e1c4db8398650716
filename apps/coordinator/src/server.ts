import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { RequestError, TributaryError, asTributaryError } from '@tributary/common';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  CLUSTER_AUTH_HEADER,
  INTERNAL_PATHS,
  verifyClusterRequest,
  type ExecutorHeartbeat,
  type ExecutorRegistration,
} from '@tributary/protocol';
import type { ExecutorRegistry } from './executors/executor-registry.ts';
import type { QueryService } from './query/query-service.ts';
import type { QueryAdmission } from './scheduler/query-admission.ts';
import { ARROW_STREAM, JOB_ID_HEADER, sendQueryResult } from './routes/send-query-result.ts';
import type { RegisterSourceRequest, SourceService, UpdateSourceRequest } from './sources/source-service.ts';

export interface ServerDeps {
  readonly registry: ExecutorRegistry;
  readonly sources: SourceService;
  readonly queries: QueryService;
  readonly admission: QueryAdmission;
  /** Internal routes (executors registering and heartbeating) need requests signed with it. */
  readonly clusterSecret: string;
  readonly log: (message: string) => void;
}

/** Maps fastify's own errors (bad JSON, too large, not found) onto our typed errors. */
function toTributaryError(error: unknown): TributaryError {
  if (error instanceof TributaryError) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (
    typeof fastifyError.code === 'string' &&
    fastifyError.code.startsWith('FST_') &&
    fastifyError.statusCode &&
    fastifyError.statusCode < 500
  ) {
    const code =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(fastifyError.message ?? '')
        ? 'INVALID_JSON'
        : 'BAD_REQUEST';
    return new RequestError(code, fastifyError.message ?? 'bad request', { status: fastifyError.statusCode });
  }
  if (error instanceof SyntaxError)
    return new RequestError('INVALID_JSON', `request body is not valid JSON: ${error.message}`);
  return asTributaryError(error);
}

function body<T>(value: unknown): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestError('INVALID_BODY', 'request body must be a JSON object');
  }
  return value as T;
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });

  app.setErrorHandler((error, _request, reply) => {
    const typed = toTributaryError(error);
    if (typed.status >= 500) deps.log(`error ${typed.code}: ${typed.message}`);
    void reply.status(typed.status).send(typed.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(
        new RequestError('NOT_FOUND', `no route ${request.method} ${request.url}`, { status: 404 }).toBody(),
      );
  });

  const consolePage = readFileSync(
    resolve(dirname(fileURLToPath(import.meta.url)), '../../console/src/index.html'),
  );
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(consolePage));

  app.get('/api/v1/health', async () => ({
    status: 'ok',
    executors: deps.registry.list().map((e) => ({
      id: e.id,
      url: e.url,
      pid: e.pid,
      state: e.state,
      lastHeartbeat: new Date(e.lastHeartbeat).toISOString(),
    })),
  }));

  // Only holders of the cluster secret may announce executors or keep them alive.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/internal/')) return;
    if (
      !verifyClusterRequest(
        deps.clusterSecret,
        request.headers[CLUSTER_AUTH_HEADER],
        request.method,
        request.url,
      )
    ) {
      return reply.status(401).send(
        new RequestError(
          'CLUSTER_AUTH_REQUIRED',
          'internal routes need a request signed with the cluster secret',
          {
            status: 401,
          },
        ).toBody(),
      );
    }
  });
  app.post(INTERNAL_PATHS.register, async (request) => {
    const registration = body<ExecutorRegistration>(request.body);
    if (
      typeof registration.id !== 'string' ||
      typeof registration.url !== 'string' ||
      typeof registration.instance !== 'string' ||
      !/^https?:\/\//.test(registration.url)
    ) {
      throw new RequestError(
        'INVALID_REGISTRATION',
        'registration needs "id", "instance" and an http(s) "url"',
      );
    }
    deps.registry.register({
      id: registration.id,
      url: registration.url,
      instance: registration.instance,
      threads: Number(registration.threads) || 1,
      pid: Number(registration.pid) || 0,
    });
    deps.log(
      `executor ${registration.id} registered at ${registration.url} with ${registration.threads} threads`,
    );
    return { ok: true };
  });
  app.post(INTERNAL_PATHS.heartbeat, async (request, reply) => {
    const beat = body<ExecutorHeartbeat>(request.body);
    if (!deps.registry.heartbeat(String(beat.id), String(beat.instance))) {
      return reply
        .status(404)
        .send(
          new RequestError('EXECUTOR_UNKNOWN', 'unknown executor; register again', { status: 404 }).toBody(),
        );
    }
    return { ok: true };
  });

  app.post('/api/v1/sources', async (request, reply) => {
    const source = await deps.sources.register(body<RegisterSourceRequest>(request.body));
    return reply.status(201).send(source);
  });
  app.get('/api/v1/sources', async () => ({ sources: deps.sources.list() }));
  app.get<{ Params: { name: string } }>('/api/v1/sources/:name', async (request) =>
    deps.sources.get(request.params.name),
  );
  // Changes a source's path or options; the fields left out stay as they were.
  app.put<{ Params: { name: string } }>('/api/v1/sources/:name', async (request) =>
    deps.sources.update(request.params.name, body<UpdateSourceRequest>(request.body)),
  );
  app.post<{ Params: { name: string } }>('/api/v1/sources/:name/refresh', async (request) =>
    deps.sources.refresh(request.params.name),
  );
  app.delete<{ Params: { name: string } }>('/api/v1/sources/:name', async (request, reply) => {
    deps.sources.remove(request.params.name);
    return reply.status(204).send();
  });

  app.post('/api/v1/sql', async (request, reply) => {
    const controller = new AbortController();
    // The response (not the request) closes when the client goes away mid-query.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished)
        controller.abort(
          new RequestError('CLIENT_GONE', 'the client closed the connection', { status: 499 }),
        );
    });
    const job = deps.queries.start(
      body<{ sql: unknown; context?: unknown; timeoutMs?: unknown; options?: unknown }>(request.body),
      controller.signal,
    );
    reply.header(JOB_ID_HEADER, job.id);
    const result = await job.result;
    const format = String(request.headers.accept ?? '').includes(ARROW_STREAM) ? 'arrow' : 'json';
    await sendQueryResult(reply, result, format);
  });

  app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/cancel', async (request, reply) => {
    if (!deps.queries.cancel(request.params.id)) {
      return reply.status(404).send(
        new RequestError('JOB_NOT_RUNNING', `no running job ${request.params.id}`, {
          status: 404,
        }).toBody(),
      );
    }
    return { id: request.params.id, state: 'cancelling' };
  });

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.addHook('onClose', async () => loopDelay.disable());
  // The coordinator's event loop must stay free: how late it has been shows here.
  app.get('/api/v1/metrics', async () => {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    const metrics = {
      eventLoopDelayMs: {
        p50: ms(loopDelay.percentile(50)),
        p99: ms(loopDelay.percentile(99)),
        max: ms(loopDelay.max),
      },
      queries: { running: deps.admission.runningCount, queued: deps.admission.queuedCount },
      executors: { active: deps.registry.active().length, threads: deps.registry.threads() },
      memory: (() => {
        const m = process.memoryUsage();
        return {
          rssBytes: m.rss,
          heapUsedBytes: m.heapUsed,
          heapTotalBytes: m.heapTotal,
          externalBytes: m.external,
          arrayBuffersBytes: m.arrayBuffers,
        };
      })(),
    };
    loopDelay.reset();
    return metrics;
  });

  return app;
}
