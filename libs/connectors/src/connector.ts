import type { RecordBatch } from 'apache-arrow';
import type { ColumnDescriptor, UnsupportedColumn } from '@tributary/common';
import type {
  Expr,
  ScanCounters,
  ScanPushdown,
  SourceType,
  TableRef,
  TableStatistics,
} from '@tributary/plan';

export { emptyScanCounters, MAX_BAD_ROW_SAMPLES, type ScanCounters } from '@tributary/plan';

/** What a scan asks of a connector. */
export interface ScanRequest {
  /** Indices into table.columns to produce, in this order (may be empty: count(*) reads no column). */
  readonly columns: readonly number[];
  /** Predicates over table column indices, all of which must hold; see Connector.filterSupport. */
  readonly filters: readonly Expr[];
  /** At most this many rows are needed (after filters), or null. */
  readonly limit: number | null;
  /**
   * Work the optimizer moved into the scan (SQLite only: joins, a partial aggregate, an
   * order for the limit). With it, `columns` and `filters` index the scan's input row
   * (plan scanInputColumns), every filter must be applied exactly (or the scan fails), and
   * the batches are the scan node's schema.
   */
  readonly pushed?: ScanPushdown;
}

/**
 * How a connector treats one pushed filter (DataFusion's TableProviderFilterPushDown):
 * exact — rows it yields all satisfy it, the engine does not re-check;
 * inexact — it uses it to skip data (row-group statistics) but may yield failing rows;
 * unsupported — it ignores it.
 */
export type FilterSupport = 'exact' | 'inexact' | 'unsupported';

/** An independently scannable part of a table; `info` is connector-specific JSON. */
export interface Split {
  readonly info: Readonly<Record<string, unknown>>;
  readonly estimatedRows?: number;
}

export interface DiscoveredTable {
  readonly name: string;
  readonly columns: readonly ColumnDescriptor[];
  readonly location: Readonly<Record<string, unknown>>;
  readonly rowCount?: number;
  /**
   * What the optimizer may know of the table's data, computed at discovery within a bounded
   * cost (footers, the sniffer's sample, a few reads): see each connector.
   */
  readonly statistics?: TableStatistics;
  /** Columns the source holds that Tributary cannot read, left out of `columns`. */
  readonly unsupportedColumns?: readonly UnsupportedColumn[];
}

export interface DiscoverContext {
  /** Folders (symlinks resolved) that every file read must stay inside. */
  readonly roots: readonly string[];
}

/**
 * What every planSplits and scan call is given. A TableRef's location and a Split's info
 * come from whoever sent the fragment and name files that may have been swapped since
 * registration, so every file is confined again to `roots` as it is opened; none is trusted.
 */
export interface ScanContext {
  /**
   * Folders every file opened must lie inside once its symlinks are resolved. The folders'
   * own symlinks are resolved once per context object, so share one context per scan.
   */
  readonly roots: readonly string[];
  /** Stops a scan early when it aborts. */
  readonly signal?: AbortSignal;
  /** Where to count what is read and skipped, when someone measures (EXPLAIN ANALYZE). */
  readonly counters?: ScanCounters;
}

export interface Connector {
  readonly type: SourceType;
  /**
   * Lists the tables at `path` (a file or folder; for sqlite a database file), reading only
   * headers, footers and samples. Fails with a SourceError naming the bad file.
   */
  discover(
    path: string,
    options: Readonly<Record<string, unknown>>,
    context: DiscoverContext,
  ): Promise<DiscoveredTable[]>;
  filterSupport(table: TableRef, filter: Expr): FilterSupport;
  /**
   * The settings a table was registered with, sniffed or given (a CSV dialect, pinned column
   * types), as the API shows them: small JSON, never file lists or statistics.
   */
  tableSettings?(location: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /**
   * Cuts a scan into splits (CSV byte ranges at line ends, Parquet row groups pruned by
   * min/max statistics, SQLite rowid ranges), about `targetSplits` of them when the data allows.
   * A file it opens outside `context.roots` fails with SourceError PATH_NOT_ALLOWED.
   */
  planSplits(
    table: TableRef,
    request: ScanRequest,
    targetSplits: number,
    context: ScanContext,
  ): Promise<Split[]>;
  /**
   * Streams one split as RecordBatches (about 64K rows) whose columns are exactly
   * request.columns, named as in the table and typed in the canonical Arrow types of
   * @tributary/common. Stops early when `context.signal` aborts; releases files when the
   * iteration is returned early. Each file is confined to `context.roots` when it is opened
   * (before any byte of it is read, and before any cached data of it is served): one outside
   * fails with SourceError PATH_NOT_ALLOWED naming the path as given, not where it leads.
   */
  scan(table: TableRef, split: Split, request: ScanRequest, context: ScanContext): AsyncIterable<RecordBatch>;
}
