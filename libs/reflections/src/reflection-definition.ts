import type { TableRef } from '@tributary/plan';

/**
 * What a reflection is, as its owner defined it: the contract between definitions (SQL DDL,
 * REST, the catalog), materialization (the builder writes exactly `reflectionColumns`) and
 * substitution (the matcher reads them back by role).
 */

/** Dremio's two kinds: a column subset of a dataset, or an aggregate over it. */
export type ReflectionType = 'RAW' | 'AGGREGATION';

export type MeasureFunction = 'SUM' | 'COUNT' | 'MIN' | 'MAX';
export const MEASURE_FUNCTIONS: readonly MeasureFunction[] = ['SUM', 'COUNT', 'MIN', 'MAX'];

/** A date or timestamp dimension may be kept truncated (`o_orderdate BY MONTH`). */
export type DateGranularity = 'day' | 'month' | 'year';

export interface ReflectionDimension {
  readonly column: string;
  /** Absent: the column's own values. */
  readonly granularity?: DateGranularity;
}

export interface ReflectionMeasure {
  readonly column: string;
  readonly functions: readonly MeasureFunction[];
}

/**
 * Dremio's states. STALE: built, but its dataset changed since; DISABLED: switched off by its
 * owner; FAILED: the last refresh failed after its retries (`lastError` says why).
 */
export type ReflectionStatus = 'REFRESHING' | 'CAN_ACCELERATE' | 'STALE' | 'FAILED' | 'DISABLED';

export interface ReflectionDefinition {
  readonly id: string;
  readonly name: string;
  /** The table (`[source, table]`) or view (`[space, …folders, view]`) it is defined on. */
  readonly datasetPath: readonly string[];
  readonly type: ReflectionType;
  readonly enabled: boolean;
  /** RAW: the columns it keeps, in order. Empty for AGGREGATION. */
  readonly displayColumns: readonly string[];
  /** AGGREGATION: its group keys. Empty for RAW. */
  readonly dimensions: readonly ReflectionDimension[];
  /** AGGREGATION: what it aggregates. Empty for RAW. */
  readonly measures: readonly ReflectionMeasure[];
  /** Columns (of the reflection) its files are partitioned by: one folder per value. */
  readonly partitionBy: readonly string[];
  /** Columns (of the reflection) each file is sorted by, so row-group statistics prune. */
  readonly localSortBy: readonly string[];
}

/** What one column of a materialization holds. */
export type MaterializedColumnRole =
  | { readonly kind: 'display'; readonly column: string }
  | { readonly kind: 'dimension'; readonly column: string; readonly granularity?: DateGranularity }
  | { readonly kind: 'measure'; readonly column: string; readonly fn: MeasureFunction }
  /** COUNT(*) of the group: every aggregation reflection has it (AVG, COUNT(*), roll-ups). */
  | { readonly kind: 'count-star' };

export interface MaterializedColumn {
  /** The column's name in the Parquet files. */
  readonly name: string;
  readonly role: MaterializedColumnRole;
}

/** The name of the group-size column of an aggregation reflection. */
export const COUNT_STAR_COLUMN = '__count_star__';

/** The name a measure's column has in the files: `__sum__l_quantity`. */
export function measureColumnName(column: string, fn: MeasureFunction): string {
  return `__${fn.toLowerCase()}__${column}`;
}

/**
 * The columns of a reflection's materialization, in file order. RAW: the display columns,
 * named as in the dataset. AGGREGATION: each dimension under its own name (holding the
 * truncated value when it has a granularity), then each measure function, then COUNT(*).
 */
export function reflectionColumns(definition: ReflectionDefinition): MaterializedColumn[] {
  if (definition.type === 'RAW')
    return definition.displayColumns.map((column) => ({ name: column, role: { kind: 'display', column } }));
  const columns: MaterializedColumn[] = definition.dimensions.map((d) => ({
    name: d.column,
    role: { kind: 'dimension', column: d.column, ...(d.granularity ? { granularity: d.granularity } : {}) },
  }));
  for (const measure of definition.measures)
    for (const fn of measure.functions)
      columns.push({
        name: measureColumnName(measure.column, fn),
        role: { kind: 'measure', column: measure.column, fn },
      });
  columns.push({ name: COUNT_STAR_COLUMN, role: { kind: 'count-star' } });
  return columns;
}

