import { listNotSupported, SourceError, type ColumnBuffers, type SqlType } from '@tributary/common';

/** Typed arrays of the Arrow integer formats that fit a JS number exactly. */
const SMALL_INTEGERS: Record<
  string,
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
> = {
  c: Int8Array,
  C: Uint8Array,
  s: Int16Array,
  S: Uint16Array,
  i: Int32Array,
  I: Uint32Array,
};

/** The part of WebAssembly.Memory read here (its buffer is replaced when memory grows). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/**
 * Copies one Arrow C Data Interface array out of WebAssembly memory (wasm32: pointers are
 * 4 bytes, int64 fields 8-byte aligned) into the canonical layout of `type`, converting
 * the Arrow types parquet-wasm yields (Int8..Int64, Float32, Decimal128, Date32/64,
 * Timestamp of any unit, Utf8, LargeUtf8, Utf8View, dictionaries).
 *
 * ArrowSchema: format@0 name@4 metadata@8 flags@16 n_children@24 children@32 dictionary@36
 * ArrowArray:  length@0 null_count@8 offset@16 n_buffers@24 n_children@32 buffers@40
 *              children@44 dictionary@48
 */
export class FfiReader {
  private readonly memory: WasmMemory;
  private view!: DataView;
  private bytes!: Uint8Array;

  constructor(memory: WasmMemory) {
    this.memory = memory;
    this.refresh();
  }

  /** Wasm memory may have grown (and its buffer been replaced) since the last call. */
  refresh(): void {
    if (this.bytes?.buffer !== this.memory.buffer) {
      this.view = new DataView(this.memory.buffer);
      this.bytes = new Uint8Array(this.memory.buffer);
    }
  }

  u32(address: number): number {
    return this.view.getUint32(address, true);
  }

  i64(address: number): number {
    return Number(this.view.getBigInt64(address, true));
  }

  cString(address: number): string {
    let end = address;
    while (this.bytes[end] !== 0) end++;
    return Buffer.from(this.bytes.buffer, address, end - address).toString('utf8');
  }

  schemaFormat(schema: number): string {
    return this.cString(this.u32(schema));
  }

  schemaChild(schema: number, i: number): number {
    return this.u32(this.u32(schema + 32) + 4 * i);
  }

  schemaDictionary(schema: number): number {
    return this.u32(schema + 36);
  }

  arrayLength(array: number): number {
    return this.i64(array);
  }

  arrayChild(array: number, i: number): number {
    return this.u32(this.u32(array + 44) + 4 * i);
  }

  private buffer(array: number, i: number): number {
    return this.u32(this.u32(array + 40) + 4 * i);
  }

  /** Copies `count` bits from bit `offset` at `address` into a fresh bitmap. */
  private bits(address: number, offset: number, count: number): Uint8Array {
    const out = new Uint8Array((count + 7) >> 3);
    if ((offset & 7) === 0) {
      out.set(this.bytes.subarray(address + (offset >> 3), address + (offset >> 3) + out.length));
      return out;
    }
    for (let i = 0; i < count; i++) {
      const j = offset + i;
      if ((this.bytes[address + (j >> 3)] >> (j & 7)) & 1) out[i >> 3] |= 1 << (i & 7);
    }
    return out;
  }

  private validity(array: number, length: number, offset: number): Uint8Array | undefined {
    const nullCount = this.i64(array + 8);
    const address = this.buffer(array, 0);
    if (nullCount === 0 || address === 0) return undefined;
    return this.bits(address, offset, length);
  }

  /** A view of integers of at most 32 bits (Arrow formats c C s S i I) in wasm memory. */
  private smallIntegers(
    format: string,
    data: number,
    offset: number,
    length: number,
  ): Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array {
    const Kind = SMALL_INTEGERS[format];
    return new Kind(this.memory.buffer, data + Kind.BYTES_PER_ELEMENT * offset, length);
  }

