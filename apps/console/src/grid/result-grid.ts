import { h } from '../dom.ts';
import { gridWindow } from './grid-window.ts';
import { displayValue, isNumericType, type RowSource } from './row-source.ts';

const ROW_HEIGHT = 28;

export type SortOrder = { column: number; descending: boolean } | null;

/**
 * The results grid: fixed-height rows, only those in view (and a few around) in the DOM,
 * pages asked of the source as they come into view. Column headers show name and type and
 * sort on click; a click selects a cell, arrows move the selection, Ctrl/Cmd+C copies it.
 */
export class ResultGrid {
  readonly element: HTMLDivElement;
  private readonly head: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private widths: number[] = [];
  private selected: { row: number; column: number } | null = null;
  private frame = 0;
  private sort: SortOrder = null;
  /** Wide enough for the largest row number. */
  private rownumWidth = 56;

  constructor(
    private source: RowSource,
    private readonly onSort: (order: SortOrder) => void = () => {},
  ) {
    this.head = h('div', { class: 'grid-head', role: 'row' });
    this.body = h('div', { class: 'grid-rows', role: 'rowgroup' });
    this.element = h(
      'div',
      {
        class: 'grid',
        tabindex: 0,
        role: 'grid',
        'aria-label': 'Query results',
        onscroll: () => this.schedule(),
        onkeydown: (event: KeyboardEvent) => this.onKey(event),
      },
      this.head,
      this.body,
    );
    new ResizeObserver(() => this.schedule()).observe(this.element);
    this.body.addEventListener('click', (event) => {
      const cell = (event.target as HTMLElement).closest<HTMLElement>('[data-row]');
      if (!cell) return;
      this.select(Number(cell.dataset.row), Number(cell.dataset.col));
      this.element.focus({ preventScroll: true });
    });
    this.setSource(source, null);
  }

  setSource(source: RowSource, sort: SortOrder): void {
    this.source = source;
    this.sort = sort;
    this.selected = null;
    this.widths = this.measureWidths();
    this.rownumWidth = Math.max(48, String(source.totalRows).length * 8 + 20);
    this.renderHead();
    this.element.scrollTop = 0;
    this.schedule();
  }

  /** Draws again (a page arrived). */
  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  /** Column widths from the names, types and the first rows' values (monospace: characters × 7.6 px). */
  private measureWidths(): number[] {
    return this.source.columns.map((c, i) => {
      let chars = Math.max(c.name.length + 2, c.type.length);
      for (let r = 0; r < Math.min(200, this.source.totalRows); r++) {
        const v = this.source.row(r)?.[i];
        if (v !== undefined) chars = Math.max(chars, displayValue(v).length);
      }
      return Math.min(360, Math.max(72, Math.ceil(chars * 7.6) + 24));
    });
  }

  private renderHead(): void {
    const cells = this.source.columns.map((c, i) => {
      const arrow = this.sort?.column === i ? (this.sort.descending ? ' ↓' : ' ↑') : '';
      return h(
        'div',
        {
          class: 'cell',
          role: 'columnheader',
          style: `width:${this.widths[i]}px`,
          title: `${c.name} ${c.type} — click to sort`,
          'aria-sort': this.sort?.column === i ? (this.sort.descending ? 'descending' : 'ascending') : 'none',
          tabindex: 0,
          onclick: () => this.toggleSort(i),
          onkeydown: (e: KeyboardEvent) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              this.toggleSort(i);
            }
          },
        },
        h('span', { class: 'cname' }, c.name + arrow),
        h('span', { class: 'ctype' }, c.type),
      );
    });
    this.head.replaceChildren(
      h('div', { class: 'cell rownum', style: `width:${this.rownumWidth}px` }, '#'),
      ...cells,
    );
  }

  /** Unsorted → ascending → descending → unsorted. */
  private toggleSort(column: number): void {
    const next: SortOrder =
      this.sort?.column !== column
        ? { column, descending: false }
        : this.sort.descending
          ? null
          : { column, descending: true };
    // Shown at once, so that a second click before the sorted rows arrive goes on from it.
    this.sort = next;
    this.renderHead();
    this.onSort(next);
  }

  private render(): void {
    const viewportHeight = this.element.clientHeight - this.head.offsetHeight;
    const window = gridWindow({
      rowCount: this.source.totalRows,
      rowHeight: ROW_HEIGHT,
      viewportHeight,
      scrollTop: this.element.scrollTop,
    });
    this.body.style.height = `${window.totalHeight}px`;
    const numeric = this.source.columns.map((c) => isNumericType(c.type));
    const rows: HTMLElement[] = [];
    let missing = false;
    for (let r = window.first; r <= window.last; r++) {
      const values = this.source.row(r);
      if (!values) missing = true;
      const cells: HTMLElement[] = [
        h('div', { class: 'cell rownum', style: `width:${this.rownumWidth}px` }, String(r + 1)),
      ];
      for (let c = 0; c < this.widths.length; c++) {
        const value = values?.[c];
        const isNull = values !== undefined && (value === null || value === undefined);
        const selected = this.selected?.row === r && this.selected.column === c;
        cells.push(
          h(
            'div',
            {
              class: `cell${numeric[c] ? ' num' : ''}${isNull ? ' null' : ''}${values ? '' : ' loading'}${selected ? ' selected' : ''}`,
              role: 'gridcell',
              style: `width:${this.widths[c]}px`,
              dataset: { row: String(r), col: String(c) },
            },
            values ? displayValue(value) : '…',
          ),
        );
      }
      rows.push(
        h(
          'div',
          {
            class: r % 2 ? 'grid-row odd' : 'grid-row',
            role: 'row',
            style: `top:${window.top + (r - window.first) * ROW_HEIGHT}px`,
          },
          ...cells,
        ),
      );
    }
    this.body.replaceChildren(...rows);
    if (missing)
      void this.source.ensure(window.first, window.last).then(
        () => this.schedule(),
        () => {},
      );
  }

  /** The selected cell's value, for copying. */
  selectedText(): string | null {
    if (!this.selected) return null;
    const values = this.source.row(this.selected.row);
    return values ? displayValue(values[this.selected.column]) : null;
  }

  select(row: number, column: number): void {
    this.selected = {
      row: Math.max(0, Math.min(this.source.totalRows - 1, row)),
      column: Math.max(0, Math.min(this.widths.length - 1, column)),
    };
    // Keep it in view.
    const top = this.selected.row * ROW_HEIGHT;
    const view = this.element.clientHeight - this.head.offsetHeight;
    if (this.source.totalRows * ROW_HEIGHT <= 8_000_000) {
      if (top < this.element.scrollTop) this.element.scrollTop = top;
      else if (top + ROW_HEIGHT > this.element.scrollTop + view)
        this.element.scrollTop = top + ROW_HEIGHT - view;
    }
    this.schedule();
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.selected) return;
    const { row, column } = this.selected;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageDown: [20, 0],
      PageUp: [-20, 0],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      this.select(row + move[0], column + move[1]);
    } else if ((event.ctrlKey || event.metaKey) && event.key === 'c') {
      const text = this.selectedText();
      if (text !== null) {
        event.preventDefault();
        void navigator.clipboard?.writeText(text).catch(() => {});
      }
    }
  }
}
