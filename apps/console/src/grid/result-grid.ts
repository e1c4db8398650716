import { h } from '../dom.ts';
import { gridWindow } from './grid-window.ts';
import { displayValue, isNumericType, type RowSource } from './row-source.ts';

const ROW_HEIGHT = 28;
/** The most rows one copy puts on the clipboard. */
export const COPY_ROWS = 10_000;

export type SortOrder = { column: number; descending: boolean } | null;

/**
 * The results grid: fixed-height rows, only those in view (and a few around) in the DOM,
 * pages asked of the source as they come into view. Column headers show name and type and
 * sort on click. A click selects a cell, Shift+click a rectangle of cells, a row number its
 * row (Shift: rows); the keyboard does the same (onKey) and Ctrl/Cmd+C copies the selection.
 */
export class ResultGrid {
  readonly element: HTMLDivElement;
  private readonly head: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private widths: number[] = [];
  /** The focused cell (row -1: the header) and where the selection started. */
  private focusCell: { row: number; column: number } | null = null;
  private anchor: { row: number; column: number } | null = null;
  /** The selection is of whole rows (row numbers clicked, Shift+Space). */
  private wholeRows = false;
  private frame = 0;
  private sort: SortOrder = null;
  /** Wide enough for the largest row number. */
  private rownumWidth = 56;

  constructor(
    private source: RowSource,
    private readonly onSort: (order: SortOrder) => void = () => {},
    private readonly onCopied: (message: string) => void = () => {},
  ) {
    this.head = h('div', { class: 'grid-head', role: 'row', 'aria-rowindex': '1' });
    this.body = h('div', { class: 'grid-rows', role: 'rowgroup' });
    this.element = h(
      'div',
      {
        class: 'grid',
        tabindex: 0,
        role: 'grid',
        'aria-label': 'Query results',
        'aria-multiselectable': 'true',
        onscroll: () => this.schedule(),
        onkeydown: (event: KeyboardEvent) => this.onKey(event),
        // Tabbing in lands on a cell: the first one when nothing was selected.
        onfocus: (event: FocusEvent) => {
          // (Not for a click: the click selects, and drawing the header anew under it would lose it.)
          if (
            event.target === this.element &&
            !this.focusCell &&
            this.source.totalRows > 0 &&
            this.element.matches(':focus-visible')
          )
            this.select(0, 0);
        },
      },
      this.head,
      this.body,
    );
    new ResizeObserver(() => this.schedule()).observe(this.element);
    this.body.addEventListener('mousedown', (event) => {
      // Shift+click extends the selection rather than selecting text.
      if (event.shiftKey) event.preventDefault();
    });
    this.body.addEventListener('click', (event) => {
      const target = event.target as HTMLElement;
      const cell = target.closest<HTMLElement>('[data-row]');
      const rownum = target.closest<HTMLElement>('[data-rownum]');
      if (cell) this.select(Number(cell.dataset.row), Number(cell.dataset.col), event.shiftKey);
      else if (rownum) this.select(Number(rownum.dataset.rownum), 0, event.shiftKey, true);
      else return;
      this.element.focus({ preventScroll: true });
    });
    this.setSource(source, null);
  }

  setSource(source: RowSource, sort: SortOrder): void {
    // The same result in another order (a sort) keeps the focused cell, which may be a header
    // cell the keyboard sorts from; another result starts afresh.
    const sameResult = source.columns === this.source.columns && source.totalRows === this.source.totalRows;
    this.source = source;
    this.sort = sort;
    if (!sameResult || (this.focusCell && this.focusCell.row >= source.totalRows)) {
      this.focusCell = null;
      this.anchor = null;
      this.wholeRows = false;
    }
    this.widths = this.measureWidths();
    this.rownumWidth = Math.max(48, String(source.totalRows).length * 8 + 20);
    this.element.setAttribute('aria-rowcount', String(source.totalRows + 1));
    this.element.setAttribute('aria-colcount', String(source.columns.length + 1));
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
    const focused = this.focusCell?.row === -1 ? this.focusCell.column : -1;
    const cells = this.source.columns.map((c, i) => {
      const arrow = this.sort?.column === i ? (this.sort.descending ? ' ↓' : ' ↑') : '';
      return h(
        'div',
        {
          class: i === focused ? 'cell selected' : 'cell',
          role: 'columnheader',
          id: `grid-col-${i}`,
          'aria-colindex': String(i + 2),
          style: `width:${this.widths[i]}px`,
          title: `${c.name} ${c.type} — click to sort`,
          'aria-sort': this.sort?.column === i ? (this.sort.descending ? 'descending' : 'ascending') : 'none',
          onclick: () => {
            this.select(-1, i);
            this.element.focus({ preventScroll: true });
            this.toggleSort(i);
          },
        },
        h('span', { class: 'cname' }, c.name + arrow),
        h('span', { class: 'ctype' }, c.type),
      );
    });
    this.head.replaceChildren(
      h(
        'div',
        {
          class: 'cell rownum',
          role: 'columnheader',
          'aria-colindex': '1',
          'aria-label': 'Row number',
          style: `width:${this.rownumWidth}px`,
        },
        '#',
      ),
      ...cells,
    );
    this.activeDescendant();
  }

