import { ExecutionError } from '@tributary/common';
import type { ExecutorInfo, ExecutorRegistry } from '../executors/executor-registry.ts';

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

  private pick(avoid: ReadonlySet<string>, beyondShare: boolean): ExecutorInfo | undefined {
    const open = this.registry.schedulable().filter((e) => beyondShare || this.used(e.id) < e.threads);
    const preferred = open.filter((e) => !avoid.has(e.id));
    const candidates = preferred.length > 0 ? preferred : open;
    let best: ExecutorInfo | undefined;
    for (const e of candidates) {
      if (!best || this.load.of(e.id) / e.threads < this.load.of(best.id) / best.threads) best = e;
    }
    return best;
  }

  /**
   * An executor with a free slot for this query; fails with NO_EXECUTORS when none comes in
   * time. `beyondShare` takes one even past the query's share: for tasks that must all run
   * at once (a sorted merge waits for the first batch of every one of them).
   */
  async acquire(avoid: ReadonlySet<string>, signal: AbortSignal, beyondShare = false): Promise<ExecutorInfo> {
    let noneSince: number | undefined;
    for (;;) {
      signal.throwIfAborted();
      const executor = this.pick(avoid, beyondShare);
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
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        };
        // Suspended executors come back on their own: look again now and then.
        const timer = setTimeout(done, anyActive ? 1000 : Math.max(1, this.executorWaitMs - waited));
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
