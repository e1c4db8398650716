import { ResourceError } from '@tributary/common';

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/**
 * Bytes for messages: "512 KB", "72.4 KB", "256 MB", "1.5 GB" (budgets in tests can be below a
 * megabyte; one decimal below 100 units, so a need just over a limit does not print as equal).
 */
export function formatBytes(bytes: number): string {
  const [unit, name] = bytes >= GIB ? [GIB, 'GB'] : bytes >= MIB ? [MIB, 'MB'] : [KIB, 'KB'];
  const value = bytes / unit;
  const shown = value >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${Math.max(shown, 0.1)} ${name}`;
}

/**
 * Where the memory of a query's buffering operators (sort runs, hash tables, join build
 * sides, exchange buffers) is accounted. Operators hold a MemoryReservation on a pool and
 * grow it before they buffer more; a pool refuses growth past its limit, and the operator
 * then spills to disk or fails with QUERY_MEMORY_EXCEEDED naming the limit.
 */
export interface MemoryPool {
  /** Reserves `bytes` more; false (and nothing reserved) when that would pass a limit. */
  tryGrow(bytes: number): boolean;
  shrink(bytes: number): void;
  /** Bytes reserved now. */
  used(): number;
  /** The limit that refused growth, for messages: "the query's limit of 256 MB per executor". */
  describeLimit(): string;
}

/** A pool with one limit, within one thread. */
export class LimitedMemoryPool implements MemoryPool {
  private bytes = 0;

  constructor(
    readonly limitBytes: number,
    private readonly name = 'memory limit',
  ) {}

  tryGrow(bytes: number): boolean {
    if (this.bytes + bytes > this.limitBytes) return false;
    this.bytes += bytes;
    return true;
  }

  shrink(bytes: number): void {
    this.bytes = Math.max(0, this.bytes - bytes);
  }

  used(): number {
    return this.bytes;
  }

  describeLimit(): string {
    return Number.isFinite(this.limitBytes)
      ? `the ${this.name} of ${formatBytes(this.limitBytes)}`
      : 'no limit';
  }
}

/** A pool without limit (tests, and the coordinator's light root operators). */
export class UnboundedMemoryPool extends LimitedMemoryPool {
  constructor() {
    super(Infinity);
  }
}

/**
 * The counters of a SharedMemoryPool: one Int32 slot per limit, in KiB, in a
 * SharedArrayBuffer so that every worker thread running a query's tasks on one executor
 * draws on the same budget. Slot 0 is the executor's total, slot 1 the query's.
 */
export function createSharedMemoryCounters(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/**
 * Takes `kib` back off an executor's and a query's counters: what a task torn down with its
 * thread still held (read from its pool's charged counter).
 */
export function releaseSharedMemory(
  executorCounters: SharedArrayBuffer,
  queryCounters: SharedArrayBuffer | undefined,
  chargedCounter: SharedArrayBuffer,
): void {
  const kib = Atomics.exchange(new Int32Array(chargedCounter, 0, 1), 0, 0);
  if (kib <= 0) return;
  Atomics.sub(new Int32Array(executorCounters, 0, 1), 0, kib);
  if (queryCounters) Atomics.sub(new Int32Array(queryCounters, Int32Array.BYTES_PER_ELEMENT, 1), 0, kib);
}

/**
 * A query's budget on one executor and the executor's own budget, both enforced at once
 * across threads with Atomics. `executorCounters` is shared by every query on the executor;
 * `queryCounters` by the tasks of one query.
 */
export class SharedMemoryPool implements MemoryPool {
  private readonly executor: Int32Array;
  private readonly query: Int32Array;
  private refusedBy: 'executor' | 'query' = 'query';
  /**
   * Bytes this instance holds; the counters are charged ceil(bytes / KiB) of it, so that grows
   * and shrinks of odd sizes never leave KiB behind in counters other threads keep using.
   */
  private bytes = 0;

  /** What this instance charges now (KiB), readable by the thread that owns the task. */
  private readonly charged: Int32Array | undefined;

  constructor(
    executorCounters: SharedArrayBuffer,
    queryCounters: SharedArrayBuffer,
    readonly executorLimitBytes: number,
    readonly queryLimitBytes: number,
    /**
     * One Int32 the pool keeps equal to what it charges, so that when the thread holding it
     * is torn down mid-task, the owner can take that much back off the shared counters.
     */
    chargedCounter?: SharedArrayBuffer,
  ) {
    this.executor = new Int32Array(executorCounters, 0, 1);
    this.query = new Int32Array(queryCounters, Int32Array.BYTES_PER_ELEMENT, 1);
    this.charged = chargedCounter ? new Int32Array(chargedCounter, 0, 1) : undefined;
  }

  private publish(): void {
    if (this.charged) Atomics.store(this.charged, 0, Math.ceil(this.bytes / KIB));
  }

  tryGrow(bytes: number): boolean {
    if (bytes <= 0) return true;
    const kib = Math.ceil((this.bytes + bytes) / KIB) - Math.ceil(this.bytes / KIB);
    if (kib > 0) {
      if (Atomics.add(this.query, 0, kib) + kib > this.queryLimitBytes / KIB) {
        Atomics.sub(this.query, 0, kib);
        this.refusedBy = 'query';
        return false;
      }
      if (Atomics.add(this.executor, 0, kib) + kib > this.executorLimitBytes / KIB) {
        Atomics.sub(this.executor, 0, kib);
        Atomics.sub(this.query, 0, kib);
        this.refusedBy = 'executor';
        return false;
      }
    }
    this.bytes += bytes;
    this.publish();
    return true;
  }

  shrink(bytes: number): void {
    const n = Math.min(bytes, this.bytes);
    if (n <= 0) return;
    const kib = Math.ceil(this.bytes / KIB) - Math.ceil((this.bytes - n) / KIB);
    this.bytes -= n;
    this.publish();
    if (kib > 0) {
      Atomics.sub(this.query, 0, kib);
      Atomics.sub(this.executor, 0, kib);
    }
  }

  /** Bytes the query holds on this executor, across all threads (KiB granular). */
  used(): number {
    return Atomics.load(this.query, 0) * KIB;
  }

  describeLimit(): string {
    return this.refusedBy === 'query'
      ? `the query's memory limit of ${formatBytes(this.queryLimitBytes)} per executor (queryMemoryLimitMb)`
      : `the executor's memory limit of ${formatBytes(this.executorLimitBytes)} (memoryLimitMb)`;
  }
}

