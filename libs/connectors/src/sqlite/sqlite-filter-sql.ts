import { formatDate, type ColumnDescriptor, type SqlType } from '@tributary/common';
import { numericValue, type ColumnPredicate } from '../column-predicate.ts';
import { quoteIdentifier, type SqliteLocation } from './sqlite-location.ts';

export interface SqlFragment {
  readonly sql: string;
  readonly params: readonly (number | string)[];
}

const OPERATORS = { eq: '=', neq: '<>', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/**
 * The left operand and bound value of a comparison on column `c`, when SQLite compares
 * exactly as the engine would: numbers numerically, ISO date text as text, strings bytewise
 * (TEXT affinity, BINARY collation). DECIMAL (often stored as REAL) and TIMESTAMP (text in
 * several spellings) are left to the engine.
 */
function operand(
  predicate: { column: number; valueType: SqlType },
  value: string | number | boolean,
  columns: readonly ColumnDescriptor[],
  location: SqliteLocation,
): { left: string; param: number | string } | undefined {
  const column = columns[predicate.column];
  const name = quoteIdentifier(column.name);
  switch (column.type.kind) {
    case 'BIGINT':
    case 'INTEGER':
    case 'DOUBLE': {
      const n = typeof value === 'number' ? numericValue(value, predicate.valueType) : undefined;
      return n === undefined || !Number.isFinite(n) ? undefined : { left: name, param: n };
    }
    case 'BOOLEAN':
      if (typeof value !== 'boolean' || location.affinities[predicate.column] === 'TEXT') return undefined;
      return { left: name, param: value ? 1 : 0 };
    case 'DATE':
      return typeof value === 'number' && predicate.valueType.kind === 'DATE'
        ? { left: name, param: formatDate(value) }
        : undefined;
    case 'VARCHAR':
      if (typeof value !== 'string' || location.affinities[predicate.column] !== 'TEXT') return undefined;
      return { left: `${name} COLLATE BINARY`, param: value };
    default:
      return undefined;
  }
}

/** Translates a predicate into a WHERE condition with bound parameters, or undefined. */
export function sqliteFilterSql(
  predicate: ColumnPredicate,
  columns: readonly ColumnDescriptor[],
  location: SqliteLocation,
): SqlFragment | undefined {
  switch (predicate.kind) {
    case 'and':
    case 'or': {
      const parts = predicate.args.map((a) => sqliteFilterSql(a, columns, location));
      if (parts.some((p) => p === undefined)) return undefined;
      const fragments = parts as SqlFragment[];
      return {
        sql: `(${fragments.map((f) => f.sql).join(predicate.kind === 'and' ? ' AND ' : ' OR ')})`,
        params: fragments.flatMap((f) => f.params),
      };
    }
    case 'not': {
      const inner = sqliteFilterSql(predicate.arg, columns, location);
      return inner && { sql: `(NOT ${inner.sql})`, params: inner.params };
    }
    case 'is-null':
      return {
        sql: `${quoteIdentifier(columns[predicate.column].name)} IS ${predicate.negated ? 'NOT ' : ''}NULL`,
        params: [],
      };
    case 'compare': {
      const o = operand(predicate, predicate.value, columns, location);
      return o && { sql: `${o.left} ${OPERATORS[predicate.op]} ?`, params: [o.param] };
    }
    case 'in-list': {
      const operands = predicate.values.map((v) => operand(predicate, v, columns, location));
      if (operands.some((o) => o === undefined)) return undefined;
      const list = operands as { left: string; param: number | string }[];
      return {
        sql: `${list[0].left} ${predicate.negated ? 'NOT IN' : 'IN'} (${list.map(() => '?').join(', ')})`,
        params: list.map((o) => o.param),
      };
    }
  }
}
