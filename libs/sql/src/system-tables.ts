import {
  BIGINT,
  BOOLEAN,
  DOUBLE,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  typeToString,
  type SqlType,
} from '@tributary/common';
import {
  call,
  literal,
  type Expr,
  type CatalogListing,
  type Field,
  type LiteralValue,
  type ValuesNode,
} from '@tributary/plan';

import { PG_CATALOG_TABLES } from './pg-catalog-tables.ts';

/** The catalog name information_schema reports (DuckDB reports its database's, Dremio "DREMIO"). */
export const CATALOG_NAME = 'tributary';

/**
 * A catalog table: its rows are read from the catalog when a statement queries it and travel
 * to the executors in the plan, as literal rows (they are small: one per object).
 */
export interface SystemTable {
  readonly schema: 'information_schema' | 'sys' | 'pg_catalog';
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: SqlType }[];
  /** A row's values; an array column's value is an array of its elements (or NULL). */
  rows(listing: CatalogListing): (LiteralValue | readonly LiteralValue[])[][];
}

const col = (name: string, type: SqlType = VARCHAR) => ({ name, type });
const micros = (iso: string | null): number | null => {
  if (iso === null || iso === '') return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms * 1000;
};

/** Precision and scale of numeric types, as information_schema.columns reports them (DuckDB's values). */
function numericShape(type: SqlType): [number | null, number | null] {
  switch (type.kind) {
    case 'INTEGER':
      return [type.bits ?? 32, 0];
    case 'BIGINT':
      return [64, 0];
    case 'HUGEINT':
      return [128, 0];
    case 'DOUBLE':
      return [type.single ? 24 : 53, 0];
    case 'DECIMAL':
      return [type.precision, type.scale];
    default:
      return [null, null];
  }
}

/** Every schema: sources, spaces, their folders (dotted), and the two catalog schemas. */
function schemata(listing: CatalogListing): string[] {
  return [
    ...listing.sources().map((s) => s.name),
    ...listing.spaces().map((s) => s.name),
    ...listing.folders().map((f) => f.join('.')),
    'information_schema',
    'sys',
  ];
}

/** Tables and views with their schema (a view's schema is its space and folders, dotted). */
function relations(listing: CatalogListing) {
  return [
    ...listing.tables().map((t) => ({
      schema: t.source,
      name: t.table,
      type: 'BASE TABLE',
      columns: t.columns,
    })),
    ...listing.views().map((v) => ({
      schema: v.path.slice(0, -1).join('.'),
      name: v.path[v.path.length - 1],
      type: 'VIEW',
      columns: v.columns,
    })),
  ];
}

