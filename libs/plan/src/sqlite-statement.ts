import { formatDate, isFloat, isNarrowInteger, type ColumnDescriptor, type SqlType } from '@tributary/common';
import type { AggregateCall, Expr } from './expr.ts';
import type { ScanNode, SortKey, TableRef } from './logical-plan.ts';
import { scanInputColumns } from './scan-input-columns.ts';

/**
 * The one place that knows which plan expressions SQLite computes with exactly the engine's
 * (DuckDB's) semantics and types, and how to write them: the optimizer's pushdown rules ask
 * it whether something can move (undefined: no), and the SQLite connector asks it for the
 * statement it runs, so the two never disagree. It lives in the plan library because both
 * use it and neither may import the other.
 *
 * What moves, and why only that:
 * - columns of BIGINT, DOUBLE, DATE (ISO text, so text order is date order) and VARCHAR
 *   with TEXT affinity, always compared under BINARY collation (bytewise, as DuckDB);
 *   DECIMAL (stored as REAL or text: SQLite would round), TIMESTAMP (several spellings) and
 *   BOOLEAN stay in the engine;
 * - literals of those types, always bound as parameters;
 * - comparisons of two operands of one kind, AND/OR/NOT, IS [NOT] NULL, IN lists;
 * - + - * and unary minus on DOUBLE only (IEEE in both; BIGINT arithmetic overflows into
 *   REAL in SQLite but fails in DuckDB), and BIGINT → DOUBLE casts;
 * - COUNT, COUNT(*), MIN, MAX; SUM of DOUBLE (as TOTAL, which never overflows) and SUM of
 *   BIGINT as the sums of its 32-bit halves (HIGH_HALF, LOW_HALF: no partial can overflow).
 * Integer division, LIKE (case-insensitive in SQLite), text functions, DISTINCT aggregates
 * and anything else stay in the engine.
 */

/** A piece of SQL and the values bound to its `?`, in order. */
export interface SqliteFragment {
  readonly sql: string;
  readonly params: readonly (number | string)[];
}

/** How SQLite compares a value: numerically, or as BINARY text (dates are ISO text). */
type Kind = 'number' | 'text';

interface Typed extends SqliteFragment {
  readonly kind: Kind;
}

/** What the connector's location of a SQLite table holds that the statement needs. */
interface SqliteTableLocation {
  readonly database: string;
  readonly table: string;
  readonly hasRowid: boolean;
  readonly affinities: readonly string[];
}

function tableLocation(table: TableRef): SqliteTableLocation | undefined {
  const l = table.location as Partial<SqliteTableLocation>;
  if (typeof l.database !== 'string' || typeof l.table !== 'string' || !Array.isArray(l.affinities))
    return undefined;
  return l as SqliteTableLocation;
}

/** The database file a sqlite table lives in, or undefined for other sources. */
export function sqliteDatabaseOf(table: TableRef): string | undefined {
  return table.sourceType === 'sqlite' ? tableLocation(table)?.database : undefined;
}

/** A quoted SQLite identifier: "name" with inner quotes doubled. */
export function quoteSqliteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** One column of a scan's input row as SQLite sees it. */
interface InputColumn {
  readonly ref: string;
  readonly descriptor: ColumnDescriptor;
  readonly affinity: string | undefined;
}

function inputColumns(scan: ScanNode): InputColumn[] | undefined {
  const tables = [scan.table, ...(scan.pushed?.joins ?? []).map((j) => j.table)];
  const out: InputColumn[] = [];
  for (let t = 0; t < tables.length; t++) {
    const location = tableLocation(tables[t]);
    if (!location) return undefined;
    tables[t].columns.forEach((descriptor, c) =>
      out.push({
        ref: `t${t}.${quoteSqliteIdentifier(descriptor.name)}`,
        descriptor,
        affinity: location.affinities[c],
      }),
    );
  }
  return out;
}

function columnSql(column: InputColumn): Typed | undefined {
  switch (column.descriptor.type.kind) {
    case 'BIGINT':
    case 'INTEGER':
    case 'DOUBLE':
      return { sql: column.ref, params: [], kind: 'number' };
    case 'DATE':
      return { sql: column.ref, params: [], kind: 'text' };
    case 'VARCHAR':
      return column.affinity === 'TEXT'
        ? { sql: `${column.ref} COLLATE BINARY`, params: [], kind: 'text' }
        : undefined;
    default:
      return undefined;
  }
}

