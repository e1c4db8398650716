import type { RecordBatch } from 'apache-arrow';
import type { Expr, TableRef } from '@tributary/plan';
import { toColumnPredicate, type ColumnPredicate } from '../column-predicate.ts';
import type {
  Connector,
  DiscoverContext,
  DiscoveredTable,
  FilterSupport,
  ScanContext,
  ScanRequest,
  Split,
} from '../connector.ts';
import { openConfinedFile } from '../open-confined-file.ts';
import { columnSources } from './column-sources.ts';
import { discoverParquetTable } from './discover-parquet-table.ts';
import { findParquetTables } from './find-parquet-tables.ts';
import { pageIndexRanges } from './page-index-ranges.ts';
import { mapBounded } from './map-bounded.ts';
import { filesOf, parquetLocation, type ParquetFileEntry, type ParquetLocation } from './parquet-location.ts';
import { parquetOptions } from './parquet-options.ts';
import { readParquetFooter } from './read-parquet-footer.ts';
import { chunkStats, constantStats, statsMayMatch, type ColumnStats } from './row-group-may-match.ts';
import { scanParquet } from './scan-parquet.ts';

export type { ParquetFileEntry, ParquetLocation } from './parquet-location.ts';

function predicatesOf(table: TableRef, filters: readonly Expr[]): ColumnPredicate[] {
  return filters
    .map((f) => toColumnPredicate(f, table.columns))
    .filter((p): p is ColumnPredicate => p !== undefined);
}

/**
 * Parquet files: schema and statistics from the footer (hyparquet), decoding of the chosen
 * row groups and columns by parquet-wasm, copied out of wasm memory through the Arrow C
 * Data Interface into the canonical layout. A table is a file or a folder of files unified by
 * column name, with Hive partition folders as columns. Filters prune files by partition
 * values without opening them, and row groups by statistics (inexact).
 */
export class ParquetConnector implements Connector {
  readonly type = 'parquet' as const;

  async discover(
    path: string,
    rawOptions: Readonly<Record<string, unknown>>,
    context: DiscoverContext,
  ): Promise<DiscoveredTable[]> {
    const options = parquetOptions(rawOptions);
    const tables: DiscoveredTable[] = [];
    for (const found of await findParquetTables(path, options, context.roots)) {
      tables.push(await discoverParquetTable(found, options));
    }
    return tables;
  }

  filterSupport(table: TableRef, filter: Expr): FilterSupport {
    return toColumnPredicate(filter, table.columns) ? 'inexact' : 'unsupported';
  }

  /** How the table was registered: its file count, partition columns and reading options. */
  tableSettings(loc: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const l = loc as ParquetLocation;
    return {
      files: l.files?.length ?? 1,
      partitionColumns: l.partitionColumns ?? [],
      unionByName: l.settings?.unionByName ?? true,
      binaryAsString: l.settings?.binaryAsString ?? false,
    };
  }

  /**
   * One split per row group that may hold matching rows: files whose partition values rule
   * them out are skipped unopened (filesSkipped), row groups by their statistics
   * (rowGroupsSkipped), and pages by the page index where the file has one (the split then
   * carries `rowRange`). Split info: `file` (index into the location's files), `path` (that
   * file, for messages), `rowGroups`, optional `rowRange` [start, end) within the row group.
   */
  async planSplits(
    table: TableRef,
    request: ScanRequest,
    _targetSplits: number,
    context: ScanContext,
  ): Promise<Split[]> {
    const predicates = predicatesOf(table, request.filters);
    const files = filesOf(table);
    // Footers of several files are read at once; splits keep the files' order.
    const perFile = await mapBounded(files, OPEN_FILES_AT_ONCE, (entry, f) =>
      fileSplits(table, f, entry, predicates, context),
    );
    return perFile.flat();
  }

  scan(
    table: TableRef,
    split: Split,
    request: ScanRequest,
    context: ScanContext,
  ): AsyncIterable<RecordBatch> {
    return scanParquet(table, split, request, context);
  }
}

/** Files whose footers are read at once while planning. */
const OPEN_FILES_AT_ONCE = 8;

/**
 * The splits of file `f` of the table: none when its partition values rule it out (counted
 * as skipped without opening it), else one per row group its statistics and page index keep.
 */
async function fileSplits(
  table: TableRef,
  f: number,
  entry: ParquetFileEntry,
  predicates: readonly ColumnPredicate[],
  context: ScanContext,
): Promise<Split[]> {
  const partitions = parquetLocation(table).partitionColumns ?? [];
  const counters = context.counters;
  const splits: Split[] = [];
  if (partitions.length > 0 && predicates.length > 0) {
    // A partition's value decides for the whole file, before it is opened.
    const partitionStats = (column: number): ColumnStats => {
      const p = partitions.indexOf(table.columns[column].name);
      return p >= 0 ? constantStats(entry.partition?.[p] ?? null, 1) : { rows: 1 };
    };
    if (!predicates.every((p) => statsMayMatch(p, partitionStats, table.columns))) {
      if (counters) counters.filesSkipped++;
      return [];
    }
  }
  const { handle, real } = await openConfinedFile(entry.path, context);
  try {
    const footer = await readParquetFooter(real, handle);
    if (counters) counters.filesRead++;
    const sources = columnSources(table, entry, footer);
    const chunkOf = (column: number) => {
      const source = sources[column];
      return source.kind === 'chunk' ? source : undefined;
    };
    const groups = footer.metadata.row_groups;
    for (let index = 0; index < groups.length; index++) {
      const group = groups[index];
      if (group.num_rows === 0n) continue;
      const rows = Number(group.num_rows);
      const statsOf = (column: number): ColumnStats => {
        const source = sources[column];
        return source.kind === 'chunk'
          ? chunkStats(group, source.chunk, footer.metadata.schema[source.element])
          : constantStats(source.value, rows);
      };
      if (!predicates.every((p) => statsMayMatch(p, statsOf, table.columns))) {
        if (counters) counters.rowGroupsSkipped++;
        continue;
      }
      // Pages whose own statistics rule them out are not decoded (when the file has a page index).
      const ranges =
        predicates.length > 0
          ? await pageIndexRanges(handle, footer, index, predicates, table.columns, chunkOf)
          : undefined;
      if (ranges !== undefined && ranges.length === 0) {
        if (counters) counters.rowGroupsSkipped++;
        continue;
      }
      // One read covers the rows that may match, from the first such page to the last:
      // each read fetches its column chunks, so several small reads would cost more.
      const span = ranges && ([ranges[0][0], ranges[ranges.length - 1][1]] as const);
      if (!span || (span[0] === 0 && span[1] === rows)) {
        splits.push({ info: { file: f, path: entry.path, rowGroups: [index] }, estimatedRows: rows });
      } else {
        splits.push({
          info: { file: f, path: entry.path, rowGroups: [index], rowRange: [span[0], span[1]] },
          estimatedRows: span[1] - span[0],
        });
      }
    }
  } finally {
    await handle.close();
  }
  return splits;
}
