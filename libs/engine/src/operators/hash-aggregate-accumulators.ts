import {
  BIGINT,
  DOUBLE,
  ExecutionError,
  InternalError,
  INTEGER,
  decimal,
  powerOfTen,
  type ColumnBuffers,
  type SqlType,
} from '@tributary/common';
import type { AggregateCall } from '@tributary/plan';
import { KeyTable } from '../hash/key-table.ts';

/**
 * The running state of one aggregate for every group, in typed arrays indexed by group id.
 * `rows` selects which rows of the batch feed it (null: rows 0..count).
 */
export interface Accumulator {
  /** Makes room for group ids below `groups`. */
  resize(groups: number): void;
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void;
  /** The output columns (one, or the state columns in partial mode) of groups start..end. */
  emit(start: number, end: number): ColumnBuffers[];
  /**
   * The state columns (aggregateStateTypes) of groups start..end in any mode, which 'final'
   * mode merges: how a spilling aggregation writes its groups out. DISTINCT has none.
   */
  emitState(start: number, end: number): ColumnBuffers[];
  /** The bytes of its typed arrays, for memory accounting. */
  memoryBytes(): number;
}

const WORD = 4294967296;
const CARRY_LIMIT = 2 ** 52;

function growFloat(a: Float64Array<ArrayBuffer>, n: number): Float64Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

