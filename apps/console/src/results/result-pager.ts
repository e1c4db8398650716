export interface ResultColumn {
  readonly name: string;
  readonly type: string;
}

/** One page of a job's results as GET /api/v1/jobs/:id/results answers it (JSON). */
export interface FetchedPage {
  readonly columns: readonly ResultColumn[];
  readonly rows: readonly (readonly unknown[])[];
  readonly totalRows: number;
}

export type FetchPage = (offset: number, limit: number, signal: AbortSignal) => Promise<FetchedPage>;

/**
 * A window onto a job's spooled rows: pages are fetched as the grid needs them and only the
 * pages near what was last asked for stay in memory (the farthest go first), so a million
 * rows scroll in constant memory. A page asked for twice while it loads is fetched once;
 * pages no longer wanted by the time they are scheduled are skipped.
 */
export class ResultPager {
  columns: readonly ResultColumn[] = [];
  totalRows = 0;
  private readonly pages = new Map<number, readonly (readonly unknown[])[]>();
  private readonly loading = new Map<number, Promise<void>>();
  private readonly controller = new AbortController();
  private wanted: { first: number; last: number } = { first: 0, last: 0 };
  /** Pages fetched over the pager's life (tests and the status line). */
  fetchedPages = 0;

  constructor(
    private readonly fetchPage: FetchPage,
    readonly pageSize = 500,
    private readonly maxPages = 24,
    private readonly onLoad: () => void = () => {},
  ) {}

  /** Reads the first page: the columns and the row count. */
  async open(): Promise<void> {
    const page = await this.fetchPage(0, this.pageSize, this.controller.signal);
    this.columns = page.columns;
    this.totalRows = page.totalRows;
    this.pages.set(0, page.rows);
    this.fetchedPages++;
  }

  /** The row, when its page is loaded. */
  row(index: number): readonly unknown[] | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  loadedPages(): number[] {
    return [...this.pages.keys()].sort((a, b) => a - b);
  }

  /** Loads the pages holding rows first..last, evicting the pages farthest from them. */
  async ensure(first: number, last: number): Promise<void> {
    if (this.totalRows === 0 || last < first) return;
    this.wanted = { first, last };
    const firstPage = Math.floor(Math.max(0, first) / this.pageSize);
    const lastPage = Math.floor(Math.min(this.totalRows - 1, last) / this.pageSize);
    const loads: Promise<void>[] = [];
    for (let page = firstPage; page <= lastPage; page++) {
      if (this.pages.has(page)) continue;
      loads.push(this.loading.get(page) ?? this.load(page));
    }
    await Promise.all(loads);
  }

  /** Stops loading: a pager that is replaced (a new query) fetches nothing more. */
  close(): void {
    this.controller.abort();
  }

  private load(page: number): Promise<void> {
    const done = (async () => {
      try {
        // Scrolled far away meanwhile: not worth fetching.
        if (!this.isNear(page)) return;
        const fetched = await this.fetchPage(page * this.pageSize, this.pageSize, this.controller.signal);
        this.fetchedPages++;
        this.pages.set(page, fetched.rows);
        this.evict();
        this.onLoad();
      } finally {
        this.loading.delete(page);
      }
    })();
    this.loading.set(page, done);
    return done;
  }

  private isNear(page: number): boolean {
    const center = (this.wanted.first + this.wanted.last) / 2 / this.pageSize;
    return Math.abs(page - center) <= this.maxPages / 2;
  }

  private evict(): void {
    if (this.pages.size <= this.maxPages) return;
    const center = (this.wanted.first + this.wanted.last) / 2 / this.pageSize;
    const byDistance = [...this.pages.keys()].sort((a, b) => Math.abs(b - center) - Math.abs(a - center));
    for (const page of byDistance.slice(0, this.pages.size - this.maxPages)) this.pages.delete(page);
  }
}
