import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXECUTOR_MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../executor/src/main.ts');

/**
 * Each isolate collects its own garbage on its own thread. An executor's parallelism is its
 * task threads (and the other executors); V8's default GC helper threads compete with them
 * for the same cores and cost more CPU than they save (TPC-H Q1 at SF 1 on 2 cores: 1.7× the
 * throughput of 2 executors over 1 with this flag, none without).
 *
 * A task's heap of JS objects stays small (about 20 MB) while it allocates gigabytes of column
 * buffers outside it, most dying young; from V8's small initial limits that pressure started a
 * full mark-compact every ~250 ms of work (13 for one TPC-H Q9 at SF 1). A larger initial old
 * space lets the scavenger free them instead (4 mark-compacts): 12–30% less CPU on Q1, Q3, Q6,
 * Q9 and Q18 at SF 1, with the same peak RSS. package.json's `executor` script and
 * docker/entrypoint.sh start executors the same way.
 */
const EXECUTOR_NODE_FLAGS = ['--single-threaded-gc', '--initial-old-space-size=256', '--import', 'tsx'];

export interface EmbeddedExecutorOptions {
  readonly count: number;
  readonly coordinatorUrl: string;
  readonly heartbeatIntervalMs: number;
  readonly columnCacheMb: number;
  /** Folders the executors may read files in (TRIBUTARY_SOURCE_ROOTS, comma-separated). */
  readonly sourceRoots: readonly string[];
  /** The secret the executors sign internal requests with. */
  readonly clusterSecret: string;
  /** Worker threads of each executor. */
  readonly threads: number;
  /** Memory each executor lets its queries use, megabytes. */
  readonly memoryLimitMb: number;
  /** Each executor's task outputs and spill files go under `<workRoot>/embedded-<n>`. */
  readonly workRoot: string;
  readonly log: (message: string) => void;
}

/**
 * Starts executor processes on this machine and restarts one that dies unexpectedly (after
 * a short delay, so a crash loop does not spin). The IPC channel ties their lives to ours:
 * an executor exits when the coordinator goes away, even on SIGKILL.
 */
export class EmbeddedExecutors {
  private readonly children = new Set<ChildProcess>();
  private stopping = false;

  constructor(private readonly options: EmbeddedExecutorOptions) {}

  start(): void {
    for (let i = 0; i < this.options.count; i++) this.spawn(i);
  }

  private spawn(slot: number): void {
    const child = fork(EXECUTOR_MAIN, [], {
      execArgv: EXECUTOR_NODE_FLAGS,
      env: {
        ...process.env,
        TRIBUTARY_COORDINATOR_URL: this.options.coordinatorUrl,
        TRIBUTARY_EXECUTOR_PORT: '0',
        TRIBUTARY_EXECUTOR_HOST: '127.0.0.1',
        TRIBUTARY_HEARTBEAT_INTERVAL_MS: String(this.options.heartbeatIntervalMs),
        TRIBUTARY_EXECUTOR_NAME: `embedded-${slot + 1}`,
        TRIBUTARY_COLUMN_CACHE_MB: String(this.options.columnCacheMb),
        TRIBUTARY_SOURCE_ROOTS: this.options.sourceRoots.join(','),
        TRIBUTARY_CLUSTER_SECRET: this.options.clusterSecret,
        TRIBUTARY_EXECUTOR_THREADS: String(this.options.threads),
        TRIBUTARY_MEMORY_LIMIT_MB: String(this.options.memoryLimitMb),
        TRIBUTARY_EXECUTOR_WORK_DIR: join(this.options.workRoot, `embedded-${slot + 1}`),
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.children.add(child);
    child.on('exit', (code, signal) => {
      this.children.delete(child);
      if (this.stopping) return;
      this.options.log(
        `executor embedded-${slot + 1} (pid ${child.pid}) exited (${signal ?? `code ${code}`}); restarting it in 2 s`,
      );
      setTimeout(() => {
        if (!this.stopping) this.spawn(slot);
      }, 2000).unref();
    });
  }

  pids(): number[] {
    return [...this.children].map((c) => c.pid ?? -1);
  }

  /** Asks every executor to stop, and kills those still running after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    this.stopping = true;
    const exits = [...this.children].map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once('exit', () => done());
          child.kill('SIGTERM');
          setTimeout(() => {
            child.kill('SIGKILL');
            done();
          }, graceMs).unref();
        }),
    );
    await Promise.all(exits);
  }
}