  /** Reads `array` (described by `schema`) as a canonical column of `type`. */
  column(schema: number, array: number, type: SqlType, what: string): ColumnBuffers {
    this.refresh();
    const format = this.schemaFormat(schema);
    const length = this.i64(array);
    const offset = this.i64(array + 16);
    const dictionarySchema = this.schemaDictionary(schema);
    if (dictionarySchema !== 0) return this.dictionaryColumn(schema, array, dictionarySchema, type, what);
    const validity = this.validity(array, length, offset);
    const data = this.buffer(array, 1);
    const unsupported = () =>
      new SourceError(
        'UNSUPPORTED_TYPE',
        `${what} has Arrow format "${format}", which cannot be read as ${type.kind}`,
      );

    if (format === 'n') {
      const all = new Uint8Array((length + 7) >> 3);
      return this.nullColumn(type, length, all);
    }
    switch (type.kind) {
      case 'LIST':
        throw listNotSupported('a Parquet column', type);
      case 'BOOLEAN':
        if (format !== 'b') throw unsupported();
        return { type, length, values: this.bits(data, offset, length), validity };
      case 'INTEGER':
      case 'DATE': {
        const values = new Int32Array(length);
        if (format === 'i' || format === 'tdD')
          values.set(new Int32Array(this.memory.buffer, data + 4 * offset, length));
        else if (format === 'c') values.set(new Int8Array(this.memory.buffer, data + offset, length));
        else if (format === 'C') values.set(new Uint8Array(this.memory.buffer, data + offset, length));
        else if (format === 's') values.set(new Int16Array(this.memory.buffer, data + 2 * offset, length));
        else if (format === 'S') values.set(new Uint16Array(this.memory.buffer, data + 2 * offset, length));
        else if (format === 'tdm') {
          const ms = new BigInt64Array(this.memory.buffer, data + 8 * offset, length);
          for (let i = 0; i < length; i++) values[i] = Math.floor(Number(ms[i]) / 86_400_000);
        } else throw unsupported();
        return { type, length, values, validity };
      }
      case 'TIME': {
        // Arrow's times of day: 32-bit seconds or milliseconds, 64-bit microseconds or nanoseconds.
        const values = new BigInt64Array(length);
        if (format === 'ttu') values.set(new BigInt64Array(this.memory.buffer, data + 8 * offset, length));
        else if (format === 'ttn') {
          const source = new BigInt64Array(this.memory.buffer, data + 8 * offset, length);
          for (let i = 0; i < length; i++) values[i] = source[i] / 1000n;
        } else if (format === 'ttm' || format === 'tts') {
          const source = new Int32Array(this.memory.buffer, data + 4 * offset, length);
          const scale = format === 'ttm' ? 1000 : 1_000_000;
          for (let i = 0; i < length; i++) values[i] = BigInt(source[i] * scale);
        } else throw unsupported();
        return { type, length, values, validity };
      }
      case 'BIGINT':
      case 'TIMESTAMP': {
        const values = new BigInt64Array(length);
        const words = new Int32Array(values.buffer);
        if (format === 'l' || format.startsWith('tsu:')) {
          values.set(new BigInt64Array(this.memory.buffer, data + 8 * offset, length));
        } else if (Object.hasOwn(SMALL_INTEGERS, format)) {
          const source = this.smallIntegers(format, data, offset, length);
          for (let i = 0; i < length; i++) {
            words[2 * i] = source[i];
            words[2 * i + 1] = source[i] < 0 ? -1 : 0;
          }
        } else if (format.startsWith('tss:') || format.startsWith('tsm:') || format.startsWith('tsn:')) {
          const source = new BigInt64Array(this.memory.buffer, data + 8 * offset, length);
          const unit = format[2];
          // Rare units: per-value BigInt arithmetic is acceptable here.
          for (let i = 0; i < length; i++) {
            const v = source[i];
            values[i] =
              unit === 's'
                ? v * 1_000_000n
                : unit === 'm'
                  ? v * 1000n
                  : v >= 0n
                    ? v / 1000n
                    : (v - 999n) / 1000n;
          }
        } else throw unsupported();
        return { type, length, values, validity };
      }
      case 'DOUBLE': {
        const values = new Float64Array(length);
        if (format === 'g') values.set(new Float64Array(this.memory.buffer, data + 8 * offset, length));
        else if (format === 'f') values.set(new Float32Array(this.memory.buffer, data + 4 * offset, length));
        else if (Object.hasOwn(SMALL_INTEGERS, format))
          values.set(this.smallIntegers(format, data, offset, length));
        else if (format === 'l' || format === 'L') {
          const source = new (format === 'l' ? BigInt64Array : BigUint64Array)(
            this.memory.buffer,
            data + 8 * offset,
            length,
          );
          for (let i = 0; i < length; i++) values[i] = Number(source[i]);
        } else if (format.startsWith('d:')) {
          // DECIMAL beyond 38 digits (Decimal256) or read as DOUBLE: rare, so per-value BigInt.
          const m = /^d:(\d+),(\d+)(?:,(\d+))?$/.exec(format);
          if (!m) throw unsupported();
          const words = (m[3] === undefined ? 128 : Number(m[3])) / 32;
          const scale = 10 ** Number(m[2]);
          const source = new Uint32Array(this.memory.buffer, data + 4 * words * offset, words * length);
          for (let i = 0; i < length; i++) {
            let v = 0n;
            for (let w = words - 1; w >= 0; w--) v = (v << 32n) | BigInt(source[words * i + w]);
            v = BigInt.asIntN(32 * words, v);
            values[i] = Number(v) / scale;
          }
        } else throw unsupported();
        return { type, length, values, validity };
      }
      case 'HUGEINT': {
        // Unsigned 64-bit integers (UINT64) and narrower ones widen to 128-bit words.
        const values = new Uint32Array(4 * length);
        if (format === 'L' || format === 'l') {
          const source = new Uint32Array(this.memory.buffer, data + 8 * offset, 2 * length);
          const signed = format === 'l';
          for (let i = 0; i < length; i++) {
            const hi = source[2 * i + 1];
            const sign = signed && hi & 0x80000000 ? 0xffffffff : 0;
            values[4 * i] = source[2 * i];
            values[4 * i + 1] = hi;
            values[4 * i + 2] = sign;
            values[4 * i + 3] = sign;
          }
        } else if (format === 'I' || format === 'i') {
          const source = new Int32Array(this.memory.buffer, data + 4 * offset, length);
          for (let i = 0; i < length; i++) {
            const v = source[i];
            const sign = format === 'i' && v < 0 ? 0xffffffff : 0;
            values[4 * i] = v;
            values[4 * i + 1] = sign;
            values[4 * i + 2] = sign;
            values[4 * i + 3] = sign;
          }
        } else throw unsupported();
        return { type, length, values, validity };
      }
      case 'DECIMAL': {
        const values = new Uint32Array(4 * length);
        const m = /^d:(\d+),(\d+)(?:,(\d+))?$/.exec(format);
        if (!m) throw unsupported();
        const width = m[3] === undefined ? 128 : Number(m[3]);
        if (width === 128) values.set(new Uint32Array(this.memory.buffer, data + 16 * offset, 4 * length));
        else if (width === 64 || width === 32) {
          const source =
            width === 64
              ? new Int32Array(this.memory.buffer, data + 8 * offset, 2 * length)
              : new Int32Array(this.memory.buffer, data + 4 * offset, length);
          const step = width / 32;
          for (let i = 0; i < length; i++) {
            const lo = source[step * i];
            const hi = step === 2 ? source[2 * i + 1] : lo < 0 ? -1 : 0;
            const sign = hi < 0 ? 0xffffffff : 0;
            values[4 * i] = lo;
            values[4 * i + 1] = hi;
            values[4 * i + 2] = sign;
            values[4 * i + 3] = sign;
          }
        } else throw unsupported();
        return { type, length, values, validity };
      }
      case 'VARCHAR':
        return this.stringColumn(format, array, length, offset, validity, type, unsupported);
      case 'NULL':
        return this.nullColumn(type, length, new Uint8Array((length + 7) >> 3));
    }
  }

