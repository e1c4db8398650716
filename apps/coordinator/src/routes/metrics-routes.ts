import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OpenObject, errorResponses } from '../http/api-schemas.ts';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/prometheus-registry.ts';
import type { ServerDeps } from './server-deps.ts';

const DelaySchema = OpenObject({ p50: Type.Number(), p99: Type.Number(), max: Type.Number() });

const MetricsSchema = OpenObject({
  eventLoopDelayMs: DelaySchema,
  queries: OpenObject({ running: Type.Integer(), queued: Type.Integer() }),
  executors: OpenObject({ active: Type.Integer(), threads: Type.Integer() }),
  memory: OpenObject({
    rssBytes: Type.Integer(),
    heapUsedBytes: Type.Integer(),
    heapTotalBytes: Type.Integer(),
    externalBytes: Type.Integer(),
    arrayBuffersBytes: Type.Integer(),
  }),
});

/** How the service is doing: as JSON (/api/v1/metrics) and for Prometheus (/metrics). */
export function registerMetricsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.addHook('onClose', async () => {
    loopDelay.disable();
    deps.metrics.close();
  });
  // The coordinator's event loop must stay free: how late it has been shows here.
  api.get(
    '/api/v1/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Event-loop delay since the previous call, queries, executors and memory, as JSON',
        response: { 200: MetricsSchema, ...errorResponses() },
      },
    },
    async () => {
      const ms = (ns: number) => Math.round(ns / 1e4) / 100;
      const memory = process.memoryUsage();
      const metrics = {
        eventLoopDelayMs: {
          p50: ms(loopDelay.percentile(50)),
          p99: ms(loopDelay.percentile(99)),
          max: ms(loopDelay.max),
        },
        queries: { running: deps.admission.runningCount, queued: deps.admission.queuedCount },
        executors: { active: deps.registry.active().length, threads: deps.registry.threads() },
        memory: {
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          heapTotalBytes: memory.heapTotal,
          externalBytes: memory.external,
          arrayBuffersBytes: memory.arrayBuffers,
        },
      };
      loopDelay.reset();
      return metrics;
    },
  );

  api.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics (text format 0.0.4)',
        description:
          'tributary_queries_total{state}, tributary_query_duration_seconds (histogram), ' +
          'tributary_queries_running, tributary_queries_queued, tributary_executors{state}, ' +
          'tributary_executor_threads, process_resident_memory_bytes, nodejs_heap_size_used_bytes, ' +
          'nodejs_heap_size_total_bytes, nodejs_external_memory_bytes, ' +
          'tributary_event_loop_delay_seconds{quantile}, process_start_time_seconds.',
        response: {
          200: {
            description: 'Prometheus text exposition format',
            content: { 'text/plain': { schema: Type.String() } },
          },
          ...errorResponses(),
        },
      },
    },
    async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(deps.metrics.render()),
  );
}
