import type { FileHandle } from 'node:fs/promises';
import type { ColumnDescriptor } from '@tributary/common';
import {
  readColumnIndex,
  readOffsetIndex,
  type ColumnIndex,
  type OffsetIndex,
  type RowGroup,
} from 'hyparquet';
import type { ColumnPredicate } from '../column-predicate.ts';
import type { ParquetChunkRef } from './parquet-file-columns.ts';
import { statisticScale } from './parquet-column-type.ts';
import { PARSERS, type ParquetFooter } from './read-parquet-footer.ts';
import { statsMayMatch, type ColumnStats } from './row-group-may-match.ts';

/** Rows [start, end) of one row group, counted from its first row. */
export type RowRange = readonly [number, number];

/** One column chunk's page index: per page its statistics and first row. */
interface PageIndex {
  readonly columnIndex: ColumnIndex;
  readonly offsetIndex: OffsetIndex;
}

/** Reads a column chunk's column index and offset index, or undefined when it has none or they are unreadable. */
async function readPageIndex(
  handle: FileHandle,
  footer: ParquetFooter,
  group: RowGroup,
  ref: ParquetChunkRef,
): Promise<PageIndex | undefined> {
  const meta = group.columns[ref.chunk];
  const element = footer.metadata.schema[ref.element];
  // A TIME stored in milli- or nanoseconds has page bounds in that unit: left unpruned (rare).
  if (
    !meta ||
    !element ||
    statisticScale(element) !== 1 ||
    meta.column_index_offset === undefined ||
    meta.column_index_length === undefined ||
    meta.offset_index_offset === undefined ||
    meta.offset_index_length === undefined
  )
    return undefined;
  const read = async (offset: bigint, length: number): Promise<DataView | undefined> => {
    const start = Number(offset);
    if (length <= 0 || length > 1 << 24 || start < 0 || start + length > footer.size) return undefined;
    const bytes = new Uint8Array(length);
    const { bytesRead } = await handle.read(bytes, 0, length, start);
    return bytesRead === length ? new DataView(bytes.buffer) : undefined;
  };
  const columnView = await read(meta.column_index_offset, meta.column_index_length);
  const offsetView = await read(meta.offset_index_offset, meta.offset_index_length);
  if (!columnView || !offsetView) return undefined;
  try {
    const columnIndex = readColumnIndex({ view: columnView, offset: 0 }, element, PARSERS);
    const offsetIndex = readOffsetIndex({ view: offsetView, offset: 0 });
    const pages = offsetIndex.page_locations.length;
    if (pages === 0 || columnIndex.min_values.length !== pages || columnIndex.max_values.length !== pages)
      return undefined;
    return { columnIndex, offsetIndex };
  } catch {
    // A page index is an optimisation: one that does not parse prunes nothing.
    return undefined;
  }
}

function merge(ranges: RowRange[]): RowRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    if (e <= s) continue;
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function intersect(a: readonly RowRange[], b: readonly RowRange[]): RowRange[] {
  const out: RowRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const s = Math.max(a[i][0], b[j][0]);
    const e = Math.min(a[i][1], b[j][1]);
    if (s < e) out.push([s, e]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

/**
 * The rows of one row group that may satisfy every predicate, judged page by page from the
 * column chunks' page indexes (column index: per-page min/max/null counts; offset index:
 * where pages start), or undefined when that prunes nothing. A predicate over a column without
 * a page index (or not stored in the file) keeps every row; AND intersects, OR unites.
 * `chunkOf` maps a table column to where it lies in the file, or undefined.
 */
export async function pageIndexRanges(
  handle: FileHandle,
  footer: ParquetFooter,
  groupIndex: number,
  predicates: readonly ColumnPredicate[],
  columns: readonly ColumnDescriptor[],
  chunkOf: (column: number) => ParquetChunkRef | undefined,
): Promise<RowRange[] | undefined> {
  const group = footer.metadata.row_groups[groupIndex];
  const rows = Number(group.num_rows);
  const all: RowRange[] = [[0, rows]];
  const indexes = new Map<number, PageIndex | undefined>();
  const indexOf = async (ref: ParquetChunkRef) => {
    if (!indexes.has(ref.chunk)) indexes.set(ref.chunk, await readPageIndex(handle, footer, group, ref));
    return indexes.get(ref.chunk);
  };
  const rangesOf = async (predicate: ColumnPredicate): Promise<RowRange[]> => {
    switch (predicate.kind) {
      case 'and': {
        let out = all;
        for (const p of predicate.args) out = intersect(out, await rangesOf(p));
        return out;
      }
      case 'or': {
        const parts: RowRange[] = [];
        for (const p of predicate.args) parts.push(...(await rangesOf(p)));
        return merge(parts);
      }
      case 'not':
        return all;
      default: {
        const ref = chunkOf(predicate.column);
        const index = ref === undefined ? undefined : await indexOf(ref);
        if (!index) return all;
        const { columnIndex, offsetIndex } = index;
        const locations = offsetIndex.page_locations;
        const kept: RowRange[] = [];
        for (let p = 0; p < locations.length; p++) {
          const start = Number(locations[p].first_row_index);
          const end = p + 1 < locations.length ? Number(locations[p + 1].first_row_index) : rows;
          const pageRows = end - start;
          const nullCount = columnIndex.null_pages[p]
            ? pageRows
            : columnIndex.null_counts?.[p] === undefined
              ? undefined
              : Number(columnIndex.null_counts[p]);
          // The same judgement as for row groups, over one page's statistics.
          const stats: ColumnStats = columnIndex.null_pages[p]
            ? { nullCount: pageRows, rows: pageRows }
            : {
                min: boundOf(columnIndex.min_values[p]),
                max: boundOf(columnIndex.max_values[p]),
                nullCount,
                rows: pageRows,
              };
          if (statsMayMatch(predicate, () => stats, columns)) kept.push([start, end]);
        }
        return merge(kept);
      }
    }
  };
  let ranges = all;
  for (const predicate of predicates) {
    ranges = intersect(ranges, await rangesOf(predicate));
    if (ranges.length === 0) break;
  }
  const covered = ranges.reduce((n, [s, e]) => n + (e - s), 0);
  return covered === rows ? undefined : ranges;
}

/** A page bound as row-group-may-match reads bounds (text only when ASCII, numbers as numbers). */
function boundOf(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 127) return undefined;
    return value;
  }
  return undefined;
}
