import type { TableRef } from '@tributary/plan';
import { toColumnPredicate } from '../column-predicate.ts';
import type { ScanRequest, Split } from '../connector.ts';
import { sqliteFilterSql, type SqlFragment } from './sqlite-filter-sql.ts';
import { quoteIdentifier, sqliteLocation } from './sqlite-location.ts';

export interface SqliteScanSql extends SqlFragment {
  /** Whether every filter of the request is in the WHERE clause (so the LIMIT could go too). */
  readonly allFiltersPushed: boolean;
  /** The WHERE clause alone (with its params first in `params`), for error lookups. */
  readonly where: SqlFragment;
}

/**
 * One selected column. better-sqlite3 returns integers as JS numbers, which round beyond
 * 2^53, so BIGINT columns hand such values over as text (rare: the common case stays a number).
 */
function selectColumn(table: TableRef, c: number): string {
  const name = quoteIdentifier(table.columns[c].name);
  const kind = table.columns[c].type.kind;
  if (kind !== 'BIGINT' && kind !== 'INTEGER') return name;
  return `CASE WHEN typeof(${name}) = 'integer' AND (${name} > 9007199254740991 OR ${name} < -9007199254740991) THEN CAST(${name} AS TEXT) ELSE ${name} END`;
}

/**
 * The SELECT that scans one split: quoted identifiers, every value a bound parameter.
 * Projection, the filters SQLite evaluates exactly, the rowid range and (when all
 * filters are pushed) the limit. With no columns it selects `1` per row.
 */
export function buildSqliteScan(table: TableRef, request: ScanRequest, split: Split): SqliteScanSql {
  const location = sqliteLocation(table.location);
  const conditions: string[] = [];
  const params: (number | string)[] = [];
  let allFiltersPushed = true;
  for (const filter of request.filters) {
    const predicate = toColumnPredicate(filter, table.columns);
    const fragment = predicate && sqliteFilterSql(predicate, table.columns, location);
    if (!fragment) {
      allFiltersPushed = false;
      continue;
    }
    conditions.push(fragment.sql);
    params.push(...fragment.params);
  }
  if (typeof split.info.fromRowid === 'number') {
    conditions.push('rowid >= ?');
    params.push(split.info.fromRowid);
  }
  if (typeof split.info.toRowid === 'number') {
    conditions.push('rowid < ?');
    params.push(split.info.toRowid);
  }
  const where: SqlFragment = {
    sql: conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '',
    params: [...params],
  };
  const select =
    request.columns.length === 0 ? '1' : request.columns.map((c) => selectColumn(table, c)).join(', ');
  let sql = `SELECT ${select} FROM ${quoteIdentifier(location.table)}${where.sql}`;
  if (request.limit !== null && allFiltersPushed) {
    sql += ' LIMIT ?';
    params.push(request.limit);
  }
  return { sql, params, allFiltersPushed, where };
}