function growInt(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Int32Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

function growBytes(a: Uint8Array<ArrayBuffer>, n: number): Uint8Array<ArrayBuffer> {
  if (a.length >= n) return a;
  const b = new Uint8Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

function validityOf(has: Uint8Array, start: number, end: number): Uint8Array | undefined {
  const n = end - start;
  const validity = new Uint8Array((n + 7) >> 3);
  let nulls = 0;
  for (let k = 0; k < n; k++) {
    if (has[start + k] === 1) validity[k >> 3] |= 1 << (k & 7);
    else nulls++;
  }
  return nulls === 0 ? undefined : validity;
}

function isNullAt(validity: Uint8Array | undefined, i: number): boolean {
  return validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0;
}

/** Writes BIGINT values (exact integers in numbers) as Int64. */
function bigintColumn(
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

/** count(*) (no argument), count(x), or in final mode the sum of partial counts. */
export class CountAccumulator implements Accumulator {
  private counts = new Float64Array(0);
  constructor(
    private readonly hasArg: boolean,
    private readonly merge = false,
  ) {}
  resize(groups: number): void {
    this.counts = growFloat(this.counts, groups);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const counts = this.counts;
    if (this.merge) {
      const column = args[0];
      const v = column.values as BigInt64Array;
      const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (isNullAt(column.validity, i)) continue;
        counts[ids[i]] += halves[2 * i + 1] * WORD + (halves[2 * i] >>> 0);
      }
      return;
    }
    const validity = this.hasArg ? args[0].validity : undefined;
    if (validity === undefined) {
      for (let k = 0; k < count; k++) counts[ids[rows === null ? k : rows[k]]]++;
      return;
    }
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if ((validity[i >> 3] >> (i & 7)) & 1) counts[ids[i]]++;
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    return [bigintColumn(this.counts, start, end, undefined)];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return this.counts.byteLength;
  }
}

/**
 * An exact integer sum per group held as K 32-bit words in float64s (the top one signed),
 * carried whenever a lower word nears 2^52: INTEGER, BIGINT and DECIMAL(p ≤ 18) use 2 words,
 * wider decimals 4, so sums stay exact to 128 bits as DuckDB's HUGEINT sums do.
 */
export class WideSum {
  acc = new Float64Array(0);
  has = new Uint8Array(0);
  readonly words: 2 | 4;
  constructor(private readonly inputType: SqlType) {
    this.words = inputType.kind === 'DECIMAL' && inputType.precision > 18 ? 4 : 2;
  }
  resize(groups: number): void {
    this.acc = growFloat(this.acc, groups * this.words);
    this.has = growBytes(this.has, groups);
  }
  update(ids: Int32Array, column: ColumnBuffers, rows: Uint32Array | null, count: number): void {
    const acc = this.acc;
    const has = this.has;
    const validity = column.validity;
    const kind = this.inputType.kind;
    if (kind === 'INTEGER') {
      const values = column.values as Int32Array;
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
        const g = ids[i];
        const v = values[i];
        has[g] = 1;
        let lo = acc[2 * g] + (v >>> 0);
        if (lo >= CARRY_LIMIT) {
          const c = Math.floor(lo / WORD);
          lo -= c * WORD;
          acc[2 * g + 1] += c;
        }
        acc[2 * g] = lo;
        acc[2 * g + 1] += v >> 31;
      }
      return;
    }
    if (this.words === 2) {
      // BIGINT (Int64) and DECIMAL(p ≤ 18) (Decimal128 whose upper words only extend the sign).
      const v = column.values as BigInt64Array | Uint32Array;
      const stride = kind === 'DECIMAL' ? 4 : 2;
      const halves = new Int32Array(v.buffer, v.byteOffset, column.length * stride);
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
        const g = ids[i];
        has[g] = 1;
        let lo = acc[2 * g] + (halves[stride * i] >>> 0);
        if (lo >= CARRY_LIMIT) {
          const c = Math.floor(lo / WORD);
          lo -= c * WORD;
          acc[2 * g + 1] += c;
        }
        acc[2 * g] = lo;
        acc[2 * g + 1] += halves[stride * i + 1];
      }
      return;
    }
    const words = column.values as Uint32Array;
    const signed = new Int32Array(words.buffer, words.byteOffset, column.length * 4);
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
      const g = ids[i];
      has[g] = 1;
      const at = 4 * g;
      acc[at] += words[4 * i];
      acc[at + 1] += words[4 * i + 1];
      acc[at + 2] += words[4 * i + 2];
      acc[at + 3] += signed[4 * i + 3];
      if (acc[at] >= CARRY_LIMIT || acc[at + 1] >= CARRY_LIMIT || acc[at + 2] >= CARRY_LIMIT)
        this.normalize(g);
    }
  }
  /** Moves carries up so that every word but the top lies in [0, 2^32). */
  normalize(g: number): void {
    const acc = this.acc;
    const at = this.words * g;
    for (let k = 0; k < this.words - 1; k++) {
      const c = Math.floor(acc[at + k] / WORD);
      acc[at + k] -= c * WORD;
      acc[at + k + 1] += c;
    }
  }
  memoryBytes(): number {
    return this.acc.byteLength + this.has.byteLength;
  }
  /** The sum as the nearest-ish double, the same for one value however its words carry. */
  toNumber(g: number): number {
    this.normalize(g);
    const acc = this.acc;
    const at = this.words * g;
    let value = 0;
    for (let k = this.words - 1; k >= 0; k--) value = value * WORD + acc[at + k];
    return value;
  }
  /** Writes group g's sum as 4 little-endian two's-complement words; false on 128-bit overflow. */
  toDecimalWords(g: number, out: Uint32Array, at: number): boolean {
    this.normalize(g);
    const acc = this.acc;
    const base = this.words * g;
    for (let k = 0; k < this.words - 1; k++) out[at + k] = acc[base + k];
    let top = acc[base + this.words - 1];
    for (let k = this.words - 1; k < 3; k++) {
      const high = Math.floor(top / WORD);
      out[at + k] = top - high * WORD;
      top = high;
    }
    if (top < -2147483648 || top > 2147483647) return false;
    out[at + 3] = top;
    return true;
  }
}

function overflow(what: string): ExecutionError {
  return new ExecutionError('NUMERIC_OVERFLOW', `${what} is out of the range of its result type`);
}

