import { ResourceError } from '@tributary/common';

/**
 * At most `maxRunning` queries run at once; up to `maxQueued` more wait their turn in
 * arrival order (state QUEUED); past that a query is refused at once with
 * QUERY_QUEUE_FULL rather than piling up.
 */
export class QueryAdmission {
  private running = 0;
  private readonly queue: { admit: () => void }[] = [];

  constructor(
    private readonly maxRunning: number,
    private readonly maxQueued: number,
  ) {}

  get runningCount(): number {
    return this.running;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** Whether a query would have to wait. */
  wouldQueue(): boolean {
    return this.running >= this.maxRunning;
  }

  /** Resolves with the release function once the query may run; the signal gives up waiting. */
  async admit(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    if (this.running < this.maxRunning) {
      this.running++;
      return this.releaser();
    }
    if (this.queue.length >= this.maxQueued) {
      throw new ResourceError(
        'QUERY_QUEUE_FULL',
        `${this.running} queries are running and ${this.queue.length} waiting, the most allowed (maxConcurrentQueries, maxQueuedQueries); try again later`,
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
        const at = this.queue.indexOf(entry);
        if (at >= 0) this.queue.splice(at, 1);
        reject(signal.reason);
      };
      this.queue.push(entry);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return this.releaser();
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      // The slot passes straight to the next query in line.
      if (next) next.admit();
      else this.running--;
    };
  }
}
