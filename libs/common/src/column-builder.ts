import type { ColumnBuffers } from './arrow-columns.ts';
import { readItem, type ListItem } from './list-values.ts';
import type { SqlType } from './sql-type.ts';
import { InternalError } from './tributary-error.ts';

const TWO_32 = 4294967296;
const ENCODER = new TextEncoder();

/**
 * Builds one column of the canonical layout (ColumnBuffers) row by row, straight into its
 * typed arrays; `finish` hands them over and starts a fresh column. Two ways to fill it:
 * - `setX(i, …)`: scanners (CSV, SQLite) write row i of a batch of at most `capacity` rows,
 *   in row order, with no bounds or type checks on the hot path;
 * - `appendX(…)`: the next row, growing the arrays as needed; numbers mean what a literal
 *   means (INTEGER/BIGINT/DOUBLE values, DATE days, TIMESTAMP µs, DECIMAL the unscaled integer).
 * One batch uses one of the two.
 */
export class ColumnBuilder {
  readonly type: SqlType;
  private capacity: number;
  /** Rows appended so far (the append API only). */
  private length = 0;
  private values!: Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array;
  /** Int32 view of 64/128-bit values (BIGINT, TIMESTAMP, DECIMAL). */
  private words!: Int32Array;
  private validity!: Uint8Array;
  private nulls = 0;
  private bytes!: Uint8Array;
  private offsets!: Int32Array;
  private byteLength = 0;
  /** LIST: the elements of every row. */
  private child?: ColumnBuilder;

  constructor(type: SqlType, capacity = 1024) {
    this.type = type;
    this.capacity = Math.max(8, capacity);
    this.reset();
  }

  /** Rows appended so far. */
  get size(): number {
    return this.length;
  }

  private reset(): void {
    this.length = 0;
    this.nulls = 0;
    this.byteLength = 0;
    this.allocate(this.capacity);
  }

  /** Fresh arrays for `n` rows, keeping the rows written so far when `keep` (growth). */
  private allocate(n: number, keep = false): void {
    const validity = new Uint8Array((n + 7) >> 3).fill(255);
    if (keep) validity.set(this.validity);
    this.validity = validity;
    let values: typeof this.values;
    switch (this.type.kind) {
      case 'BOOLEAN':
        values = new Uint8Array((n + 7) >> 3);
        break;
      case 'INTEGER':
      case 'DATE':
        values = new Int32Array(n);
        break;
      case 'DOUBLE':
        values = new Float64Array(n);
        break;
      case 'BIGINT':
      case 'TIME':
      case 'TIMESTAMP':
        values = new BigInt64Array(n);
        break;
      case 'DECIMAL':
      case 'HUGEINT':
        values = new Uint32Array(n * 4);
        break;
      case 'VARCHAR': {
        const offsets = new Int32Array(n + 1);
        if (keep) offsets.set(this.offsets);
        else this.bytes = new Uint8Array(Math.max(1024, n * 16));
        this.offsets = offsets;
        values = this.bytes;
        break;
      }
      case 'NULL':
        values = new Uint8Array(0);
        break;
      case 'LIST': {
        const offsets = new Int32Array(n + 1);
        if (keep) offsets.set(this.offsets);
        else this.child = new ColumnBuilder(this.type.element);
        this.offsets = offsets;
        values = new Uint8Array(0);
        break;
      }
    }
    if (keep && this.type.kind !== 'VARCHAR' && this.type.kind !== 'LIST')
      (values as Uint8Array).set(this.values as Uint8Array);
    this.values = values;
    if (values instanceof BigInt64Array || values instanceof Uint32Array)
      this.words = new Int32Array(values.buffer);
  }

  // Row-indexed API (scanners): row i < capacity, rows in order.

  setNull(i: number): void {
    this.validity[i >> 3] &= ~(1 << (i & 7));
    this.nulls++;
    if (this.type.kind === 'VARCHAR') this.offsets[i + 1] = this.byteLength;
    else if (this.type.kind === 'LIST') this.offsets[i + 1] = this.child!.size;
  }

  /** INTEGER, DATE, DOUBLE. */
  setNumber(i: number, value: number): void {
    (this.values as Int32Array | Float64Array)[i] = value;
  }

  /** BIGINT, TIMESTAMP: an integer-valued number (exact below 2^53). */
  setInt64(i: number, value: number): void {
    const hi = Math.floor(value / TWO_32);
    this.words[2 * i] = (value - hi * TWO_32) | 0;
    this.words[2 * i + 1] = hi | 0;
  }

