import type { RecordBatch } from 'apache-arrow';
import {
  columnBuffers,
  formatDate,
  formatDecimal,
  formatTime,
  formatTimestamp,
  isFloat,
  isZoned,
  itemToJson,
  shortestFloat,
  listAt,
  type ColumnBuffers,
} from '@tributary/common';
import type { Field } from '@tributary/plan';

const decoder = new TextDecoder();

function jsonDouble(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] > 0x7f) return false;
  return true;
}

/** The JSON value of every row of one column, NULL as null. */
function columnJsonValues(c: ColumnBuffers): unknown[] {
  const n = c.length;
  const out: unknown[] = new Array(n);
  const validity = c.validity;
  const valid = (i: number): boolean => validity === undefined || ((validity[i >> 3] >> (i & 7)) & 1) === 1;
  const type = c.type;
  switch (type.kind) {
    case 'NULL':
      for (let i = 0; i < n; i++) out[i] = null;
      return out;
    case 'BOOLEAN': {
      const bits = c.values as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = valid(i) ? ((bits[i >> 3] >> (i & 7)) & 1) === 1 : null;
      return out;
    }
    case 'INTEGER': {
      const v = c.values as Int32Array;
      for (let i = 0; i < n; i++) out[i] = valid(i) ? v[i] : null;
      return out;
    }
    case 'DATE': {
      const v = c.values as Int32Array;
      for (let i = 0; i < n; i++) out[i] = valid(i) ? formatDate(v[i]) : null;
      return out;
    }
    case 'DOUBLE': {
      const v = c.values as Float64Array;
      // A FLOAT as its shortest digits (0.1, not the 0.100000001490116… its double holds).
      const shown = isFloat(type) ? shortestFloat : (x: number): number => x;
      for (let i = 0; i < n; i++) out[i] = valid(i) ? jsonDouble(shown(v[i])) : null;
      return out;
    }
    case 'TIMESTAMP': {
      const values = c.values as BigInt64Array;
      const v = new Int32Array(values.buffer, values.byteOffset, n * 2);
      const zoned = isZoned(type);
      for (let i = 0; i < n; i++)
        out[i] = valid(i) ? formatTimestamp(v[2 * i + 1] * 4294967296 + (v[2 * i] >>> 0), 'T', zoned) : null;
      return out;
    }
    case 'TIME': {
      const values = c.values as BigInt64Array;
      for (let i = 0; i < n; i++) out[i] = valid(i) ? formatTime(Number(values[i])) : null;
      return out;
    }
    case 'BIGINT': {
      const values = c.values as BigInt64Array;
      const v = new Int32Array(values.buffer, values.byteOffset, n * 2);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          out[i] = null;
          continue;
        }
        const hi = v[2 * i + 1];
        // Below 2^53 the double is exact and prints faster than the BigInt.
        out[i] =
          hi >= -2097152 && hi < 2097152 ? String(hi * 4294967296 + (v[2 * i] >>> 0)) : values[i].toString();
      }
      return out;
    }
    case 'DECIMAL':
    case 'HUGEINT': {
      const v = c.values as Uint32Array;
      const scale = type.kind === 'DECIMAL' ? type.scale : 0;
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          out[i] = null;
          continue;
        }
        const hiWord = v[4 * i + 1] | 0;
        const fits53 =
          (v[4 * i + 2] === 0 && v[4 * i + 3] === 0 && hiWord >= 0 && hiWord < 2097152) ||
          (v[4 * i + 2] === 0xffffffff && v[4 * i + 3] === 0xffffffff && hiWord < 0 && hiWord >= -2097152);
        out[i] = fits53
          ? formatDecimal(hiWord * 4294967296 + v[4 * i], scale)
          : formatDecimalWords(v, i, scale);
      }
      return out;
    }
    case 'LIST':
      for (let i = 0; i < n; i++) out[i] = itemToJson(listAt(c, i), type);
      return out;
    case 'VARCHAR': {
      const bytes = c.values as Uint8Array;
      const o = c.offsets as Int32Array;
      if (isAscii(bytes, o[0], o[n])) {
        // Byte offsets are character offsets: decode once, then slice (V8 slices share).
        const text = decoder.decode(bytes.subarray(o[0], o[n]));
        const base = o[0];
        for (let i = 0; i < n; i++) out[i] = valid(i) ? text.slice(o[i] - base, o[i + 1] - base) : null;
        return out;
      }
      for (let i = 0; i < n; i++) out[i] = valid(i) ? decoder.decode(bytes.subarray(o[i], o[i + 1])) : null;
      return out;
    }
  }
}

/** Exact text of a 128-bit decimal (values beyond 2^53 go through BigInt; rare). */
function formatDecimalWords(v: Uint32Array, i: number, scale: number): string {
  let x = 0n;
  for (let w = 3; w >= 0; w--) x = (x << 32n) | BigInt(v[4 * i + w]);
  if (x >= 1n << 127n) x -= 1n << 128n;
  const negative = x < 0n;
  const digits = (negative ? -x : x).toString().padStart(scale + 1, '0');
  const text =
    scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * A batch as JSON-ready rows. A column's encoding depends on its type alone (DuckDB's JSON
 * rows do the same): BOOLEAN true/false; INTEGER a number; BIGINT, HUGEINT and DECIMAL a
 * string of the exact value ("9007199254740993", "12.30" with all `scale` digits), since
 * JSON numbers are doubles to most readers; DOUBLE a number, its three non-numbers as the
 * strings "NaN", "Infinity", "-Infinity"; DATE "YYYY-MM-DD"; TIMESTAMP ISO 8601 without
 * zone, TIMESTAMP WITH TIME ZONE with it ("2024-01-01T10:00:00+00:00"); TIME "HH:MM:SS[.ffffff]"; VARCHAR a string; NULL null.
 */
export function batchToJsonRows(batch: RecordBatch, fields: readonly Field[]): unknown[][] {
  const columns = fields.map((f, col) =>
    columnJsonValues(columnBuffers(batch.getChildAt(col)!.data[0], f.type)),
  );
  const rows: unknown[][] = new Array(batch.numRows);
  for (let i = 0; i < rows.length; i++) rows[i] = columns.map((values) => values[i]);
  return rows;
}
