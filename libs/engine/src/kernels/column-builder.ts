import { InternalError, type ColumnBuffers, type SqlType } from '@tributary/common';

const encoder = new TextEncoder();

/**
 * Appends values of one SQL type into growable typed arrays and finishes into a canonical
 * column. Numbers are JS numbers in the meaning of a literal: INTEGER/BIGINT/DOUBLE values,
 * DATE days, TIMESTAMP µs, DECIMAL the unscaled integer.
 */
export class ColumnBuilder {
  readonly type: SqlType;
  private length = 0;
  private capacity: number;
  private validity: Uint8Array | undefined;
  private bits: Uint8Array | undefined;
  private i32: Int32Array | undefined;
  private f64: Float64Array | undefined;
  private u32: Uint32Array | undefined;
  private bytes: Uint8Array | undefined;
  private offsets: Int32Array | undefined;
  private byteLength = 0;

  constructor(type: SqlType, initialCapacity = 1024) {
    this.type = type;
    this.capacity = Math.max(8, initialCapacity);
    this.allocate(this.capacity);
  }

  get size(): number {
    return this.length;
  }

  private allocate(capacity: number): void {
    switch (this.type.kind) {
      case 'NULL':
        return;
      case 'BOOLEAN':
        this.bits = grow(Uint8Array, this.bits, (capacity + 7) >> 3);
        return;
      case 'INTEGER':
      case 'DATE':
        this.i32 = grow(Int32Array, this.i32, capacity);
        return;
      case 'BIGINT':
      case 'TIMESTAMP':
        this.i32 = grow(Int32Array, this.i32, capacity * 2);
        return;
      case 'DOUBLE':
        this.f64 = grow(Float64Array, this.f64, capacity);
        return;
      case 'DECIMAL':
        this.u32 = grow(Uint32Array, this.u32, capacity * 4);
        return;
      case 'VARCHAR':
        this.offsets = grow(Int32Array, this.offsets, capacity + 1);
        if (!this.bytes) this.bytes = new Uint8Array(capacity * 8);
        return;
    }
  }

  private reserve(): number {
    if (this.length === this.capacity) {
      this.capacity *= 2;
      this.allocate(this.capacity);
      if (this.validity) this.validity = grow(Uint8Array, this.validity, (this.capacity + 7) >> 3);
    }
    return this.length++;
  }

  private reserveBytes(n: number): void {
    const bytes = this.bytes as Uint8Array;
    if (this.byteLength + n > bytes.length) {
      const next = new Uint8Array(Math.max(bytes.length * 2, this.byteLength + n));
      next.set(bytes.subarray(0, this.byteLength));
      this.bytes = next;
    }
  }

  appendNull(): void {
    const row = this.reserve();
    if (!this.validity) {
      // Rows so far were all valid.
      this.validity = new Uint8Array((this.capacity + 7) >> 3);
      for (let i = 0; i < row; i++) this.validity[i >> 3] |= 1 << (i & 7);
    }
    if (this.offsets) this.offsets[row + 1] = this.byteLength;
  }

  private markValid(row: number): void {
    if (this.validity) this.validity[row >> 3] |= 1 << (row & 7);
  }

  appendNumber(v: number): void {
    const row = this.reserve();
    this.markValid(row);
    switch (this.type.kind) {
      case 'INTEGER':
      case 'DATE':
        (this.i32 as Int32Array)[row] = v;
        return;
      case 'DOUBLE':
        (this.f64 as Float64Array)[row] = v;
        return;
      case 'BIGINT':
      case 'TIMESTAMP': {
        const hi = Math.floor(v / 4294967296);
        const a = this.i32 as Int32Array;
        a[row << 1] = (v - hi * 4294967296) | 0;
        a[(row << 1) + 1] = hi | 0;
        return;
      }
      case 'DECIMAL': {
        const hi = Math.floor(v / 4294967296);
        const a = this.u32 as Uint32Array;
        const o = row << 2;
        a[o] = v - hi * 4294967296;
        a[o + 1] = hi;
        const sign = v < 0 ? 0xffffffff : 0;
        a[o + 2] = sign;
        a[o + 3] = sign;
        return;
      }
      case 'BOOLEAN':
        if (v !== 0) (this.bits as Uint8Array)[row >> 3] |= 1 << (row & 7);
        return;
      default:
        throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append a number`);
    }
  }

  appendBoolean(b: boolean): void {
    if (this.type.kind !== 'BOOLEAN')
      throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append a boolean`);
    const row = this.reserve();
    this.markValid(row);
    if (b) (this.bits as Uint8Array)[row >> 3] |= 1 << (row & 7);
  }