  private nullColumn(type: SqlType, length: number, validity: Uint8Array): ColumnBuffers {
    const widths: Record<string, number> = {
      BOOLEAN: 0,
      INTEGER: 4,
      DATE: 4,
      BIGINT: 8,
      TIMESTAMP: 8,
      DOUBLE: 8,
      DECIMAL: 16,
      HUGEINT: 16,
    };
    if (type.kind === 'VARCHAR')
      return { type, length, values: new Uint8Array(0), offsets: new Int32Array(length + 1), validity };
    if (type.kind === 'BOOLEAN') return { type, length, values: new Uint8Array((length + 7) >> 3), validity };
    const bytes = new ArrayBuffer(length * (widths[type.kind] ?? 0));
    const values =
      type.kind === 'INTEGER' || type.kind === 'DATE'
        ? new Int32Array(bytes)
        : type.kind === 'DOUBLE'
          ? new Float64Array(bytes)
          : type.kind === 'DECIMAL' || type.kind === 'HUGEINT'
            ? new Uint32Array(bytes)
            : new BigInt64Array(bytes);
    return { type, length, values, validity };
  }

  private stringColumn(
    format: string,
    array: number,
    length: number,
    offset: number,
    validity: Uint8Array | undefined,
    type: SqlType,
    unsupported: () => Error,
  ): ColumnBuffers {
    const offsets = new Int32Array(length + 1);
    if (format === 'u' || format === 'z') {
      const source = new Int32Array(this.memory.buffer, this.buffer(array, 1) + 4 * offset, length + 1);
      const first = source[0];
      const size = source[length] - first;
      if (first === 0) offsets.set(source);
      else for (let i = 0; i <= length; i++) offsets[i] = source[i] - first;
      const data = this.buffer(array, 2);
      return { type, length, values: this.bytes.slice(data + first, data + first + size), offsets, validity };
    }
    if (format === 'U' || format === 'Z') {
      const source = new Int32Array(this.memory.buffer, this.buffer(array, 1) + 8 * offset, 2 * (length + 1));
      const first = source[0];
      for (let i = 0; i <= length; i++) offsets[i] = source[2 * i] - first;
      const data = this.buffer(array, 2);
      return {
        type,
        length,
        values: this.bytes.slice(data + first, data + first + offsets[length]),
        offsets,
        validity,
      };
    }
    if (format === 'vu' || format === 'vz') {
      const views = this.buffer(array, 1) + 16 * offset;
      const nBuffers = this.i64(array + 24);
      const dataBuffers: number[] = [];
      for (let b = 2; b < nBuffers - 1; b++) dataBuffers.push(this.buffer(array, b));
      let total = 0;
      for (let i = 0; i < length; i++) total += this.view.getInt32(views + 16 * i, true);
      const values = new Uint8Array(total);
      let w = 0;
      for (let i = 0; i < length; i++) {
        const v = views + 16 * i;
        const size = this.view.getInt32(v, true);
        const start =
          size <= 12
            ? v + 4
            : dataBuffers[this.view.getInt32(v + 8, true)] + this.view.getInt32(v + 12, true);
        values.set(this.bytes.subarray(start, start + size), w);
        w += size;
        offsets[i + 1] = w;
      }
      return { type, length, values, offsets, validity };
    }
    throw unsupported();
  }