/**
 * One operator's share of a pool. `size` is what it holds now; `tryGrow` asks for more
 * (false: spill or give up), `grow` insists (throws QUERY_MEMORY_EXCEEDED naming the limit),
 * `free` returns everything (call it when the operator finishes, fails or is cancelled).
 */
export class MemoryReservation {
  private held = 0;

  constructor(
    private readonly pool: MemoryPool,
    /** The operator, for messages: "Sort", "HashJoin build". */
    readonly consumer: string,
  ) {}

  get size(): number {
    return this.held;
  }

  tryGrow(bytes: number): boolean {
    if (bytes <= 0) return true;
    if (!this.pool.tryGrow(bytes)) return false;
    this.held += bytes;
    return true;
  }

  grow(bytes: number): void {
    if (!this.tryGrow(bytes)) throw this.exceeded(bytes);
  }

  shrink(bytes: number): void {
    const n = Math.min(bytes, this.held);
    if (n <= 0) return;
    this.pool.shrink(n);
    this.held -= n;
  }

  /** Grows or shrinks to exactly `bytes`; throws like `grow` when it cannot grow. */
  resize(bytes: number): void {
    if (bytes > this.held) this.grow(bytes - this.held);
    else this.shrink(this.held - bytes);
  }

  /** Grows or shrinks to exactly `bytes`; false (and the size unchanged) when it cannot grow. */
  tryResize(bytes: number): boolean {
    if (bytes > this.held) return this.tryGrow(bytes - this.held);
    this.shrink(this.held - bytes);
    return true;
  }

  free(): void {
    this.shrink(this.held);
  }

  /** The error for a reservation that cannot grow by `bytes` and cannot spill. */
  exceeded(bytes: number): ResourceError {
    return new ResourceError(
      'QUERY_MEMORY_EXCEEDED',
      `${this.consumer} needs ${formatBytes(this.held + bytes)}, more than ` +
        `${this.pool.describeLimit()} allows; filter or aggregate more before sorting or joining, or raise the limit`,
      { details: { operator: this.consumer, limit: this.pool.describeLimit() } },
    );
  }
}

/**
 * What a task's operators may use: the memory pool they reserve from, and a folder for spill
 * files (removed with the query); without one, operators cannot spill and fail instead.
 */
export interface OperatorResources {
  readonly memory: MemoryPool;
  readonly spillDir?: string;
}

export function unboundedResources(): OperatorResources {
  return { memory: new UnboundedMemoryPool() };
}
