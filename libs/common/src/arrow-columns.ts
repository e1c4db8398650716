import { Data, Field, makeData, RecordBatch, Schema, Struct, type DataType } from 'apache-arrow';
import { toArrowType, type ColumnDescriptor } from './arrow-types.ts';
import type { SqlType } from './sql-type.ts';

/**
 * Raw, typed-array form of one column in its canonical Arrow layout (arrow-types.ts).
 * `values` per SQL type:
 *  BOOLEAN   Uint8Array bitmap (bit i of byte i>>3, LSB first)
 *  INTEGER, DATE           Int32Array
 *  BIGINT, TIMESTAMP       BigInt64Array (read and write through an Int32Array view: lo, hi)
 *  DOUBLE                  Float64Array
 *  DECIMAL                 Uint32Array, 4 little-endian words per value (two's complement)
 *  VARCHAR                 Uint8Array UTF-8 bytes with `offsets` (Int32Array, length+1)
 * `validity` is an Arrow validity bitmap (1 = valid) or undefined when no value is null.
 */
export interface ColumnBuffers {
  readonly type: SqlType;
  readonly length: number;
  readonly values: Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array;
  readonly offsets?: Int32Array;
  readonly validity?: Uint8Array;
}

function countNulls(validity: Uint8Array | undefined, length: number): number {
  if (!validity) return 0;
  let valid = 0;
  for (let i = 0; i < length; i++) valid += (validity[i >> 3] >> (i & 7)) & 1;
  return length - valid;
}

export function columnData(column: ColumnBuffers): Data {
  const type: DataType = toArrowType(column.type);
  const nullCount = countNulls(column.validity, column.length);
  const nullBitmap = nullCount === 0 ? undefined : column.validity;
  if (column.type.kind === 'VARCHAR') {
    return makeData({
      type,
      length: column.length,
      nullCount,
      nullBitmap,
      valueOffsets: column.offsets,
      data: column.values as Uint8Array,
    } as never);
  }
  if (column.type.kind === 'NULL') {
    return makeData({ type, length: column.length, nullCount: column.length } as never);
  }
  return makeData({ type, length: column.length, nullCount, nullBitmap, data: column.values } as never);
}

function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    a.buffer === b.buffer &&
    a.byteOffset < b.byteOffset + b.byteLength &&
    b.byteOffset < a.byteOffset + a.byteLength
  );
}

/**
 * The columns with every buffer that overlaps an earlier column's copied. Arrow JS's IPC
 * writer cannot write a batch whose 64- or 128-bit columns share bytes (it declares a body
 * longer than it writes: "Expected to read N bytes for message body"), and a projection
 * that selects one column twice (`SELECT k AS a, k AS b`) hands out the same buffers twice.
 */
function withoutSharedBuffers(columns: readonly ColumnBuffers[]): readonly ColumnBuffers[] {
  const seen: ArrayBufferView[] = [];
  const own = <T extends ArrayBufferView & { slice(): T }>(view: T): T => {
    // A column of the NULL type has no value buffer at all.
    if (view === undefined) return view;
    const copy = view.byteLength > 0 && seen.some((s) => overlaps(s, view)) ? view.slice() : view;
    seen.push(copy);
    return copy;
  };
  return columns.map((c) => {
    const values = own(c.values as Uint8Array) as ColumnBuffers['values'];
    const offsets = c.offsets && own(c.offsets);
    const validity = c.validity && own(c.validity);
    return values === c.values && offsets === c.offsets && validity === c.validity
      ? c
      : { ...c, values, offsets, validity };
  });
}

/** Assembles a RecordBatch from columns in their canonical layout. */
export function makeRecordBatch(
  descriptors: readonly ColumnDescriptor[],
  columns: readonly ColumnBuffers[],
  length: number,
): RecordBatch {
  const fields = descriptors.map((d) => new Field(d.name, toArrowType(d.type), true));
  const data = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children: withoutSharedBuffers(columns).map(columnData),
  });
  return new RecordBatch(new Schema(fields), data);
}

/** Reads the buffers of a canonical column back out of Arrow Data (no copy). */
export function columnBuffers(data: Data, type: SqlType): ColumnBuffers {
  const validity = data.nullCount > 0 ? (data.nullBitmap as Uint8Array) : undefined;
  const base = { type, length: data.length, validity };
  if (type.kind === 'VARCHAR')
    return { ...base, values: data.values as Uint8Array, offsets: data.valueOffsets as Int32Array };
  return { ...base, values: data.values as ColumnBuffers['values'] };
}

/** Whether row i of a validity bitmap is valid (not NULL). */
export function isValid(validity: Uint8Array | undefined, i: number): boolean {
  return validity === undefined || ((validity[i >> 3] >> (i & 7)) & 1) === 1;
}

/** Data.offset is not supported by the layout above: batches are sliced by copying. */
export function assertUnsliced(data: Data): void {
  if (data.offset !== 0) throw new Error('sliced Arrow data is not supported; copy it first');
}