  /** BIGINT, TIMESTAMP beyond 2^53. */
  setBigInt64(i: number, value: bigint): void {
    (this.values as BigInt64Array)[i] = value;
  }

  /** DECIMAL: the unscaled integer as a number (exact below 2^53). */
  setDecimal(i: number, unscaled: number): void {
    const hi = Math.floor(unscaled / TWO_32);
    const w = this.words;
    w[4 * i] = (unscaled - hi * TWO_32) | 0;
    w[4 * i + 1] = hi | 0;
    const sign = hi < 0 ? -1 : 0;
    w[4 * i + 2] = sign;
    w[4 * i + 3] = sign;
  }

  /** DECIMAL beyond 2^53 (rare: more than 15 digits). */
  setDecimalBig(i: number, unscaled: bigint): void {
    const w = this.values as Uint32Array;
    let v = BigInt.asUintN(128, unscaled);
    for (let k = 0; k < 4; k++) {
      w[4 * i + k] = Number(v & 0xffffffffn);
      v >>= 32n;
    }
  }

  setBoolean(i: number, value: boolean): void {
    const v = this.values as Uint8Array;
    if (value) v[i >> 3] |= 1 << (i & 7);
    else v[i >> 3] &= ~(1 << (i & 7));
  }

  /** VARCHAR: appends bytes [start, end) of `source` as row i (rows must come in order). */
  setBytes(i: number, source: Uint8Array, start: number, end: number): void {
    const length = end - start;
    this.ensureBytes(length);
    if (length < 16) for (let j = 0; j < length; j++) this.bytes[this.byteLength + j] = source[start + j];
    else this.bytes.set(source.subarray(start, end), this.byteLength);
    this.byteLength += length;
    this.offsets[i + 1] = this.byteLength;
  }

  /** VARCHAR: appends a JS string as row i. */
  setString(i: number, value: string): void {
    this.ensureBytes(value.length * 3);
    const { written } = ENCODER.encodeInto(value, this.bytes.subarray(this.byteLength));
    this.byteLength += written;
    this.offsets[i + 1] = this.byteLength;
  }

