import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CatalogStore } from '@tributary/catalog';
import { ConfigError, TributaryError } from '@tributary/common';
import { loadConfig, type CoordinatorConfig } from './config/load-config.ts';
import { EmbeddedExecutors } from './executors/embedded-executors.ts';
import { ExecutorRegistry } from './executors/executor-registry.ts';
import { QueryService } from './query/query-service.ts';
import { buildServer } from './server.ts';
import { writeDemoData } from './sources/demo-data.ts';
import { SourceService } from './sources/source-service.ts';

const log = (message: string) => process.stderr.write(`[coordinator] ${message}\n`);

async function registerDemo(sources: SourceService, folder: string): Promise<void> {
  writeDemoData(folder);
  await sources.register({ name: 'demo', type: 'csv', path: folder });
  log(`registered the demo source (${folder}); try: SELECT * FROM demo.orders LIMIT 10`);
}

async function start(config: CoordinatorConfig): Promise<void> {
  // The engine's memory guard, here and in the executors started below, reads it from the environment.
  if (config.memoryLimitMb > 0) process.env.TRIBUTARY_MEMORY_LIMIT_MB = String(config.memoryLimitMb);
  mkdirSync(config.dataDir, { recursive: true });
  const catalogFile = join(config.dataDir, 'catalog.db');
  const firstStart = !existsSync(catalogFile);
  const catalog = CatalogStore.open(catalogFile);
  catalog.abandonRunningJobs();
  const demoFolder = join(config.dataDir, 'demo');
  // Sources are registered, and their files read (here and on every executor), only inside these.
  const allowedRoots = [...config.sourceRoots, demoFolder];
  const registry = new ExecutorRegistry(config.heartbeatTimeoutMs);
  registry.on('lost', (e) =>
    log(`executor ${e.id} (${e.url}) lost: no heartbeat for ${config.heartbeatTimeoutMs} ms`),
  );
  const sources = new SourceService(catalog, () => allowedRoots);
  const queries = new QueryService(
    catalog,
    registry,
    config.splitsPerExecutor,
    config.executors > 0 ? 15_000 : config.heartbeatTimeoutMs,
    allowedRoots,
  );
  const app = buildServer({ registry, sources, queries, log });

  await app.listen({ port: config.port, host: config.host }).catch((error: NodeJS.ErrnoException) => {
    const reason =
      error.code === 'EADDRINUSE'
        ? 'is already in use'
        : `cannot be listened on (${error.code ?? error.message})`;
    throw new ConfigError('port', `${config.host}:${config.port} ${reason}`, { cause: error });
  });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Embedded executors reach us on loopback when we listen on every interface.
  const connectHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${connectHost}:${port}`;
  log(`listening on ${url} (data dir ${config.dataDir})`);

  const executors = new EmbeddedExecutors({
    count: config.executors,
    coordinatorUrl: url,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    columnCacheMb: config.columnCacheMb,
    sourceRoots: allowedRoots,
    log,
  });
  executors.start();

  if (firstStart && config.demo) {
    await registerDemo(sources, demoFolder).catch((error: unknown) =>
      log(`could not register the demo source: ${(error as Error).message}`),
    );
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await executors.stop();
    await app.close();
    registry.close();
    catalog.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

try {
  await start(loadConfig());
} catch (error) {
  if (error instanceof TributaryError) {
    log(`cannot start: ${error.message}`);
  } else {
    log(`cannot start: ${(error as Error).stack ?? String(error)}`);
  }
  process.exit(1);
}
