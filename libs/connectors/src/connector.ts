import type { RecordBatch } from 'apache-arrow';
import type { ColumnDescriptor } from '@tributary/common';
import type { Expr, SourceType, TableRef } from '@tributary/plan';

/** What a scan asks of a connector. */
export interface ScanRequest {
  /** Indices into table.columns to produce, in this order (may be empty: count(*) reads no column). */
  readonly columns: readonly number[];
  /** Predicates over table column indices, all of which must hold; see Connector.filterSupport. */
  readonly filters: readonly Expr[];
  /** At most this many rows are needed (after filters), or null. */
  readonly limit: number | null;
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
}

export interface DiscoverContext {
  /** Real paths (symlinks resolved) that every file read must stay inside. */
  readonly roots: readonly string[];
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
   * Cuts a scan into splits (CSV byte ranges at line ends, Parquet row groups pruned by
   * min/max statistics, SQLite rowid ranges), about `targetSplits` of them when the data allows.
   */
  planSplits(table: TableRef, request: ScanRequest, targetSplits: number): Promise<Split[]>;
  /**
   * Streams one split as RecordBatches (about 64K rows) whose columns are exactly
   * request.columns, named as in the table and typed in the canonical Arrow types of
   * @tributary/common. Stops early when `signal` aborts; releases files when the
   * iteration is returned early.
   */
  scan(table: TableRef, split: Split, request: ScanRequest, signal?: AbortSignal): AsyncIterable<RecordBatch>;
}
