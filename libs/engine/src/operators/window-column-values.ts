import type { ColumnBuffers } from '@tributary/common';
import { compareBytes } from './hash-aggregate-accumulators.ts';
import { sortPermutation } from './sort-permutation.ts';

const WORD = 4294967296;

/** Whether row i of a column holds a value (not NULL). */
export function isValidAt(column: ColumnBuffers, i: number): boolean {
  if (column.type.kind === 'NULL') return false;
  const v = column.validity;
  return v === undefined || ((v[i >> 3] >> (i & 7)) & 1) === 1;
}

/**
 * A numeric column's values as JS numbers (NULLs read as 0): INTEGER/DATE as they are,
 * BIGINT/TIMESTAMP from their 64 bits and DECIMAL (unscaled)/HUGEINT from their 128 bits,
 * exact below 2^53.
 */
export function numericValues(column: ColumnBuffers): Float64Array {
  const n = column.length;
  const out = new Float64Array(n);
  const values = column.values;
  switch (column.type.kind) {
    case 'INTEGER':
    case 'DATE': {
      const a = values as Int32Array;
      for (let i = 0; i < n; i++) out[i] = a[i];
      return out;
    }
    case 'DOUBLE':
      out.set((values as Float64Array).subarray(0, n));
      return out;
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP': {
      const w = new Int32Array(values.buffer, values.byteOffset, n * 2);
      for (let i = 0; i < n; i++) out[i] = w[2 * i + 1] * WORD + (w[2 * i] >>> 0);
      return out;
    }
    case 'DECIMAL':
    case 'HUGEINT': {
      // All four words: exact below 2^53, and beyond it a nearby double, which orders
      // values and tells the exact sums apart from the ones a double can hold.
      const w = new Int32Array(values.buffer, values.byteOffset, n * 4);
      for (let i = 0; i < n; i++) {
        const k = 4 * i;
        out[i] = ((w[k + 3] * WORD + (w[k + 2] >>> 0)) * WORD + (w[k + 1] >>> 0)) * WORD + (w[k] >>> 0);
      }
      return out;
    }
    case 'BOOLEAN': {
      const bits = values as Uint8Array;
      for (let i = 0; i < n; i++) out[i] = (bits[i >> 3] >> (i & 7)) & 1;
      return out;
    }
    default:
      return out;
  }
}

/** A DECIMAL/HUGEINT/BIGINT value exactly, from all its words. */
export function exactValue(column: ColumnBuffers, i: number): bigint {
  const values = column.values;
  if (column.type.kind === 'DECIMAL' || column.type.kind === 'HUGEINT') {
    const w = new Uint32Array(values.buffer, values.byteOffset, column.length * 4);
    let v = 0n;
    for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(w[4 * i + k]);
    return BigInt.asIntN(128, v);
  }
  if (column.type.kind === 'BIGINT' || column.type.kind === 'TIMESTAMP' || column.type.kind === 'TIME')
    return new BigInt64Array(values.buffer, values.byteOffset, column.length)[i];
  return BigInt(numericValues(column)[i]);
}

/**
 * Numbers that order the values of any column as SQL compares them (for MIN/MAX): numbers
 * themselves for numeric and temporal types, dense ranks by UTF-8 bytes for VARCHAR.
 */
export function comparableValues(column: ColumnBuffers): Float64Array {
  if (column.type.kind !== 'VARCHAR') return numericValues(column);
  const n = column.length;
  const out = new Float64Array(n);
  const order = sortPermutation([column], [{ ascending: true, nullsFirst: false }], n);
  const bytes = column.values as Uint8Array;
  const offsets = column.offsets as Int32Array;
  let rank = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (!isValidAt(column, i)) break;
    if (k > 0) {
      const p = order[k - 1];
      const c = compareBytes(
        bytes,
        offsets[p],
        offsets[p + 1] - offsets[p],
        bytes,
        offsets[i],
        offsets[i + 1] - offsets[i],
      );
      if (c !== 0) rank++;
    }
    out[i] = rank;
  }
  return out;
}

/** A column with its values as numbers (numericValues), computed once a chunk. */
export interface NumericColumn {
  readonly column: ColumnBuffers;
  readonly values: Float64Array;
}
