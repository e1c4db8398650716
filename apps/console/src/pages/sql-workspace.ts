import type { EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { ApiError, api } from '../api/api-client.ts';
import { followJob, type JobProgress } from '../api/job-events.ts';
import { h, icon, ICONS } from '../dom.ts';
import {
  editorExtensions,
  insertAtCursor,
  newEditorState,
  replaceRange,
  showError,
} from '../editor/sql-editor.ts';
import { errorRange, statementAt, type TextRange } from '../editor/sql-ranges.ts';
import { COPY_ROWS, ResultGrid, type SortOrder } from '../grid/result-grid.ts';
import {
  MemoryRows,
  compareValues,
  displayValue,
  isNumericType,
  type RowSource,
} from '../grid/row-source.ts';
import { DOWNLOAD_FORMATS, allRows, downloadResult, jobPager } from '../results/job-results.ts';
import type { ResultPager } from '../results/result-pager.ts';
import { session } from '../session.ts';
import { CatalogTree } from './catalog-tree.ts';
import { sqlPath } from './catalog-data.ts';
import { saveViewDialog } from './save-view-dialog.ts';
import { toast } from './toast.ts';

/** Results up to this many rows are sorted in the grid; larger ones by a query with ORDER BY. */
const SORT_IN_GRID_ROWS = 20_000;
const TABS_KEY = 'tributary.tabs';

interface Run {
  jobId: string | null;
  sql: string;
  state: string;
  startedAt: number;
  finishedMs?: number;
  progress?: JobProgress;
  pager?: ResultPager;
  source?: RowSource;
  sort: SortOrder;
  /** All rows of a small result, read once for sorting in the grid. */
  allRows?: readonly (readonly unknown[])[];
  error?: { code: string; message: string; range?: TextRange; suggestions?: string[] };
  controller: AbortController;
}

interface Tab {
  id: number;
  title: string;
  state: EditorState;
  run?: Run;
  view: 'grid' | 'chart' | 'history';
}

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELED']);

/**
 * The SQL workspace: the catalog tree, tabs of editors, Run/Cancel, a live progress bar,
 * errors underlined in place, and the current tab's result as a grid, a chart or the
 * history of the user's queries.
 */
export class SqlWorkspace {
  readonly element: HTMLElement;
  private readonly view: EditorView;
  private readonly tabs: Tab[] = [];
  private current!: Tab;
  private nextId = 1;
  private readonly tabList = h('div', { class: 'tab-list', role: 'tablist', 'aria-label': 'Queries' });
  private readonly editorPanel = h('div', { class: 'editor-wrap', role: 'tabpanel', id: 'editor-panel' });
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly errorSlot = h('div');
  private readonly resultsHead = h('div', { class: 'results-head' });
  private readonly resultsBody = h('div', { class: 'results-body', role: 'tabpanel', id: 'results-panel' });
  private readonly catalog: CatalogTree;
  private grid: ResultGrid | undefined;
  private ticker = 0;
  private loadedCatalog = false;
  private sortRequests = 0;

  constructor() {
    const extensions = editorExtensions(
      () => void this.run(),
      () => this.saveTabs(),
    );
    this.extensions = extensions;
    this.view = new EditorView({ state: newEditorState('', extensions) });
    this.catalog = new CatalogTree({
      insert: (text) => insertAtCursor(this.view, text),
      preview: (path) => {
        this.newTab(`SELECT *\nFROM ${sqlPath(path)}\nLIMIT 100`, path[path.length - 1]);
        void this.run();
      },
    });
    this.runButton = h(
      'button',
      { class: 'btn primary', id: 'run', title: 'Run (Ctrl+Enter)', onclick: () => void this.run() },
      icon(ICONS.play),
      'Run',
      h('kbd', { style: 'background:transparent;color:white;border-color:#9bb8f5' }, 'Ctrl ↵'),
    );
    this.cancelButton = h(
      'button',
      { class: 'btn danger', id: 'cancel', disabled: true, onclick: () => void this.cancel() },
      icon(ICONS.stop),
      'Cancel',
    );
    const saveView = h(
      'button',
      {
        class: 'btn',
        title: "Save the editor's query as a view",
        onclick: () => saveViewDialog(this.view.state.doc.toString(), () => void this.catalog.reload()),
      },
      icon(ICONS.save),
      'Save as view',
    );
    this.editorPanel.append(this.view.dom);
    const newTab = h(
      'button',
      {
        class: 'btn small ghost',
        id: 'new-tab',
        title: 'New tab',
        'aria-label': 'New tab',
        onclick: () => this.newTab(),
      },
      icon(ICONS.plus),
    );
    this.element = h(
      'div',
      { class: 'workspace' },
      this.catalog.element,
      h(
        'section',
        { class: 'editor-area' },
        h('div', { class: 'tabs' }, this.tabList, newTab),
        this.editorPanel,
        h(
          'div',
          { class: 'sr-only', id: 'editor-keys' },
          'Ctrl+Enter runs the statement at the cursor or the selection. Escape, then Tab, leaves the editor.',
        ),
        h(
          'div',
          { class: 'toolbar' },
          this.runButton,
          this.cancelButton,
          this.status,
          h('div', { class: 'grow' }),
          saveView,
        ),
        this.errorSlot,
        h('section', { class: 'results', 'aria-label': 'Results' }, this.resultsHead, this.resultsBody),
      ),
    );
    this.restoreTabs();
  }

  private readonly extensions: ReturnType<typeof editorExtensions>;

  /** The page is shown: the catalog is read the first time (and the editor focused). */
  shown(): void {
    if (!this.loadedCatalog) {
      this.loadedCatalog = true;
      void this.catalog.reload();
    }
    this.view.requestMeasure();
    this.view.focus();
  }

  reloadCatalog(): void {
    if (this.loadedCatalog) void this.catalog.reload();
  }

  // Tabs

  private restoreTabs(): void {
    let saved: { title: string; sql: string }[] = [];
    try {
      saved = JSON.parse(localStorage.getItem(TABS_KEY) ?? '[]') as { title: string; sql: string }[];
    } catch {
      saved = [];
    }
    if (saved.length === 0) saved = [{ title: 'Query 1', sql: '' }];
    for (const t of saved) this.addTab(t.sql, t.title);
    this.select(this.tabs[0]);
  }

  private saveTabs(): void {
    if (this.current) this.current.state = this.view.state;
    localStorage.setItem(
      TABS_KEY,
      JSON.stringify(this.tabs.map((t) => ({ title: t.title, sql: t.state.doc.toString() }))),
    );
  }

  private addTab(sql: string, title?: string): Tab {
    const id = this.nextId++;
    const tab: Tab = {
      id,
      title: title ?? `Query ${id}`,
      state: newEditorState(sql, this.extensions),
      view: 'grid',
    };
    this.tabs.push(tab);
    return tab;
  }

  newTab(sql = '', title?: string): void {
    this.select(this.addTab(sql, title));
    this.saveTabs();
  }

  private closeTab(tab: Tab): void {
    tab.run?.controller.abort();
    tab.run?.pager?.close();
    const i = this.tabs.indexOf(tab);
    this.tabs.splice(i, 1);
    if (this.tabs.length === 0) this.addTab('');
    if (tab === this.current) this.select(this.tabs[Math.max(0, i - 1)]);
    else this.renderTabs();
    this.saveTabs();
  }

  /** Shows a tab; the editor gets the focus unless the keyboard is moving along the tabs. */
  private select(tab: Tab, focusEditor = true): void {
    if (this.current && this.current !== tab) this.current.state = this.view.state;
    this.current = tab;
    this.view.setState(tab.state);
    this.renderTabs();
    this.renderRun();
    if (focusEditor) this.view.focus();
  }

  private renderTabs(): void {
    const focused = this.tabList.contains(document.activeElement);
    const tabs = this.tabs.map((tab) => {
      const selected = tab === this.current;
      return h(
        'div',
        {
          class: selected ? 'tab active' : 'tab',
          role: 'tab',
          id: `query-tab-${tab.id}`,
          tabindex: selected ? 0 : -1,
          'aria-selected': String(selected),
          'aria-controls': 'editor-panel',
          'aria-keyshortcuts': 'Delete',
          title: `${tab.title} (Delete closes it)`,
          onclick: () => this.select(tab),
          onkeydown: (e: KeyboardEvent) => this.onTabKey(e, tab),
        },
        tab.run && !FINAL.has(tab.run.state)
          ? h('span', { class: 'badge RUNNING', 'aria-label': 'running' }, '●')
          : null,
        h('span', { class: 'title' }, tab.title),
        // For the mouse; the keyboard closes a tab with Delete (a button inside a tab would be lost to screen readers).
        h(
          'span',
          {
            class: 'close',
            'aria-hidden': 'true',
            title: `Close ${tab.title}`,
            onclick: (e: Event) => (e.stopPropagation(), this.closeTab(tab)),
          },
          icon(ICONS.close),
        ),
      );
    });
    this.tabList.replaceChildren(...tabs);
    this.editorPanel.setAttribute('aria-labelledby', `query-tab-${this.current.id}`);
    if (focused) this.tabList.querySelector<HTMLElement>('[aria-selected=true]')?.focus();
  }

  /** The tab list's keys (WAI-ARIA tabs): arrows, Home and End move and select, Delete closes. */
  private onTabKey(e: KeyboardEvent, tab: Tab): void {
    const i = this.tabs.indexOf(tab);
    const to =
      e.key === 'ArrowRight'
        ? this.tabs[(i + 1) % this.tabs.length]
        : e.key === 'ArrowLeft'
          ? this.tabs[(i - 1 + this.tabs.length) % this.tabs.length]
          : e.key === 'Home'
            ? this.tabs[0]
            : e.key === 'End'
              ? this.tabs[this.tabs.length - 1]
              : e.key === 'Enter' || e.key === ' '
                ? tab
                : null;
    if (to) {
      e.preventDefault();
      this.select(to, false);
      this.tabList.querySelector<HTMLElement>(`#query-tab-${to.id}`)?.focus();
    } else if (e.key === 'Delete') {
      e.preventDefault();
      this.closeTab(tab);
      this.tabList.querySelector<HTMLElement>('[aria-selected=true]')?.focus();
    }
  }

  // Running

  /** Runs the selection, or else the statement at the cursor, as a job of the current tab. */
  async run(sqlOverride?: string): Promise<void> {
    const tab = this.current;
    if (tab.run && !FINAL.has(tab.run.state)) return;
    const doc = this.view.state.doc.toString();
    const selection = this.view.state.selection.main;
    const range = sqlOverride
      ? null
      : selection.empty
        ? statementAt(doc, selection.head)
        : { from: selection.from, to: selection.to };
    const sql = sqlOverride ?? doc.slice(range!.from, range!.to);
    if (sql.trim() === '') return;
    showError(this.view, null);
    tab.run?.pager?.close();
    const run: Run = {
      jobId: null,
      sql,
      state: 'SUBMITTING',
      startedAt: performance.now(),
      sort: null,
      controller: new AbortController(),
    };
    tab.run = run;
    tab.view = tab.view === 'history' ? 'grid' : tab.view;
    this.renderRun();
    this.startTicker();
    try {
      const submitted = await api<{ id: string }>('POST', '/api/v1/jobs', { sql });
      run.jobId = submitted.id;
      run.state = 'PLANNING';
      this.renderRunIf(tab);
      const end = await followJob(
        submitted.id,
        {
          onState: (state) => {
            run.state = state;
            this.renderStatusIf(tab);
          },
          onProgress: (progress) => {
            run.progress = progress;
            this.renderStatusIf(tab);
          },
        },
        run.controller.signal,
      );
      run.state = end.state;
      run.finishedMs = performance.now() - run.startedAt;
      if (end.state === 'COMPLETED') {
        const pager = jobPager(submitted.id, () => this.grid?.schedule());
        await pager.open();
        run.pager = pager;
        run.source = pager;
      } else if (end.state === 'FAILED') {
        const where =
          end.errorLine !== undefined && range
            ? errorRange(this.docOf(tab), range.from, end.errorLine, end.errorColumn ?? 1)
            : undefined;
        run.error = {
          code: end.errorCode ?? 'FAILED',
          message: end.errorMessage ?? 'the query failed',
          ...(where ? { range: where } : {}),
          ...(end.suggestions?.length ? { suggestions: end.suggestions } : {}),
        };
      } else if (end.state === 'CANCELED') {
        run.error = {
          code: end.errorCode ?? 'QUERY_CANCELLED',
          message: end.errorMessage ?? 'the query was canceled',
        };
      }
    } catch (error) {
      run.state = 'FAILED';
      run.finishedMs = performance.now() - run.startedAt;
      const body = error instanceof ApiError ? error.body : { code: 'ERROR', message: String(error) };
      const where =
        body.line !== undefined && range
          ? errorRange(this.docOf(tab), range.from, body.line, body.column ?? 1)
          : undefined;
      run.error = {
        code: body.code,
        message: body.message,
        ...(where ? { range: where } : {}),
        ...(body.suggestions?.length ? { suggestions: body.suggestions } : {}),
      };
    }
    this.renderRunIf(tab);
    this.renderTabs();
  }

  private docOf(tab: Tab): string {
    return tab === this.current ? this.view.state.doc.toString() : tab.state.doc.toString();
  }

  async cancel(): Promise<void> {
    const run = this.current.run;
    if (!run?.jobId || FINAL.has(run.state)) return;
    this.cancelButton.disabled = true;
    await api('POST', `/api/v1/jobs/${encodeURIComponent(run.jobId)}/cancel`).catch((e: unknown) =>
      toast(String(e)),
    );
  }

  private startTicker(): void {
    if (this.ticker) return;
    this.ticker = window.setInterval(() => {
      const run = this.current.run;
      if (run && !FINAL.has(run.state)) this.renderStatus();
      if (!this.tabs.some((t) => t.run && !FINAL.has(t.run.state))) {
        clearInterval(this.ticker);
        this.ticker = 0;
      }
    }, 100);
  }

  private renderRunIf(tab: Tab): void {
    if (tab === this.current) this.renderRun();
  }

  private renderStatusIf(tab: Tab): void {
    if (tab === this.current) this.renderStatus();
  }

  /**
   * The status line's parts stay the same elements and only their text changes: it is
   * redrawn ten times a second while a query runs, and a link replaced under the pointer
   * would swallow the click.
   */
  private readonly statusParts = {
    ready: h('span', null, 'Ready'),
    state: h('span', { class: 'badge', id: 'run-state' }),
    bar: h('div', { style: 'width:3%' }),
    progress: h('div', {
      class: 'progress',
      role: 'progressbar',
      'aria-valuemin': '0',
      'aria-valuemax': '100',
    }),
    tasks: h('span'),
    rows: h('span', { id: 'run-rows' }),
    time: h('span'),
    link: h('a', { id: 'job-link' }),
  };

  private renderStatus(): void {
    const run = this.current.run;
    const running = run !== undefined && !FINAL.has(run.state);
    this.runButton.disabled = running;
    this.cancelButton.disabled = !running || !run?.jobId;
    const parts = this.statusParts;
    if (!run) {
      this.status.replaceChildren(parts.ready);
      return;
    }
    if (parts.progress.firstChild !== parts.bar) parts.progress.append(parts.bar);
    const ms = run.finishedMs ?? performance.now() - run.startedAt;
    parts.time.textContent = ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
    parts.state.className = `badge ${run.state}`;
    parts.state.textContent = run.state;
    const shown: HTMLElement[] = [parts.state];
    if (running) {
      const p = run.progress;
      const fraction = p && p.tasksTotal > 0 ? p.tasksDone / p.tasksTotal : 0;
      parts.progress.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
      parts.bar.style.width = `${Math.max(3, fraction * 100)}%`;
      parts.tasks.textContent = p
        ? `${p.tasksDone}/${p.tasksTotal} tasks · ${p.rows.toLocaleString()} rows`
        : '';
      shown.push(parts.progress, parts.tasks);
    } else if (run.source) {
      parts.rows.textContent = `${run.source.totalRows.toLocaleString()} rows`;
      shown.push(parts.rows);
    }
    shown.push(parts.time);
    if (run.jobId) {
      parts.link.setAttribute('href', `/jobs/${run.jobId}`);
      parts.link.textContent = `Job ${run.jobId.slice(0, 8)}`;
      shown.push(parts.link);
    }
    // Only when the set of parts changes are they put in again.
    const current = [...this.status.children];
    if (current.length !== shown.length || current.some((c, k) => c !== shown[k]))
      this.status.replaceChildren(...shown);
  }

  private renderRun(): void {
    this.renderStatus();
    const tab = this.current;
    const run = tab.run;
    // The error, in place: underlined in the editor, with the message and any "did you mean" below it.
    this.errorSlot.replaceChildren();
    if (run?.error && run.state !== 'CANCELED') {
      const error = run.error;
      if (error.range) showError(this.view, error.range);
      const position = error.range ? this.view.state.doc.lineAt(error.range.from) : null;
      this.errorSlot.append(
        h(
          'div',
          { class: 'error-box sql-error', role: 'alert', id: 'sql-error' },
          h(
            'div',
            null,
            h('strong', null, error.code),
            position
              ? h(
                  'span',
                  { class: 'where' },
                  `  line ${position.number}, column ${error.range!.from - position.from + 1}`,
                )
              : null,
            h('div', null, error.message),
            error.suggestions && error.range
              ? h(
                  'div',
                  { class: 'suggest' },
                  'Did you mean',
                  ...error.suggestions.slice(0, 4).map((s) =>
                    h(
                      'button',
                      {
                        class: 'btn small',
                        onclick: () => {
                          replaceRange(this.view, error.range!, s);
                          run.error = undefined;
                          this.renderRun();
                          this.view.focus();
                        },
                      },
                      s,
                    ),
                  ),
                  '?',
                )
              : null,
          ),
        ),
      );
    }
    this.renderResults();
  }

  // Results

  private renderResults(): void {
    const tab = this.current;
    const run = tab.run;
    const views: { key: Tab['view']; label: string; icon: string }[] = [
      { key: 'grid', label: 'Results', icon: ICONS.grid },
      { key: 'chart', label: 'Chart', icon: ICONS.chart },
      { key: 'history', label: 'History', icon: ICONS.history },
    ];
    const show = (key: Tab['view']) => {
      tab.view = key;
      this.renderResults();
      this.resultsHead.querySelector<HTMLElement>(`[data-view=${key}]`)?.focus();
    };
    const seg = h(
      'div',
      { class: 'seg', role: 'tablist', 'aria-label': 'Result views' },
      ...views.map((v, i) =>
        h(
          'button',
          {
            class: tab.view === v.key ? 'on' : '',
            role: 'tab',
            id: `result-view-${v.key}`,
            tabindex: tab.view === v.key ? 0 : -1,
            'aria-selected': String(tab.view === v.key),
            'aria-controls': 'results-panel',
            dataset: { view: v.key },
            onclick: () => show(v.key),
            onkeydown: (e: KeyboardEvent) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              e.preventDefault();
              show(views[(i + step + views.length) % views.length].key);
            },
          },
          icon(v.icon),
          v.label,
        ),
      ),
    );
    this.resultsBody.setAttribute('aria-labelledby', `result-view-${tab.view}`);
    const done = run?.state === 'COMPLETED' && run.jobId && run.source;
    const downloads = done
      ? DOWNLOAD_FORMATS.map((f) =>
          h(
            'button',
            {
              class: 'btn small',
              dataset: { download: f.format },
              title: `Download the whole result as ${f.label}`,
              onclick: () => void downloadResult(run.jobId!, f).catch((e: unknown) => toast(String(e))),
            },
            icon(ICONS.download),
            f.label,
          ),
        )
      : [];
    const copy = done
      ? h(
          'button',
          {
            class: 'btn small',
            id: 'copy-result',
            title: 'Copy the selected cells or rows, or else the whole result, as tab-separated text',
            onclick: () => void this.copy(),
          },
          icon(ICONS.copy),
          'Copy',
        )
      : null;
    this.resultsHead.replaceChildren(seg, h('div', { style: 'flex:1' }), copy ?? '', ...downloads);

    if (tab.view === 'history') {
      this.resultsBody.replaceChildren(this.historyView());
      return;
    }
    if (!run || !run.source) {
      this.grid = undefined;
      const message = !run
        ? h(
            'div',
            { class: 'empty' },
            h('h3', null, 'Run a query'),
            'Write SQL above and press ',
            h('kbd', null, 'Ctrl'),
            ' + ',
            h('kbd', null, 'Enter'),
            '.',
          )
        : FINAL.has(run.state)
          ? h('div', { class: 'empty' }, run.state === 'CANCELED' ? 'The query was canceled.' : 'No result.')
          : h('div', { class: 'empty' }, 'Running…');
      this.resultsBody.replaceChildren(message);
      return;
    }
    if (tab.view === 'chart') {
      this.grid = undefined;
      const holder = h('div', { class: 'empty' }, 'Loading the chart…');
      this.resultsBody.replaceChildren(holder);
      void this.chart(run).then((chart) => {
        if (this.current === tab && tab.view === 'chart') this.resultsBody.replaceChildren(chart);
      });
      return;
    }
    if (!this.grid)
      this.grid = new ResultGrid(
        run.source,
        // The grid outlives a tab switch: it sorts the tab shown now.
        (order) => void this.sortBy(this.current, order),
        (message) => toast(message),
      );
    // Put in again only when it is not there: moving it would take the focus from it (a sort from the keyboard).
    if (this.resultsBody.childNodes.length !== 1 || this.resultsBody.firstChild !== this.grid.element)
      this.resultsBody.replaceChildren(this.grid.element);
    this.grid.setSource(run.source, run.sort);
  }

  /** The chart's code (Observable Plot) is a chunk of its own, loaded when a chart is first drawn. */
  private async chart(run: Run): Promise<HTMLElement> {
    const { chartView, CHART_ROWS } = await import('../chart/chart-view.ts');
    const source = run.source!;
    await source.ensure(0, Math.min(source.totalRows, CHART_ROWS) - 1);
    const rows: (readonly unknown[])[] = [];
    for (let i = 0; i < Math.min(source.totalRows, CHART_ROWS); i++) {
      const row = source.row(i);
      if (row) rows.push(row);
    }
    return chartView(source.columns, rows);
  }

  private async sortBy(tab: Tab, order: SortOrder): Promise<void> {
    const run = tab.run;
    if (!run?.jobId || !run.pager) return;
    const pager = run.pager;
    if (pager.totalRows > SORT_IN_GRID_ROWS) {
      // Too many rows to hold: the service sorts them (a query of its own, in this tab).
      if (!order) return;
      const name = pager.columns[order.column].name;
      await this.run(
        `SELECT * FROM (\n${run.sql}\n) AS sorted ORDER BY "${name.replace(/"/g, '""')}"${order.descending ? ' DESC' : ''}`,
      );
      return;
    }
    run.sort = order;
    const asked = ++this.sortRequests;
    let source: RowSource = pager;
    if (order) {
      run.allRows ??= (await allRows(run.jobId, pager.totalRows)).rows;
      const numeric = isNumericType(pager.columns[order.column].type);
      const sorted = [...run.allRows].sort(
        (a, b) => compareValues(a[order.column], b[order.column], numeric) * (order.descending ? -1 : 1),
      );
      source = new MemoryRows(pager.columns, sorted);
    }
    // A later click has asked for another order meanwhile: it wins.
    if (asked !== this.sortRequests) return;
    run.source = source;
    if (tab === this.current) this.renderResults();
  }

  /** The Copy button: the grid's selection, or else the result (its first COPY_ROWS rows) with a header line. */
  private async copy(): Promise<void> {
    try {
      if (await this.grid?.copy()) return;
      const source = this.current.run?.source;
      if (!source) return;
      const n = Math.min(source.totalRows, COPY_ROWS);
      if (n > 0) await source.ensure(0, n - 1);
      const lines = [source.columns.map((c) => c.name).join('\t')];
      for (let i = 0; i < n; i++)
        lines.push(
          (source.row(i) ?? [])
            .map((v) => (v === null || v === undefined ? '' : displayValue(v).replace(/[\t\r\n]+/g, ' ')))
            .join('\t'),
        );
      await navigator.clipboard.writeText(lines.join('\n'));
      toast(`Copied ${n.toLocaleString()} rows with their header`);
    } catch (e) {
      toast(`Could not copy: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private historyView(): HTMLElement {
    const list = h('div', { class: 'history', role: 'list' }, h('div', { class: 'empty' }, 'Loading…'));
    const query = new URLSearchParams({ limit: '100' });
    if (session.user) query.set('user', session.user);
    void api<{
      jobs: { id: string; sql: string; state: string; submittedAt: string; rowCount: number | null }[];
    }>('GET', `/api/v1/jobs?${query}`).then(
      ({ jobs }) => {
        if (jobs.length === 0) list.replaceChildren(h('div', { class: 'empty' }, 'No queries yet.'));
        else
          list.replaceChildren(
            ...jobs.map((job) =>
              h(
                'div',
                {
                  class: 'history-item',
                  role: 'listitem',
                  tabindex: 0,
                  title: 'Open in a new tab',
                  onclick: () => this.newTab(job.sql),
                  onkeydown: (e: KeyboardEvent) => e.key === 'Enter' && this.newTab(job.sql),
                },
                h('span', { class: `badge ${job.state}` }, job.state),
                h('code', null, job.sql.replace(/\s+/g, ' ')),
                h('span', { class: 'muted' }, new Date(job.submittedAt).toLocaleString()),
              ),
            ),
          );
      },
      (e: unknown) => list.replaceChildren(h('div', { class: 'empty' }, String(e))),
    );
    return list;
  }
}
