import {
  Bool,
  DataType,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Null,
  Schema,
  TimestampMicrosecond,
  TimeMicrosecond,
  Utf8,
} from 'apache-arrow';
import type { SqlType } from './sql-type.ts';

/**
 * The canonical Arrow type of each SQL type. Every batch inside Tributary uses exactly
 * these, so operators compile against one layout per SQL type:
 * BOOLEAN Bool (bit-packed), INTEGER Int32, BIGINT Int64, DOUBLE Float64,
 * DECIMAL(p,s) Decimal128, DATE Date32 (days), TIMESTAMP Timestamp(µs, no zone), TIMESTAMP WITH
 * TIME ZONE Timestamp(µs, 'UTC'), TIME Time64(µs), VARCHAR Utf8,
 * T[] List (32-bit offsets) of T's canonical type.
 */
export function toArrowType(type: SqlType): DataType {
  switch (type.kind) {
    case 'NULL':
      return new Null();
    case 'BOOLEAN':
      return new Bool();
    case 'INTEGER':
      return new Int32();
    case 'BIGINT':
      return new Int64();
    case 'DOUBLE':
      return new Float64();
    case 'DECIMAL':
      return new Decimal(type.scale, type.precision, 128);
    case 'HUGEINT':
      return new Decimal(0, 38, 128);
    case 'DATE':
      return new DateDay();
    case 'TIMESTAMP':
      return new TimestampMicrosecond(type.withTimeZone ? 'UTC' : null);
    case 'TIME':
      return new TimeMicrosecond();
    case 'VARCHAR':
      return new Utf8();
    case 'LIST':
      return new List(new Field('l', toArrowType(type.element), true));
  }
}

export interface ColumnDescriptor {
  name: string;
  type: SqlType;
}

export function toArrowSchema(columns: readonly ColumnDescriptor[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, toArrowType(c.type), true)));
}
