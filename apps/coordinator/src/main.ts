import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { join } from 'node:path';
import { CatalogStore } from '@tributary/catalog';
import { ConfigError, TributaryError, releaseMemory } from '@tributary/common';
import { randomClusterSecret } from '@tributary/protocol';
import { AccessControl } from './auth/access-control.ts';
import { AuditLog } from './auth/audit-log.ts';
import { AuthService } from './auth/auth-service.ts';
import type { Security } from './auth/security.ts';
import { loadConfig, type CoordinatorConfig } from './config/load-config.ts';
import { EmbeddedExecutors } from './executors/embedded-executors.ts';
import { IdleMemoryReducer } from './memory/idle-memory-reducer.ts';
import { ExecutorRegistry } from './executors/executor-registry.ts';
import { JobService, resultsRootOf } from './jobs/job-service.ts';
import { Readiness } from './executors/readiness.ts';
import { ServiceMetrics } from './metrics/service-metrics.ts';
import { CachingPlanner } from './planning/caching-planner.ts';
import { PlannerPool } from './planning/planner-pool.ts';
import { PgServer } from './pgwire/pg-server.ts';
import { CommandRunner } from './commands/command-runner.ts';
import { applyGrant } from './auth/apply-grant.ts';
import { authorizeCommand } from './auth/authorize-command.ts';
import { LOCAL_OPERATOR, type Principal } from './auth/principal.ts';
import type { CatalogCommand } from '@tributary/sql';
import { QueryService } from './query/query-service.ts';
import { EndedQueries } from './scheduler/ended-queries.ts';
import { QueryAdmission } from './scheduler/query-admission.ts';
import { ClusterLoad } from './scheduler/task-slots.ts';
import { buildServer } from './server.ts';
import { passStartGate } from './start-gate.ts';
import { writeDemoData } from './sources/demo-data.ts';
import { RefreshingPlanner } from './sources/refreshing-planner.ts';
import { SourceRefresher } from './sources/source-refresher.ts';
import { SourceService } from './sources/source-service.ts';
import { ReflectionStore } from '@tributary/reflections';
import { reflectionCommands } from './reflections/reflection-commands.ts';
import { ReflectionService } from './reflections/reflection-service.ts';
import { buildGate } from './reflections/build-gate.ts';

const log = (message: string) => process.stderr.write(`[coordinator] ${message}\n`);
const spelled = (name: string | undefined) => (name === undefined ? undefined : [name]);
const MB = 1024 * 1024;

async function registerDemo(sources: SourceService, folder: string): Promise<void> {
  const started = performance.now();
  await writeDemoData(folder);
  const written = performance.now();
  await sources.register({ name: 'demo', type: 'csv', path: folder });
  const ms = (from: number, to: number) => `${Math.round(to - from)} ms`;
  log(
    `registered the demo source, TPC-H SF 0.01 in ${folder} (generated in ${ms(started, written)}, ` +
      `registered in ${ms(written, performance.now())}); try: SELECT * FROM demo.lineitem LIMIT 10`,
  );
}

/**
 * Under `npm start`, npm is our parent: when it is killed (SIGTERM, SIGKILL), stop too, so
 * that nothing is left running as an orphan.
 */
function stopWithParent(stop: (why: string) => void): void {
  if (!process.env.npm_lifecycle_event) return;
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('npm exited');
  }, 500).unref();
}

