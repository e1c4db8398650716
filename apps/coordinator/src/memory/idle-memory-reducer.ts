/** How long the coordinator must have had no query before it gives memory back. */
export const IDLE_BEFORE_RELEASE_MS = 1000;

/**
 * Gives the coordinator's memory back once it goes idle. The coordinator holds no data, but a
 * burst of queries grows the V8 heaps of its event loop and planner threads (short-lived
 * plans, JSON, HTTP buffers), and V8 keeps a grown heap and its pooled pages until
 * allocation resumes: measured under `npm run load`, resident memory ended about 20% above
 * its start and stayed there however long the coordinator idled, though nothing leaked.
 * So when no query has run or waited for IDLE_BEFORE_RELEASE_MS, `release` runs once (a
 * full collection that returns free pages, on every thread): V8's own memory reducer does
 * the same after seconds of low allocation, as Chrome does for a tab gone idle. A full
 * collection of a heap of tens of megabytes takes tens of milliseconds, on a loop with
 * nothing to do; it runs again only after another query.
 */
export class IdleMemoryReducer {
  private active = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Whether anything ran since the last release (nothing to give back otherwise). */
  private dirty = false;
  releases = 0;

  constructor(
    private readonly release: () => void,
    private readonly idleMs = IDLE_BEFORE_RELEASE_MS,
  ) {}

  /** A query was received: not idle until it ends. */
  begin(): void {
    this.active++;
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A query ended (however it ended). */
  end(): void {
    this.active = Math.max(0, this.active - 1);
    if (this.active > 0 || !this.dirty) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.active > 0) return;
      this.dirty = false;
      this.releases++;
      this.release();
    }, this.idleMs).unref();
  }

  close(): void {
    clearTimeout(this.timer);
  }
}
