import type { RecordBatch } from 'apache-arrow';
import { ColumnBuilder, makeRecordBatch, type ColumnBuffers, type SqlType } from '@tributary/common';
import type { Field } from '@tributary/plan';

/** Rows a column's buffers hold before they first grow. */
const INITIAL_ROWS = 1024;

/** 32-bit words a value takes in a fixed-width column, by type kind (0: not fixed-width words). */
function wordsPerValue(type: SqlType): number {
  switch (type.kind) {
    case 'INTEGER':
    case 'DATE':
      return 1;
    case 'DOUBLE':
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
 * One column of one partition, growing as rows are appended: values as 32-bit words (so a
 * BIGINT or DOUBLE is copied as two words, never through a bigint or a float), bit-packed
 * booleans, or offsets and bytes for text. LIST columns, rare here, go through a ColumnBuilder.
 */
class GrowingColumn {
  length = 0;
  private capacity = 0;
  private words = new Int32Array(0);
  private bits = new Uint8Array(0);
  private offsets = new Int32Array(1);
  private bytes = new Uint8Array(0);
  private byteLength = 0;
  private validity: Uint8Array | undefined;
  private nulls = 0;
  private list: ColumnBuilder | undefined;
  private readonly width: number;

  constructor(private readonly type: SqlType) {
    this.width = wordsPerValue(type);
  }

  /** Bytes of the buffers it holds now (capacity, not length: what the memory budget pays). */
  allocatedBytes(): number {
    return (
      this.words.byteLength +
      this.bits.byteLength +
      this.offsets.byteLength +
      this.bytes.byteLength +
      (this.validity?.byteLength ?? 0)
    );
  }

  /** Appends rows `rows[start..end)` of `column` (`rows` undefined: rows start..end themselves). */
  append(column: ColumnBuffers, rows: Uint32Array | undefined, start: number, end: number): void {
    const count = end - start;
    if (count <= 0) return;
    if (this.type.kind === 'LIST') {
      this.list ??= new ColumnBuilder(this.type, Math.max(count, 16));
      for (let k = start; k < end; k++) this.list.appendFrom(column, rows ? rows[k] : k);
      this.length += count;
      return;
    }
    this.reserve(this.length + count);
    this.appendValidity(column.validity, rows, start, end);
    const at = this.length;
    const w = this.width;
    if (w > 0) {
      const src = column.values;
      const from = new Int32Array(src.buffer, src.byteOffset, src.length * (src.BYTES_PER_ELEMENT >> 2));
      copyWords(from, this.words, w, rows, start, end, at);
    } else if (this.type.kind === 'BOOLEAN') {
      const src = column.values as Uint8Array;
      const out = this.bits;
      for (let k = start, o = at; k < end; k++, o++) {
        const i = rows ? rows[k] : k;
        if ((src[i >> 3] >> (i & 7)) & 1) out[o >> 3] |= 1 << (o & 7);
        else out[o >> 3] &= ~(1 << (o & 7));
      }
    } else if (this.type.kind === 'VARCHAR') {
      this.appendText(column, rows, start, end);
    }
    this.length += count;
  }

  private appendText(column: ColumnBuffers, rows: Uint32Array | undefined, start: number, end: number): void {
    const src = column.values as Uint8Array;
    const srcOffsets = column.offsets as Int32Array;
    let total = 0;
    if (rows) for (let k = start; k < end; k++) total += srcOffsets[rows[k] + 1] - srcOffsets[rows[k]];
    else total = srcOffsets[end] - srcOffsets[start];
    if (this.byteLength + total > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.byteLength + total, 4096));
      bigger.set(this.bytes.subarray(0, this.byteLength));
      this.bytes = bigger;
    }
    const out = this.bytes;
    const offsets = this.offsets;
    let position = this.byteLength;
    if (!rows) {
      out.set(src.subarray(srcOffsets[start], srcOffsets[end]), position);
      const shift = position - srcOffsets[start];
      for (let k = start, o = this.length; k < end; k++, o++) offsets[o + 1] = srcOffsets[k + 1] + shift;
      position += total;
    } else {
      for (let k = start, o = this.length; k < end; k++, o++) {
        const i = rows[k];
        const from = srcOffsets[i];
        const to = srcOffsets[i + 1];
        // Short strings copy faster byte by byte than through subarray + set.
        if (to - from < 16) for (let j = from; j < to; j++) out[position++] = src[j];
        else {
          out.set(src.subarray(from, to), position);
          position += to - from;
        }
        offsets[o + 1] = position;
      }
    }
    this.byteLength = position;
  }

  private appendValidity(
    validity: Uint8Array | undefined,
    rows: Uint32Array | undefined,
    start: number,
    end: number,
  ): void {
    if (!validity && !this.validity) return;
    if (!this.validity) {
      // The first NULL-capable input: every row so far was valid.
      this.validity = new Uint8Array((this.capacity + 7) >> 3);
      for (let o = 0; o < this.length; o++) this.validity[o >> 3] |= 1 << (o & 7);
    }
    const out = this.validity;
    for (let k = start, o = this.length; k < end; k++, o++) {
      const i = rows ? rows[k] : k;
      if (!validity || (validity[i >> 3] >> (i & 7)) & 1) out[o >> 3] |= 1 << (o & 7);
      else {
        out[o >> 3] &= ~(1 << (o & 7));
        this.nulls++;
      }
    }
  }

  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.max(rows, this.capacity * 2, INITIAL_ROWS);
    const bitBytes = (capacity + 7) >> 3;
    if (this.width > 0) {
      const words = new Int32Array(capacity * this.width);
      words.set(this.words.subarray(0, this.length * this.width));
      this.words = words;
    } else if (this.type.kind === 'BOOLEAN') {
      const bits = new Uint8Array(bitBytes);
      bits.set(this.bits);
      this.bits = bits;
    } else if (this.type.kind === 'VARCHAR') {
      const offsets = new Int32Array(capacity + 1);
      offsets.set(this.offsets.subarray(0, this.length + 1));
      this.offsets = offsets;
    }
    if (this.validity) {
      const validity = new Uint8Array(bitBytes);
      validity.set(this.validity);
      this.validity = validity;
    }
    this.capacity = capacity;
  }

  /** The rows appended since the last clear, as canonical buffers over its own arrays (a view until the next append or clear). */
  view(): ColumnBuffers {
    const { type, length } = this;
    if (type.kind === 'LIST') return this.list ? this.list.finish() : new ColumnBuilder(type, 1).finish();
    const validity =
      this.type.kind === 'NULL'
        ? new Uint8Array((length + 7) >> 3)
        : this.nulls > 0
          ? this.validity!.subarray(0, (length + 7) >> 3)
          : undefined;
    const { buffer } = this.words;
    switch (type.kind) {
      case 'NULL':
        return { type, length, values: new Uint8Array(0), validity };
      case 'BOOLEAN':
        return { type, length, values: this.bits.subarray(0, (length + 7) >> 3), validity };
      case 'VARCHAR':
        return {
          type,
          length,
          values: this.bytes.subarray(0, this.byteLength),
          offsets: this.offsets.subarray(0, length + 1),
          validity,
        };
      case 'INTEGER':
      case 'DATE':
        return { type, length, values: this.words.subarray(0, length), validity };
      case 'DOUBLE':
        return { type, length, values: new Float64Array(buffer, 0, length), validity };
      case 'BIGINT':
      case 'TIME':
      case 'TIMESTAMP':
        return { type, length, values: new BigInt64Array(buffer, 0, length), validity };
      default:
        return { type, length, values: new Uint32Array(buffer, 0, length * 4), validity };
    }
  }

  /** Forgets the rows, keeping the arrays for the next ones (every bit is written as rows are appended; a LIST column starts a new builder). */
  clear(): void {
    this.length = 0;
    this.byteLength = 0;
    this.nulls = 0;
    this.list = undefined;
  }
}