async function start(config: CoordinatorConfig): Promise<void> {
  mkdirSync(config.dataDir, { recursive: true });
  const catalogFile = join(config.dataDir, 'catalog.db');
  const firstStart = !existsSync(catalogFile);
  const catalog = CatalogStore.open(catalogFile);
  const checkpointer = catalog.checkpointInBackground(log);
  const demoFolder = join(config.dataDir, 'demo');
  // Sources are registered, and their files read (here and on every executor), only inside these.
  // Reflections' materializations are read by the executors like a source's files.
  mkdirSync(config.reflectionsDir, { recursive: true });
  const allowedRoots = [...config.sourceRoots, demoFolder, config.reflectionsDir];
  const clusterSecret = config.clusterSecret || randomClusterSecret();
  const registry = new ExecutorRegistry(config.heartbeatTimeoutMs);
  registry.on('lost', (e) => log(`executor ${e.id} (${e.url}) lost`));
  const planner = new PlannerPool(config.plannerThreads, { catalogFile, roots: allowedRoots }, log);
  const sources = new SourceService(
    catalog,
    () => allowedRoots,
    (type, path, options) => planner.discover(type, path, options),
  );
  const refresher = new SourceRefresher(sources, config.sourceRefreshIntervalMs, log);
  const admission = new QueryAdmission(
    config.maxConcurrentQueries,
    config.maxQueuedQueries,
    config.maxConcurrentLargeQueries,
  );
  const ended = new EndedQueries(registry, clusterSecret);
  const idle = new IdleMemoryReducer(() => {
    releaseMemory();
    planner.releaseMemory();
  });
  const metrics = new ServiceMetrics({ queries: admission, executors: registry });
  const audit = new AuditLog(catalog.users, log);
  const auth = new AuthService({ store: catalog.users, audit, sessionTtlMs: config.sessionTtlMs });
  const access = new AccessControl(catalog.users);
  const { setupToken } = await auth.initialize({
    authEnabled: config.auth,
    adminUser: config.adminUser,
    adminPassword: config.adminPassword,
  });
  const security: Security = {
    enabled: config.auth,
    auth,
    access,
    audit,
    users: catalog.users,
    rateLimitPerMinute: config.rateLimitPerMinute,
    sourceRoots: allowedRoots,
    maxQueryTimeoutMs: config.queryTimeoutMs,
    // An object's path as the catalog spells it; undefined when there is none.
    resolveObject: (kind, path) => {
      if (kind === 'source') return path.length === 1 ? spelled(catalog.getSource(path[0])?.name) : undefined;
      if (kind === 'space')
        return path.length === 1 ? spelled(catalog.namespace.getSpace(path[0])?.name) : undefined;
      const found = kind === 'folder' ? catalog.namespace.getFolder(path) : catalog.namespace.getView(path);
      return found ? [...found.path] : undefined;
    },
  };
  /** Who a statement's user is to the access layer: with auth off, the local operator. */
  const principalOf = (user: string | undefined): Principal => {
    if (!config.auth) return LOCAL_OPERATOR;
    const record = user === undefined ? undefined : catalog.users.getUser(user);
    return { ...(user === undefined ? {} : { user }), admin: record?.role === 'admin' };
  };
  const reflections = new ReflectionService({
    store: new ReflectionStore(catalog.database),
    // The query service is made below, with the commands that need this service.
    queries: { start: (request, signal) => queries.start(request, signal) },
    planner,
    refreshSource: (name) => sources.refresh(name),
    reflectionsDir: config.reflectionsDir,
    refreshIntervalMs: config.reflectionRefreshIntervalMs,
    checkIntervalMs: config.reflectionCheckIntervalMs,
    retries: config.reflectionRetries,
    // Builds are large-lane jobs: they leave at least one of its slots to users' queries.
    concurrency: Math.max(
      1,
      Math.min(
        config.reflectionBuildConcurrency,
        (config.maxConcurrentLargeQueries || config.maxConcurrentQueries) - 1,
      ),
    ),
    // A replaced copy is kept longer than any query may run, for those still reading it.
    graceMs:
      config.reflectionGraceMs > 0
        ? config.reflectionGraceMs
        : config.queryTimeoutMs > 0
          ? config.queryTimeoutMs + 60_000
          : 3_600_000,
    ...(buildGate() ? { beforeSwitch: buildGate() } : {}),
    log,
  });
  const queries: QueryService = new QueryService({
    catalog,
    registry,
    // The cache outermost: a plan it serves read unchanged files, which no refresh would touch.
    planner: new CachingPlanner(
      config.sourceAutoRefresh ? new RefreshingPlanner(planner, sources, log) : planner,
      {
        entries: config.planCacheEntries,
        definitionVersion: () => catalog.definitionVersion(),
        roots: allowedRoots,
        onLookup: (hit) => metrics.planLookedUp(hit),
      },
    ),
    admission,
    execution: {
      registry,
      load: new ClusterLoad(),
      secret: clusterSecret,
      fragmentTimeoutMs: config.fragmentTimeoutMs,
      taskRetries: config.taskRetries,
      executorWaitMs: config.executors > 0 ? 15_000 : config.heartbeatTimeoutMs,
      ended,
      ...(config.adaptiveJoins ? { adaptiveBroadcastRowLimit: config.broadcastRowLimit } : {}),
      log,
    },
    queryMemoryBytes: config.queryMemoryLimitMb * MB,
    splitsPerThread: config.splitsPerThread,
    broadcastRowLimit: config.broadcastRowLimit,
    scanPushdown: config.scanPushdown,
    reflections: config.reflections,
    smallQueryRows: config.smallQueryRows,
    maxSqlBytes: config.maxSqlBytes,
    jobSqlMaxBytes: config.jobSqlMaxBytes,
    queryTimeoutMs: config.queryTimeoutMs,
    activity: idle,
    onQueryEnd: (end) => metrics.queryEnded(end),
    commands: new CommandRunner(
      catalog,
      (command, { user }) => {
        const grant = { ...security, store: security.users };
        return applyGrant(command.statement, principalOf(user), grant).summary;
      },
      reflectionCommands(reflections),
    ),
    // With auth on, a query of a user who is not an admin reads only what they were granted,
    // and changes only what they may.
    ...(config.auth
      ? {
          accessUserOf: (user: string | undefined) => {
            const record = user === undefined ? undefined : catalog.users.getUser(user);
            return record?.role === 'admin' ? undefined : (record?.name ?? '');
          },
          authorizeCommand: (command: CatalogCommand, user: string | undefined) =>
            authorizeCommand(command, principalOf(user), access),
        }
      : {}),
    log,
  });
  const readiness = new Readiness(
    registry,
    Readiness.requiredExecutors(config.minExecutors, config.executors),
  );
  const jobs = new JobService({
    catalog,
    queries,
    resultsRoot: resultsRootOf(config.dataDir),
    resultsTtlMs: config.resultsTtlMs,
    jobHistoryDays: config.jobHistoryDays,
    log,
  });
  // Before any query: jobs a previous process left going are failed, and their spools deleted.
  await jobs.start();
  const app = await buildServer({
    reflections,
    catalog,
    registry,
    sources,
    queries,
    jobs,
    admission,
    clusterSecret,
    readiness,
    metrics,
    maxRequestBytes: config.maxRequestBytes,
    security,
    log,
  });

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
  log(`listening on ${url} (data dir ${config.dataDir}, auth ${config.auth ? 'on' : 'off'})`);
  if (setupToken !== undefined)
    // The one secret ever written to the log, by design: it is how the operator becomes the
    // first admin, it works once, and only until then.
    log(
      `no user exists yet: create the first admin with POST ${url}/api/v1/setup ` +
        `{"setupToken": "${setupToken}", "userName": ..., "password": ...}`,
    );

  const pg = new PgServer({
    host: config.host,
    port: config.pgPort,
    queries,
    users: catalog.users,
    auth: config.auth,
    tlsCertFile: config.pgTlsCertFile,
    tlsKeyFile: config.pgTlsKeyFile,
    log,
    audit,
    failedLoginsPerMinute: config.rateLimitPerMinute,
  });
  const pgPort = await pg.listen().catch(async (error: unknown) => {
    await app.close();
    throw error;
  });
  // Tests start with pgPort 0 and find the port chosen in this line.
  log(
    `PostgreSQL wire protocol on ${connectHost}:${pgPort}${config.pgTlsCertFile ? ' (TLS required)' : ''}` +
      ` (psql -h ${connectHost} -p ${pgPort})`,
  );

  const count = config.executors;
  const executors = new EmbeddedExecutors({
    count,
    coordinatorUrl: url,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    columnCacheMb: config.columnCacheMb,
    sourceRoots: allowedRoots,
    clusterSecret,
    threads: config.executorThreads || Math.max(1, Math.floor(availableParallelism() / Math.max(1, count))),
    memoryLimitMb: config.memoryLimitMb || Math.floor(totalmem() / 2 / MB / Math.max(1, count)),
    workRoot: join(config.dataDir, 'executors'),
    log,
  });
  executors.start();
  void readiness.whileStarting(planner.loaded());

  if (firstStart && config.demo) {
    // Ready once it is there: the README's first example queries it.
    await readiness.whileStarting(
      registerDemo(sources, demoFolder).catch((error: unknown) =>
        log(`could not register the demo source: ${(error as Error).message}`),
      ),
    );
  }

  refresher.start();
  // Stray folders of builds a stop or crash cut short are deleted before any build starts.
  await reflections.start();

  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`${why}: stopping`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    idle.close();
    ended.close();
    jobs.close();
    refresher.stop();
    reflections.stop();
    await executors.stop();
    await pg.close();
    await app.close();
    await planner.close();
    registry.close();
    await checkpointer.stop();
    catalog.close();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));
  stopWithParent((why) => void stop(why));
}

try {
  await passStartGate();
  await start(loadConfig());
} catch (error) {
  if (error instanceof TributaryError) {
    log(`cannot start: ${error.message}`);
  } else {
    log(`cannot start: ${(error as Error).stack ?? String(error)}`);
  }
  process.exit(1);
}