/** A SQL identifier, always quoted: names are never case-folded or mistaken for keywords. */
export function quoteSqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * The query whose result a materialization holds, column for column as `reflectionColumns`
 * says (order and partitioning are the builder's: LOCALSORT and PARTITION BY). `where`, over
 * the dataset's columns, restricts the rows it reads (an incremental build's range).
 */
export function definingSql(definition: ReflectionDefinition, where?: string): string {
  const dataset = definition.datasetPath.map(quoteSqlIdentifier).join('.');
  const items = reflectionColumns(definition).map(({ name, role }) => {
    const as = ` AS ${quoteSqlIdentifier(name)}`;
    switch (role.kind) {
      case 'display':
        return quoteSqlIdentifier(role.column);
      case 'dimension':
        return role.granularity
          ? `date_trunc('${role.granularity}', ${quoteSqlIdentifier(role.column)})${as}`
          : quoteSqlIdentifier(role.column);
      case 'measure':
        return `${role.fn}(${quoteSqlIdentifier(role.column)})${as}`;
      case 'count-star':
        return `COUNT(*)${as}`;
    }
  });
  const groupBy =
    definition.type === 'AGGREGATION' && definition.dimensions.length > 0
      ? ` GROUP BY ${definition.dimensions.map((_, i) => i + 1).join(', ')}`
      : '';
  return `SELECT ${items.join(', ')} FROM ${dataset}${where ? ` WHERE ${where}` : ''}${groupBy}`;
}

/** One base table's data as a build read it: an equal fingerprint now means unchanged. */
export interface BaseTableSnapshot {
  readonly source: string;
  readonly table: string;
  /** As plan-query's `freshnessOf` computes it (file stamps; a SQLite database's data_version). */
  readonly fingerprint: string;
  /**
   * The table's files as the build saw them (path, size, mtime), where it has files: the next
   * build of a reflection on this table reads only the files added since (incremental) when
   * none of these changed. Absent for SQLite tables.
   */
  readonly files?: readonly { readonly path: string; readonly size: number; readonly mtimeMs: number }[];
  /** Where the build stopped reading by the reflection's refresh field (an incremental refresh goes on from there). */
  readonly refreshField?: RefreshFieldMark;
}

/**
 * How far a build read a dataset by its refresh field (Dremio's incremental refresh with a
 * monotonic column): the rows up to `max` (and those where it is NULL), `rows` of them when
 * it read. The next build reads only the rows above `max` and appends them, unless the
 * dataset no longer has `rows` rows up to `max` (rows went away or were added below it) or
 * its maximum went down: then it rebuilds in full.
 */
export interface RefreshFieldMark {
  readonly column: string;
  /** The maximum as text (CAST to VARCHAR), null when the column had no value. */
  readonly max: string | null;
  /** The column's SQL type, to read `max` back with a CAST. */
  readonly type: string;
  readonly rows: number;
  /** The defining query the build ran (unranged) and its layout: a changed definition rebuilds in full. */
  readonly definedAs: string;
}

/** One built copy of a reflection: Parquet files in a folder under the data dir. */
export interface Materialization {
  readonly id: string;
  readonly reflectionId: string;
  /**
   * The folder as a Parquet table (what the Parquet connector's discovery gives: columns
   * named as `reflectionColumns`, location, statistics): a scan of the reflection reads this.
   */
  readonly table: TableRef;
  /** When the build began reading its dataset (ms since the epoch): its data is this old. */
  readonly builtAt: number;
  readonly rows: number;
  readonly bytes: number;
  /** Every base table the defining query read, through views. */
  readonly snapshot: readonly BaseTableSnapshot[];
}

/** A reflection as planning sees it. */
export interface ReflectionCandidate {
  readonly definition: ReflectionDefinition;
  readonly status: ReflectionStatus;
  /** The copy now serving; null until the first build succeeds. */
  readonly materialization: Materialization | null;
}