/** sum over INTEGER, BIGINT, DECIMAL (exact) or DOUBLE; NULL for a group without values. */
export class SumAccumulator implements Accumulator {
  /** Read by AvgAccumulator: the exact sum, or for DOUBLE `sums`. */
  readonly wide?: WideSum;
  sums = new Float64Array(0);
  private has = new Uint8Array(0);
  constructor(
    inputType: SqlType,
    private readonly outputType: SqlType,
  ) {
    if (inputType.kind !== 'DOUBLE') this.wide = new WideSum(inputType);
  }
  resize(groups: number): void {
    if (this.wide) this.wide.resize(groups);
    else {
      this.sums = growFloat(this.sums, groups);
      this.has = growBytes(this.has, groups);
    }
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    if (this.wide) {
      this.wide.update(ids, args[0], rows, count);
      return;
    }
    const column = args[0];
    const values = column.values as Float64Array;
    const validity = column.validity;
    const sums = this.sums;
    const has = this.has;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
      const g = ids[i];
      sums[g] += values[i];
      has[g] = 1;
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    const n = end - start;
    const wide = this.wide;
    if (!wide)
      return [
        {
          type: DOUBLE,
          length: n,
          values: this.sums.slice(start, end),
          validity: validityOf(this.has, start, end),
        },
      ];
    const validity = validityOf(wide.has, start, end);
    const words = new Uint32Array(4 * n);
    for (let k = 0; k < n; k++) {
      if (wide.has[start + k] === 1 && !wide.toDecimalWords(start + k, words, 4 * k)) throw overflow('sum');
    }
    if (this.outputType.kind === 'DECIMAL')
      return [{ type: this.outputType, length: n, values: words, validity }];
    if (this.outputType.kind === 'DOUBLE') {
      const values = new Float64Array(n);
      for (let k = 0; k < n; k++) values[k] = wide.toNumber(start + k);
      return [{ type: DOUBLE, length: n, values, validity }];
    }
    // BIGINT: the upper two words must only extend the sign of the lower two.
    const values = new BigInt64Array(n);
    const halves = new Int32Array(values.buffer);
    const signed = new Int32Array(words.buffer);
    for (let k = 0; k < n; k++) {
      const hi = signed[4 * k + 1];
      const extension = hi < 0 ? -1 : 0;
      if (signed[4 * k + 2] !== extension || signed[4 * k + 3] !== extension) throw overflow('sum');
      halves[2 * k] = signed[4 * k];
      halves[2 * k + 1] = hi;
    }
    return [{ type: this.outputType, length: n, values, validity }];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return (this.wide?.memoryBytes() ?? 0) + this.sums.byteLength + this.has.byteLength;
  }
}

/**
 * The type avg's partial sum is carried in: exact to 128 bits like the sum itself, so that a
 * split (or spilled) avg of large BIGINTs cannot overflow where the unsplit one does not.
 */
export function avgSumStateType(inputType: SqlType): SqlType {
  if (inputType.kind === 'DOUBLE') return DOUBLE;
  return decimal(38, inputType.kind === 'DECIMAL' ? inputType.scale : 0);
}

/** Whether every aggregate's state can be merged ('final' mode), which spilling relies on. */
export function aggregatesMergeable(calls: readonly AggregateCall[]): boolean {
  return calls.every((c) => !c.distinct || c.fn === 'min' || c.fn === 'max');
}

/**
 * avg: an exact (or DOUBLE) sum and a count; DECIMAL averages divide the unscaled sum by the
 * count and then by 10^scale. In merge mode args are [partial sum, partial count].
 */
