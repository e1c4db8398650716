import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from './server-deps.ts';

/** Whether the service is up, and how it is doing (event-loop delay, queries, executors, memory). */
export function registerHealthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // Executors' URLs and process ids are shown to admins only (and with auth off).
  app.get('/api/v1/health', async (request) => ({
    status: 'ok',
    executors: deps.registry.list().map((e) => ({
      id: e.id,
      ...(request.principal.admin ? { url: e.url, pid: e.pid } : {}),
      state: e.state,
      lastHeartbeat: new Date(e.lastHeartbeat).toISOString(),
    })),
  }));

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  app.addHook('onClose', async () => loopDelay.disable());
  // The coordinator's event loop must stay free: how late it has been shows here.
  app.get('/api/v1/metrics', async () => {
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
  });
}
