import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { ConfigError, TributaryError, asTributaryError } from '@tributary/common';
import { EXECUTOR_PATHS } from '@tributary/protocol';
import { runFragment } from './fragment-runner.ts';

/** Executor settings come from the environment (the coordinator or compose file sets them). */
function settings() {
  const coordinatorUrl = process.env.TRIBUTARY_COORDINATOR_URL;
  if (!coordinatorUrl)
    throw new ConfigError(
      'TRIBUTARY_COORDINATOR_URL',
      'must be set to the coordinator URL, e.g. http://127.0.0.1:9047',
    );
  const port = Number(process.env.TRIBUTARY_EXECUTOR_PORT ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError('TRIBUTARY_EXECUTOR_PORT', 'must be a port number');
  const interval = Number(process.env.TRIBUTARY_HEARTBEAT_INTERVAL_MS ?? 1000);
  if (!Number.isInteger(interval) || interval < 1)
    throw new ConfigError('TRIBUTARY_HEARTBEAT_INTERVAL_MS', 'must be a positive integer');
  return {
    coordinatorUrl,
    host: process.env.TRIBUTARY_EXECUTOR_HOST ?? '127.0.0.1',
    port,
    advertiseUrl: process.env.TRIBUTARY_EXECUTOR_ADVERTISE_URL,
    name: process.env.TRIBUTARY_EXECUTOR_NAME ?? 'executor',
    heartbeatIntervalMs: interval,
  };
}

async function start(): Promise<void> {
  const config = settings();
  const id = `${config.name}-${randomUUID().slice(0, 8)}`;
  const log = (message: string) => process.stderr.write(`[executor ${id}] ${message}\n`);
  let running = 0;

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });
  app.setErrorHandler((error, _request, reply) => {
    const typed = asTributaryError(error);
    void reply.status(typed.status).send(typed.toBody());
  });
  app.get(EXECUTOR_PATHS.health, async () => ({ status: 'ok', id, runningFragments: running }));
  app.post(EXECUTOR_PATHS.runFragment, async (request, reply) => {
    reply.hijack();
    await runFragment(request.body, reply.raw, (delta) => (running += delta)).catch((error: unknown) => {
      const typed = asTributaryError(error);
      if (!reply.raw.headersSent) {
        reply.raw.writeHead(typed.status, { 'content-type': 'application/json' });
        reply.raw.end(JSON.stringify(typed.toBody()));
      } else reply.raw.destroy();
    });
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.advertiseUrl ?? `http://${config.host}:${port}`;

  const post = (path: string, payload: unknown) =>
    fetch(new URL(path, config.coordinatorUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(config.heartbeatIntervalMs * 3),
    });
  let registered = false;
  const beat = async () => {
    try {
      if (!registered) {
        const response = await post(EXECUTOR_PATHS.register, { id, url, pid: process.pid });
        registered = response.ok;
        if (registered) log(`registered with ${config.coordinatorUrl} as ${url}`);
      } else {
        const response = await post(EXECUTOR_PATHS.heartbeat, { id, runningFragments: running });
        if (response.status === 404) registered = false; // the coordinator restarted: register again
      }
    } catch {
      registered = false; // coordinator unreachable; keep trying
    }
  };
  await beat();
  const timer = setInterval(() => void beat(), config.heartbeatIntervalMs);

  const stop = async () => {
    clearInterval(timer);
    await app.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // Embedded executors die with their coordinator.
  process.on('disconnect', () => void stop());
}

try {
  await start();
} catch (error) {
  const message = error instanceof TributaryError ? error.message : ((error as Error).stack ?? String(error));
  process.stderr.write(`[executor] cannot start: ${message}\n`);
  process.exit(1);
}
