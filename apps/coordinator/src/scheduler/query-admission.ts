import { ResourceError } from '@tributary/common';

/**
 * Which line a query waits in: `small` for queries whose plan reads few rows, `large` for
 * the rest, so that a crowd of heavy queries never holds up a quick one (Dremio routes
 * queries to small and large queues by plan cost the same way).
 */
export type QueryLane = 'small' | 'large';

interface Lane {
  running: number;
  readonly queue: { admit: () => void }[];
}

/**
 * In each lane at most its own number of queries run at once; up to `maxQueued` more (over both
 * lanes) wait their turn in arrival order (state QUEUED); past that a query is refused at
 * once with QUERY_QUEUE_FULL rather than piling up.
 */
export class QueryAdmission {
  private readonly lanes: Record<QueryLane, Lane> = {
    small: { running: 0, queue: [] },
    large: { running: 0, queue: [] },
  };

  private readonly maxRunning: Record<QueryLane, number>;

  /** `maxRunningLarge` (0 or absent: `maxRunning`) bounds the large lane on its own. */
  constructor(
    maxRunning: number,
    private readonly maxQueued: number,
    maxRunningLarge = 0,
  ) {
    this.maxRunning = { small: maxRunning, large: maxRunningLarge > 0 ? maxRunningLarge : maxRunning };
  }

  get runningCount(): number {
    return this.lanes.small.running + this.lanes.large.running;
  }

  get queuedCount(): number {
    return this.lanes.small.queue.length + this.lanes.large.queue.length;
  }

  /** Whether a query of this lane would have to wait. */
  wouldQueue(lane: QueryLane): boolean {
    return this.lanes[lane].running >= this.maxRunning[lane];
  }

  /** Resolves with the release function once the query may run; the signal gives up waiting. */
  async admit(signal: AbortSignal, lane: QueryLane = 'large'): Promise<() => void> {
    signal.throwIfAborted();
    const line = this.lanes[lane];
    if (line.running < this.maxRunning[lane]) {
      line.running++;
      return this.releaser(line);
    }
    if (this.queuedCount >= this.maxQueued) {
      throw new ResourceError(
        'QUERY_QUEUE_FULL',
        `${line.running} ${lane} queries are running and ${this.queuedCount} waiting, the most allowed ` +
          '(maxConcurrentQueries, maxQueuedQueries); try again later',
        { status: 503 },
      );
    }
    await new Promise<void>((resolve, reject) => {
      const entry = {
        admit: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const at = line.queue.indexOf(entry);
        if (at >= 0) line.queue.splice(at, 1);
        reject(signal.reason);
      };
      line.queue.push(entry);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser(line);
  }

  private releaser(line: Lane): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = line.queue.shift();
      // The slot passes straight to the next query in line.
      if (next) next.admit();
      else line.running--;
    };
  }
}
