import { ColumnBuilder, type ColumnBuffers } from '@tributary/common';
import { take } from './take.ts';

const NO_BITS = new Uint8Array(0);

/**
 * Gathers row `rows[k]` of column `columns[sources[k]]` for k in 0..count into one new column
 * (all columns of one SQL type, NULLs kept): what a merge of several sorted streams emits.
 * The per-source buffers are looked up in arrays of one typed-array kind each, so the loops
 * stay monomorphic.
 */
export function interleave(
  columns: readonly ColumnBuffers[],
  sources: Uint32Array,
  rows: Uint32Array,
  count: number,
): ColumnBuffers {
  if (columns.length === 1) return take(columns[0], rows, count);
  const type = columns[0].type;
  if (type.kind === 'NULL')
    return { type, length: count, values: new Uint8Array(0), validity: new Uint8Array((count + 7) >> 3) };
  if (type.kind === 'LIST') {
    const out = new ColumnBuilder(type, count);
    for (let k = 0; k < count; k++) out.appendFrom(columns[sources[k]], rows[k]);
    return out.finish();
  }
  const validity = interleaveValidity(columns, sources, rows, count);
  switch (type.kind) {
    case 'BOOLEAN': {
      const src = columns.map((c) => c.values as Uint8Array);
      const out = new Uint8Array((count + 7) >> 3);
      for (let k = 0; k < count; k++) {
        const bits = src[sources[k]];
        const i = rows[k];
        if ((bits[i >> 3] >> (i & 7)) & 1) out[k >> 3] |= 1 << (k & 7);
      }
      return { type, length: count, values: out, validity };
    }
    case 'INTEGER':
    case 'DATE': {
      const src = columns.map((c) => c.values as Int32Array);
      const out = new Int32Array(count);
      for (let k = 0; k < count; k++) out[k] = src[sources[k]][rows[k]];
      return { type, length: count, values: out, validity };
    }
    case 'DOUBLE': {
      const src = columns.map((c) => c.values as Float64Array);
      const out = new Float64Array(count);
      for (let k = 0; k < count; k++) out[k] = src[sources[k]][rows[k]];
      return { type, length: count, values: out, validity };
    }
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP': {
      const src = columns.map((c) => {
        const v = c.values as BigInt64Array;
        return new Int32Array(v.buffer, v.byteOffset, c.length * 2);
      });
      const values = new BigInt64Array(count);
      const out = new Int32Array(values.buffer);
      for (let k = 0; k < count; k++) {
        const from = src[sources[k]];
        const at = rows[k] << 1;
        out[k << 1] = from[at];
        out[(k << 1) + 1] = from[at + 1];
      }
      return { type, length: count, values, validity };
    }
    case 'DECIMAL':
    case 'HUGEINT': {
      const src = columns.map((c) => c.values as Uint32Array);
      const out = new Uint32Array(count * 4);
      for (let k = 0; k < count; k++) {
        const from = src[sources[k]];
        const at = rows[k] << 2;
        const to = k << 2;
        out[to] = from[at];
        out[to + 1] = from[at + 1];
        out[to + 2] = from[at + 2];
        out[to + 3] = from[at + 3];
      }
      return { type, length: count, values: out, validity };
    }
    case 'VARCHAR': {
      const offsetsOf = columns.map((c) => c.offsets as Int32Array);
      const bytesOf = columns.map((c) => c.values as Uint8Array);
      const offsets = new Int32Array(count + 1);
      let total = 0;
      for (let k = 0; k < count; k++) {
        const o = offsetsOf[sources[k]];
        const i = rows[k];
        total += o[i + 1] - o[i];
        offsets[k + 1] = total;
      }
      const out = new Uint8Array(total);
      for (let k = 0; k < count; k++) {
        const s = sources[k];
        const o = offsetsOf[s];
        const bytes = bytesOf[s];
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

/** The gathered validity bitmap; undefined when no gathered row is NULL. */
function interleaveValidity(
  columns: readonly ColumnBuffers[],
  sources: Uint32Array,
  rows: Uint32Array,
  count: number,
): Uint8Array | undefined {
  if (columns.every((c) => c.validity === undefined)) return undefined;
  // A column without a bitmap reads as all valid through `valid`, a bitmap of ones' stand-in.
  const bitmaps = columns.map((c) => c.validity ?? NO_BITS);
  const valid = columns.map((c) => (c.validity === undefined ? 1 : 0));
  const out = new Uint8Array((count + 7) >> 3);
  let nulls = 0;
  for (let k = 0; k < count; k++) {
    const s = sources[k];
    const i = rows[k];
    if (valid[s] === 1 || ((bitmaps[s][i >> 3] >> (i & 7)) & 1) === 1) out[k >> 3] |= 1 << (k & 7);
    else nulls++;
  }
  return nulls === 0 ? undefined : out;
}
