import type { RecordBatch } from 'apache-arrow';
import { ColumnBuilder, columnBuffers, makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import type { Field } from '@tributary/plan';

/** Gathers the validity bits of `indices[0..count)`; undefined when every gathered row is valid. */
function takeValidity(
  validity: Uint8Array | undefined,
  indices: Uint32Array,
  count: number,
): Uint8Array | undefined {
  if (!validity) return undefined;
  const out = new Uint8Array((count + 7) >> 3);
  let nulls = 0;
  for (let k = 0; k < count; k++) {
    const i = indices[k];
    if ((validity[i >> 3] >> (i & 7)) & 1) out[k >> 3] |= 1 << (k & 7);
    else nulls++;
  }
  return nulls === 0 ? undefined : out;
}

/**
 * Gathers rows `indices[0..count)` of a canonical column into a new column (any SQL type,
 * NULLs kept). `count` defaults to `indices.length`.
 */
export function take(
  column: ColumnBuffers,
  indices: Uint32Array,
  count: number = indices.length,
): ColumnBuffers {
  const { type } = column;
  const validity = takeValidity(column.validity, indices, count);
  switch (type.kind) {
    case 'LIST': {
      // Lists are rebuilt element by element: rare columns, off the hot paths.
      const out = new ColumnBuilder(type, count);
      for (let k = 0; k < count; k++) out.appendFrom(column, indices[k]);
      return out.finish();
    }
    case 'NULL':
      return { type, length: count, values: new Uint8Array(0), validity: new Uint8Array((count + 7) >> 3) };
    case 'BOOLEAN': {
      const src = column.values as Uint8Array;
      const out = new Uint8Array((count + 7) >> 3);
      for (let k = 0; k < count; k++) {
        const i = indices[k];
        if ((src[i >> 3] >> (i & 7)) & 1) out[k >> 3] |= 1 << (k & 7);
      }
      return { type, length: count, values: out, validity };
    }
    case 'INTEGER':
    case 'DATE': {
      const src = column.values as Int32Array;
      const out = new Int32Array(count);
      for (let k = 0; k < count; k++) out[k] = src[indices[k]];
      return { type, length: count, values: out, validity };
    }
    case 'DOUBLE': {
      const src = column.values as Float64Array;
      const out = new Float64Array(count);
      for (let k = 0; k < count; k++) out[k] = src[indices[k]];
      return { type, length: count, values: out, validity };
    }
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP': {
      const values = column.values as BigInt64Array;
      const src = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      const result = new BigInt64Array(count);
      const out = new Int32Array(result.buffer);
      for (let k = 0; k < count; k++) {
        const i = indices[k] << 1;
        out[k << 1] = src[i];
        out[(k << 1) + 1] = src[i + 1];
      }
      return { type, length: count, values: result, validity };
    }
    case 'DECIMAL':
    case 'HUGEINT': {
      const src = column.values as Uint32Array;
      const out = new Uint32Array(count * 4);
      for (let k = 0; k < count; k++) {
        const i = indices[k] << 2;
        const o = k << 2;
        out[o] = src[i];
        out[o + 1] = src[i + 1];
        out[o + 2] = src[i + 2];
        out[o + 3] = src[i + 3];
      }
      return { type, length: count, values: out, validity };
    }
    case 'VARCHAR': {
      const src = column.values as Uint8Array;
      const srcOffsets = column.offsets as Int32Array;
      const offsets = new Int32Array(count + 1);
      let total = 0;
      for (let k = 0; k < count; k++) {
        const i = indices[k];
        total += srcOffsets[i + 1] - srcOffsets[i];
        offsets[k + 1] = total;
      }
      const out = new Uint8Array(total);
      for (let k = 0; k < count; k++) {
        const i = indices[k];
        const start = srcOffsets[i];
        const end = srcOffsets[i + 1];
        const at = offsets[k];
        // Short strings copy faster byte by byte than through subarray + set.
        if (end - start < 16) for (let j = start; j < end; j++) out[at + j - start] = src[j];
        else out.set(src.subarray(start, end), at);
      }
      return { type, length: count, values: out, offsets, validity };
    }
  }
}

/** Gathers rows `indices[0..count)` of every column of a batch in canonical layout. */
export function takeBatch(
  batch: RecordBatch,
  fields: readonly Field[],
  indices: Uint32Array,
  count: number = indices.length,
): RecordBatch {
  const columns = fields.map((f, i) =>
    take(columnBuffers(batch.getChildAt(i)!.data[0], f.type), indices, count),
  );
  return makeRecordBatch(fields, columns, count);
}
