import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  INTEGER,
  listOf,
  VARCHAR,
  type SqlPosition,
  type SqlType,
} from '@tributary/common';
import { call, literal, type Expr } from '@tributary/plan';
import { bindArithmetic } from './bind-arithmetic.ts';
import { castTo } from './coerce.ts';

type Binder = (args: Expr[], position: SqlPosition | undefined, name: string) => Expr;

/** What version() answers: Postgres' form first, since drivers parse the number after "PostgreSQL". */
export const PG_VERSION_TEXT = 'PostgreSQL 15.0 (Tributary), a federated SQL query service';

/** A function whose value does not depend on its arguments in Tributary (one owner, one database, no ACLs). */
const constant =
  (value: string | boolean | null, type: SqlType = VARCHAR): Binder =>
  () =>
    literal(value, type);

const text = (value: string) => literal(value, VARCHAR);

/** Postgres' names of the types pg_type lists (format_type's answers). */
const TYPE_NAMES: readonly [number, string][] = [
  [16, 'boolean'],
  [20, 'bigint'],
  [21, 'smallint'],
  [23, 'integer'],
  [25, 'text'],
  [26, 'oid'],
  [700, 'real'],
  [701, 'double precision'],
  [1043, 'character varying'],
  [1082, 'date'],
  [1083, 'time without time zone'],
  [1114, 'timestamp without time zone'],
  [1184, 'timestamp with time zone'],
];

/**
 * format_type(type_oid, typmod): the SQL name of a type, `numeric(p,s)` from a NUMERIC's
 * modifier ((p << 16 | s) + 4) as Postgres writes it.
 */
const formatType: Binder = (args) => {
  const [oid, typmod = literal(-1, INTEGER)] = args;
  const asText = (e: Expr) => castTo(castTo(e, BIGINT), VARCHAR);
  const shifted = bindArithmetic('-', typmod, literal(4, INTEGER), undefined);
  const scale = bindArithmetic('%', shifted, literal(65536, INTEGER), undefined);
  const precision = bindArithmetic(
    '/',
    bindArithmetic('-', shifted, scale, undefined),
    literal(65536, INTEGER),
    undefined,
  );
  const numeric: Expr = {
    kind: 'case',
    whens: [
      {
        when: call('lt', [castTo(typmod, BIGINT), literal(0, BIGINT)], BOOLEAN),
        then: text('numeric'),
      },
    ],
    otherwise: call(
      'concat',
      [text('numeric('), asText(precision), text(','), asText(scale), text(')')],
      VARCHAR,
    ),
    type: VARCHAR,
  };
  const id = castTo(oid, BIGINT);
  return {
    kind: 'case',
    whens: [
      ...TYPE_NAMES.map(([n, name]) => ({
        when: call('eq', [id, literal(n, BIGINT)], BOOLEAN),
        then: text(name),
      })),
      { when: call('eq', [id, literal(1700, BIGINT)], BOOLEAN), then: numeric },
    ],
    otherwise: literal(null, VARCHAR),
    type: VARCHAR,
  };
};

/** Postgres' type names, as to_regtype reads them, by OID (its internal and SQL names). */
const TYPE_OIDS: readonly [string, number][] = [
  ...TYPE_NAMES.map(([oid, name]): [string, number] => [name, oid]),
  ['bool', 16],
  ['int8', 20],
  ['int2', 21],
  ['int4', 23],
  ['int', 23],
  ['float4', 700],
  ['float8', 701],
  ['varchar', 1043],
  ['time', 1083],
  ['timestamp', 1114],
  ['timestamptz', 1184],
  ['numeric', 1700],
  ['decimal', 1700],
];

/** to_regtype(name): the OID of the type a name denotes (pg_type's), NULL for a name it does not know. */
const toRegtype: Binder = (args, position) => {
  const name = call('lower', [call('trim', [castTo(args[0], VARCHAR, position)], VARCHAR)], VARCHAR);
  const bare = call('replace', [name, text('pg_catalog.'), text('')], VARCHAR);
  return {
    kind: 'case',
    whens: TYPE_OIDS.map(([typeName, oid]) => ({
      when: call('eq', [bare, text(typeName)], BOOLEAN),
      then: literal(oid, INTEGER),
    })),
    otherwise: literal(null, INTEGER),
    type: INTEGER,
  };
};

