import type { ColumnDescriptor, SqlType } from '@tributary/common';
import type { RowGroup, SchemaElement } from 'hyparquet';
import { numericValue, type ColumnPredicate } from '../column-predicate.ts';
import { scaledStatistic, statisticScale } from './parquet-column-type.ts';

type Bound = number | string;

/** What is known of one column over a set of rows (a row group, or a file's partition value). */
export interface ColumnStats {
  readonly min?: Bound;
  readonly max?: Bound;
  readonly nullCount?: number;
  readonly rows: number;
}

// JS strings compare by UTF-16 code units, Parquet by bytes: they agree on ASCII only.
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 127) return false;
  return true;
}

function bound(value: unknown): Bound | undefined {
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return isAscii(value) ? value : undefined;
  return undefined;
}

/** Physical types whose legacy min/max (signed order) is the column's order. */
const LEGACY_ORDERED = new Set(['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE']);

/**
 * The statistics of column chunk `chunk` of a row group. min_value/max_value follow the
 * column's sort order; the legacy min/max were written in signed order, which is the
 * column's only for signed numbers (not for unsigned integers, decimals in bytes, or text),
 * so they are used only when `element` (the chunk's schema element, when known) says so.
 */
export function chunkStats(group: RowGroup, chunk: number, element?: SchemaElement): ColumnStats {
  const meta = group.columns[chunk]?.meta_data;
  const stats = meta?.statistics;
  const rows = Number(group.num_rows);
  if (!stats) return { rows };
  const unsigned =
    element?.converted_type?.startsWith('UINT_') ||
    (element?.logical_type?.type === 'INTEGER' && !element.logical_type.isSigned);
  const legacyOk = meta !== undefined && LEGACY_ORDERED.has(meta.type) && !unsigned;
  const legacy = (v: unknown) => (legacyOk && typeof v !== 'string' ? bound(v) : undefined);
  const scale = statisticScale(element);
  return {
    min: scaledStatistic(stats.min_value !== undefined ? bound(stats.min_value) : legacy(stats.min), scale),
    max: scaledStatistic(stats.max_value !== undefined ? bound(stats.max_value) : legacy(stats.max), scale),
    nullCount: stats.null_count === undefined ? undefined : Number(stats.null_count),
    rows,
  };
}

/**
 * The literal and a way to read statistics in one exact space: numbers compare as scaled
 * integers when a DECIMAL is involved (hyparquet gives DECIMAL statistics as unscaled ×
 * 10^-scale in floating point, which Math.round recovers exactly), else as they are.
 */
function comparable(
  value: string | number | boolean,
  valueType: SqlType,
  columnType: SqlType,
): { v: Bound; stat: (b: Bound | undefined) => Bound | undefined } | undefined {
  if (typeof value === 'boolean') return { v: value ? 1 : 0, stat: (b) => b };
  if (typeof value === 'string') return isAscii(value) ? { v: value, stat: (b) => b } : undefined;
  const columnScale = columnType.kind === 'DECIMAL' ? columnType.scale : 0;
  const valueScale = valueType.kind === 'DECIMAL' ? valueType.scale : 0;
  if (columnType.kind !== 'DECIMAL' && valueType.kind !== 'DECIMAL') return { v: value, stat: (b) => b };
  if (columnType.kind === 'DOUBLE' || valueType.kind === 'DOUBLE') {
    // A DECIMAL column seen as DOUBLE: its exact value's nearest double, as the engine's cast gives.
    const exact = (b: Bound | undefined) =>
      typeof b === 'number' ? Math.round(b * 10 ** columnScale) / 10 ** columnScale : b;
    return {
      v: numericValue(value, valueType) ?? value,
      stat: columnType.kind === 'DECIMAL' ? exact : (b) => b,
    };
  }
  const scale = Math.max(columnScale, valueScale);
  return {
    v: value * 10 ** (scale - valueScale),
    stat: (b) =>
      typeof b === 'number' ? Math.round(b * 10 ** columnScale) * 10 ** (scale - columnScale) : undefined,
  };
}

function compareMayMatch(
  op: string,
  v: Bound,
  s: ColumnStats,
  stat: (b: Bound | undefined) => Bound | undefined,
): boolean {
  if (s.nullCount !== undefined && s.nullCount >= s.rows) return false; // all NULL: no comparison holds
  const min = stat(s.min);
  const max = stat(s.max);
  const minOk = min !== undefined && typeof min === typeof v;
  const maxOk = max !== undefined && typeof max === typeof v;
  switch (op) {
    case 'eq':
      return !(maxOk && max < v) && !(minOk && min > v);
    case 'lt':
      return !(minOk && min >= v);
    case 'lte':
      return !(minOk && min > v);
    case 'gt':
      return !(maxOk && max <= v);
    case 'gte':
      return !(maxOk && max < v);
    case 'neq':
      // Only rows that all hold v (a partition's value, a constant chunk) fail it.
      return !(minOk && maxOk && min === v && max === v);
    default:
      return true;
  }
}

/** `rows` rows that all hold `value` (a partition column's value in one file); NULL included. */
export function constantStats(value: unknown, rows: number): ColumnStats {
  if (value === null || value === undefined) return { nullCount: rows, rows };
  const b = bound(value);
  return { min: b, max: b, nullCount: 0, rows };
}

/** Statistics of a table column (by index) over some rows: a row group's chunk, or a partition's value. */
export type StatsOf = (column: number) => ColumnStats;

/**
 * Whether some rows may satisfy `predicate`, judged from their columns' min/max and null
 * counts; true whenever unsure (missing statistics, non-ASCII strings, NOT).
 */
export function statsMayMatch(
  predicate: ColumnPredicate,
  statsOf: StatsOf,
  columns: readonly ColumnDescriptor[],
): boolean {
  switch (predicate.kind) {
    case 'and':
      return predicate.args.every((p) => statsMayMatch(p, statsOf, columns));
    case 'or':
      return predicate.args.some((p) => statsMayMatch(p, statsOf, columns));
    case 'not':
      return true;
    case 'is-null': {
      const s = statsOf(predicate.column);
      if (s.nullCount === undefined) return true;
      return predicate.negated ? s.nullCount < s.rows : s.nullCount > 0;
    }
    case 'compare': {
      const c = comparable(predicate.value, predicate.valueType, columns[predicate.column].type);
      return c === undefined || compareMayMatch(predicate.op, c.v, statsOf(predicate.column), c.stat);
    }
    case 'in-list': {
      if (predicate.negated) return true;
      const s = statsOf(predicate.column);
      return predicate.values.some((value) => {
        const c = comparable(value, predicate.valueType, columns[predicate.column].type);
        return c === undefined || compareMayMatch('eq', c.v, s, c.stat);
      });
    }
  }
}
