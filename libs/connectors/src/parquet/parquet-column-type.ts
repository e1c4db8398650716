import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  HUGEINT,
  FLOAT,
  INTEGER,
  SMALLINT,
  TINYINT,
  MAX_DECIMAL_PRECISION,
  TIMESTAMP,
  TIMESTAMPTZ,
  TIME,
  VARCHAR,
  decimal,
  type SqlType,
  type UnsupportedColumn,
} from '@tributary/common';
import type { SchemaElement } from 'hyparquet';

export interface ParquetTypeOptions {
  /** Reads BYTE_ARRAY columns without a string annotation as VARCHAR (DuckDB's binary_as_string). */
  readonly binaryAsString?: boolean;
}

/** A Parquet type Tributary has no type for, as UnsupportedColumn names it. */
export type UnsupportedParquetType = Omit<UnsupportedColumn, 'name'>;

/**
 * A time of day: TIME, any unit. One adjusted to UTC is DuckDB's TIME WITH TIME ZONE, which
 * Tributary lacks (the caller leaves it out).
 */
function timeType(element: SchemaElement): SqlType | UnsupportedParquetType {
  const logical = element.logical_type;
  return logical?.type === 'TIME' && logical.isAdjustedToUTC ? { type: 'TIME WITH TIME ZONE' } : TIME;
}

/**
 * What a statistic of a TIME column is multiplied by to be microseconds, as its values are
 * decoded (hyparquet leaves TIME statistics in the stored unit); 1 for any other column.
 */
export function statisticScale(element: SchemaElement | undefined): number {
  const logical = element?.logical_type;
  const unit =
    logical?.type === 'TIME'
      ? logical.unit
      : element?.converted_type === 'TIME_MILLIS'
        ? 'MILLIS'
        : undefined;
  return unit === 'MILLIS' ? 1000 : unit === 'NANOS' ? 0.001 : 1;
}

/** A numeric statistic times `scale` (statisticScale), floored as decoded values are; others as they are. */
export function scaledStatistic<T>(value: T, scale: number): T {
  return scale === 1 || typeof value !== 'number' ? value : (Math.floor(value * scale) as T);
}

/** The integer type of an INT32/INT64 column with an INTEGER annotation, as DuckDB widens it. */
function integerType(element: SchemaElement): SqlType | undefined {
  const logical = element.logical_type;
  let bits: number;
  let signed: boolean;
  if (logical?.type === 'INTEGER') {
    bits = logical.bitWidth;
    signed = logical.isSigned;
  } else {
    const m = /^(U?)INT_(8|16|32|64)$/.exec(element.converted_type ?? '');
    if (!m) return undefined;
    bits = Number(m[2]);
    signed = m[1] === '';
  }
  // No unsigned integers: each widens to the next type that holds it all.
  if (bits === 8) return signed ? TINYINT : SMALLINT;
  if (bits === 16) return signed ? SMALLINT : INTEGER;
  if (bits === 32 && signed) return INTEGER;
  if (bits === 32 || signed) return BIGINT;
  return HUGEINT; // UINT64 (DuckDB's UBIGINT): only a 128-bit integer holds it
}

/**
 * The SQL type of a flat (leaf, top-level) Parquet column, from its physical, converted and
 * logical types, as DuckDB's read_parquet types it folded into Tributary's types: unsigned
 * integers widen (UINT8 → SMALLINT, UINT64 → HUGEINT), TIMESTAMP of any unit → TIMESTAMP (µs),
 * WITH TIME ZONE when its logical type says it is adjusted to UTC, DECIMAL beyond 38 digits →
 * DOUBLE (as DuckDB reads it), TIME of any unit → TIME (µs). Types Tributary lacks (BLOB, TIME
 * WITH TIME ZONE, INTERVAL, UUID, FLOAT16)
 * come back named, for the caller to leave the column out.
 */
export function parquetColumnType(
  element: SchemaElement,
  options: ParquetTypeOptions = {},
): SqlType | UnsupportedParquetType {
  const logical = element.logical_type;
  const converted = element.converted_type;
  if (converted === 'DECIMAL' || logical?.type === 'DECIMAL') {
    const precision = logical?.type === 'DECIMAL' ? logical.precision : (element.precision ?? 18);
    const scale = logical?.type === 'DECIMAL' ? logical.scale : (element.scale ?? 0);
    return precision <= MAX_DECIMAL_PRECISION ? decimal(precision, scale) : DOUBLE;
  }
  switch (element.type) {
    case 'BOOLEAN':
      return BOOLEAN;
    case 'INT32':
      if (converted === 'DATE' || logical?.type === 'DATE') return DATE;
      if (converted === 'TIME_MILLIS' || logical?.type === 'TIME') return timeType(element);
      return integerType(element) ?? INTEGER;
    case 'INT64':
      if (logical?.type === 'TIMESTAMP') return logical.isAdjustedToUTC ? TIMESTAMPTZ : TIMESTAMP;
      if (converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return TIMESTAMP;
      if (converted === 'TIME_MICROS' || logical?.type === 'TIME') return timeType(element);
      return integerType(element) ?? BIGINT;
    case 'INT96':
      return TIMESTAMP;
    case 'FLOAT':
      return FLOAT;
    case 'DOUBLE':
      return DOUBLE;
    case 'BYTE_ARRAY': {
      const text =
        converted === 'UTF8' ||
        converted === 'ENUM' ||
        converted === 'JSON' ||
        logical?.type === 'STRING' ||
        logical?.type === 'ENUM' ||
        logical?.type === 'JSON';
      if (text || (options.binaryAsString && logical === undefined && converted === undefined))
        return VARCHAR;
      if (logical === undefined && converted === undefined)
        return { type: 'BLOB', hint: 'the source option binaryAsString: true reads it as VARCHAR' };
      break;
    }
    default:
      break;
  }
  return { type: logical?.type ?? converted ?? element.type ?? 'group' };
}

export function isUnsupportedParquetType(
  type: SqlType | UnsupportedParquetType,
): type is UnsupportedParquetType {
  return !('kind' in type);
}
