import { listNotSupported, type ColumnBuffers, type ColumnBuilder, type SqlType } from '@tributary/common';
import { WORD } from './accumulator-arrays.ts';

const decoder = new TextDecoder();

/** A JS value of one row: what ColumnBuilder appends back (numbers as a literal's, strings, booleans). */
export type RowValue = number | string | boolean | null;

/**
 * Reads row `i` of a column as a JS value: DECIMAL as its unscaled integer (exact below 2^53),
 * DATE days, TIMESTAMP microseconds. For the accumulators that keep a group's values whole
 * (quantiles, ordered string_agg), which are not the hot path of an aggregation.
 */
export function columnValue(column: ColumnBuffers, type: SqlType, i: number): RowValue {
  const validity = column.validity;
  if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) return null;
  switch (type.kind) {
    case 'LIST':
      throw listNotSupported('the argument of this aggregate', type);
    case 'NULL':
      return null;
    case 'BOOLEAN':
      return (((column.values as Uint8Array)[i >> 3] >> (i & 7)) & 1) === 1;
    case 'INTEGER':
    case 'DATE':
    case 'DOUBLE':
      return (column.values as Int32Array | Float64Array)[i];
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP': {
      const v = column.values as BigInt64Array;
      const halves = new Int32Array(v.buffer, v.byteOffset, column.length * 2);
      return halves[2 * i + 1] * WORD + (halves[2 * i] >>> 0);
    }
    case 'DECIMAL':
    case 'HUGEINT': {
      const w = column.values as Uint32Array;
      const top = w[4 * i + 3] | 0;
      return type.kind === 'DECIMAL' && type.precision <= 18
        ? (w[4 * i + 1] | 0) * WORD + w[4 * i]
        : top * WORD * WORD * WORD + w[4 * i + 2] * WORD * WORD + w[4 * i + 1] * WORD + w[4 * i];
    }
    case 'VARCHAR': {
      const o = column.offsets as Int32Array;
      return decoder.decode((column.values as Uint8Array).subarray(o[i], o[i + 1]));
    }
  }
}

/** SQL order of two non-NULL values of one type: numbers by value, strings by code point. */
export function compareRowValues(a: RowValue, b: RowValue): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  const x = a as number;
  const y = b as number;
  // NaN sorts above every number, as in DuckDB.
  if (x !== x) return y !== y ? 0 : 1;
  if (y !== y) return -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Rough bytes a kept value costs in the JS heap, for memory accounting. */
export function rowValueBytes(v: ExactValue): number {
  return typeof v === 'string' ? 40 + 2 * v.length : 16;
}

/** A row's value with 64- and 128-bit integers (BIGINT, TIMESTAMP, DECIMAL, HUGEINT) exact, as bigints. */
export type ExactValue = RowValue | bigint;

/** Reads row `i` like columnValue, but wide integers exactly: for values kept and given back whole. */
export function exactColumnValue(column: ColumnBuffers, type: SqlType, i: number): ExactValue {
  const validity = column.validity;
  if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) return null;
  switch (type.kind) {
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
      return (column.values as BigInt64Array)[i];
    case 'DECIMAL':
    case 'HUGEINT': {
      const w = column.values as Uint32Array;
      const unsigned =
        (BigInt(w[4 * i + 3]) << 96n) |
        (BigInt(w[4 * i + 2]) << 64n) |
        (BigInt(w[4 * i + 1]) << 32n) |
        BigInt(w[4 * i]);
      return BigInt.asIntN(128, unsigned);
    }
    default:
      return columnValue(column, type, i);
  }
}

/** SQL order of two non-NULL values of one type, exact values included. */
export function compareExactValues(a: ExactValue, b: ExactValue): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  return compareRowValues(a as RowValue, b as RowValue);
}

/** Appends a value read by columnValue or exactColumnValue to a builder of the same type. */
export function appendRowValue(out: ColumnBuilder, v: ExactValue): void {
  if (v === null) out.appendNull();
  else if (typeof v === 'string') out.appendString(v);
  else if (typeof v === 'boolean') out.appendBoolean(v);
  else if (typeof v === 'bigint') out.appendBigInt(v);
  else out.appendNumber(v);
}
