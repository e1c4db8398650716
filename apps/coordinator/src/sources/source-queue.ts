/**
 * Runs the metadata writes of one source one at a time (in the order asked), so that a
 * refresh, a change of options and a registration never interleave their read-then-write.
 * Names are compared case-insensitively, as the catalog does.
 */
export class SourceQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly waiting = new Map<string, Promise<unknown>>();

  /** Runs `work` after every earlier job of the source ended (whether it failed or not). */
  run<T>(source: string, work: () => Promise<T>): Promise<T> {
    const key = source.toLowerCase();
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /**
   * As run, but a job asked for while an earlier coalesced job of the source still waits for
   * its turn joins that one: at most one runs and one waits, however often it is asked for
   * (refreshes never stack up). One that has already started is not joined: it may have read
   * the files before the caller's change.
   */
  coalesced<T>(source: string, work: () => Promise<T>): Promise<T> {
    const key = source.toLowerCase();
    const queued = this.waiting.get(key);
    if (queued) return queued as Promise<T>;
    const promise = this.run(key, () => {
      if (this.waiting.get(key) === promise) this.waiting.delete(key);
      return work();
    });
    this.waiting.set(key, promise);
    return promise;
  }

  /** Jobs queued or running, over all sources (tests, shutdown). */
  get busy(): number {
    return this.tails.size;
  }
}