  /** VARCHAR: makes room for `extra` more bytes. */
  ensureBytes(extra: number): void {
    const needed = this.byteLength + extra;
    if (needed <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < needed) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.bytes.subarray(0, this.byteLength));
    this.bytes = grown;
  }

  /** For writers that fill bytes themselves (unescaping CSV quotes). */
  rawBytes(): { bytes: Uint8Array; position: number } {
    return { bytes: this.bytes, position: this.byteLength };
  }

  commitBytes(i: number, written: number): void {
    this.byteLength += written;
    this.offsets[i + 1] = this.byteLength;
  }

  // Append API: the next row, growing as needed.

  private next(): number {
    if (this.length === this.capacity) {
      this.capacity *= 2;
      this.allocate(this.capacity, true);
    }
    return this.length++;
  }

  appendNull(): void {
    this.setNull(this.next());
  }

  /** A number in the meaning of a literal of the column's type (BOOLEAN: non-zero is true). */
  appendNumber(v: number): void {
    switch (this.type.kind) {
      case 'INTEGER':
      case 'DATE':
      case 'DOUBLE':
        return this.setNumber(this.next(), v);
      case 'BIGINT':
      case 'TIME':
      case 'TIMESTAMP':
        return this.setInt64(this.next(), v);
      case 'DECIMAL':
        return this.setDecimal(this.next(), v);
      case 'BOOLEAN':
        return this.setBoolean(this.next(), v !== 0);
      default:
        throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append a number`);
    }
  }

  /** An exact integer: BIGINT and TIMESTAMP as themselves, DECIMAL as its unscaled value, HUGEINT. */
  appendBigInt(v: bigint): void {
    switch (this.type.kind) {
      case 'BIGINT':
      case 'TIME':
      case 'TIMESTAMP':
        return this.setBigInt64(this.next(), v);
      case 'DECIMAL':
      case 'HUGEINT':
        return this.setDecimalBig(this.next(), v);
      default:
        throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append a bigint`);
    }
  }

  appendBoolean(b: boolean): void {
    if (this.type.kind !== 'BOOLEAN')
      throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append a boolean`);
    this.setBoolean(this.next(), b);
  }

  appendBytes(src: Uint8Array, start: number, end: number): void {
    if (this.type.kind !== 'VARCHAR')
      throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append bytes`);
    this.setBytes(this.next(), src, start, end);
  }

  appendString(s: string): void {
    if (this.type.kind !== 'VARCHAR')
      throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append a string`);
    this.setString(this.next(), s);
  }

  /** LIST: appends a row of these elements (each a ListItem of the element type). */
  appendList(items: readonly ListItem[]): void {
    if (this.type.kind !== 'LIST')
      throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append a list`);
    const at = this.next();
    const child = this.child!;
    for (const item of items) child.appendItem(item);
    this.offsets[at + 1] = child.size;
  }

  /** Appends a value of the column's type held as a ListItem (exact integers as bigints). */
  appendItem(item: ListItem): void {
    if (item === null) this.appendNull();
    else if (Array.isArray(item)) this.appendList(item);
    else if (typeof item === 'string') this.appendString(item);
    else if (typeof item === 'boolean') this.appendBoolean(item);
    else if (typeof item === 'bigint') {
      if (this.type.kind === 'INTEGER' || this.type.kind === 'DOUBLE' || this.type.kind === 'DATE')
        this.appendNumber(Number(item));
      else this.appendBigInt(item);
    } else if (this.type.kind === 'HUGEINT' || (this.type.kind === 'DECIMAL' && !Number.isSafeInteger(item)))
      this.appendBigInt(BigInt(item as number));
    else this.appendNumber(item as number);
  }

  /** Appends row `row` of a column of the same type. */
  appendFrom(column: ColumnBuffers, row: number): void {
    if (this.type.kind === 'LIST') {
      this.appendItem(readItem(column, row));
      return;
    }
    const v = column.validity;
    if (this.type.kind === 'NULL' || (v && ((v[row >> 3] >> (row & 7)) & 1) === 0)) {
      this.appendNull();
      return;
    }
    switch (this.type.kind) {
      case 'BOOLEAN': {
        const bits = column.values as Uint8Array;
        this.appendBoolean(((bits[row >> 3] >> (row & 7)) & 1) === 1);
        return;
      }
      case 'INTEGER':
      case 'DATE':
      case 'DOUBLE':
        this.setNumber(this.next(), (column.values as Int32Array | Float64Array)[row]);
        return;
      case 'BIGINT':
      case 'TIME':
      case 'TIMESTAMP':
        this.setBigInt64(this.next(), (column.values as BigInt64Array)[row]);
        return;
      case 'DECIMAL': {
        const at = this.next();
        const src = column.values as Uint32Array;
        const dst = this.values as Uint32Array;
        for (let j = 0; j < 4; j++) dst[(at << 2) + j] = src[(row << 2) + j];
        return;
      }
      case 'VARCHAR': {
        const o = column.offsets as Int32Array;
        this.appendBytes(column.values as Uint8Array, o[row], o[row + 1]);
        return;
      }
    }
  }

  /** The first `length` rows (by default all appended ones) as canonical buffers; the builder then starts over. */
  finish(length = this.length): ColumnBuffers {
    const type = this.type;
    const full = length === this.capacity;
    if (type.kind === 'NULL') {
      this.reset();
      return { type, length, values: new Uint8Array(0), validity: new Uint8Array((length + 7) >> 3) };
    }
    const validity =
      this.nulls === 0 ? undefined : full ? this.validity : this.validity.slice(0, (length + 7) >> 3);
    const slice = (n: number): ColumnBuffers['values'] => (full ? this.values : this.values.slice(0, n));
    let result: ColumnBuffers;
    switch (type.kind) {
      case 'LIST':
        result = {
          type,
          length,
          values: new Uint8Array(0),
          offsets: full ? this.offsets : this.offsets.slice(0, length + 1),
          validity,
          child: this.child!.finish(),
        };
        break;
      case 'VARCHAR':
        result = {
          type,
          length,
          values: this.bytes.slice(0, this.byteLength),
          offsets: full ? this.offsets : this.offsets.slice(0, length + 1),
          validity,
        };
        break;
      case 'BOOLEAN':
        result = { type, length, values: slice((length + 7) >> 3), validity };
        break;
      case 'DECIMAL':
      case 'HUGEINT':
        result = { type, length, values: slice(length * 4), validity };
        break;
      default:
        result = { type, length, values: slice(length), validity };
    }
    this.reset();
    return result;
  }
}
