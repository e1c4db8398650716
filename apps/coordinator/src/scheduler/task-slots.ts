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

/**
 * Where each of a stage's tasks prefers to run: rendezvous hashing with bounded loads. Each
 * key (a task's splits) takes the executor with the highest hash of (key, executor) that
 * still has room, room being its share of the stage by threads. Plain rendezvous hashing is
 * stable but uneven (4 tasks over 2 executors put 3 or 4 on one a third of the time, and a
 * short query then waits on one executor while the other idles); the bound keeps it even,
 * and the same keys over the same executors still land in the same places, near the
 * columns they cached.
 */
export function balancedPlacement(keys: readonly string[], executors: readonly ExecutorInfo[]): string[] {
  const totalThreads = executors.reduce((sum, e) => sum + e.threads, 0);
  const room = new Map(executors.map((e) => [e.id, Math.ceil((keys.length * e.threads) / totalThreads)]));
  return keys.map((key) => {
    let best: ExecutorInfo | undefined;
    let bestScore = -1;
    for (const e of executors) {
      const score = stableHash(`${key}\u0000${e.id}`);
      if (room.get(e.id)! > 0 && score > bestScore) {
        best = e;
        bestScore = score;
      }
    }
    room.set(best!.id, room.get(best!.id)! - 1);
    return best!.id;
  });
}

/** A task's place among its stage's tasks, for balancedPlacement: every task's key, and its own index. */
export interface TaskAffinity {
  /** The same array for every task of the stage. */
  readonly keys: readonly string[];
  readonly index: number;
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
  /** Executors this query's waiting tasks prefer, and how many wait for each. */
  private readonly claims = new Map<string, number>();
  private readonly placements = new WeakMap<readonly string[], { executors: string; ids: string[] }>();
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
   * time. A task with an `affinity` (its splits) prefers the executor balancedPlacement
   * gives it among the schedulable ones, so a split lands where its decoded columns are
   * cached, and waits up to LOCALITY_WAIT_MS for it before it takes another (Spark's
   * locality wait).
   * `beyondShare` takes a slot even past the query's share: for tasks that must all run at
   * once (a sorted merge waits for the first batch of every one of them).
   */
  async acquire(
    avoid: ReadonlySet<string>,
    signal: AbortSignal,
    options: { beyondShare?: boolean; affinity?: TaskAffinity } = {},
  ): Promise<ExecutorInfo> {
    const beyondShare = options.beyondShare === true;
    const since = Date.now();
    let noneSince: number | undefined;
    // The executor this task waits for, told to the query's other tasks so they leave it be.
    let claimed: string | undefined;
    const claim = (id: string | undefined) => {
      if (claimed === id) return;
      if (claimed !== undefined) this.claims.set(claimed, this.claims.get(claimed)! - 1);
      if (id !== undefined) this.claims.set(id, (this.claims.get(id) ?? 0) + 1);
      claimed = id;
    };
    try {
      for (;;) {
        signal.throwIfAborted();
        const preferred = options.affinity && this.preferred(options.affinity, avoid);
        const open = this.open(beyondShare);
        const openPreferred = open.filter((e) => !avoid.has(e.id));
        let executor: ExecutorInfo | undefined;
        if (preferred && openPreferred.includes(preferred)) executor = preferred;
        else if (!preferred || Date.now() - since >= LOCALITY_WAIT_MS) {
          // Not one another task of the query waits for: taking it would only swap their places.
          const candidates = (openPreferred.length > 0 ? openPreferred : open).filter(
            (e) => e.id === claimed || !this.claims.get(e.id),
          );
          executor = this.leastLoaded(candidates);
        }
        if (executor) {
          this.mine.set(executor.id, this.used(executor.id) + 1);
          this.load.add(executor.id, 1);
          return executor;
        }
        claim(preferred?.id);
        const anyActive = this.registry.active().length > 0;
        if (anyActive) noneSince = undefined;
        else noneSince ??= Date.now();
        const waited = noneSince === undefined ? 0 : Date.now() - noneSince;
        if (!anyActive && waited >= this.executorWaitMs) {
          throw new ExecutionError(
            'NO_EXECUTORS',
            'no executor is available to run the query; check GET /api/v1/health',
            { status: 503 },
          );
        }
        // Suspended executors come back on their own and a locality wait runs out: look again then.
        // (A release wakes the waiters at once; past the locality wait only that can help.)
        const localityLeft = LOCALITY_WAIT_MS - (Date.now() - since);
        const recheck = !anyActive
          ? Math.max(1, this.executorWaitMs - waited)
          : preferred && localityLeft > 0
            ? localityLeft
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
    } finally {
      claim(undefined);
    }
  }

  /** The executor the stage's placement gives the task, unless it is one to avoid. */
  private preferred(affinity: TaskAffinity, avoid: ReadonlySet<string>): ExecutorInfo | undefined {
    const executors = this.registry.schedulable();
    if (executors.length === 0) return undefined;
    const signature = executors.map((e) => `${e.id}*${e.threads}`).join(',');
    let placement = this.placements.get(affinity.keys);
    if (placement?.executors !== signature) {
      placement = { executors: signature, ids: balancedPlacement(affinity.keys, executors) };
      this.placements.set(affinity.keys, placement);
    }
    const id = placement.ids[affinity.index];
    return avoid.has(id) ? undefined : executors.find((e) => e.id === id);
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
