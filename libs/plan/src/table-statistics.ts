import type { LiteralValue } from './expr.ts';

/**
 * What is known of one column's values, each item optional. Values are in the literal
 * representation of the column's type (see expr.ts: DECIMAL unscaled, DATE days, …), so an
 * estimator can compare them with a predicate's literals directly.
 */
export interface ColumnStatistics {
  readonly min?: LiteralValue;
  readonly max?: LiteralValue;
  readonly nullCount?: number;
  /** Distinct non-null values, exact or estimated (a sketch, a footer's distinct_count). */
  readonly distinctCount?: number;
  /**
   * min/max are those of a sample (the rows a CSV sniffer read, a few rowid ranges), not of
   * every row: values beyond them are rare, not impossible, so they bound no estimate.
   */
  readonly sampled?: boolean;
}

/**
 * What the optimizer's cardinality estimator reads about a table (libs/optimizer
 * estimate-cardinality.ts). Everything is optional: what is missing falls back to defaults.
 * A connector fills what its format knows (row counts from a Parquet footer or SQLite, per
 * column min/max/null counts from row-group statistics) when a source is registered;
 * `columns` is keyed by column name.
 */
export interface TableStatistics {
  readonly rowCount?: number;
  readonly columns?: Readonly<Record<string, ColumnStatistics>>;
}
