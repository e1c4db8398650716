import type { ColumnBuffers, SqlType } from '@tributary/common';
import type { ColumnStatistics, LiteralValue, TableStatistics } from '@tributary/plan';
import type { RowGroup } from 'hyparquet';
import { estimateDistinct, rangesDisjoint, unionDistinct } from '../statistics/estimate-distinct.ts';
import type { ParquetFileColumn } from './parquet-file-columns.ts';
import { scaledStatistic, statisticScale } from './parquet-column-type.ts';
import type { ParquetFooter } from './read-parquet-footer.ts';

/**
 * A footer statistic in the literal representation of the column's type (expr.ts), or
 * undefined when it cannot be trusted or represented: DECIMAL statistics arrive from
 * hyparquet as unscaled × 10^-scale in floating point, which rounding recovers exactly while
 * the unscaled value is a safe integer; DATE and TIMESTAMP are already days and microseconds
 * (read-parquet-footer.ts), TIME is in its stored unit (scaled by the caller, statisticScale);
 * text is taken only from min_value/max_value, whose order is the column's (the legacy
 * min/max of BYTE_ARRAY used signed bytes).
 */
function literalOf(value: unknown, type: SqlType, legacy: boolean): LiteralValue | undefined {
  if (value === undefined || value === null) return undefined;
  switch (type.kind) {
    case 'DECIMAL': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
      const unscaled = Math.round(value * 10 ** type.scale);
      return Number.isSafeInteger(unscaled) ? unscaled : undefined;
    }
    case 'VARCHAR':
      return !legacy && typeof value === 'string' ? value : undefined;
    case 'BOOLEAN':
      return typeof value === 'boolean' ? value : undefined;
    case 'DOUBLE':
      // ±Infinity has no JSON form, and bounds nothing an estimate needs.
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    default: {
      const n = typeof value === 'bigint' ? Number(value) : value;
      return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
    }
  }
}

interface GroupColumn {
  readonly rows: number;
  readonly min?: LiteralValue;
  readonly max?: LiteralValue;
  readonly nullCount?: number;
  readonly distinct?: number;
}

function groupColumn(group: RowGroup, chunk: number, type: SqlType, scale: number): GroupColumn {
  const rows = Number(group.num_rows);
  const stats = group.columns[chunk]?.meta_data?.statistics;
  if (!stats) return { rows };
  const exact = stats.min_value !== undefined;
  const min = scaledStatistic(literalOf(exact ? stats.min_value : stats.min, type, !exact), scale);
  const max = scaledStatistic(
    literalOf(stats.max_value !== undefined ? stats.max_value : stats.max, type, !exact),
    scale,
  );
  return {
    rows,
    ...(min !== undefined && max !== undefined ? { min, max } : {}),
    ...(stats.null_count === undefined ? {} : { nullCount: Number(stats.null_count) }),
    ...(stats.distinct_count === undefined ? {} : { distinct: Number(stats.distinct_count) }),
  };
}

function extreme(values: readonly LiteralValue[], wantMax: boolean): LiteralValue {
  return values.reduce((best, v) => ((wantMax ? best! < v! : v! < best!) ? v : best));
}

/** Rows counted for a distinct estimate: random rows of the group, or its first rows when clustered. */
const COUNTED_ROWS = 16_384;

/**
 * `count` row positions below `rows`, ascending, drawn pseudo-randomly (a fixed seed, so
 * statistics are repeatable): a stride would alias with runs of equal values (a key sorted
 * with four rows each, sampled every fourth row, looks unique).
 */
function samplePositions(rows: number, count: number): number[] {
  if (rows <= count) return Array.from({ length: rows }, (_, i) => i);
  const chosen = new Set<number>();
  let state = 0x9e3779b9;
  while (chosen.size < count) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    chosen.add(Math.floor((state / 2 ** 32) * rows));
  }
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Frequencies of the values at ascending row `positions` of decoded column pieces, and how
 * many of those rows were NULL. Values are keyed as numbers or as the latin1 view of their
 * bytes: cheap, and equal exactly when the values are.
 */
