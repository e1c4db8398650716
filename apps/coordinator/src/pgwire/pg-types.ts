import type { SqlType } from '@tributary/common';

/** The Postgres type a Tributary column is described as: its OID, size and modifier (RowDescription). */
export interface PgType {
  readonly oid: number;
  /** pg_type.typlen: bytes of the binary form, -1 for variable length. */
  readonly size: number;
  /** atttypmod: a DECIMAL's ((precision << 16) | scale) + 4, else -1. */
  readonly modifier: number;
  readonly name: string;
}

export const PG_OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  float4: 700,
  float8: 701,
  unknown: 705,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
} as const;

/** Every Tributary type as the Postgres type a driver knows (DuckDB's pg types are the same). */
export function pgTypeOf(type: SqlType): PgType {
  switch (type.kind) {
    case 'NULL':
      return { oid: PG_OID.text, size: -1, modifier: -1, name: 'text' };
    case 'BOOLEAN':
      return { oid: PG_OID.bool, size: 1, modifier: -1, name: 'boolean' };
    case 'INTEGER':
      return { oid: PG_OID.int4, size: 4, modifier: -1, name: 'integer' };
    case 'BIGINT':
      return { oid: PG_OID.int8, size: 8, modifier: -1, name: 'bigint' };
    case 'HUGEINT':
      return { oid: PG_OID.numeric, size: -1, modifier: ((38 << 16) | 0) + 4, name: 'numeric(38,0)' };
    case 'DOUBLE':
      return { oid: PG_OID.float8, size: 8, modifier: -1, name: 'double precision' };
    case 'DECIMAL':
      return {
        oid: PG_OID.numeric,
        size: -1,
        modifier: ((type.precision << 16) | type.scale) + 4,
        name: `numeric(${type.precision},${type.scale})`,
      };
    case 'DATE':
      return { oid: PG_OID.date, size: 4, modifier: -1, name: 'date' };
    case 'TIMESTAMP':
      return { oid: PG_OID.timestamp, size: 8, modifier: -1, name: 'timestamp without time zone' };
    case 'VARCHAR':
      return { oid: PG_OID.varchar, size: -1, modifier: -1, name: 'character varying' };
  }
}
