import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ConfigError, splitListSetting } from '@tributary/common';

export interface CoordinatorConfig {
  readonly port: number;
  /** The PostgreSQL wire protocol's port (TRIBUTARY_PG_PORT); 0: a free one. */
  readonly pgPort: number;
  /** PEM files of the PostgreSQL port's TLS; both set: TLS is required. */
  readonly pgTlsCertFile: string;
  readonly pgTlsKeyFile: string;
  readonly host: string;
  readonly dataDir: string;
  readonly executors: number;
  /**
   * Executors that must be active before /api/v1/health/ready answers 200 (embedded ones
   * count); 0: as many as `executors`, at least one.
   */
  readonly minExecutors: number;
  readonly sourceRoots: readonly string[];
  readonly demo: boolean;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTimeoutMs: number;
  readonly splitsPerThread: number;
  readonly columnCacheMb: number;
  readonly memoryLimitMb: number;
  readonly executorThreads: number;
  readonly clusterSecret: string;
  readonly maxConcurrentQueries: number;
  /** Queries of the large lane that run at once; 0: maxConcurrentQueries. */
  readonly maxConcurrentLargeQueries: number;
  readonly maxQueuedQueries: number;
  readonly smallQueryRows: number;
  /** Plans the plan cache keeps (caching-planner.ts); 0 plans every statement anew. */
  readonly planCacheEntries: number;
  readonly queryTimeoutMs: number;
  readonly fragmentTimeoutMs: number;
  readonly taskRetries: number;
  readonly maxSqlBytes: number;
  /** Largest request body accepted (bytes); larger is 413 REQUEST_TOO_LARGE. */
  readonly maxRequestBytes: number;
  readonly broadcastRowLimit: number;
  /** Shuffle joins whose build side proved small run as broadcast joins (adapt-join-distribution.ts). */
  readonly adaptiveJoins: boolean;
  readonly queryMemoryLimitMb: number;
  readonly plannerThreads: number;
  /** false: connectors read whole tables and the engine does all filtering (lift_scan_pushdown). */
  readonly scanPushdown: boolean;
  /** false: queries are planned without reflections (substitution off). */
  readonly reflections: boolean;
  /** Every source's metadata is refreshed in the background this often; 0: never. */
  readonly sourceRefreshIntervalMs: number;
  /** A query on a table whose files changed refreshes its source first, instead of failing with SOURCE_CHANGED. */
  readonly sourceAutoRefresh: boolean;
  /** The SQL text a job record keeps; longer is cut and marked truncated. */
  readonly jobSqlMaxBytes: number;
  /** Finished jobs are kept this many days; 0: forever. */
  readonly jobHistoryDays: number;
  /** A completed background job's spooled results are kept this long (ms). */
  readonly resultsTtlMs: number;
  /** Every user endpoint needs a token (TRIBUTARY_AUTH=on|off); off is allowed on loopback only. */
  readonly auth: boolean;
  /** How long a login's session token lives (milliseconds). */
  readonly sessionTtlMs: number;
  /** The first admin, created at start when missing; '' for none (then a setup token is printed). */
  readonly adminUser: string;
  readonly adminPassword: string;
  /** Requests a user (before sign-in: an address) may make per minute with auth on; 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** Where reflections' materializations are written (absolute); '' in the file: `<dataDir>/reflections`. */
  readonly reflectionsDir: string;
  /** A reflection without an interval of its own is rebuilt this often; 0: never on a timer. */
  readonly reflectionRefreshIntervalMs: number;
  /** How often reflections' datasets are checked for changed data; 0: never. */
  readonly reflectionCheckIntervalMs: number;
  /** A failed build is retried this many times (with backoff) before the reflection is FAILED. */
  readonly reflectionRetries: number;
  /** How many reflection builds may run at once (each a job through admission). */
  readonly reflectionBuildConcurrency: number;
  /**
   * How long a replaced or dropped materialization is kept for the queries that may still
   * read it (ms); 0: queryTimeoutMs plus a minute (an hour when queries have no deadline).
   */
  readonly reflectionGraceMs: number;
}

export const DEFAULT_CONFIG_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../config/default.yaml',
);

