import { ExecutionError } from '@tributary/common';
import type { ExecutorInfo, ExecutorRegistry } from '../executors/executor-registry.ts';

/** How long a task waits for the executor its splits prefer before it takes another. */
const LOCALITY_WAIT_MS = 150;

/** FNV-1a of a string: a stable 32-bit hash for rendezvous scores and thread choice. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The executor with the highest hash of (key, executor): stable as executors come and go. */
function rendezvous(key: string, executors: readonly ExecutorInfo[]): ExecutorInfo | undefined {
  let best: ExecutorInfo | undefined;
  let bestScore = -1;
  for (const e of executors) {
    const score = stableHash(`${key}\u0000${e.id}`);
    if (score > bestScore) {
      best = e;
      bestScore = score;
    }
  }
  return best;
}

/** Tasks running on each executor, over all queries: where a new task goes least in the way. */
export class ClusterLoad {
  private readonly running = new Map<string, number>();

  of(executorId: string): number {
    return this.running.get(executorId) ?? 0;
  }

  add(executorId: string, delta: number): void {
    this.running.set(executorId, this.of(executorId) + delta);
  }
}

/**
 * One query's share of the executors: at most as many of its tasks on an executor at once
 * as the executor has threads. Tasks are handed out as slots free up, so a fast executor
 * takes more of a stage than a slow one, and every admitted query always has slots of its
 * own (the executors interleave the tasks of all queries on their threads). A task is
 * placed on the least loaded executor, avoiding those it failed on while others exist.
 */
export class TaskSlots {
  private readonly mine = new Map<string, number>();
  private waiters: (() => void)[] = [];
  private readonly onRegistered = () => this.wake();

  constructor(
    private readonly registry: ExecutorRegistry,
    private readonly load: ClusterLoad,
    /** How long to wait for an executor when none is active (start-up, all restarting). */
    private readonly executorWaitMs: number,
  ) {
    registry.on('registered', this.onRegistered);
    registry.on('lost', this.onRegistered);
  }

  private used(id: string): number {
    return this.mine.get(id) ?? 0;
  }

  private open(beyondShare: boolean): ExecutorInfo[] {
    return this.registry.schedulable().filter((e) => beyondShare || this.used(e.id) < e.threads);
  }

  private leastLoaded(candidates: readonly ExecutorInfo[]): ExecutorInfo | undefined {
    let best: ExecutorInfo | undefined;
    for (const e of candidates) {
      if (!best || this.load.of(e.id) / e.threads < this.load.of(best.id) / best.threads) best = e;
    }
    return best;
  }

  /**
   * An executor with a free slot for this query; fails with NO_EXECUTORS when none comes in
   * time. A task with an `affinity` (its splits) prefers the executor rendezvous hashing
   * gives it among the live ones, so a split lands where its decoded columns are cached,
   * and waits up to LOCALITY_WAIT_MS for it before it takes another (Spark's locality wait).
   * `beyondShare` takes a slot even past the query's share: for tasks that must all run at
   * once (a sorted merge waits for the first batch of every one of them).
   */
  async acquire(
    avoid: ReadonlySet<string>,
    signal: AbortSignal,
    options: { beyondShare?: boolean; affinity?: string } = {},
  ): Promise<ExecutorInfo> {
    const beyondShare = options.beyondShare === true;
    const since = Date.now();
    let noneSince: number | undefined;
    for (;;) {
      signal.throwIfAborted();
      const live = this.registry.schedulable().filter((e) => !avoid.has(e.id));
      const preferred = options.affinity === undefined ? undefined : rendezvous(options.affinity, live);
      const open = this.open(beyondShare);
      const openPreferred = open.filter((e) => !avoid.has(e.id));
      let executor: ExecutorInfo | undefined;
      if (preferred && openPreferred.includes(preferred)) executor = preferred;
      else if (!preferred || Date.now() - since >= LOCALITY_WAIT_MS)
        executor = this.leastLoaded(openPreferred.length > 0 ? openPreferred : open);
      if (executor) {
        this.mine.set(executor.id, this.used(executor.id) + 1);
        this.load.add(executor.id, 1);
        return executor;
      }
      const anyActive = this.registry.active().length > 0;
      if (anyActive) noneSince = undefined;
      else noneSince ??= Date.now();
      const waited = noneSince === undefined ? 0 : Date.now() - noneSince;
      if (!anyActive && waited >= this.executorWaitMs) {
        throw new ExecutionError(
          'NO_EXECUTORS',
          'no executor is available to run the query; check GET /api/v1/health',
          {
            status: 503,
          },
        );
      }
      // Suspended executors come back on their own and a locality wait runs out: look again then.
      const recheck = !anyActive
        ? Math.max(1, this.executorWaitMs - waited)
        : preferred
          ? Math.max(1, LOCALITY_WAIT_MS - (Date.now() - since))
          : 1000;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, recheck);
        this.waiters.push(done);
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }

  release(executorId: string): void {
    this.mine.set(executorId, this.used(executorId) - 1);
    this.load.add(executorId, -1);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  close(): void {
    this.registry.off('registered', this.onRegistered);
    this.registry.off('lost', this.onRegistered);
    this.wake();
  }
}
