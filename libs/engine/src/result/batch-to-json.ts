import type { RecordBatch } from 'apache-arrow';
import {
  columnBuffers,
  formatDate,
  formatDecimal,
  formatTimestamp,
  type ColumnBuffers,
} from '@tributary/common';
import type { Field } from '@tributary/plan';

const decoder = new TextDecoder();

/** |unscaled| below 10^15: at most 15 significant digits, so the JSON number prints exactly. */
const EXACT_DECIMAL_LIMIT = 1e15;

function jsonDouble(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

/** Fills `out[row][col]` for one column, NULL as null. */
function fillColumn(rows: unknown[][], col: number, c: ColumnBuffers): void {
  const n = c.length;
  const validity = c.validity;
  const valid = (i: number): boolean => validity === undefined || ((validity[i >> 3] >> (i & 7)) & 1) === 1;
  const type = c.type;
  switch (type.kind) {
    case 'NULL':
      for (let i = 0; i < n; i++) rows[i][col] = null;
      return;
    case 'BOOLEAN': {
      const bits = c.values as Uint8Array;
      for (let i = 0; i < n; i++) rows[i][col] = valid(i) ? ((bits[i >> 3] >> (i & 7)) & 1) === 1 : null;
      return;
    }
    case 'INTEGER': {
      const v = c.values as Int32Array;
      for (let i = 0; i < n; i++) rows[i][col] = valid(i) ? v[i] : null;
      return;
    }
    case 'DATE': {
      const v = c.values as Int32Array;
      for (let i = 0; i < n; i++) rows[i][col] = valid(i) ? formatDate(v[i]) : null;
      return;
    }
    case 'DOUBLE': {
      const v = c.values as Float64Array;
      for (let i = 0; i < n; i++) rows[i][col] = valid(i) ? jsonDouble(v[i]) : null;
      return;
    }
    case 'BIGINT':
    case 'TIMESTAMP': {
      const values = c.values as BigInt64Array;
      const v = new Int32Array(values.buffer, values.byteOffset, n * 2);
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          rows[i][col] = null;
          continue;
        }
        const x = v[2 * i + 1] * 4294967296 + (v[2 * i] >>> 0);
        if (type.kind === 'TIMESTAMP') rows[i][col] = formatTimestamp(x);
        else rows[i][col] = Number.isSafeInteger(x) ? x : values[i].toString();
      }
      return;
    }
    case 'DECIMAL': {
      const v = c.values as Uint32Array;
      for (let i = 0; i < n; i++) {
        if (!valid(i)) {
          rows[i][col] = null;
          continue;
        }
        const hiWord = v[4 * i + 1] | 0;
        const high = v[4 * i + 2] | v[4 * i + 3];
        const fits64 =
          (high === 0 && hiWord >= 0) ||
          (v[4 * i + 2] === 0xffffffff && v[4 * i + 3] === 0xffffffff && hiWord < 0);
        const x = hiWord * 4294967296 + v[4 * i];
        if (fits64 && Math.abs(x) < EXACT_DECIMAL_LIMIT) rows[i][col] = x / 10 ** type.scale;
        else if (fits64 && Number.isSafeInteger(x)) rows[i][col] = formatDecimal(x, type.scale);
        else rows[i][col] = formatDecimalWords(v, i, type.scale);
      }
      return;
    }
    case 'VARCHAR': {
      const bytes = c.values as Uint8Array;
      const o = c.offsets as Int32Array;
      for (let i = 0; i < n; i++)
        rows[i][col] = valid(i) ? decoder.decode(bytes.subarray(o[i], o[i + 1])) : null;
      return;
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
 * A batch as JSON-ready rows: DATE "YYYY-MM-DD", TIMESTAMP ISO 8601 without zone, BIGINT a
 * number when safe else a string, DECIMAL a number when it has at most 15 significant
 * digits else its exact text, DOUBLE a number ("NaN"/"Infinity"/"-Infinity" as strings).
 */
export function batchToJsonRows(batch: RecordBatch, fields: readonly Field[]): unknown[][] {
  const n = batch.numRows;
  const rows: unknown[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = new Array(fields.length);
  for (let col = 0; col < fields.length; col++) {
    fillColumn(rows, col, columnBuffers(batch.getChildAt(col)!.data[0], fields[col].type));
  }
  return rows;
}