function literalSql(value: unknown, type: SqlType): Typed | undefined {
  if (value === null) return undefined;
  switch (type.kind) {
    case 'INTEGER':
    case 'BIGINT':
      return typeof value === 'number' && Number.isSafeInteger(value)
        ? { sql: '?', params: [value], kind: 'number' }
        : undefined;
    case 'DOUBLE':
      return typeof value === 'number' && Number.isFinite(value)
        ? { sql: '?', params: [value], kind: 'number' }
        : undefined;
    case 'VARCHAR':
      return typeof value === 'string' ? { sql: '?', params: [value], kind: 'text' } : undefined;
    case 'DATE':
      return typeof value === 'number' ? { sql: '?', params: [formatDate(value)], kind: 'text' } : undefined;
    default:
      return undefined;
  }
}

const COMPARISONS = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;
const ARITHMETIC = { add: '+', subtract: '-', multiply: '*' } as const;

function join(parts: readonly Typed[], separator: string, kind: Kind): Typed {
  return {
    sql: `(${parts.map((p) => p.sql).join(separator)})`,
    params: parts.flatMap((p) => p.params),
    kind,
  };
}

function all(parts: readonly (Typed | undefined)[]): parts is Typed[] {
  return parts.every((p) => p !== undefined);
}

/**
 * Plan types SQLite yields exactly (see the module comment): not TINYINT, SMALLINT or FLOAT,
 * whose overflow and rounding SQLite's 64-bit integers and doubles would not reproduce.
 */
function typeMoves(type: SqlType): boolean {
  if (isNarrowInteger(type) || isFloat(type)) return false;
  return ['BIGINT', 'INTEGER', 'DOUBLE', 'DATE', 'VARCHAR', 'BOOLEAN'].includes(type.kind);
}

function exprSql(expr: Expr, columns: readonly InputColumn[]): Typed | undefined {
  if (!typeMoves(expr.type)) return undefined;
  switch (expr.kind) {
    case 'column': {
      const column = columns[expr.index];
      return column && columnSql(column);
    }
    case 'literal':
      return literalSql(expr.value, expr.type);
    case 'is-null': {
      const inner = exprSql(expr.expr, columns);
      return (
        inner && {
          sql: `(${inner.sql} IS ${expr.negated ? 'NOT ' : ''}NULL)`,
          params: inner.params,
          kind: 'number',
        }
      );
    }
    case 'in-list': {
      // Literals of the tested expression's own type only: text '1995-1-1' is a DATE to the engine, not to SQLite.
      if (expr.list.some((e) => e.type.kind !== expr.expr.type.kind)) return undefined;
      const left = exprSql(expr.expr, columns);
      const list = expr.list.map((e) => (e.kind === 'literal' ? exprSql(e, columns) : undefined));
      if (!left || !all(list) || list.some((l) => l.kind !== left.kind) || list.length === 0)
        return undefined;
      return {
        sql: `(${left.sql} ${expr.negated ? 'NOT IN' : 'IN'} (${list.map((l) => l.sql).join(', ')}))`,
        params: [...left.params, ...list.flatMap((l) => l.params)],
        kind: 'number',
      };
    }
    case 'cast': {
      if (expr.try || expr.type.kind !== 'DOUBLE') return undefined;
      const from = expr.expr.type.kind;
      if (from === 'DOUBLE') return exprSql(expr.expr, columns);
      if (from !== 'BIGINT' && from !== 'INTEGER') return undefined;
      const inner = exprSql(expr.expr, columns);
      return inner && { sql: `CAST(${inner.sql} AS REAL)`, params: inner.params, kind: 'number' };
    }
    case 'call':
      return callSql(expr, columns);
    default:
      return undefined;
  }
}