/**
 * pg_size_pretty(bytes): Postgres' rendering of a size (its dbsize.c): bytes below 10 kB, then
 * kB, MB, GB, TB or PB, each below 20,479 of its unit, rounded half up. Sizes are not negative.
 */
const sizePretty: Binder = (args, position) => {
  const bytes = castTo(args[0] ?? literal(null, BIGINT), BIGINT, position);
  const shifted = (bits: number): Expr =>
    castTo(
      call(
        'floor',
        [bindArithmetic('/', castTo(bytes, DOUBLE), literal(2 ** bits, DOUBLE), position)],
        DOUBLE,
      ),
      BIGINT,
    );
  const halfRounded = (e: Expr): Expr =>
    castTo(
      call(
        'floor',
        [
          bindArithmetic(
            '/',
            castTo(bindArithmetic('+', e, literal(1, BIGINT), position), DOUBLE),
            literal(2, DOUBLE),
            position,
          ),
        ],
        DOUBLE,
      ),
      BIGINT,
    );
  const show = (e: Expr, unit: string): Expr =>
    call('concat', [castTo(e, VARCHAR), text(` ${unit}`)], VARCHAR);
  const units: [number, string][] = [
    [9, 'kB'],
    [19, 'MB'],
    [29, 'GB'],
    [39, 'TB'],
  ];
  return {
    kind: 'case',
    whens: [
      { when: call('lt', [bytes, literal(10_240, BIGINT)], BOOLEAN), then: show(bytes, 'bytes') },
      ...units.map(([bits, unit]) => ({
        when: call('lt', [shifted(bits), literal(20_479, BIGINT)], BOOLEAN),
        then: show(halfRounded(shifted(bits)), unit),
      })),
    ],
    otherwise: show(halfRounded(shifted(49)), 'PB'),
    type: VARCHAR,
  };
};

/**
 * The functions Postgres clients call on pg_catalog (psql's \d family, JDBC's metadata, BI
 * tools' start-up), answered from what Tributary is: one database "tributary", owned by
 * "tributary", every table visible, no comments, no ACLs.
 */
export const PG_FUNCTIONS: Record<string, Binder> = {
  version: constant(PG_VERSION_TEXT),
  current_schema: constant('public'),
  // The search path: pg_catalog, then the current schema (implicit ones included or not).
  current_schemas: (args) =>
    call(
      'list_value',
      args[0]?.kind === 'literal' && args[0].value === false
        ? [text('public')]
        : [text('pg_catalog'), text('public')],
      listOf(VARCHAR),
    ),
  current_database: constant('tributary'),
  pg_get_userbyid: constant('tributary'),
  pg_table_is_visible: constant(true, BOOLEAN),
  pg_type_is_visible: constant(true, BOOLEAN),
  pg_function_is_visible: constant(true, BOOLEAN),
  pg_operator_is_visible: constant(true, BOOLEAN),
  pg_conversion_is_visible: constant(true, BOOLEAN),
  has_schema_privilege: constant(true, BOOLEAN),
  has_table_privilege: constant(true, BOOLEAN),
  has_database_privilege: constant(true, BOOLEAN),
  pg_encoding_to_char: constant('UTF8'),
  pg_get_expr: constant(null),
  pg_get_indexdef: constant(null),
  pg_get_constraintdef: constant(null),
  pg_get_viewdef: constant(null),
  obj_description: constant(null),
  col_description: constant(null),
  shobj_description: constant(null),
  pg_tablespace_location: constant(null),
  format_type: formatType,
  pg_get_statisticsobjdef_columns: constant(null),
  pg_relation_is_publishable: constant(false, BOOLEAN),
  // Functions have no SQL signatures in pg_proc (Tributary's are overloaded by type family).
  pg_get_function_result: constant(null),
  pg_get_function_arguments: constant(null),
  pg_get_function_identity_arguments: constant(null),
  // Built-in functions have no SQL body (psql's \df+ falls back to prosrc).
  pg_get_function_sqlbody: constant(null),
  // Tributary does not know a table's size on disk (a source may be a folder, a database).
  pg_table_size: constant(null, BIGINT),
  pg_relation_size: constant(null, BIGINT),
  pg_total_relation_size: constant(null, BIGINT),
  pg_indexes_size: constant(null, BIGINT),
  pg_size_pretty: sizePretty,
  to_regtype: toRegtype,
};
