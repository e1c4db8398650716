import type { ColumnBuffers } from '@tributary/common';

/**
 * Gathers row `rows[k]` of column `columns[sources[k]]` for k in 0..count into one new column
 * (all columns of one SQL type, NULLs kept): what a merge of several sorted streams emits.
 */
export function interleave(
  columns: readonly ColumnBuffers[],
  sources: Uint32Array,
  rows: Uint32Array,
  count: number,
): ColumnBuffers {
  const type = columns[0].type;
  let validity: Uint8Array | undefined;
  if (type.kind !== 'NULL' && columns.some((c) => c.validity !== undefined)) {
    validity = new Uint8Array((count + 7) >> 3);
    let nulls = 0;
    for (let k = 0; k < count; k++) {
      const v = columns[sources[k]].validity;
      const i = rows[k];
      if (v === undefined || ((v[i >> 3] >> (i & 7)) & 1) === 1) validity[k >> 3] |= 1 << (k & 7);
      else nulls++;
    }
    if (nulls === 0) validity = undefined;
  }
  switch (type.kind) {
    case 'NULL':
      return { type, length: count, values: new Uint8Array(0), validity: new Uint8Array((count + 7) >> 3) };
    case 'BOOLEAN': {
      const out = new Uint8Array((count + 7) >> 3);
      for (let k = 0; k < count; k++) {
        const bits = columns[sources[k]].values as Uint8Array;
        const i = rows[k];
        if ((bits[i >> 3] >> (i & 7)) & 1) out[k >> 3] |= 1 << (k & 7);
      }
      return { type, length: count, values: out, validity };
    }
    case 'INTEGER':
    case 'DATE': {
      const out = new Int32Array(count);
      const src = columns.map((c) => c.values as Int32Array);
      for (let k = 0; k < count; k++) out[k] = src[sources[k]][rows[k]];
      return { type, length: count, values: out, validity };
    }
    case 'DOUBLE': {
      const out = new Float64Array(count);
      const src = columns.map((c) => c.values as Float64Array);
      for (let k = 0; k < count; k++) out[k] = src[sources[k]][rows[k]];
      return { type, length: count, values: out, validity };
    }
    case 'BIGINT':
    case 'TIMESTAMP':
    case 'DECIMAL': {
      const stride = type.kind === 'DECIMAL' ? 4 : 2;
      const src = columns.map((c) => {
        const v = c.values as BigInt64Array | Uint32Array;
        return new Int32Array(v.buffer, v.byteOffset, c.length * stride);
      });
      const words = new Int32Array(count * stride);
      for (let k = 0; k < count; k++) {
        const from = src[sources[k]];
        const at = rows[k] * stride;
        const to = k * stride;
        for (let j = 0; j < stride; j++) words[to + j] = from[at + j];
      }
      const values = stride === 4 ? new Uint32Array(words.buffer) : new BigInt64Array(words.buffer);
      return { type, length: count, values, validity };
    }
    case 'VARCHAR': {
      const offsets = new Int32Array(count + 1);
      let total = 0;
      for (let k = 0; k < count; k++) {
        const o = columns[sources[k]].offsets as Int32Array;
        const i = rows[k];
        total += o[i + 1] - o[i];
        offsets[k + 1] = total;
      }
      const out = new Uint8Array(total);
      for (let k = 0; k < count; k++) {
        const c = columns[sources[k]];
        const o = c.offsets as Int32Array;
        const bytes = c.values as Uint8Array;
        const start = o[rows[k]];
        const end = o[rows[k] + 1];
        const at = offsets[k];
        // Short strings copy faster byte by byte than through subarray + set.
        if (end - start < 16) for (let j = start; j < end; j++) out[at + j - start] = bytes[j];
        else out.set(bytes.subarray(start, end), at);
      }
      return { type, length: count, values: out, offsets, validity };
    }
  }
}