  /** Points the grid's aria-activedescendant at the focused cell, while that cell is drawn. */
  private activeDescendant(): void {
    const cell = this.focusCell;
    const id = !cell
      ? null
      : cell.row < 0
        ? `grid-col-${cell.column}`
        : `grid-cell-${cell.row}-${cell.column}`;
    if (id && this.element.querySelector(`#${id}`)) this.element.setAttribute('aria-activedescendant', id);
    else this.element.removeAttribute('aria-activedescendant');
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
    const range = this.selection();
    const focus = this.focusCell;
    const rows: HTMLElement[] = [];
    let missing = false;
    for (let r = window.first; r <= window.last; r++) {
      const values = this.source.row(r);
      if (!values) missing = true;
      const rowSelected = range !== null && r >= range.rows[0] && r <= range.rows[1];
      const cells: HTMLElement[] = [
        h(
          'div',
          {
            class: rowSelected && this.wholeRows ? 'cell rownum in-range' : 'cell rownum',
            role: 'rowheader',
            'aria-colindex': '1',
            style: `width:${this.rownumWidth}px`,
            title: 'Select the row (Shift: the rows to here)',
            dataset: { rownum: String(r) },
          },
          String(r + 1),
        ),
      ];
      for (let c = 0; c < this.widths.length; c++) {
        const value = values?.[c];
        const isNull = values !== undefined && (value === null || value === undefined);
        const inRange = rowSelected && c >= range.columns[0] && c <= range.columns[1];
        const focused = focus?.row === r && focus.column === c;
        cells.push(
          h(
            'div',
            {
              class: `cell${numeric[c] ? ' num' : ''}${isNull ? ' null' : ''}${values ? '' : ' loading'}${inRange ? ' in-range' : ''}${focused ? ' selected' : ''}`,
              role: 'gridcell',
              id: `grid-cell-${r}-${c}`,
              'aria-colindex': String(c + 2),
              'aria-selected': String(inRange),
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
            'aria-rowindex': String(r + 2),
            style: `top:${window.top + (r - window.first) * ROW_HEIGHT}px`,
          },
          ...cells,
        ),
      );
    }
    this.body.replaceChildren(...rows);
    this.activeDescendant();
    if (missing)
      void this.source.ensure(window.first, window.last).then(
        () => this.schedule(),
        () => {},
      );
  }

  /** The rows and columns selected, first to last inclusive (no rows: the header is focused). */
  selection(): { rows: [number, number]; columns: [number, number] } | null {
    if (!this.focusCell || !this.anchor || this.focusCell.row < 0) return null;
    const lastColumn = this.widths.length - 1;
    return {
      rows: [Math.min(this.anchor.row, this.focusCell.row), Math.max(this.anchor.row, this.focusCell.row)],
      columns: this.wholeRows
        ? [0, lastColumn]
        : [
            Math.min(this.anchor.column, this.focusCell.column),
            Math.max(this.anchor.column, this.focusCell.column),
          ],
    };
  }

  /**
   * The selection as tab-separated text (a cell: its value; rows: a line each), read from the
   * source as far as needed; at most COPY_ROWS rows. Null when nothing is selected.
   */
  async selectionText(): Promise<{ text: string; rows: number; cells: number } | null> {
    const range = this.selection();
    if (!range) return null;
    const [first, last] = [range.rows[0], Math.min(range.rows[1], range.rows[0] + COPY_ROWS - 1)];
    await this.source.ensure(first, last);
    const lines: string[] = [];
    for (let r = first; r <= last; r++) {
      const values = this.source.row(r) ?? [];
      const cells: string[] = [];
      for (let c = range.columns[0]; c <= range.columns[1]; c++) cells.push(copyValue(values[c]));
      lines.push(cells.join('\t'));
    }
    const rows = last - first + 1;
    return { text: lines.join('\n'), rows, cells: rows * (range.columns[1] - range.columns[0] + 1) };
  }

  /** Selects a cell (or, with `extend`, the rectangle from the anchor to it); row -1 is the header. */
  select(row: number, column: number, extend = false, wholeRows = false): void {
    const cell = {
      row: Math.max(-1, Math.min(this.source.totalRows - 1, row)),
      column: Math.max(0, Math.min(this.widths.length - 1, column)),
    };
    this.focusCell = cell;
    if (!extend || !this.anchor || cell.row < 0 || this.anchor.row < 0) {
      this.anchor = cell;
      this.wholeRows = wholeRows;
    } else if (wholeRows) this.wholeRows = true;
    this.scrollIntoView(cell);
    // The header's cells stay (one may be under the pointer): only which one is focused changes.
    for (const [i, headCell] of [...this.head.querySelectorAll('[id^=grid-col-]')].entries())
      headCell.classList.toggle('selected', cell.row < 0 && cell.column === i);
    this.activeDescendant();
    this.schedule();
  }

  private scrollIntoView(cell: { row: number; column: number }): void {
    if (cell.row >= 0 && this.source.totalRows * ROW_HEIGHT <= 8_000_000) {
      const top = cell.row * ROW_HEIGHT;
      const view = this.element.clientHeight - this.head.offsetHeight;
      if (top < this.element.scrollTop) this.element.scrollTop = top;
      else if (top + ROW_HEIGHT > this.element.scrollTop + view)
        this.element.scrollTop = top + ROW_HEIGHT - view;
    }
    let left = this.rownumWidth;
    for (let c = 0; c < cell.column; c++) left += this.widths[c];
    const right = left + this.widths[cell.column];
    if (left - this.rownumWidth < this.element.scrollLeft) this.element.scrollLeft = left - this.rownumWidth;
    else if (right > this.element.scrollLeft + this.element.clientWidth)
      this.element.scrollLeft = right - this.element.clientWidth;
  }

  /**
   * The grid is one tab stop: the focused cell is its active descendant. Arrows, Page Up/Down,
   * Home/End (with Ctrl: the first or last row) move; with Shift they extend the selection;
   * Shift+Space selects whole rows, Ctrl+A everything; ↑ from the first row reaches the
   * header, where Enter or Space sorts; Ctrl/Cmd+C copies.
   */
  private onKey(event: KeyboardEvent): void {
    if (!this.focusCell) {
      if (event.key.startsWith('Arrow')) {
        event.preventDefault();
        this.select(0, 0);
      }
      return;
    }
    const { row, column } = this.focusCell;
    const mod = event.ctrlKey || event.metaKey;
    const moves: Record<string, [number, number]> = {
      ArrowUp: [row - 1, column],
      ArrowDown: [row + 1, column],
      ArrowLeft: [row, column - 1],
      ArrowRight: [row, column + 1],
      PageDown: [row + 20, column],
      PageUp: [row - 20, column],
      Home: mod ? [0, column] : [row, 0],
      End: mod ? [this.source.totalRows - 1, column] : [row, this.widths.length - 1],
    };
    const move = moves[event.key];
    if (move) {
      event.preventDefault();
      let to = move[0];
      // In the header only ↓ (or Ctrl+Home/End) leaves it; ↑ from the first row goes up to it.
      if (row < 0)
        to =
          event.key === 'ArrowDown' || event.key === 'PageDown' ? 0 : mod && move[0] !== row ? move[0] : -1;
      else if (to < 0) to = event.key === 'ArrowUp' && !event.shiftKey ? -1 : 0;
      this.select(to, move[1], event.shiftKey);
    } else if (row < 0 && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      this.toggleSort(column);
    } else if (event.key === ' ' && event.shiftKey) {
      event.preventDefault();
      this.select(row, column, true, true);
    } else if (mod && event.key === 'a') {
      event.preventDefault();
      this.anchor = { row: 0, column: 0 };
      this.select(this.source.totalRows - 1, this.widths.length - 1, true, true);
    } else if (event.key === 'Escape' && this.anchor && this.anchor !== this.focusCell) {
      event.preventDefault();
      this.select(row, column);
    } else if (mod && event.key === 'c') {
      event.preventDefault();
      void this.copy();
    }
  }

  /** Copies the selection to the clipboard (Ctrl/Cmd+C, the Copy button) and says what it copied. */
  async copy(): Promise<boolean> {
    const copied = await this.selectionText();
    if (!copied) return false;
    await navigator.clipboard.writeText(copied.text);
    this.onCopied(
      copied.cells === 1
        ? 'Copied the cell'
        : `Copied ${copied.rows.toLocaleString()} row${copied.rows === 1 ? '' : 's'}${copied.rows === COPY_ROWS ? ' (the most at once)' : ''}`,
    );
    return true;
  }
}

/** A value in copied text: NULL is empty, tabs and line breaks become spaces (they separate cells). */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return displayValue(value).replace(/[\t\r\n]+/g, ' ');
}