function callSql(expr: Expr & { kind: 'call' }, columns: readonly InputColumn[]): Typed | undefined {
  const args = expr.args.map((a) => exprSql(a, columns));
  if (!all(args)) return undefined;
  const fn = expr.fn;
  if (fn in COMPARISONS) {
    const [a, b] = args;
    // Operands the binder coerced to one type; a DATE against VARCHAR text would compare differently.
    if (args.length !== 2 || a.kind !== b.kind) return undefined;
    if (expr.args[0].type.kind !== expr.args[1].type.kind) return undefined;
    return join(args, ` ${COMPARISONS[fn as keyof typeof COMPARISONS]} `, 'number');
  }
  if (fn === 'and' || fn === 'or') return join(args, fn === 'and' ? ' AND ' : ' OR ', 'number');
  if (fn === 'not') return { sql: `(NOT ${args[0].sql})`, params: args[0].params, kind: 'number' };
  if (expr.type.kind !== 'DOUBLE' || !expr.args.every((a) => a.type.kind === 'DOUBLE')) return undefined;
  if (fn in ARITHMETIC && args.length === 2)
    return join(args, ` ${ARITHMETIC[fn as keyof typeof ARITHMETIC]} `, 'number');
  if (fn === 'negate') return { sql: `(-${args[0].sql})`, params: args[0].params, kind: 'number' };
  return undefined;
}

/**
 * The marks a partial integer SUM carries (AggregateCall.param) to say which 32-bit half
 * of each value it sums: SQLite's SUM fails on 64-bit overflow where DuckDB sums into
 * 128 bits, but sums of halves cannot overflow (below 2^31 rows a split), and the engine
 * adds high·2^32 + low in HUGEINT exactly.
 */
export const HIGH_HALF = 'high32';
export const LOW_HALF = 'low32';

