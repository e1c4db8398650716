/**
 * Browsers cap an element's height (Chrome near 33 million pixels, Firefox near 17): a
 * million rows of 28 px would pass it. Past this height the scroll range is compressed and
 * scroll positions map onto rows proportionally.
 */
export const MAX_SCROLL_HEIGHT = 8_000_000;

export interface GridWindowInput {
  readonly rowCount: number;
  readonly rowHeight: number;
  readonly viewportHeight: number;
  readonly scrollTop: number;
  /** Rows drawn beyond each edge of the viewport, so a small scroll shows no gap. */
  readonly overscan?: number;
  readonly maxScrollHeight?: number;
}

export interface GridWindow {
  /** The height of the scrolled content. */
  readonly totalHeight: number;
  /** The rows to draw, first to last inclusive (last < first when there are none). */
  readonly first: number;
  readonly last: number;
  /** Where, in the content's coordinates, the top of row `first` goes. */
  readonly top: number;
}

/** Which rows of a fixed-row-height grid to draw for a scroll position, and where. */
export function gridWindow(input: GridWindowInput): GridWindow {
  const { rowCount, rowHeight, viewportHeight } = input;
  const overscan = input.overscan ?? 8;
  const exactHeight = rowCount * rowHeight;
  const totalHeight = Math.min(exactHeight, input.maxScrollHeight ?? MAX_SCROLL_HEIGHT);
  if (rowCount === 0) return { totalHeight: 0, first: 0, last: -1, top: 0 };
  const scrollRange = Math.max(0, totalHeight - viewportHeight);
  const scrollTop = Math.min(Math.max(0, input.scrollTop), scrollRange);
  // The row at the viewport's top, fractional: scaled so that the end of the scroll range shows the last rows.
  const rowsRange = Math.max(0, rowCount - viewportHeight / rowHeight);
  const exactFirst =
    totalHeight === exactHeight
      ? scrollTop / rowHeight
      : scrollRange === 0
        ? 0
        : (scrollTop / scrollRange) * rowsRange;
  const atTop = Math.floor(exactFirst);
  const topOfAtTop = scrollTop - (exactFirst - atTop) * rowHeight;
  const first = Math.max(0, atTop - overscan);
  const last = Math.min(rowCount - 1, atTop + Math.ceil(viewportHeight / rowHeight) + overscan);
  return { totalHeight, first, last, top: topOfAtTop - (atTop - first) * rowHeight };
}