type Kind =
  | 'port'
  | 'count'
  | 'positive'
  | 'whole'
  | 'megabytes'
  | 'string'
  | 'text'
  | 'secret'
  | 'password'
  | 'paths'
  | 'boolean'
  | 'switch';

/** Each key, its type and the environment variable that overrides it. */
const KEYS: Record<keyof CoordinatorConfig, { env: string; kind: Kind }> = {
  port: { env: 'TRIBUTARY_PORT', kind: 'port' },
  pgPort: { env: 'TRIBUTARY_PG_PORT', kind: 'port' },
  pgTlsCertFile: { env: 'TRIBUTARY_PG_TLS_CERT_FILE', kind: 'text' },
  pgTlsKeyFile: { env: 'TRIBUTARY_PG_TLS_KEY_FILE', kind: 'text' },
  host: { env: 'TRIBUTARY_HOST', kind: 'string' },
  dataDir: { env: 'TRIBUTARY_DATA_DIR', kind: 'string' },
  executors: { env: 'TRIBUTARY_EXECUTORS', kind: 'count' },
  minExecutors: { env: 'TRIBUTARY_MIN_EXECUTORS', kind: 'count' },
  sourceRoots: { env: 'TRIBUTARY_SOURCE_ROOTS', kind: 'paths' },
  demo: { env: 'TRIBUTARY_DEMO', kind: 'boolean' },
  heartbeatIntervalMs: { env: 'TRIBUTARY_HEARTBEAT_INTERVAL_MS', kind: 'positive' },
  heartbeatTimeoutMs: { env: 'TRIBUTARY_HEARTBEAT_TIMEOUT_MS', kind: 'positive' },
  splitsPerThread: { env: 'TRIBUTARY_SPLITS_PER_THREAD', kind: 'positive' },
  columnCacheMb: { env: 'TRIBUTARY_COLUMN_CACHE_MB', kind: 'megabytes' },
  memoryLimitMb: { env: 'TRIBUTARY_MEMORY_LIMIT_MB', kind: 'megabytes' },
  executorThreads: { env: 'TRIBUTARY_EXECUTOR_THREADS', kind: 'count' },
  clusterSecret: { env: 'TRIBUTARY_CLUSTER_SECRET', kind: 'secret' },
  maxConcurrentQueries: { env: 'TRIBUTARY_MAX_CONCURRENT_QUERIES', kind: 'positive' },
  maxConcurrentLargeQueries: { env: 'TRIBUTARY_MAX_CONCURRENT_LARGE_QUERIES', kind: 'whole' },
  maxQueuedQueries: { env: 'TRIBUTARY_MAX_QUEUED_QUERIES', kind: 'whole' },
  smallQueryRows: { env: 'TRIBUTARY_SMALL_QUERY_ROWS', kind: 'whole' },
  planCacheEntries: { env: 'TRIBUTARY_PLAN_CACHE_ENTRIES', kind: 'whole' },
  queryTimeoutMs: { env: 'TRIBUTARY_QUERY_TIMEOUT_MS', kind: 'whole' },
  fragmentTimeoutMs: { env: 'TRIBUTARY_FRAGMENT_TIMEOUT_MS', kind: 'positive' },
  taskRetries: { env: 'TRIBUTARY_TASK_RETRIES', kind: 'whole' },
  maxSqlBytes: { env: 'TRIBUTARY_MAX_SQL_BYTES', kind: 'positive' },
  maxRequestBytes: { env: 'TRIBUTARY_MAX_REQUEST_BYTES', kind: 'positive' },
  broadcastRowLimit: { env: 'TRIBUTARY_BROADCAST_ROW_LIMIT', kind: 'whole' },
  adaptiveJoins: { env: 'TRIBUTARY_ADAPTIVE_JOINS', kind: 'boolean' },
  queryMemoryLimitMb: { env: 'TRIBUTARY_QUERY_MEMORY_LIMIT_MB', kind: 'megabytes' },
  plannerThreads: { env: 'TRIBUTARY_PLANNER_THREADS', kind: 'positive' },
  scanPushdown: { env: 'TRIBUTARY_SCAN_PUSHDOWN', kind: 'boolean' },
  reflections: { env: 'TRIBUTARY_REFLECTIONS', kind: 'boolean' },
  sourceRefreshIntervalMs: { env: 'TRIBUTARY_SOURCE_REFRESH_INTERVAL_MS', kind: 'whole' },
  sourceAutoRefresh: { env: 'TRIBUTARY_SOURCE_AUTO_REFRESH', kind: 'boolean' },
  jobSqlMaxBytes: { env: 'TRIBUTARY_JOB_SQL_MAX_BYTES', kind: 'positive' },
  jobHistoryDays: { env: 'TRIBUTARY_JOB_HISTORY_DAYS', kind: 'whole' },
  resultsTtlMs: { env: 'TRIBUTARY_RESULTS_TTL_MS', kind: 'positive' },
  auth: { env: 'TRIBUTARY_AUTH', kind: 'switch' },
  sessionTtlMs: { env: 'TRIBUTARY_SESSION_TTL_MS', kind: 'positive' },
  adminUser: { env: 'TRIBUTARY_ADMIN_USER', kind: 'text' },
  adminPassword: { env: 'TRIBUTARY_ADMIN_PASSWORD', kind: 'password' },
  rateLimitPerMinute: { env: 'TRIBUTARY_RATE_LIMIT_PER_MINUTE', kind: 'whole' },
  reflectionsDir: { env: 'TRIBUTARY_REFLECTIONS_DIR', kind: 'text' },
  reflectionRefreshIntervalMs: { env: 'TRIBUTARY_REFLECTION_REFRESH_INTERVAL_MS', kind: 'whole' },
  reflectionCheckIntervalMs: { env: 'TRIBUTARY_REFLECTION_CHECK_INTERVAL_MS', kind: 'whole' },
  reflectionRetries: { env: 'TRIBUTARY_REFLECTION_RETRIES', kind: 'whole' },
  reflectionBuildConcurrency: { env: 'TRIBUTARY_REFLECTION_BUILD_CONCURRENCY', kind: 'positive' },
  reflectionGraceMs: { env: 'TRIBUTARY_REFLECTION_GRACE_MS', kind: 'whole' },
};