  /** Materialises a dictionary-encoded array (indices into a values array). */
  private dictionaryColumn(
    schema: number,
    array: number,
    dictionarySchema: number,
    type: SqlType,
    what: string,
  ): ColumnBuffers {
    const format = this.schemaFormat(schema);
    const length = this.i64(array);
    const offset = this.i64(array + 16);
    const validity = this.validity(array, length, offset);
    const dictionary = this.column(dictionarySchema, this.u32(array + 48), type, what);
    this.refresh();
    const data = this.buffer(array, 1);
    const indices = new Int32Array(length);
    if (format === 'i' || format === 'I')
      indices.set(new Int32Array(this.memory.buffer, data + 4 * offset, length));
    else if (format === 'c' || format === 'C')
      indices.set(new (format === 'c' ? Int8Array : Uint8Array)(this.memory.buffer, data + offset, length));
    else if (format === 's' || format === 'S')
      indices.set(
        new (format === 's' ? Int16Array : Uint16Array)(this.memory.buffer, data + 2 * offset, length),
      );
    else if (format === 'l' || format === 'L') {
      const source = new Int32Array(this.memory.buffer, data + 8 * offset, 2 * length);
      for (let i = 0; i < length; i++) indices[i] = source[2 * i];
    } else
      throw new SourceError('UNSUPPORTED_TYPE', `${what} has dictionary indices of Arrow format "${format}"`);
    if (type.kind === 'VARCHAR') {
      const dOffsets = dictionary.offsets!;
      const dValues = dictionary.values as Uint8Array;
      let total = 0;
      for (let i = 0; i < length; i++) total += dOffsets[indices[i] + 1] - dOffsets[indices[i]];
      const values = new Uint8Array(total);
      const offsets = new Int32Array(length + 1);
      let w = 0;
      for (let i = 0; i < length; i++) {
        const k = indices[i];
        const s = dOffsets[k];
        const e = dOffsets[k + 1];
        values.set(dValues.subarray(s, e), w);
        w += e - s;
        offsets[i + 1] = w;
      }
      return { type, length, values, offsets, validity };
    }
    if (type.kind === 'BOOLEAN') {
      const values = new Uint8Array((length + 7) >> 3);
      const d = dictionary.values as Uint8Array;
      for (let i = 0; i < length; i++)
        if ((d[indices[i] >> 3] >> (indices[i] & 7)) & 1) values[i >> 3] |= 1 << (i & 7);
      return { type, length, values, validity };
    }
    // Fixed width: gather 32-bit words per value.
    const wordsPer =
      type.kind === 'DECIMAL' || type.kind === 'HUGEINT'
        ? 4
        : type.kind === 'INTEGER' || type.kind === 'DATE'
          ? 1
          : 2;
    const source = new Int32Array(
      dictionary.values.buffer,
      dictionary.values.byteOffset,
      dictionary.values.byteLength >> 2,
    );
    const bytes = new ArrayBuffer(length * wordsPer * 4);
    const target = new Int32Array(bytes);
    for (let i = 0; i < length; i++)
      for (let w = 0; w < wordsPer; w++) target[i * wordsPer + w] = source[indices[i] * wordsPer + w];
    const values =
      wordsPer === 1
        ? new Int32Array(bytes)
        : type.kind === 'DOUBLE'
          ? new Float64Array(bytes)
          : type.kind === 'DECIMAL' || type.kind === 'HUGEINT'
            ? new Uint32Array(bytes)
            : new BigInt64Array(bytes);
    return { type, length, values, validity };
  }
}
