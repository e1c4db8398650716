import { BIGINT, type ColumnBuffers } from '@tributary/common';

/** Typed-array helpers shared by the aggregate accumulators. */
export const WORD = 4294967296;
export const CARRY_LIMIT = 2 ** 52;

export function growFloat(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

export function growInt(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

export function growBytes(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Uint8Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

export function validityOf(has: Uint8Array, start: number, end: number): Uint8Array | undefined {
  const n = end - start;
  const validity = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    if (has[start + k] === 1) validity[k >> 3] |= 1 << (k & 7);
    else nulls++;
  }
  return nulls === 0 ? undefined : validity;
}

export function isNullAt(validity: Uint8Array | undefined, i: number): boolean {
  return validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0;
}

/** Writes BIGINT values (exact integers in numbers) as Int64. */
export function bigintColumn(
  values: Float64Array,
  start: number,
  end: number,
  validity: Uint8Array | undefined,
): ColumnBuffers {
  const n = end - start;
  const out = new BigInt64Array(n);
  const halves = new Int32Array(out.buffer);
  for (let k = 0; k < n; k++) {
    const v = values[start + k];
    const hi = Math.floor(v / WORD);
    halves[2 * k] = v - hi * WORD;
    halves[2 * k + 1] = hi;
  }
  return { type: BIGINT, length: n, values: out, validity };
}