function fromEnv(text: string, kind: Kind): unknown {
  // Commas or the platform's path separator, as PATH: `/a:/b` is two folders.
  if (kind === 'paths') return splitListSetting(text);
  if (kind === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (kind === 'switch') return /^(on|true)$/i.test(text) ? true : /^(off|false)$/i.test(text) ? false : text;
  if (kind === 'string' || kind === 'secret' || kind === 'text' || kind === 'password') return text;
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : text;
}

function check(key: string, value: unknown, kind: Kind): unknown {
  const integer = typeof value === 'number' && Number.isInteger(value);
  switch (kind) {
    case 'port':
      if (!integer || (value as number) < 0 || (value as number) > 65535)
        throw new ConfigError(key, `must be a port number 0-65535, got ${JSON.stringify(value)}`);
      return value;
    case 'count':
      if (!integer || (value as number) < 0 || (value as number) > 256)
        throw new ConfigError(key, `must be an integer 0-256, got ${JSON.stringify(value)}`);
      return value;
    case 'megabytes':
      if (!integer || (value as number) < 0)
        throw new ConfigError(key, `must be a whole number of megabytes, got ${JSON.stringify(value)}`);
      return value;
    case 'whole':
      if (!integer || (value as number) < 0)
        throw new ConfigError(key, `must be a whole number, got ${JSON.stringify(value)}`);
      return value;
    case 'secret':
      // Never echo a secret back, not even a wrong one.
      if (typeof value !== 'string' || (value !== '' && value.length < 16))
        throw new ConfigError(key, 'must be empty (a random secret per start) or at least 16 characters');
      return value;
    case 'positive':
      if (!integer || (value as number) < 1)
        throw new ConfigError(key, `must be a positive integer, got ${JSON.stringify(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string' || value.trim() === '')
        throw new ConfigError(key, `must be a non-empty string, got ${JSON.stringify(value)}`);
      return value;
    case 'text':
      if (typeof value !== 'string')
        throw new ConfigError(key, `must be a string, got ${JSON.stringify(value)}`);
      return value;
    case 'password':
      // Never echo a password back, not even a wrong one.
      if (typeof value !== 'string' || (value !== '' && (value.length < 8 || value.length > 1024)))
        throw new ConfigError(key, 'must be empty or 8 to 1024 characters');
      return value;
    case 'switch':
      // YAML reads on/off as strings; the environment gives on, off, true or false.
      if (value === 'on' || value === 'off') return value === 'on';
      if (typeof value !== 'boolean')
        throw new ConfigError(key, `must be on or off, got ${JSON.stringify(value)}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean')
        throw new ConfigError(key, `must be true or false, got ${JSON.stringify(value)}`);
      return value;
    case 'paths':
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        !value.every((v) => typeof v === 'string' && v.trim() !== '')
      ) {
        throw new ConfigError(key, `must be a non-empty list of folders, got ${JSON.stringify(value)}`);
      }
      return value;
  }
}

/** Whether `host` is reachable from this machine only: 127.0.0.0/8, ::1, localhost. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Reads the YAML file, lays the environment over it, and validates every key. Relative
 * paths resolve against `cwd`. Unknown keys in the file are errors (a typo must not be
 * silently ignored).
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  file = env.TRIBUTARY_CONFIG ?? DEFAULT_CONFIG_FILE,
  cwd = process.cwd(),
): CoordinatorConfig {
  let raw: Record<string, unknown>;
  try {
    raw = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError('TRIBUTARY_CONFIG', `cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  for (const key of Object.keys(raw)) {
    if (!(key in KEYS))
      throw new ConfigError(key, `unknown key in ${file}; known keys: ${Object.keys(KEYS).join(', ')}`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, { env: name, kind }] of Object.entries(KEYS)) {
    const override = env[name];
    const value = override !== undefined && override !== '' ? fromEnv(override, kind) : raw[key];
    if (value === undefined) throw new ConfigError(key, `is missing from ${file}`);
    out[key] = check(override !== undefined && override !== '' ? `${key} (${name})` : key, value, kind);
  }
  const config = out as unknown as CoordinatorConfig;
  if (config.heartbeatTimeoutMs <= config.heartbeatIntervalMs) {
    throw new ConfigError('heartbeatTimeoutMs', 'must be longer than heartbeatIntervalMs');
  }
  if (config.adminUser !== '' && config.adminPassword === '')
    throw new ConfigError(
      'adminPassword',
      'TRIBUTARY_ADMIN_USER is set: TRIBUTARY_ADMIN_PASSWORD must be too',
    );
  if (!config.auth && !isLoopback(config.host))
    throw new ConfigError(
      'auth',
      `the coordinator would listen on ${config.host}, reachable from other machines, with auth off: ` +
        'set TRIBUTARY_AUTH=on (config key auth: on; the first admin from TRIBUTARY_ADMIN_USER and ' +
        'TRIBUTARY_ADMIN_PASSWORD, or from the setup token printed at start), or listen on 127.0.0.1 (TRIBUTARY_HOST)',
    );
  const sourceRoots = config.sourceRoots.map((r) => resolve(cwd, r));
  requireFolders(
    env.TRIBUTARY_SOURCE_ROOTS ? 'sourceRoots (TRIBUTARY_SOURCE_ROOTS)' : 'sourceRoots',
    sourceRoots,
  );
  const dataDir = resolve(cwd, config.dataDir);
  const reflectionsDir =
    config.reflectionsDir.trim() === '' ? join(dataDir, 'reflections') : resolve(cwd, config.reflectionsDir);
  return { ...config, dataDir, sourceRoots, reflectionsDir };
}

/**
 * Every folder must exist: a root that is missing (a typo, an unmounted volume) would
 * otherwise refuse every source under it later with a puzzling PATH_NOT_ALLOWED.
 */
function requireFolders(key: string, folders: readonly string[]): void {
  for (const folder of folders) {
    let isFolder: boolean;
    try {
      isFolder = statSync(folder).isDirectory();
    } catch {
      throw new ConfigError(key, `folder "${folder}" does not exist`, { details: { path: folder } });
    }
    if (!isFolder) throw new ConfigError(key, `"${folder}" is not a folder`, { details: { path: folder } });
  }
}
