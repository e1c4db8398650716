import { parseSql } from './parse-sql.ts';
import type { SqlToken } from './sql-lexer.ts';
import { argList, functionName, type AstNode, type AstSelect } from './sql-ast.ts';

/** Postgres' internal names of the types a cast names (what it calls a cast's column). */
const PG_TYPE_NAMES: Record<string, string> = {
  int: 'int4',
  integer: 'int4',
  int4: 'int4',
  bigint: 'int8',
  int8: 'int8',
  smallint: 'int2',
  int2: 'int2',
  double: 'float8',
  'double precision': 'float8',
  float: 'float8',
  float8: 'float8',
  real: 'float4',
  float4: 'float4',
  decimal: 'numeric',
  numeric: 'numeric',
  varchar: 'varchar',
  'character varying': 'varchar',
  char: 'bpchar',
  character: 'bpchar',
  text: 'text',
  string: 'text',
  boolean: 'bool',
  bool: 'bool',
  date: 'date',
  timestamp: 'timestamp',
  interval: 'interval',
};

/** SQL value functions Postgres names after themselves (`SELECT current_date` is "current_date"). */
const VALUE_FUNCTIONS = new Set([
  'current_date',
  'current_time',
  'current_timestamp',
  'localtime',
  'localtimestamp',
  'current_user',
  'current_role',
  'session_user',
  'user',
  'current_catalog',
  'current_schema',
]);

/**
 * The name Postgres gives an unaliased select item (parse_target.c's FigureColname): a
 * column's or a function's own name, a cast's operand's (else its type's), `case`, `exists`,
 * a scalar subquery's column; anything else `?column?`. Undefined for `*`.
 */
export function postgresColumnName(node: AstNode): string | undefined {
  return figure(node) ?? '?column?';
}

function figure(node: AstNode): string | undefined {
  if (node.ast) {
    const first = (node.ast as AstSelect).columns?.[0] as { expr?: AstNode; as?: unknown } | undefined;
    if (!first?.expr) return undefined;
    return typeof first.as === 'string' ? first.as : figure(first.expr);
  }
  switch (node.type) {
    case 'column_ref': {
      const col = node.column;
      if (typeof col === 'string') return col === '*' ? undefined : col;
      const inner = (col as AstNode | undefined)?.expr;
      return String(inner?.value ?? (col as AstNode | undefined)?.value ?? '');
    }
    case 'aggr_func':
      return String(node.name).toLowerCase();
    case 'window_call':
      return figure(node.call as AstNode);
    case 'function': {
      const name = functionName(node).toLowerCase();
      if (name === 'exists') return 'exists';
      if (name === 'try_cast' && argList(node).length === 2) return figure(argList(node)[0]);
      if (name === 'trim') return 'btrim';
      return name;
    }
    case 'cast': {
      const inner = figure(node.expr as AstNode);
      if (inner !== undefined) return inner;
      const target = (node.target as { dataType?: string }[] | undefined)?.[0];
      const type = String(target?.dataType ?? '').toLowerCase();
      return PG_TYPE_NAMES[type] ?? type.split('.').pop();
    }
    case 'case':
      return 'case';
    case 'extract':
      return 'extract';
    case 'bool':
      return 'bool';
    case 'date':
    case 'timestamp':
    case 'interval':
      return String(node.type);
    case 'origin': {
      const value = String(node.value).toLowerCase();
      return VALUE_FUNCTIONS.has(value) ? value : undefined;
    }
    default:
      return undefined;
  }
}

/** The first SELECT of a statement (a set operation takes its names from its leftmost branch). */
function leftmost(ast: AstSelect): AstSelect {
  let select = ast;
  while (select.set_operation) select = select.set_operation.left;
  return select;
}

/**
 * A query's result columns as Postgres names them, given the names Tributary (DuckDB's rules)
 * gave them: a column or a star's columns keep theirs, an alias is folded to lower case unless
 * quoted, an unaliased expression takes postgresColumnName. Star columns are counted from the result, so items after a star are
 * matched from the end. Statements that are not a SELECT keep every name.
 */
export function postgresColumnNames(sql: string, names: readonly string[]): string[] {
  let ast: AstSelect;
  let tokens: readonly SqlToken[];
  try {
    const parsed = parseSql(sql);
    if (parsed.explain) return [...names];
    ast = leftmost(parsed.ast);
    tokens = parsed.tokens;
  } catch {
    return [...names];
  }
  // Postgres folds an unquoted alias to lower case (`AS TABLE_NAME` is "table_name").
  const quoted = new Set(tokens.filter((t) => t.kind === 'quoted').map((t) => t.text));
  const bare = new Set(tokens.filter((t) => t.kind === 'word').map((t) => t.text));
  const folded = (alias: string) => (bare.has(alias) && !quoted.has(alias) ? alias.toLowerCase() : alias);
  const items = (ast.columns ?? []) as { expr?: AstNode; as?: unknown }[];
  // undefined: a star (of unknown width); null: the name stays (an alias, a column).
  const figured = items.map((item): string | null | undefined => {
    if (!item.expr || isStar(item.expr)) return undefined;
    if (typeof item.as === 'string') return folded(item.as);
    // A subscripted column is named after the column in Postgres (`a[1]` is "a"), not as DuckDB prints it.
    const subscripted = Array.isArray(item.expr.array_index) && item.expr.array_index.length > 0;
    if (item.expr.type === 'column_ref' && !subscripted) return null;
    return postgresColumnName(item.expr);
  });
  const out = [...names];
  const stars = figured.filter((f) => f === undefined).length;
  if (stars === 0 && figured.length !== names.length) return out;
  const firstStar = figured.indexOf(undefined);
  const before = firstStar < 0 ? figured.length : firstStar;
  for (let i = 0; i < before; i++) if (typeof figured[i] === 'string') out[i] = figured[i] as string;
  if (firstStar >= 0) {
    const lastStar = figured.lastIndexOf(undefined);
    const after = figured.length - 1 - lastStar;
    for (let k = 1; k <= after; k++) {
      const f = figured[figured.length - k];
      if (typeof f === 'string' && names.length - k >= 0) out[names.length - k] = f;
    }
  }
  return out;
}

function isStar(node: AstNode): boolean {
  return node.type === 'star' || (node.type === 'column_ref' && node.column === '*');
}
