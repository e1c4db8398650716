import { listNotSupported, isWide, type ColumnBuffers, type SqlType } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import { growBytes, growFloat, growInt, validityOf } from './accumulator-arrays.ts';
import { compareBytes } from './compare-bytes.ts';

/** min or max of any type; VARCHAR compares UTF-8 bytes, so code point order. */
export class MinMaxAccumulator implements Accumulator {
  private has = new Uint8Array(0);
  private ints = new Int32Array(0);
  private doubles = new Float64Array(0);
  private heap = new Uint8Array(0);
  private heapLength = 0;
  private starts = new Int32Array(0);
  private lengths = new Int32Array(0);
  private readonly width: number;
  constructor(
    private readonly type: SqlType,
    private readonly isMax: boolean,
  ) {
    this.width = isWide(type)
      ? 4
      : type.kind === 'BIGINT' || type.kind === 'TIMESTAMP' || type.kind === 'TIME'
        ? 2
        : 1;
  }
  resize(groups: number): void {
    this.has = growBytes(this.has, groups);
    if (this.type.kind === 'DOUBLE') this.doubles = growFloat(this.doubles, groups);
    else if (this.type.kind === 'VARCHAR') {
      this.starts = growInt(this.starts, groups);
      this.lengths = growInt(this.lengths, groups);
    } else this.ints = growInt(this.ints, groups * this.width);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const column = args[0];
    const validity = column.validity;
    const has = this.has;
    const sign = this.isMax ? 1 : -1;
    switch (this.type.kind) {
      case 'NULL':
        return;
      case 'DOUBLE': {
        const values = column.values as Float64Array;
        const best = this.doubles;
        for (let k = 0; k < count; k++) {
          const i = rows === null ? k : rows[k];
          if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
          const g = ids[i];
          const v = values[i];
          const b = best[g];
          // NaN is above every number, as in DuckDB.
          if (has[g] === 0 || (this.isMax ? v > b || (v !== v && b === b) : v < b || (b !== b && v === v))) {
            best[g] = v;
            has[g] = 1;
          }
        }
        return;
      }
      case 'BOOLEAN':
      case 'INTEGER':
      case 'DATE': {
        const bool = this.type.kind === 'BOOLEAN';
        const values = column.values as Int32Array | Uint8Array;
        const best = this.ints;
        for (let k = 0; k < count; k++) {
          const i = rows === null ? k : rows[k];
          if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
          const g = ids[i];
          const v = bool ? (values[i >> 3] >> (i & 7)) & 1 : values[i];
          if (has[g] === 0 || (v - best[g]) * sign > 0) {
            best[g] = v;
            has[g] = 1;
          }
        }
        return;
      }
      case 'BIGINT':
      case 'TIME':
      case 'TIMESTAMP':
      case 'DECIMAL':
      case 'HUGEINT': {
        const w = this.width;
        const v = column.values as BigInt64Array | Uint32Array;
        const words = new Int32Array(v.buffer, v.byteOffset, column.length * w);
        const best = this.ints;
        for (let k = 0; k < count; k++) {
          const i = rows === null ? k : rows[k];
          if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
          const g = ids[i];
          if (has[g] === 0 || compareWords(words, i * w, best, g * w, w) * sign > 0) {
            for (let j = 0; j < w; j++) best[g * w + j] = words[i * w + j];
            has[g] = 1;
          }
        }
        return;
      }
      case 'VARCHAR': {
        const offsets = column.offsets as Int32Array;
        const bytes = column.values as Uint8Array;
        for (let k = 0; k < count; k++) {
          const i = rows === null ? k : rows[k];
          if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
          const g = ids[i];
          const s = offsets[i];
          const len = offsets[i + 1] - s;
          if (
            has[g] === 1 &&
            compareBytes(bytes, s, len, this.heap, this.starts[g], this.lengths[g]) * sign <= 0
          )
            continue;
          this.store(g, bytes, s, len);
          has[g] = 1;
        }
        return;
      }
    }
  }
  private store(g: number, bytes: Uint8Array, start: number, length: number): void {
    if (this.heapLength + length > this.heap.length) this.compact(length);
    this.heap.set(bytes.subarray(start, start + length), this.heapLength);
    this.starts[g] = this.heapLength;
    this.lengths[g] = length;
    this.heapLength += length;
  }
  /** Replaced strings leave garbage in the heap; copy the live ones out when it fills. */
  private compact(extra: number): void {
    let live = 0;
    const groups = this.has.length;
    for (let g = 0; g < groups; g++) if (this.has[g] === 1) live += this.lengths[g];
    const heap = new Uint8Array(Math.max(1024, 2 * (live + extra)));
    let at = 0;
    for (let g = 0; g < groups; g++) {
      if (this.has[g] !== 1) continue;
      heap.set(this.heap.subarray(this.starts[g], this.starts[g] + this.lengths[g]), at);
      this.starts[g] = at;
      at += this.lengths[g];
    }
    this.heap = heap;
    this.heapLength = at;
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return (
      this.has.byteLength +
      this.ints.byteLength +
      this.doubles.byteLength +
      this.heap.byteLength +
      this.starts.byteLength +
      this.lengths.byteLength
    );
  }
  emit(start: number, end: number): ColumnBuffers[] {
    const n = end - start;
    const type = this.type;
    const validity = validityOf(this.has, start, end);
    switch (type.kind) {
      case 'LIST':
        throw listNotSupported('the argument of min/max', type);
      case 'NULL':
        return [{ type, length: n, values: new Uint8Array(0), validity: new Uint8Array((n + 7) >> 3) }];
      case 'DOUBLE':
        return [{ type, length: n, values: this.doubles.slice(start, end), validity }];
      case 'BOOLEAN': {
        const values = new Uint8Array((n + 7) >> 3);
        for (let k = 0; k < n; k++) if (this.ints[start + k] !== 0) values[k >> 3] |= 1 << (k & 7);
        return [{ type, length: n, values, validity }];
      }
      case 'INTEGER':
      case 'DATE':
        return [{ type, length: n, values: this.ints.slice(start, end), validity }];
      case 'BIGINT':
      case 'TIME':
      case 'TIMESTAMP': {
        const values = new BigInt64Array(n);
        new Int32Array(values.buffer).set(this.ints.subarray(2 * start, 2 * end));
        return [{ type, length: n, values, validity }];
      }
      case 'DECIMAL':
      case 'HUGEINT': {
        const values = new Uint32Array(4 * n);
        values.set(new Uint32Array(this.ints.buffer, this.ints.byteOffset + 16 * start, 4 * n));
        return [{ type, length: n, values, validity }];
      }
      case 'VARCHAR': {
        const offsets = new Int32Array(n + 1);
        for (let k = 0; k < n; k++)
          offsets[k + 1] = offsets[k] + (this.has[start + k] === 1 ? this.lengths[start + k] : 0);
        const values = new Uint8Array(offsets[n]);
        for (let k = 0; k < n; k++) {
          if (this.has[start + k] !== 1) continue;
          const s = this.starts[start + k];
          values.set(this.heap.subarray(s, s + this.lengths[start + k]), offsets[k]);
        }
        return [{ type, length: n, values, offsets, validity }];
      }
    }
  }
}

/** Compares two little-endian multi-word two's-complement integers: top word signed, the rest unsigned. */
function compareWords(a: Int32Array, at: number, b: Int32Array, bt: number, w: number): number {
  const top = w - 1;
  if (a[at + top] !== b[bt + top]) return a[at + top] < b[bt + top] ? -1 : 1;
  for (let j = top - 1; j >= 0; j--) {
    const x = a[at + j] >>> 0;
    const y = b[bt + j] >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}