const TABLES: readonly SystemTable[] = [
  {
    schema: 'information_schema',
    name: 'schemata',
    columns: [col('catalog_name'), col('schema_name'), col('schema_owner')],
    rows: (listing) => schemata(listing).map((name) => [CATALOG_NAME, name, null]),
  },
  {
    schema: 'information_schema',
    name: 'tables',
    columns: [col('table_catalog'), col('table_schema'), col('table_name'), col('table_type')],
    rows: (listing) => relations(listing).map((r) => [CATALOG_NAME, r.schema, r.name, r.type]),
  },
  {
    schema: 'information_schema',
    name: 'columns',
    columns: [
      col('table_catalog'),
      col('table_schema'),
      col('table_name'),
      col('column_name'),
      col('ordinal_position', INTEGER),
      col('column_default'),
      col('is_nullable'),
      col('data_type'),
      col('character_maximum_length', INTEGER),
      col('numeric_precision', INTEGER),
      col('numeric_scale', INTEGER),
    ],
    rows: (listing) =>
      relations(listing).flatMap((r) =>
        r.columns.map((c, i) => [
          CATALOG_NAME,
          r.schema,
          r.name,
          c.name,
          i + 1,
          null,
          'YES',
          typeToString(c.type),
          null,
          ...numericShape(c.type),
        ]),
      ),
  },
  {
    schema: 'information_schema',
    name: 'views',
    columns: [col('table_catalog'), col('table_schema'), col('table_name'), col('view_definition')],
    rows: (listing) =>
      listing
        .views()
        .map((v) => [CATALOG_NAME, v.path.slice(0, -1).join('.'), v.path[v.path.length - 1], v.sql]),
  },
  {
    schema: 'sys',
    name: 'sources',
    columns: [
      col('name'),
      col('type'),
      col('path'),
      col('created_at', TIMESTAMP),
      col('updated_at', TIMESTAMP),
    ],
    rows: (listing) =>
      listing.sources().map((s) => [s.name, s.type, s.path, micros(s.createdAt), micros(s.updatedAt)]),
  },
  {
    schema: 'sys',
    name: 'jobs',
    columns: [
      col('job_id'),
      col('state'),
      col('user_name'),
      col('query'),
      col('context'),
      col('started_at', TIMESTAMP),
      col('finished_at', TIMESTAMP),
      col('row_count', BIGINT),
      col('error_code'),
      col('error_message'),
      col('accelerated', BOOLEAN),
    ],
    rows: (listing) =>
      listing
        .jobs()
        .map((j) => [
          j.id,
          j.state,
          j.user,
          j.sql,
          j.context,
          micros(j.startedAt),
          micros(j.finishedAt),
          j.rowCount,
          j.errorCode,
          j.errorMessage,
          j.accelerated ?? false,
        ]),
  },
  {
    schema: 'sys',
    name: 'reflections',
    columns: [
      col('reflection_id'),
      col('name'),
      col('dataset'),
      col('type'),
      col('status'),
      col('enabled', BOOLEAN),
      col('definition'),
      col('record_count', BIGINT),
      col('bytes', BIGINT),
      col('last_refresh', TIMESTAMP),
      col('refresh_duration_ms', DOUBLE),
      col('snapshot_time', TIMESTAMP),
      col('failure_count', BIGINT),
      col('last_error'),
    ],
    rows: (listing) =>
      (listing.reflections?.() ?? []).map((r) => [
        r.id,
        r.name,
        r.datasetPath.join('.'),
        r.type,
        r.status,
        r.enabled,
        r.definition,
        r.recordCount,
        r.bytes,
        micros(r.lastRefresh),
        r.refreshMs,
        micros(r.snapshotTime),
        r.failureCount,
        r.lastError,
      ]),
  },
  {
    schema: 'sys',
    name: 'executors',
    columns: [col('id'), col('url'), col('threads', INTEGER), col('state'), col('last_heartbeat', TIMESTAMP)],
    rows: (listing) =>
      listing.executors().map((e) => [e.id, e.url, e.threads, e.state, micros(e.lastHeartbeat)]),
  },
];

/** The catalog table `schema.name` (case-insensitively), if it is one. */
export function findSystemTable(schema: string, name: string): SystemTable | undefined {
  const s = schema.toLowerCase();
  const n = name.toLowerCase();
  if (s === 'pg_catalog') return PG_CATALOG_TABLES.find((t) => t.name === n);
  return TABLES.find((t) => t.schema === s && t.name === n);
}

/** The catalog table's rows now, as a literal-rows plan. */
export function systemTablePlan(table: SystemTable, listing: CatalogListing): ValuesNode {
  const schema: Field[] = table.columns.map((c) => ({ name: c.name, type: c.type, nullable: true }));
  const cell = (value: LiteralValue | readonly LiteralValue[], type: SqlType): Expr =>
    Array.isArray(value) && type.kind === 'LIST'
      ? call(
          'list_value',
          value.map((v: LiteralValue) => literal(v, type.element)),
          type,
        )
      : literal(value as LiteralValue, type);
  const rows = table.rows(listing).map((row) => row.map((value, i) => cell(value, table.columns[i].type)));
  return { kind: 'values', rows, schema };
}
