import {
  Float32,
  Int8,
  Int16,
  List,
  Field,
  RecordBatch,
  Schema,
  Struct,
  makeData,
  type Data,
  type DataType,
} from 'apache-arrow';
import { recordBatchOf } from './arrow-columns.ts';
import { toArrowType, type ColumnDescriptor } from './arrow-types.ts';
import type { SqlType } from './sql-type.ts';

/**
 * The Arrow form of rows as they leave Tributary: Arrow IPC and Parquet results, and the
 * Parquet files of reflections. Inside, TINYINT and SMALLINT ride in Int32 and FLOAT in
 * Float64 (one layout per kind: arrow-types.ts); outside, each has its own width, so that
 * DuckDB, pyarrow or a later scan of the file reads back the type the query had.
 */
export function exportedArrowType(type: SqlType): DataType {
  if (type.kind === 'INTEGER' && type.bits) return type.bits === 8 ? new Int8() : new Int16();
  if (type.kind === 'DOUBLE' && type.single) return new Float32();
  if (type.kind === 'LIST') return new List(new Field('l', exportedArrowType(type.element), true));
  return toArrowType(type);
}

export function exportedArrowSchema(columns: readonly ColumnDescriptor[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, exportedArrowType(c.type), true)));
}

/** Whether a column's exported layout differs from its canonical one. */
function narrowed(type: SqlType): boolean {
  if (type.kind === 'LIST') return narrowed(type.element);
  return (
    (type.kind === 'INTEGER' && type.bits !== undefined) || (type.kind === 'DOUBLE' && type.single === true)
  );
}

/**
 * A canonical column in its exported layout. Values were range-checked (and FLOATs rounded)
 * when computed, so narrowing the array loses nothing. The whole value buffer is converted,
 * keeping the offset, so a sliced column's validity bits stay where they are.
 */
function exportedData(data: Data, type: SqlType): Data {
  if (!narrowed(type)) return data;
  const common = {
    type: exportedArrowType(type),
    offset: data.offset,
    length: data.length,
    nullCount: data.nullCount,
    nullBitmap: data.nullBitmap,
  };
  if (type.kind === 'LIST')
    return makeData({
      ...common,
      valueOffsets: data.valueOffsets,
      child: exportedData(data.children[0], type.element),
    } as never);
  const values = data.values as Int32Array | Float64Array;
  const narrow =
    type.kind === 'DOUBLE'
      ? Float32Array.from(values)
      : type.kind === 'INTEGER' && type.bits === 8
        ? Int8Array.from(values)
        : Int16Array.from(values);
  return makeData({ ...common, data: narrow } as never);
}

/**
 * A batch in the exported layout, under the given schema (exportedArrowSchema of the
 * result's columns): every batch of one result then carries the same schema, field names
 * included, whatever the operator that made it called its columns.
 */
export function exportedBatch(
  batch: RecordBatch,
  columns: readonly ColumnDescriptor[],
  schema: Schema,
): RecordBatch {
  const children = batch.data.children.map((data, i) => exportedData(data, columns[i].type));
  return recordBatchOf(
    schema,
    makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }),
  );
}