  appendBytes(src: Uint8Array, start: number, end: number): void {
    if (this.type.kind !== 'VARCHAR')
      throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append bytes`);
    const row = this.reserve();
    this.markValid(row);
    const n = end - start;
    this.reserveBytes(n);
    const bytes = this.bytes as Uint8Array;
    const at = this.byteLength;
    if (n < 16) for (let j = 0; j < n; j++) bytes[at + j] = src[start + j];
    else bytes.set(src.subarray(start, end), at);
    this.byteLength += n;
    (this.offsets as Int32Array)[row + 1] = this.byteLength;
  }

  appendString(s: string): void {
    if (this.type.kind !== 'VARCHAR')
      throw new InternalError(`ColumnBuilder(${this.type.kind}) cannot append a string`);
    const row = this.reserve();
    this.markValid(row);
    this.reserveBytes(s.length * 3);
    const { written } = encoder.encodeInto(s, (this.bytes as Uint8Array).subarray(this.byteLength));
    this.byteLength += written;
    (this.offsets as Int32Array)[row + 1] = this.byteLength;
  }

  /** Appends row `row` of a column of the same type. */
  appendFrom(column: ColumnBuffers, row: number): void {
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
        this.appendNumber((column.values as Int32Array | Float64Array)[row]);
        return;
      case 'BIGINT':
      case 'TIMESTAMP': {
        const at = this.reserve();
        this.markValid(at);
        const values = column.values as BigInt64Array;
        const src = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
        const a = this.i32 as Int32Array;
        a[at << 1] = src[row << 1];
        a[(at << 1) + 1] = src[(row << 1) + 1];
        return;
      }
      case 'DECIMAL': {
        const at = this.reserve();
        this.markValid(at);
        const src = column.values as Uint32Array;
        const a = this.u32 as Uint32Array;
        for (let j = 0; j < 4; j++) a[(at << 2) + j] = src[(row << 2) + j];
        return;
      }
      case 'VARCHAR': {
        const o = column.offsets as Int32Array;
        this.appendBytes(column.values as Uint8Array, o[row], o[row + 1]);
        return;
      }
    }
  }

  /** The column built so far; the builder must not be used afterwards. */
  finish(): ColumnBuffers {
    const length = this.length;
    const type = this.type;
    const validity = this.validity ? this.validity.slice(0, (length + 7) >> 3) : undefined;
    switch (type.kind) {
      case 'NULL':
        return { type, length, values: new Uint8Array(0), validity: new Uint8Array((length + 7) >> 3) };
      case 'BOOLEAN':
        return { type, length, values: (this.bits as Uint8Array).slice(0, (length + 7) >> 3), validity };
      case 'INTEGER':
      case 'DATE':
        return { type, length, values: (this.i32 as Int32Array).slice(0, length), validity };
      case 'BIGINT':
      case 'TIMESTAMP':
        return {
          type,
          length,
          values: new BigInt64Array((this.i32 as Int32Array).slice(0, length * 2).buffer),
          validity,
        };
      case 'DOUBLE':
        return { type, length, values: (this.f64 as Float64Array).slice(0, length), validity };
      case 'DECIMAL':
        return { type, length, values: (this.u32 as Uint32Array).slice(0, length * 4), validity };
      case 'VARCHAR':
        return {
          type,
          length,
          values: (this.bytes as Uint8Array).slice(0, this.byteLength),
          offsets: (this.offsets as Int32Array).slice(0, length + 1),
          validity,
        };
    }
  }
}

function grow<T extends Uint8Array | Int32Array | Float64Array | Uint32Array>(
  ctor: new (n: number) => T,
  old: T | undefined,
  size: number,
): T {
  if (old && old.length >= size) return old;
  const next = new ctor(size);
  if (old) (next as Uint8Array).set(old as Uint8Array);
  return next;
}
