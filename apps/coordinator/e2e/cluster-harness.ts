import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { clusterHeaders, type ExecutorStatus } from '@tributary/protocol';
import { dataRoot, repoRoot, type Health } from './harness.ts';

/** A fixed secret for tests that talk to the internal channel themselves. */
export const TEST_SECRET = 'e2e-cluster-secret-0123456789abcdef';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A request to an internal route, signed with `secret`. */
export function signedFetch(secret: string, method: string, url: string, body?: unknown): Promise<Response> {
  const target = new URL(url);
  return fetch(target, {
    method,
    headers: {
      ...clusterHeaders(secret, method, target),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}

/** What an executor runs now, from its own side. */
export async function executorStatus(secret: string, executorUrl: string): Promise<ExecutorStatus> {
  const response = await signedFetch(secret, 'GET', `${executorUrl}/internal/v1/status`);
  if (!response.ok) throw new Error(`status of ${executorUrl}: ${response.status}`);
  return (await response.json()) as ExecutorStatus;
}

/** Tasks running on every active executor of the cluster. */
export async function runningTasks(secret: string, health: Health): Promise<number> {
  let total = 0;
  for (const e of health.executors.filter((x) => x.state === 'active')) {
    total += (await executorStatus(secret, e.url).catch(() => ({ tasks: [] }))).tasks.length;
  }
  return total;
}

/** An executor started as its own service, registering with `coordinatorUrl`. */
export class StandaloneExecutor {
  readonly child: ChildProcess;
  private logs: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(coordinatorUrl: string, env: Record<string, string> = {}) {
    this.child = spawn(
      process.execPath,
      ['--single-threaded-gc', '--import', 'tsx', 'apps/executor/src/main.ts'],
      {
        cwd: repoRoot,
        env: {
          ...process.env,
          TRIBUTARY_COORDINATOR_URL: coordinatorUrl,
          TRIBUTARY_CLUSTER_SECRET: TEST_SECRET,
          TRIBUTARY_SOURCE_ROOTS: dataRoot,
          TRIBUTARY_EXECUTOR_THREADS: '1',
          TRIBUTARY_HEARTBEAT_INTERVAL_MS: '500',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout?.on('data', (c: Buffer) => this.logs.push(c.toString()));
    this.child.stderr?.on('data', (c: Buffer) => this.logs.push(c.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  output(): string {
    return this.logs.join('');
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}

export interface JobRow {
  id: string;
  state: string;
  error_code: string | null;
}

/** The jobs the coordinator recorded, read from its catalog file. */
export function readJobs(dataDir: string): JobRow[] {
  const db = new Database(path.join(dataDir, 'catalog.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, state, error_code FROM jobs').all() as JobRow[];
  } finally {
    db.close();
  }
}

/** Waits until `check` holds, polling; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
