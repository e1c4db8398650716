import { ColumnBuilder, InternalError, type ColumnBuffers } from '@tributary/common';

/** Concatenates columns of one SQL type into one column (NULLs kept). */
export function concatColumns(columns: ColumnBuffers[]): ColumnBuffers {
  if (columns.length === 0) throw new InternalError('concatColumns needs at least one column');
  if (columns.length === 1) return columns[0];
  const type = columns[0].type;
  if (type.kind === 'LIST') {
    const out = new ColumnBuilder(type);
    for (const c of columns) for (let i = 0; i < c.length; i++) out.appendFrom(c, i);
    return out.finish();
  }
  let length = 0;
  let anyNull = false;
  for (const c of columns) {
    length += c.length;
    if (c.validity) anyNull = true;
  }
  let validity: Uint8Array | undefined;
  if (anyNull) {
    validity = new Uint8Array((length + 7) >> 3);
    let at = 0;
    for (const c of columns) {
      const v = c.validity;
      for (let i = 0; i < c.length; i++, at++) {
        if (!v || (v[i >> 3] >> (i & 7)) & 1) validity[at >> 3] |= 1 << (at & 7);
      }
    }
  }
  switch (type.kind) {
    case 'NULL':
      return { type, length, values: new Uint8Array(0), validity: new Uint8Array((length + 7) >> 3) };
    case 'BOOLEAN': {
      const out = new Uint8Array((length + 7) >> 3);
      let at = 0;
      for (const c of columns) {
        const src = c.values as Uint8Array;
        for (let i = 0; i < c.length; i++, at++)
          if ((src[i >> 3] >> (i & 7)) & 1) out[at >> 3] |= 1 << (at & 7);
      }
      return { type, length, values: out, validity };
    }
    case 'INTEGER':
    case 'DATE':
      return { type, length, values: concatTyped(columns, new Int32Array(length), 1), validity };
    case 'DOUBLE':
      return { type, length, values: concatTyped(columns, new Float64Array(length), 1), validity };
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
      return { type, length, values: concatTyped(columns, new BigInt64Array(length), 1), validity };
    case 'DECIMAL':
    case 'HUGEINT':
      return { type, length, values: concatTyped(columns, new Uint32Array(length * 4), 4), validity };
    case 'VARCHAR': {
      let bytes = 0;
      for (const c of columns) {
        const o = c.offsets as Int32Array;
        bytes += o[c.length] - o[0];
      }
      const out = new Uint8Array(bytes);
      const offsets = new Int32Array(length + 1);
      let at = 0;
      let row = 0;
      for (const c of columns) {
        const o = c.offsets as Int32Array;
        const base = o[0];
        out.set((c.values as Uint8Array).subarray(base, o[c.length]), at);
        for (let i = 1; i <= c.length; i++) offsets[row + i] = at + o[i] - base;
        at += o[c.length] - base;
        row += c.length;
      }
      return { type, length, values: out, offsets, validity };
    }
  }
}

function concatTyped<T extends Int32Array | Float64Array | BigInt64Array | Uint32Array>(
  columns: ColumnBuffers[],
  out: T,
  width: number,
): T {
  let at = 0;
  for (const c of columns) {
    const src = c.values as T;
    (out as Int32Array).set((src as Int32Array).subarray(0, c.length * width), at);
    at += c.length * width;
  }
  return out;
}
