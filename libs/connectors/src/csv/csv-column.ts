import { InternalError, type ColumnBuffers, type SqlType } from '@tributary/common';

/** A column's type as a small integer: the column parsers switch on it once a column, not once a value. */
export const K_OTHER = 0;
export const K_VARCHAR = 1;
export const K_BIGINT = 2;
export const K_INTEGER = 3;
export const K_DECIMAL = 4;
export const K_DOUBLE = 5;
export const K_DATE = 6;
export const K_TIMESTAMP = 7;
export const K_BOOLEAN = 8;
export const K_TIME = 9;

export function kindCode(kind: SqlType['kind']): number {
  switch (kind) {
    case 'VARCHAR':
      return K_VARCHAR;
    case 'BIGINT':
      return K_BIGINT;
    case 'INTEGER':
      return K_INTEGER;
    case 'DECIMAL':
      return K_DECIMAL;
    case 'DOUBLE':
      return K_DOUBLE;
    case 'DATE':
      return K_DATE;
    case 'TIMESTAMP':
      return K_TIMESTAMP;
    case 'BOOLEAN':
      return K_BOOLEAN;
    case 'TIME':
      return K_TIME;
    default:
      return K_OTHER;
  }
}

const TWO_32 = 4294967296;
const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_INTS = new Int32Array(0);
const EMPTY_DOUBLES = new Float64Array(0);

/** Int32 words a value of the type takes (64-bit: 2, 128-bit: 4). */
function wordsPerValue(type: SqlType): number {
  switch (type.kind) {
    case 'INTEGER':
    case 'DATE':
      return 1;
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
      return 2;
    case 'DECIMAL':
    case 'HUGEINT':
      return 4;
    default:
      return 0;
  }
}

/**
 * One column of a CSV batch in its canonical layout (arrow-columns.ts), filled row by row
 * by index by the column parsers (parse-csv-columns.ts), which write its typed arrays
 * directly: `ints` holds INTEGER/DATE values, or the little-endian Int32 words of 64- and
 * 128-bit values; `doubles` DOUBLE values; `bits` BOOLEAN values; `bytes`/`offsets` text.
 * Every field exists for every type (empty when unused) so that all columns share one
 * shape and the parsers' property loads stay monomorphic. Rows past a bad one can be taken
 * back (`truncate`) when a bad row is skipped.
 */
export class CsvColumn {
  readonly kind: number;
  /** Validity bitmap (1 = valid), all set at the start of a batch. */
  validity: Uint8Array;
  ints: Int32Array;
  doubles: Float64Array;
  bits: Uint8Array;
  bytes: Uint8Array;
  offsets: Int32Array;
  /** Text bytes written so far. */
  byteLength = 0;

  constructor(
    readonly type: SqlType,
    readonly capacity: number,
  ) {
    this.kind = kindCode(type.kind);
    this.validity = EMPTY_BYTES;
    this.ints = EMPTY_INTS;
    this.doubles = EMPTY_DOUBLES;
    this.bits = EMPTY_BYTES;
    this.bytes = EMPTY_BYTES;
    this.offsets = EMPTY_INTS;
    this.allocate();
  }

  private allocate(): void {
    const n = this.capacity;
    this.validity = new Uint8Array((n + 7) >> 3).fill(255);
    const words = wordsPerValue(this.type);
    if (words > 0) this.ints = new Int32Array(n * words);
    else if (this.type.kind === 'DOUBLE') this.doubles = new Float64Array(n);
    else if (this.type.kind === 'BOOLEAN') this.bits = new Uint8Array((n + 7) >> 3);
    else if (this.type.kind === 'VARCHAR') {
      this.offsets = new Int32Array(n + 1);
      // Sized by the last batch's text, so that a batch rarely grows its bytes or leaves many unused.
      const last = this.byteLength;
      this.bytes = new Uint8Array(last > 0 ? Math.max(1024, last + (last >> 3)) : Math.max(1024, n * 16));
    }
  }

  setNull(i: number): void {
    this.validity[i >> 3] &= ~(1 << (i & 7));
    if (this.kind === K_VARCHAR) this.offsets[i + 1] = this.byteLength;
  }

  /** BIGINT, TIMESTAMP: an integer-valued number (exact below 2^53). */
  setInt64(i: number, value: number): void {
    this.ints[2 * i] = value | 0;
    this.ints[2 * i + 1] = Math.floor(value / TWO_32) | 0;
  }

