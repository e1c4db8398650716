import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ResourceError } from '@tributary/common';
import { OpenObject, errorResponses } from '../http/api-schemas.ts';
import type { ServerDeps } from './server-deps.ts';

/** A coordinator without the executors it needs answers /health/ready with it (503). */
export const NOT_READY = 'NOT_READY';

const ExecutorSchema = OpenObject({
  id: Type.String(),
  url: Type.Optional(Type.String({ description: 'Where the coordinator reaches it' })),
  pid: Type.Optional(Type.Integer()),
  state: Type.Enum(['active', 'lost']),
  lastHeartbeat: Type.String({ description: 'ISO 8601 time of its last heartbeat' }),
});

const ReadinessFields = {
  ready: Type.Boolean({ description: 'Enough executors are active to run queries' }),
  executorsActive: Type.Integer(),
  executorsRequired: Type.Integer({ description: 'Setting minExecutors (0: the embedded executors)' }),
};

const HealthSchema = OpenObject({
  status: Type.Enum(['starting', 'ok', 'degraded'], {
    description: 'starting until the required executors have registered; degraded when they are gone again',
  }),
  ...ReadinessFields,
  executors: Type.Array(ExecutorSchema),
});

/** Whether the service is up (live), can run queries (ready), and its executors. */
export function registerHealthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.get(
    '/api/v1/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Service status and executors',
        description:
          'status is "starting" until the configured executors (minExecutors) have registered, ' +
          'then "ok"; "degraded" when fewer are active again.',
        response: { 200: HealthSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const { status, ready, executorsActive, executorsRequired } = deps.readiness.state();
      return {
        status,
        ready,
        executorsActive,
        executorsRequired,
        // Executors' URLs and process ids are shown to admins only (and with auth off).
        executors: deps.registry.list().map((e) => ({
          id: e.id,
          ...(request.principal.admin ? { url: e.url, pid: e.pid } : {}),
          state: e.state,
          lastHeartbeat: new Date(e.lastHeartbeat).toISOString(),
        })),
      };
    },
  );

  api.get(
    '/api/v1/health/live',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness: 200 while the process serves requests',
        response: { 200: OpenObject({ status: Type.Literal('live') }), ...errorResponses() },
      },
    },
    async () => ({ status: 'live' as const }),
  );

  api.get(
    '/api/v1/health/ready',
    {
      schema: {
        tags: ['health'],
        summary: 'Readiness: 200 once the configured executors are active, else 503 NOT_READY',
        response: {
          200: OpenObject({ status: Type.Literal('ready'), ...ReadinessFields }),
          ...errorResponses(503),
        },
      },
    },
    async () => {
      const { ready, executorsActive, executorsRequired } = deps.readiness.state();
      if (!ready) {
        throw new ResourceError(
          NOT_READY,
          `${executorsActive} of the ${executorsRequired} executors needed are active ` +
            '(setting minExecutors, TRIBUTARY_MIN_EXECUTORS)',
          { status: 503, details: { executorsActive, executorsRequired } },
        );
      }
      return { status: 'ready' as const, ready, executorsActive, executorsRequired };
    },
  );
}