export class AvgAccumulator implements Accumulator {
  private readonly sum: SumAccumulator;
  private readonly wide?: WideSum;
  private counts = new Float64Array(0);
  private readonly scale: number;
  constructor(
    inputType: SqlType,
    private readonly mode: 'single' | 'partial' | 'final',
  ) {
    this.scale = inputType.kind === 'DECIMAL' ? inputType.scale : 0;
    const sumInput = mode === 'final' ? avgSumStateType(inputType) : inputType;
    this.sum = new SumAccumulator(sumInput, avgSumStateType(inputType));
    this.wide = this.sum.wide;
  }
  resize(groups: number): void {
    this.sum.resize(groups);
    this.counts = growFloat(this.counts, groups);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    this.sum.update(ids, args, rows, count);
    const counts = this.counts;
    if (this.mode === 'final') {
      const column = args[1];
      const v = column.values as BigInt64Array;
      const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (!isNullAt(column.validity, i)) counts[ids[i]] += halves[2 * i + 1] * WORD + (halves[2 * i] >>> 0);
      }
      return;
    }
    const validity = args[0].validity;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity === undefined || ((validity[i >> 3] >> (i & 7)) & 1) === 1) counts[ids[i]]++;
    }
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return [...this.sum.emit(start, end), bigintColumn(this.counts, start, end, undefined)];
  }
  memoryBytes(): number {
    return this.sum.memoryBytes() + this.counts.byteLength;
  }
  emit(start: number, end: number): ColumnBuffers[] {
    if (this.mode === 'partial') return this.emitState(start, end);
    const n = end - start;
    const values = new Float64Array(n);
    const has = new Uint8Array(n);
    const sums = this.sum.sums;
    const divisor = powerOfTen(this.scale);
    for (let k = 0; k < n; k++) {
      const c = this.counts[start + k];
      if (c === 0) continue;
      has[k] = 1;
      const total = this.wide ? this.wide.toNumber(start + k) : sums[start + k];
      // One division by count·10^scale, as DuckDB does, rather than two roundings.
      values[k] = total / (c * divisor);
    }
    return [{ type: DOUBLE, length: n, values, validity: validityOf(has, 0, n) }];
  }
}

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
    this.width = type.kind === 'DECIMAL' ? 4 : type.kind === 'BIGINT' || type.kind === 'TIMESTAMP' ? 2 : 1;
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
      case 'TIMESTAMP':
      case 'DECIMAL': {
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
      case 'TIMESTAMP': {
        const values = new BigInt64Array(n);
        new Int32Array(values.buffer).set(this.ints.subarray(2 * start, 2 * end));
        return [{ type, length: n, values, validity }];
      }
      case 'DECIMAL': {
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

export function compareBytes(
  a: Uint8Array,
  as: number,
  al: number,
  b: Uint8Array,
  bs: number,
  bl: number,
): number {
  const n = al < bl ? al : bl;
  for (let j = 0; j < n; j++) {
    const d = a[as + j] - b[bs + j];
    if (d !== 0) return d;
  }
  return al - bl;
}

/**
 * Feeds the inner accumulator only the first occurrence of each (group, value) pair, through a
 * KeyTable over (group id, value); NULL values are dropped as aggregates skip them anyway.
 */
export class DistinctAccumulator implements Accumulator {
  private readonly seen: KeyTable;
  private distinctIds = new Int32Array(0);
  private selected = new Uint32Array(0);
  constructor(
    private readonly inner: Accumulator,
    argType: SqlType,
  ) {
    this.seen = new KeyTable([INTEGER, argType]);
  }
  resize(groups: number): void {
    this.inner.resize(groups);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    if (rows !== null) throw new InternalError('distinct aggregates take whole batches');
    if (this.distinctIds.length < count) {
      this.distinctIds = new Int32Array(count);
      this.selected = new Uint32Array(count);
    }
    const groupColumn: ColumnBuffers = { type: INTEGER, length: count, values: ids.subarray(0, count) };
    const keys = this.seen.encode([groupColumn, args[0]], count);
    let expected = this.seen.findOrInsert(keys, this.distinctIds, true);
    let n = 0;
    for (let i = 0; i < count; i++) {
      if (this.distinctIds[i] === expected) {
        this.selected[n++] = i;
        expected++;
      }
    }
    this.inner.update(ids, args, this.selected, n);
  }
  emit(start: number, end: number): ColumnBuffers[] {
    return this.inner.emit(start, end);
  }
  emitState(): ColumnBuffers[] {
    throw new InternalError('DISTINCT aggregates have no mergeable state');
  }
  memoryBytes(): number {
    return (
      this.inner.memoryBytes() +
      this.seen.memoryBytes() +
      this.distinctIds.byteLength +
      this.selected.byteLength
    );
  }
}

export type AggregateMode = 'single' | 'partial' | 'final';

/** The columns partial aggregation emits for one aggregate, which final aggregation reads. */
export function aggregateStateTypes(call: AggregateCall): SqlType[] {
  switch (call.fn) {
    case 'count_star':
    case 'count':
      return [BIGINT];
    case 'sum':
      return [call.type];
    case 'avg':
      return [avgSumStateType(call.arg!.type), BIGINT];
    case 'min':
    case 'max':
      return [call.arg!.type];
  }
}

/** The accumulator computing `call` in the given mode. */
export function createAccumulator(call: AggregateCall, mode: AggregateMode): Accumulator {
  const argType = call.arg?.type;
  const distinct = call.distinct && call.fn !== 'min' && call.fn !== 'max';
  if (distinct && mode !== 'single')
    throw new InternalError(`${call.fn}(DISTINCT …) cannot be split into partial and final aggregation`);
  let accumulator: Accumulator;
  switch (call.fn) {
    case 'count_star':
      accumulator = mode === 'final' ? new CountAccumulator(true, true) : new CountAccumulator(false);
      break;
    case 'count':
      accumulator = mode === 'final' ? new CountAccumulator(true, true) : new CountAccumulator(true);
      break;
    case 'sum':
      accumulator = new SumAccumulator(mode === 'final' ? call.type : argType!, call.type);
      break;
    case 'avg':
      accumulator = new AvgAccumulator(argType!, mode);
      break;
    case 'min':
    case 'max':
      accumulator = new MinMaxAccumulator(argType!, call.fn === 'max');
      break;
  }
  return distinct ? new DistinctAccumulator(accumulator, argType!) : accumulator;
}