  /** BIGINT, TIMESTAMP beyond 2^53. */
  setBigInt64(i: number, value: bigint): void {
    const v = BigInt.asUintN(64, value);
    this.ints[2 * i] = Number(v & 0xffffffffn) | 0;
    this.ints[2 * i + 1] = Number(v >> 32n) | 0;
  }

  /** DECIMAL: the unscaled integer as a number (exact below 2^53). */
  setDecimal(i: number, unscaled: number): void {
    const hi = Math.floor(unscaled / TWO_32) | 0;
    const w = this.ints;
    w[4 * i] = unscaled | 0;
    w[4 * i + 1] = hi;
    const sign = hi < 0 ? -1 : 0;
    w[4 * i + 2] = sign;
    w[4 * i + 3] = sign;
  }

  /** DECIMAL beyond 2^53 (more than 15 digits). */
  setDecimalBig(i: number, unscaled: bigint): void {
    let v = BigInt.asUintN(128, unscaled);
    for (let k = 0; k < 4; k++) {
      this.ints[4 * i + k] = Number(v & 0xffffffffn) | 0;
      v >>= 32n;
    }
  }

  setBoolean(i: number, value: boolean): void {
    if (value) this.bits[i >> 3] |= 1 << (i & 7);
    else this.bits[i >> 3] &= ~(1 << (i & 7));
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

  /**
   * Takes back rows `rows` and after, up to `upTo` (the rows written so far): their text
   * bytes and nulls, so that they can be written again.
   */
  truncate(rows: number, upTo: number): void {
    if (upTo <= rows) return;
    if (this.kind === K_VARCHAR) this.byteLength = this.offsets[rows];
    const v = this.validity;
    v[rows >> 3] |= ~((1 << (rows & 7)) - 1) & 255;
    v.fill(255, (rows >> 3) + 1, Math.min(v.length, (upTo >> 3) + 1));
  }

  /** The first `length` rows as canonical buffers; the column then starts a fresh batch. */
  finish(length: number): ColumnBuffers {
    const type = this.type;
    const full = length === this.capacity;
    const validityBytes = (length + 7) >> 3;
    let nulls = false;
    const v = this.validity;
    for (let k = 0; k < validityBytes - 1 && !nulls; k++) nulls = v[k] !== 255;
    if (!nulls && length > 0) {
      const lastBits = length & 7 || 8;
      nulls = (v[validityBytes - 1] & ((1 << lastBits) - 1)) !== (1 << lastBits) - 1;
    }
    const validity = nulls ? (full ? v : v.slice(0, validityBytes)) : undefined;
    let result: ColumnBuffers;
    switch (type.kind) {
      case 'NULL':
        result = { type, length, values: new Uint8Array(0), validity: new Uint8Array(validityBytes) };
        break;
      case 'VARCHAR':
        result = {
          type,
          length,
          // Handed over as they are when mostly used (no copy), else copied to size.
          values:
            this.byteLength >= this.bytes.length - (this.bytes.length >> 2)
              ? this.bytes.subarray(0, this.byteLength)
              : this.bytes.slice(0, this.byteLength),
          offsets: full ? this.offsets : this.offsets.slice(0, length + 1),
          validity,
        };
        break;
      case 'BOOLEAN':
        result = { type, length, values: full ? this.bits : this.bits.slice(0, validityBytes), validity };
        break;
      case 'DOUBLE':
        result = { type, length, values: full ? this.doubles : this.doubles.slice(0, length), validity };
        break;
      case 'INTEGER':
      case 'DATE':
        result = { type, length, values: full ? this.ints : this.ints.slice(0, length), validity };
        break;
      case 'BIGINT':
      case 'TIME':
      case 'TIMESTAMP': {
        const ints = full ? this.ints : this.ints.slice(0, 2 * length);
        result = { type, length, values: new BigInt64Array(ints.buffer, ints.byteOffset, length), validity };
        break;
      }
      case 'DECIMAL':
      case 'HUGEINT': {
        const ints = full ? this.ints : this.ints.slice(0, 4 * length);
        result = {
          type,
          length,
          values: new Uint32Array(ints.buffer, ints.byteOffset, 4 * length),
          validity,
        };
        break;
      }
      case 'LIST':
        // CSV cells are scalars; a list column is never inferred nor declared for one.
        throw new InternalError('a CSV column cannot be a LIST');
    }
    this.allocate();
    this.byteLength = 0;
    return result;
  }
}
