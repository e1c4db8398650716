/** What the background refresher needs of the sources. */
export interface RefreshableSources {
  names(): string[];
  /** Refreshes the source unless nothing it reads changed (SourceService.refreshIfChanged). */
  refreshIfChanged(name: string): Promise<unknown>;
}

/**
 * Refreshes every source's metadata in the background, every `intervalMs` after the previous
 * round ended (a timer set when a round ends, never an interval, so rounds never overlap or
 * stack up behind a slow source). Sources are refreshed one after another; discovery runs on
 * the planner threads, so the event loop only waits. A failed refresh is logged and the
 * source keeps its old metadata (SourceService.refresh writes nothing on error).
 */
export class SourceRefresher {
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly sources: RefreshableSources,
    private readonly intervalMs: number,
    private readonly log: (message: string) => void,
  ) {}

  /** Starts the rounds; an interval of 0 leaves background refresh off. */
  start(): void {
    if (this.intervalMs <= 0 || this.stopped) return;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.round = this.refreshAll().finally(() => {
        this.round = undefined;
        this.schedule();
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  /** One round: each source in turn; returns when all are done, failures logged. */
  async refreshAll(): Promise<void> {
    for (const name of this.sources.names()) {
      if (this.stopped) return;
      try {
        await this.sources.refreshIfChanged(name);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        this.log(
          `background refresh of source "${name}" failed (${typeof code === 'string' ? code : 'error'}), ` +
            `its metadata is kept: ${(error as Error).message}`,
        );
      }
    }
  }

  /**
   * Stops scheduling; a round under way stops before its next source. Not awaited at shutdown:
   * the planner threads a refresh waits on are torn down, and a refresh that then fails has
   * written nothing.
   */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The round under way, if any (tests). */
  get running(): Promise<void> | undefined {
    return this.round;
  }
}
