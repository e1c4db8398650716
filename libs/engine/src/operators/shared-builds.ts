import { MemoryReservation, type MemoryPool } from '../memory/memory-pool.ts';

interface Entry {
  readonly queryId: string;
  readonly value: Promise<unknown>;
  readonly reservation: MemoryReservation;
}

/**
 * Hash-join build sides that the tasks of one stage share on one thread. A build side read
 * only from broadcast exchanges is the same in every task of its stage, so it is built once
 * per thread and probed by each task, as Trino builds a broadcast join's table once per
 * worker for all its drivers. Entries live, with the memory they reserve, until the query
 * ends here (`drop`); the executor's main thread sends that when the coordinator says so.
 */
export class SharedBuilds {
  private readonly entries = new Map<string, Entry>();

  /**
   * The build of `key` (unique within the query): made by the first caller's `make` with a
   * reservation from `pool` that the entry keeps, then the same promise for every caller.
   * A build that gives `undefined` (it did not fit in memory) is shared as such: each task
   * then builds its own, spilling. One that fails is forgotten, so a later task may try.
   */
  get<T>(
    queryId: string,
    key: string,
    pool: MemoryPool,
    make: (reservation: MemoryReservation) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    const id = `${queryId}\u0000${key}`;
    const existing = this.entries.get(id);
    if (existing) return existing.value as Promise<T | undefined>;
    const reservation = new MemoryReservation(pool, 'HashJoin build (shared)');
    const value = make(reservation).then(
      (built) => {
        // Not kept (too big, or the query ended meanwhile): its memory goes back now.
        if (built === undefined || this.entries.get(id)?.value !== value) reservation.free();
        return built;
      },
      (error: unknown) => {
        reservation.free();
        if (this.entries.get(id)?.value === value) this.entries.delete(id);
        throw error;
      },
    );
    this.entries.set(id, { queryId, value, reservation });
    return value;
  }

  /** Forgets the query's builds and returns their memory. */
  drop(queryId: string): void {
    for (const [id, entry] of this.entries) {
      if (entry.queryId !== queryId) continue;
      entry.reservation.free();
      this.entries.delete(id);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A hash join's place in the builds its thread shares (see OperatorContext.sharedBuilds). */
export interface BuildShare {
  readonly builds: SharedBuilds;
  readonly queryId: string;
  /** Unique within the query: the stage and the join's place in the stage's plan. */
  readonly key: string;
  /** What the shared build is charged to: not the task, which may end before the build is dropped. */
  readonly pool: MemoryPool;
}
