import type { SqlType } from '@tributary/common';
import { PG_TYPES, pgTypeOfColumn } from '@tributary/sql';

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

/** Postgres' name of a Tributary type, as `\d` and drivers show it. */
function pgTypeName(type: SqlType): string {
  switch (type.kind) {
    case 'NULL':
      return 'text';
    case 'BOOLEAN':
      return 'boolean';
    case 'INTEGER':
      return type.bits ? 'smallint' : 'integer';
    case 'BIGINT':
      return 'bigint';
    case 'HUGEINT':
      return 'numeric(38,0)';
    case 'DOUBLE':
      return type.single ? 'real' : 'double precision';
    case 'DECIMAL':
      return `numeric(${type.precision},${type.scale})`;
    case 'DATE':
      return 'date';
    case 'TIME':
      return 'time without time zone';
    case 'TIMESTAMP':
      return type.withTimeZone ? 'timestamp with time zone' : 'timestamp without time zone';
    case 'VARCHAR':
      return 'character varying';
    case 'LIST':
      return `${pgTypeName(type.element)}[]`;
  }
}

/**
 * Every Tributary type as the Postgres type a driver knows (DuckDB's pg types are the same):
 * its OID and modifier as pg_attribute lists them (libs/sql pgTypeOfColumn), its size as
 * pg_type does, so a RowDescription and the catalog never disagree.
 */
export function pgTypeOf(type: SqlType): PgType {
  const { oid, modifier } = pgTypeOfColumn(type);
  const size = PG_TYPES.find((t) => t.oid === oid)?.len ?? -1;
  return { oid, size, modifier, name: pgTypeName(type) };
}