function copyWords(
  from: Int32Array,
  out: Int32Array,
  w: number,
  rows: Uint32Array | undefined,
  start: number,
  end: number,
  at: number,
): void {
  if (!rows) {
    out.set(from.subarray(start * w, end * w), at * w);
    return;
  }
  if (w === 1) {
    for (let k = start, o = at; k < end; k++, o++) out[o] = from[rows[k]];
  } else if (w === 2) {
    for (let k = start, o = at << 1; k < end; k++, o += 2) {
      const i = rows[k] << 1;
      out[o] = from[i];
      out[o + 1] = from[i + 1];
    }
  } else {
    for (let k = start, o = at << 2; k < end; k++, o += 4) {
      const i = rows[k] << 2;
      out[o] = from[i];
      out[o + 1] = from[i + 1];
      out[o + 2] = from[i + 2];
      out[o + 3] = from[i + 3];
    }
  }
}

/**
 * Rows gathered for each output partition of a shuffle in growable column buffers: a batch's
 * rows are copied once, straight into their partition's buffers (not first into a batch per
 * partition that is later concatenated with the others), and a partition's rows are read back
 * as one batch over those buffers, which are reused once it is cleared.
 */
export class PartitionBuffers {
  private readonly columns: GrowingColumn[][];
  /** Rows of each partition (a batch may have no columns). */
  private readonly counts: number[];

  constructor(
    private readonly fields: readonly Field[],
    partitions: number,
  ) {
    this.columns = Array.from({ length: partitions }, () => fields.map((f) => new GrowingColumn(f.type)));
    this.counts = new Array<number>(partitions).fill(0);
  }

  /** Rows partition `p` holds. */
  rows(p: number): number {
    return this.counts[p];
  }

  /** Bytes of every partition's buffers (their capacity). */
  allocatedBytes(): number {
    let bytes = 0;
    for (const partition of this.columns) for (const c of partition) bytes += c.allocatedBytes();
    return bytes;
  }

  /**
   * Appends to partition `p` rows `rows[start..end)` of a batch's columns (canonical buffers,
   * one per field), or rows start..end themselves when `rows` is undefined.
   */
  append(
    p: number,
    columns: readonly ColumnBuffers[],
    rows: Uint32Array | undefined,
    start: number,
    end: number,
  ): void {
    const partition = this.columns[p];
    for (let c = 0; c < partition.length; c++) partition[c].append(columns[c], rows, start, end);
    this.counts[p] += end - start;
  }

  /** Partition `p`'s rows as one batch: a view of its buffers, valid until its next append or clear. */
  batch(p: number): RecordBatch {
    const partition = this.columns[p];
    return makeRecordBatch(
      this.fields,
      partition.map((c) => c.view()),
      this.rows(p),
    );
  }

  clear(p: number): void {
    for (const c of this.columns[p]) c.clear();
    this.counts[p] = 0;
  }
}
