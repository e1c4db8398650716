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
  Type,
  Utf8,
} from 'apache-arrow';
import { SourceError } from './tributary-error.ts';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  INTEGER,
  NULL_TYPE,
  TIMESTAMP,
  TIMESTAMPTZ,
  TIME,
  VARCHAR,
  decimal,
  listOf,
  type SqlType,
} from './sql-type.ts';

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

/**
 * The SQL type of an Arrow type as found in a file; sources normalise other Arrow
 * types (Int8, Float32, LargeUtf8, Timestamp ms…) into the canonical ones.
 */
export function fromArrowType(type: DataType, what = 'column'): SqlType {
  switch (type.typeId) {
    case Type.Null:
      return NULL_TYPE;
    case Type.Bool:
      return BOOLEAN;
    case Type.Int: {
      const bits = (type as unknown as { bitWidth: number }).bitWidth;
      const signed = (type as unknown as { isSigned: boolean }).isSigned;
      return bits < 32 || (bits === 32 && signed) ? INTEGER : BIGINT;
    }
    case Type.Float:
      return DOUBLE;
    case Type.Decimal: {
      const d = type as unknown as { precision: number; scale: number };
      return d.precision <= 38 ? decimal(d.precision, d.scale) : DOUBLE;
    }
    case Type.Date:
      return DATE;
    case Type.Timestamp:
      return (type as unknown as { timezone: string | null }).timezone ? TIMESTAMPTZ : TIMESTAMP;
    case Type.Time:
      return TIME;
    case Type.Utf8:
    case Type.LargeUtf8:
      return VARCHAR;
    case Type.List: {
      const child = (type as unknown as { children: Field[] }).children[0];
      return listOf(fromArrowType(child.type, what));
    }
    default:
      throw new SourceError(
        'UNSUPPORTED_TYPE',
        `${what} has Arrow type ${String(type)}, which Tributary does not support yet`,
      );
  }
}

export interface ColumnDescriptor {
  name: string;
  type: SqlType;
}

export function toArrowSchema(columns: readonly ColumnDescriptor[]): Schema {
  return new Schema(columns.map((c) => new Field(c.name, toArrowType(c.type), true)));
}