function countValues(
  pieces: readonly ColumnBuffers[],
  positions: readonly number[],
): { counts: Map<number | string, number>; rows: number; nulls: number } {
  const counts = new Map<number | string, number>();
  let rows = 0;
  let nulls = 0;
  let base = 0;
  let next = 0;
  for (const piece of pieces) {
    const { length, values, offsets, validity } = piece;
    const bytes = offsets ? Buffer.from(values.buffer, values.byteOffset, values.byteLength) : undefined;
    const lanes = offsets ? 1 : Math.max(1, Math.round(values.length / Math.max(1, length)));
    for (; next < positions.length && positions[next] < base + length; next++) {
      const i = positions[next] - base;
      rows++;
      if (validity && ((validity[i >> 3] >> (i & 7)) & 1) === 0) {
        nulls++;
        continue;
      }
      let key: number | string;
      if (bytes && offsets) key = bytes.toString('latin1', offsets[i], offsets[i + 1]);
      else if (lanes === 1) key = Number(values[i]);
      else key = Array.from(values.subarray(i * lanes, (i + 1) * lanes), String).join(':');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    base += length;
  }
  return { counts, rows, nulls };
}

/**
 * Decodes the named table columns of one row group (parquet-connector.ts decodeRowGroup),
 * or fails; given so these statistics stay apart from how a file is opened and decoded.
 */
export type DecodeSample = (
  group: number,
  columns: readonly number[],
) => Promise<Map<number, ColumnBuffers[]>>;

/** The most rows of one row group decoded to estimate distinct counts the footer lacks. */
export const SAMPLE_GROUP_ROWS_LIMIT = 1 << 20;

/**
 * A Parquet file's statistics from its footer: row count, per column min/max and NULL
 * count over all row groups, distinct counts from the row groups' distinct_count (added up
 * when their ranges are disjoint, as a sorted key's are, else as unionDistinct combines them).
 * A column whose footer has no distinct_count (writers leave it out of plain-encoded
 * columns) gets an estimate from one decoded row group: exact when it is the whole file,
 * scaled by rows when the row groups' ranges are disjoint, else Duj1 (estimateDistinct).
 */
export async function parquetTableStatistics(
  footer: ParquetFooter,
  columns: readonly ParquetFileColumn[],
  decode: DecodeSample,
): Promise<TableStatistics> {
  const groups = footer.metadata.row_groups.filter((g) => Number(g.num_rows) > 0);
  const rowCount = Number(footer.metadata.num_rows);
  const perColumn = columns.map((c) => {
    const scale = statisticScale(footer.metadata.schema[c.element]);
    return groups.map((g) => groupColumn(g, c.chunk, c.type, scale));
  });
  const out: Record<string, ColumnStatistics> = {};
  const toSample: number[] = [];
  columns.forEach((column, i) => {
    const parts = perColumn[i];
    const bounded = parts.every((p) => p.min !== undefined && p.max !== undefined);
    const nullCount = parts.every((p) => p.nullCount !== undefined)
      ? parts.reduce((s, p) => s + p.nullCount!, 0)
      : undefined;
    let distinctCount: number | undefined;
    if (parts.length === 0) distinctCount = 0;
    else if (parts.every((p) => p.distinct !== undefined))
      distinctCount = rangesDisjoint(parts)
        ? parts.reduce((s, p) => s + p.distinct!, 0)
        : unionDistinct(parts.map((p) => ({ distinct: p.distinct!, rows: p.rows - (p.nullCount ?? 0) })));
    else toSample.push(i);
    out[column.name] = {
      ...(bounded && parts.length > 0
        ? {
            min: extreme(
              parts.map((p) => p.min!),
              false,
            ),
            max: extreme(
              parts.map((p) => p.max!),
              true,
            ),
          }
        : {}),
      ...(nullCount === undefined ? {} : { nullCount }),
      ...(distinctCount === undefined ? {} : { distinctCount }),
    };
  });
  const sampleGroup = footer.metadata.row_groups.findIndex((g) => Number(g.num_rows) > 0);
  const sampleRows = sampleGroup < 0 ? 0 : Number(footer.metadata.row_groups[sampleGroup].num_rows);
  if (toSample.length > 0 && sampleGroup >= 0 && sampleRows <= SAMPLE_GROUP_ROWS_LIMIT) {
    const decoded = await decode(sampleGroup, toSample);
    for (const i of toSample) {
      const pieces = decoded.get(i) ?? [];
      const stats = out[columns[i].name];
      const disjoint = rangesDisjoint(perColumn[i]);
      // A clustered column's distinct values grow with consecutive rows (a block tells
      // their rate); a spread one's are estimated from a sample spread over the row group.
      const sample = countValues(
        pieces,
        disjoint
          ? Array.from({ length: Math.min(sampleRows, COUNTED_ROWS) }, (_, r) => r)
          : samplePositions(sampleRows, COUNTED_ROWS),
      );
      const nullShare = sample.nulls / Math.max(1, sample.rows);
      const nonNullTotal = Math.max(0, rowCount - (stats.nullCount ?? Math.round(nullShare * rowCount)));
      const nonNullSampled = sample.rows - sample.nulls;
      const distinctCount =
        nonNullSampled >= nonNullTotal
          ? sample.counts.size
          : disjoint
            ? Math.round((sample.counts.size / Math.max(1, nonNullSampled)) * nonNullTotal)
            : estimateDistinct(sample.counts.values(), nonNullSampled, nonNullTotal);
      out[columns[i].name] = { ...stats, distinctCount: Math.min(distinctCount, nonNullTotal) };
    }
  }
  return { rowCount, columns: out };
}
