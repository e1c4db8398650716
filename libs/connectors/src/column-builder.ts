import type { ColumnBuffers, SqlType } from '@tributary/common';

const TWO_32 = 4294967296;

/**
 * Accumulates up to `capacity` values of one column, row by row, straight into the typed
 * arrays of the canonical layout; `finish` hands them over and starts a fresh batch.
 */
export class ColumnBuilder {
  readonly type: SqlType;
  private readonly capacity: number;
  private values!: Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array;
  /** Int32 view of 64/128-bit values (BIGINT, TIMESTAMP, DECIMAL). */
  private words!: Int32Array;
  private validity!: Uint8Array;
  private nulls = 0;
  private bytes!: Uint8Array;
  private offsets!: Int32Array;
  private byteLength = 0;

  constructor(type: SqlType, capacity: number) {
    this.type = type;
    this.capacity = capacity;
    this.reset();
  }

  private reset(): void {
    const n = this.capacity;
    this.validity = new Uint8Array((n + 7) >> 3).fill(255);
    this.nulls = 0;
    switch (this.type.kind) {
      case 'BOOLEAN':
        this.values = new Uint8Array((n + 7) >> 3);
        break;
      case 'INTEGER':
      case 'DATE':
        this.values = new Int32Array(n);
        break;
      case 'DOUBLE':
        this.values = new Float64Array(n);
        break;
      case 'BIGINT':
      case 'TIMESTAMP': {
        const v = new BigInt64Array(n);
        this.values = v;
        this.words = new Int32Array(v.buffer);
        break;
      }
      case 'DECIMAL': {
        const v = new Uint32Array(n * 4);
        this.values = v;
        this.words = new Int32Array(v.buffer);
        break;
      }
      case 'VARCHAR':
        this.bytes = new Uint8Array(Math.max(1024, n * 16));
        this.offsets = new Int32Array(n + 1);
        this.byteLength = 0;
        this.values = this.bytes;
        break;
      case 'NULL':
        this.values = new Uint8Array(0);
        break;
    }
  }

  setNull(i: number): void {
    this.validity[i >> 3] &= ~(1 << (i & 7));
    this.nulls++;
    if (this.type.kind === 'VARCHAR') this.offsets[i + 1] = this.byteLength;
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
    this.bytes.set(source.subarray(start, end), this.byteLength);
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

  /** The first `length` rows as canonical buffers; the builder then starts over. */
  finish(length: number): ColumnBuffers {
    const full = length === this.capacity;
    const validity =
      this.nulls === 0 ? undefined : full ? this.validity : this.validity.slice(0, (length + 7) >> 3);
    let result: ColumnBuffers;
    switch (this.type.kind) {
      case 'VARCHAR':
        result = {
          type: this.type,
          length,
          values: this.bytes.slice(0, this.byteLength),
          offsets: full ? this.offsets : this.offsets.slice(0, length + 1),
          validity,
        };
        break;
      case 'BOOLEAN':
        result = {
          type: this.type,
          length,
          values: full ? this.values : this.values.slice(0, (length + 7) >> 3),
          validity,
        };
        break;
      case 'DECIMAL':
        result = {
          type: this.type,
          length,
          values: full ? this.values : this.values.slice(0, length * 4),
          validity,
        };
        break;
      default:
        result = {
          type: this.type,
          length,
          values: full ? this.values : this.values.slice(0, length),
          validity,
        };
    }
    this.reset();
    return result;
  }
}

const ENCODER = new TextEncoder();