/** A partial aggregate (one of those a pushdown carries: see ScanPushdown.aggregate) in SQL. */
function aggregateSql(call: AggregateCall, columns: readonly InputColumn[]): SqliteFragment | undefined {
  if (call.distinct || call.arg2 || call.orderBy?.length) return undefined;
  if (call.param !== undefined && call.fn !== 'sum') return undefined;
  if (call.fn === 'count_star') return { sql: 'COUNT(*)', params: [] };
  const arg = call.arg && exprSql(call.arg, columns);
  if (!call.arg || !arg) return undefined;
  const argKind = call.arg.type.kind;
  switch (call.fn) {
    case 'count':
      return { sql: `COUNT(${arg.sql})`, params: arg.params };
    case 'min':
    case 'max':
      if (argKind === 'BOOLEAN' || call.type.kind !== argKind) return undefined;
      return { sql: `${call.fn.toUpperCase()}(${arg.sql})`, params: arg.params };
    case 'sum':
      if (argKind === 'DOUBLE' && call.type.kind === 'DOUBLE' && call.param === undefined)
        // TOTAL never overflows (integers stored in a NUMERIC column are summed as REAL too); it gives 0.0 over no values, SUM NULL.
        return {
          sql: `CASE WHEN COUNT(${arg.sql}) > 0 THEN TOTAL(${arg.sql}) END`,
          params: [...arg.params, ...arg.params],
        };
      if ((argKind === 'BIGINT' || argKind === 'INTEGER') && call.type.kind === 'BIGINT') {
        if (call.param === HIGH_HALF) return { sql: `SUM((${arg.sql}) >> 32)`, params: arg.params };
        if (call.param === LOW_HALF) return { sql: `SUM((${arg.sql}) & 4294967295)`, params: arg.params };
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A BIGINT output: better-sqlite3 hands integers over as JS numbers, which round beyond
 * 2^53, so such values come as text (rare; the connector parses them exactly).
 */
function outputSql(fragment: SqliteFragment, type: SqlType): SqliteFragment {
  if (type.kind !== 'BIGINT' && type.kind !== 'INTEGER') return fragment;
  const v = `(${fragment.sql})`;
  return {
    sql: `CASE WHEN typeof(${v}) = 'integer' AND (${v} > 9007199254740991 OR ${v} < -9007199254740991) THEN CAST(${v} AS TEXT) ELSE ${v} END`,
    params: [
      ...fragment.params,
      ...fragment.params,
      ...fragment.params,
      ...fragment.params,
      ...fragment.params,
    ],
  };
}

function orderSql(keys: readonly SortKey[], columns: readonly InputColumn[]): SqliteFragment | undefined {
  const parts: SqliteFragment[] = [];
  for (const key of keys) {
    const e = exprSql(key.expr, columns);
    if (!e || key.expr.type.kind === 'BOOLEAN') return undefined;
    // SQLite puts NULLs first ascending and last descending; the plan says where they go.
    parts.push({ sql: `(${e.sql}) IS NULL ${key.nullsFirst ? 'DESC' : 'ASC'}`, params: e.params });
    parts.push({ sql: `${e.sql} ${key.ascending ? 'ASC' : 'DESC'}`, params: e.params });
  }
  return { sql: parts.map((p) => p.sql).join(', '), params: parts.flatMap((p) => p.params) };
}

/** Where a split's statement reads: a rowid range of the scan's own table (open ends: null). */
export interface SqliteRowidRange {
  readonly from: number | null;
  readonly to: number | null;
}

/**
 * The statement a pushed scan runs on one split (one SELECT, every identifier quoted, every
 * value bound), or undefined when some part of it cannot be written in SQLite exactly.
 * Output columns come in the scan's schema order: `columns`, or the aggregate's keys then
 * its aggregates. With no output column it selects 1 per row.
 */
export function sqliteScanStatement(
  scan: ScanNode,
  range: SqliteRowidRange = { from: null, to: null },
): SqliteFragment | undefined {
  if (scan.table.sourceType !== 'sqlite') return undefined;
  const columns = inputColumns(scan);
  if (!columns) return undefined;
  const tables = [scan.table, ...(scan.pushed?.joins ?? []).map((j) => j.table)];
  const database = tableLocation(scan.table)!.database;
  if (tables.some((t) => t.sourceType !== 'sqlite' || tableLocation(t)?.database !== database))
    return undefined;
  const pushed = scan.pushed;
  const select: SqliteFragment[] = [];
  let groupBy: SqliteFragment[] = [];
  if (pushed?.aggregate) {
    const keys = pushed.aggregate.groupBy.map((g) => exprSql(g, columns));
    if (!all(keys) || pushed.aggregate.groupBy.some((g) => g.type.kind === 'BOOLEAN')) return undefined;
    groupBy = keys;
    pushed.aggregate.groupBy.forEach((g, i) => select.push(outputSql(keys[i], g.type)));
    for (const call of pushed.aggregate.aggregates) {
      const a = aggregateSql(call, columns);
      if (!a) return undefined;
      select.push(outputSql(a, call.type));
    }
  } else {
    for (const c of scan.columns) {
      const e = columns[c] && columnSql(columns[c]);
      if (!e) return undefined;
      select.push(outputSql(e, columns[c].descriptor.type));
    }
  }
  const where: SqliteFragment[] = [];
  for (const f of scan.filters) {
    const e = exprSql(f, columns);
    if (!e || f.type.kind !== 'BOOLEAN') return undefined;
    where.push(e);
  }
  if (range.from !== null) where.push({ sql: 't0.rowid >= ?', params: [range.from] });
  if (range.to !== null) where.push({ sql: 't0.rowid < ?', params: [range.to] });
  const from = tables.map((t, i) => `${quoteSqliteIdentifier(tableLocation(t)!.table)} AS t${i}`).join(', ');
  let sql = `SELECT ${select.length ? select.map((s) => s.sql).join(', ') : '1'} FROM ${from}`;
  const params: (number | string)[] = select.flatMap((s) => s.params);
  if (where.length) {
    sql += ` WHERE ${where.map((w) => w.sql).join(' AND ')}`;
    params.push(...where.flatMap((w) => w.params));
  }
  if (groupBy.length) {
    sql += ` GROUP BY ${groupBy.map((g) => g.sql).join(', ')}`;
    params.push(...groupBy.flatMap((g) => g.params));
  }
  if (pushed && pushed.orderBy.length) {
    if (pushed.aggregate) return undefined;
    const order = orderSql(pushed.orderBy, columns);
    if (!order) return undefined;
    sql += ` ORDER BY ${order.sql}`;
    params.push(...order.params);
  }
  if (scan.limit !== null && !pushed?.aggregate) {
    sql += ' LIMIT ?';
    params.push(scan.limit);
  }
  return { sql, params };
}

/** Whether SQLite evaluates `expr` over `scan`'s input row exactly (see the module comment). */
export function sqliteExprMoves(scan: ScanNode, expr: Expr): boolean {
  const columns = inputColumns(scan);
  return columns !== undefined && exprSql(expr, columns) !== undefined;
}

/** Whether SQLite computes `call` (a partial aggregate) over `scan`'s input row exactly. */
export function sqliteAggregateMoves(scan: ScanNode, call: AggregateCall): boolean {
  const columns = inputColumns(scan);
  return columns !== undefined && aggregateSql(call, columns) !== undefined;
}

/** The input-row width of a scan (its table's columns and those it joined). */
export function scanInputWidth(scan: ScanNode): number {
  return scanInputColumns(scan).length;
}
