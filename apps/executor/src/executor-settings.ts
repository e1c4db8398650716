import { availableParallelism, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, splitListSetting } from '@tributary/common';

export interface ExecutorSettings {
  readonly coordinatorUrl: string;
  readonly host: string;
  readonly port: number;
  readonly advertiseUrl: string | undefined;
  readonly name: string;
  readonly heartbeatIntervalMs: number;
  readonly secret: string;
  readonly threads: number;
  /** Where task outputs and spill files live; emptied at start. Undefined: a fresh temp folder. */
  readonly workDir: string | undefined;
  readonly memoryLimitBytes: number;
  readonly columnCacheMb: number;
  /** Folders every file a task opens must lie inside. */
  readonly roots: readonly string[];
}

const MB = 1024 * 1024;

function integer(
  env: NodeJS.ProcessEnv,
  key: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const text = env[key];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new ConfigError(key, `must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return value;
}

/**
 * An executor's settings, from its environment (the coordinator sets it for embedded
 * executors; a compose file or the shell for standalone ones).
 */
export function executorSettings(env: NodeJS.ProcessEnv = process.env): ExecutorSettings {
  const coordinatorUrl = env.TRIBUTARY_COORDINATOR_URL;
  if (!coordinatorUrl)
    throw new ConfigError(
      'TRIBUTARY_COORDINATOR_URL',
      'must be set to the coordinator URL, e.g. http://127.0.0.1:9047',
    );
  const secret = env.TRIBUTARY_CLUSTER_SECRET;
  if (!secret || secret.length < 16)
    throw new ConfigError(
      'TRIBUTARY_CLUSTER_SECRET',
      'must be set to the cluster secret the coordinator was given (at least 16 characters)',
    );
  const roots = splitListSetting(env.TRIBUTARY_SOURCE_ROOTS ?? '').map((r) => resolve(r));
  if (roots.length === 0)
    throw new ConfigError(
      'TRIBUTARY_SOURCE_ROOTS',
      'must list the folders sources may read, separated by commas or the path separator (:)',
    );
  const memoryMb = integer(env, 'TRIBUTARY_MEMORY_LIMIT_MB', 0, 0);
  const workDir = env.TRIBUTARY_EXECUTOR_WORK_DIR;
  return {
    coordinatorUrl,
    host: env.TRIBUTARY_EXECUTOR_HOST ?? '127.0.0.1',
    port: integer(env, 'TRIBUTARY_EXECUTOR_PORT', 0, 0, 65535),
    advertiseUrl: env.TRIBUTARY_EXECUTOR_ADVERTISE_URL || undefined,
    name: env.TRIBUTARY_EXECUTOR_NAME ?? 'executor',
    heartbeatIntervalMs: integer(env, 'TRIBUTARY_HEARTBEAT_INTERVAL_MS', 1000, 1),
    secret,
    threads: integer(env, 'TRIBUTARY_EXECUTOR_THREADS', availableParallelism(), 1, 1024),
    workDir: workDir ? resolve(workDir) : undefined,
    memoryLimitBytes: memoryMb > 0 ? memoryMb * MB : totalmem() / 2,
    columnCacheMb: integer(env, 'TRIBUTARY_COLUMN_CACHE_MB', 512, 0),
    roots,
  };
}

/** A fresh work folder for an executor without one configured. */
export function defaultWorkDir(id: string): string {
  return join(tmpdir(), `tributary-executor-${id}`);
}
