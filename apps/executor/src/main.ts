import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import Fastify from 'fastify';
import { TributaryError, asTributaryError } from '@tributary/common';
import { createSharedMemoryCounters } from '@tributary/engine';
import { PUBLIC_PATHS } from '@tributary/protocol';
import { CoordinatorLink } from './coordinator-link.ts';
import { ExchangeFiles } from './exchange/exchange-files.ts';
import { defaultWorkDir, executorSettings } from './executor-settings.ts';
import { registerInternalRoutes } from './internal-routes.ts';
import { TaskPool } from './tasks/task-pool.ts';

/**
 * Embedded executors die with their coordinator: the IPC channel closes however it died,
 * SIGKILL too. The coordinator may die while this process is still starting (loading modules,
 * registering): a 'disconnect' then comes before any listener, or is emitted to none, so it is
 * watched from the first line on and the channel's state checked once; until `stop` exists the
 * process just exits (its work folder is emptied at the next start).
 */
let stopOrphan: (() => Promise<void>) | undefined;
function exitWithCoordinator(): void {
  if (process.send === undefined) return; // not forked by a coordinator
  const orphaned = () => void (stopOrphan ? stopOrphan() : process.exit(0));
  process.on('disconnect', orphaned);
  if (!process.connected) orphaned();
}

async function start(): Promise<void> {
  exitWithCoordinator();
  const config = executorSettings();
  const id = `${config.name}-${randomUUID().slice(0, 8)}`;
  const log = (message: string) => process.stderr.write(`[executor ${id}] ${message}\n`);
  // The folder holds only this process's task outputs and spill files: start it empty.
  const workDir = config.workDir ?? defaultWorkDir(id);
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const files = new ExchangeFiles(workDir);

  const pool = new TaskPool({
    threads: config.threads,
    workerData: {
      executorId: id,
      secret: config.secret,
      workDir,
      roots: config.roots,
      executorCounters: createSharedMemoryCounters(),
      executorLimitBytes: config.memoryLimitBytes,
    },
    // Each thread keeps its own decoded-column cache: the budget is shared out.
    env: {
      ...process.env,
      TRIBUTARY_COLUMN_CACHE_MB: String(Math.floor(config.columnCacheMb / config.threads)),
    },
    log,
  });

  // Every route that takes a body is internal, signed with the cluster secret before its body
  // is read (internal-routes.ts): the coordinator's own JSON is not scanned again for
  // prototype poisoning after it is parsed (a second pass over every task's plan text).
  const app = Fastify({
    logger: false,
    bodyLimit: 256 * 1024 * 1024,
    onProtoPoisoning: 'ignore',
    onConstructorPoisoning: 'ignore',
  });
  app.setErrorHandler((error, _request, reply) => {
    const typed = asTributaryError(error);
    void reply.status(typed.status).send(typed.toBody());
  });
  app.get(PUBLIC_PATHS.health, async () => ({ status: 'ok' }));
  registerInternalRoutes(app, {
    id: () => id,
    secret: config.secret,
    pool,
    files,
    memoryLimitBytes: config.memoryLimitBytes,
    log,
  });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.advertiseUrl ?? `http://${config.host}:${port}`;

  const link = new CoordinatorLink({
    coordinatorUrl: config.coordinatorUrl,
    secret: config.secret,
    registration: { id, url, instance: randomUUID(), threads: config.threads, pid: process.pid },
    intervalMs: config.heartbeatIntervalMs,
    runningTasks: () => pool.running().length,
    log,
  });
  await pool.loaded();
  await link.start();

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // A task that does not end must not keep an executor alive without its coordinator.
    setTimeout(() => process.exit(1), 5_000).unref();
    link.stop();
    await pool.close().catch(() => undefined);
    await app.close().catch(() => undefined);
    if (!config.workDir) rmSync(workDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  stopOrphan = stop;
  if (process.send !== undefined && !process.connected) void stop();
}

try {
  await start();
} catch (error) {
  const message = error instanceof TributaryError ? error.message : ((error as Error).stack ?? String(error));
  process.stderr.write(`[executor] cannot start: ${message}\n`);
  process.exit(1);
}
