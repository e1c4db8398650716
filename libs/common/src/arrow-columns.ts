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
 *  LIST                    empty Uint8Array; `offsets` (length+1) into `child`, the elements' column
 * `validity` is an Arrow validity bitmap (1 = valid) or undefined when no value is null.
 */
export interface ColumnBuffers {
  readonly type: SqlType;
  readonly length: number;
  readonly values: Uint8Array | Int32Array | Float64Array | BigInt64Array | Uint32Array;
  readonly offsets?: Int32Array;
  readonly validity?: Uint8Array;
  /** LIST: the elements of every row, rows' elements [offsets[i], offsets[i+1]). */
  readonly child?: ColumnBuffers;
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
  if (column.type.kind === 'LIST') {
    return makeData({
      type,
      length: column.length,
      nullCount,
      nullBitmap,
      valueOffsets: column.offsets,
      child: columnData(column.child!),
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
    // A list's elements are a column of their own: copied whole when shared (rare: `SELECT a, a`).
    const child = c.child && withoutSharedBuffers([c.child])[0];
    const childShared = c.child !== undefined && seenChild(seen, c.child);
    return values === c.values && offsets === c.offsets && validity === c.validity && !childShared
      ? c
      : { ...c, values, offsets, validity, child: childShared ? copyColumn(c.child!) : child };
  });
}

function seenChild(seen: ArrayBufferView[], child: ColumnBuffers): boolean {
  const views = [child.values, child.offsets, child.validity].filter(
    (v): v is NonNullable<typeof v> => v !== undefined && v.byteLength > 0,
  );
  const shared = views.some((v) => seen.some((s) => overlaps(s, v)));
  seen.push(...views);
  return shared || (child.child !== undefined && seenChild(seen, child.child));
}

function copyColumn(c: ColumnBuffers): ColumnBuffers {
  return {
    ...c,
    values: c.values.slice() as ColumnBuffers['values'],
    offsets: c.offsets?.slice(),
    validity: c.validity?.slice(),
    child: c.child && copyColumn(c.child),
  };
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
  return recordBatchOf(new Schema(fields), data);
}

/** Whether two fields share a name (`SELECT 1 AS a, 'x' AS a`, `SELECT t.id, u.id`). */
export function repeatsNames(fields: readonly { readonly name: string }[]): boolean {
  return new Set(fields.map((f) => f.name)).size !== fields.length;
}

/**
 * `new RecordBatch(schema, data)` keeping `schema` as it is. Arrow's constructor passes the
 * schema through Schema.assign, which merges fields by name: of two fields named alike the
 * first would take the second's type, and the batch's schema would no longer describe its
 * data (an IPC frame of it cannot be read back).
 */
export function recordBatchOf(
  schema: Schema,
  data: Data<Struct>,
  metadata?: Map<string, string>,
): RecordBatch {
  const batch = new RecordBatch(schema, data, metadata);
  if (repeatsNames(schema.fields)) Object.assign(batch, { schema });
  return batch;
}

/** Reads the buffers of a canonical column back out of Arrow Data (no copy). */
export function columnBuffers(data: Data, type: SqlType): ColumnBuffers {
  const validity = data.nullCount > 0 ? (data.nullBitmap as Uint8Array) : undefined;
  const base = { type, length: data.length, validity };
  if (type.kind === 'VARCHAR')
    return { ...base, values: data.values as Uint8Array, offsets: data.valueOffsets as Int32Array };
  if (type.kind === 'LIST') {
    const offsets = data.valueOffsets as Int32Array;
    // Rows index the elements through offsets, which need not start at 0.
    const childData = data.children[0];
    assertUnsliced(childData);
    const child = columnBuffers(childData, type.element);
    return { ...base, values: new Uint8Array(0), offsets, child };
  }
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
