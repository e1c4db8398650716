import { parseTypeName } from '@tributary/common';
import { AGGREGATE_NAMES } from './contains-aggregate.ts';
import { argList, functionName, type AstArgs, type AstNode, type AstOrderBy } from './sql-ast.ts';

function columnName(node: AstNode): string {
  const col = node.column;
  if (typeof col === 'string') return col;
  const inner = (col as AstNode | undefined)?.expr;
  return String(inner?.value ?? (col as AstNode | undefined)?.value ?? '');
}

const LIKE_OPERATORS: Record<string, { symbol: string; escape: string }> = {
  LIKE: { symbol: '~~', escape: 'like_escape' },
  'NOT LIKE': { symbol: '!~~', escape: 'not_like_escape' },
  ILIKE: { symbol: '~~*', escape: 'ilike_escape' },
  'NOT ILIKE': { symbol: '!~~*', escape: 'not_ilike_escape' },
};

/** Functions whose names are DuckDB keywords: it prints them quoted. */
const QUOTED_FUNCTIONS = new Set([
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'quarter',
  'week',
  'left',
  'right',
  'replace',
  'nullif',
]);

/** DuckDB's spelling of a type in a printed CAST: `"DOUBLE"`, `"DATE"`, `DECIMAL(15, 2)`. */
function duckdbTypeName(written: string): string {
  const type = parseTypeName(written);
  if (!type) return written.toUpperCase();
  if (type.kind === 'DOUBLE' || type.kind === 'DATE') return `"${type.kind}"`;
  if (type.kind === 'DECIMAL') return `DECIMAL(${type.precision}, ${type.scale})`;
  return type.kind;
}

/** A scalar or aggregate call the way DuckDB prints it once bound. */
function functionCallName(node: AstNode): string {
  const name = functionName(node).toLowerCase();
  const args = argList(node);
  // CURRENT_DATE and the like, written without parentheses.
  if (node.args === undefined) return name;
  if (AGGREGATE_NAMES.has(name)) return `${name}(${aggregateArgs(node, args)})${filterClause(node)}`;
  const list = (items: readonly AstNode[]): string => items.map(exprName).join(', ');
  switch (name) {
    case 'position': {
      const [needle, haystack] = args.filter((a) => a.type !== 'origin');
      return `main."position"(${list([haystack, needle])})`;
    }
    case 'substring':
      return `main."substring"(${list(args)})`;
    case 'coalesce':
    case 'ifnull':
    case 'nvl':
      return `COALESCE(${list(args)})`;
    case 'trim': {
      const word = (a: AstNode): string => (a.type === 'origin' ? String(a.value).toLowerCase() : '');
      const side = args.length > 0 ? word(args[0]) : '';
      const rest = ['both', 'leading', 'trailing'].includes(side) ? args.slice(1) : args;
      const from = rest.findIndex((a) => word(a) === 'from');
      const operands = from >= 0 ? [rest[from + 1], ...rest.slice(0, from)] : rest;
      const fn = side === 'leading' ? 'ltrim' : side === 'trailing' ? 'rtrim' : '"trim"';
      return `main.${fn}(${list(operands.filter((a) => a !== undefined))})`;
    }
    default:
      return `${QUOTED_FUNCTIONS.has(name) ? `"${name}"` : name}(${list(args)})`;
  }
}

/** An aggregate's arguments as DuckDB prints them: `DISTINCT x, ',' ORDER BY y DESC`. */
function aggregateArgs(node: AstNode, args: readonly AstNode[]): string {
  const spec = node.args as AstArgs | undefined;
  const distinct = typeof spec?.distinct === 'string' ? 'DISTINCT ' : '';
  const order = (spec?.orderby ?? null) as readonly AstOrderBy[] | null;
  const keys = (order ?? []).map((k) => {
    const desc = String(k.type ?? '').toUpperCase() === 'DESC' ? ' DESC' : '';
    const nulls = k.nulls ? ` ${String(k.nulls).toUpperCase().replace(/\s+/g, ' ')}` : '';
    return `${exprName(k.expr)}${desc}${nulls}`;
  });
  return `${distinct}${args.map(exprName).join(', ')}${keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : ''}`;
}

function filterClause(node: AstNode): string {
  const where = (node.filter as { where?: AstNode } | null | undefined)?.where;
  return where ? ` FILTER (WHERE ${exprName(where)})` : '';
}

/**
 * The output name DuckDB gives an unaliased select item: a column's own name, otherwise
 * the expression as it prints it (`count_star()`, `sum(l_quantity)`, `(a + b)`).
 */
export function exprName(node: AstNode): string {
  switch (node.type) {
    case 'column_ref':
      return columnName(node);
    case 'number':
    case 'bigint':
      return String(node.value);
    case 'single_quote_string':
    case 'string':
      return `'${String(node.value)}'`;
    case 'bool':
      return node.value ? "CAST('t' AS BOOLEAN)" : "CAST('f' AS BOOLEAN)";
    case 'null':
      return 'NULL';
    case 'date':
      return `CAST('${String(node.value)}' AS "DATE")`;
    case 'timestamp':
      return `CAST('${String(node.value)}' AS TIMESTAMP)`;
    case 'interval': {
      // DuckDB prints `INTERVAL 3 HOUR` as the call it binds: to_hours(CAST(trunc(…) AS BIGINT)).
      const expr = node.expr as AstNode | undefined;
      const unit = String(node.unit ?? '')
        .toLowerCase()
        .replace(/s$/, '');
      const amount = expr ? exprName(expr) : "''";
      if (unit === '') return `CAST(${amount} AS INTERVAL)`;
      const asDouble = `CAST(${amount} AS DOUBLE)`;
      if (unit === 'second' || unit === 'millisecond' || unit === 'microsecond')
        return `to_${unit}s(${asDouble})`;
      const whole = unit === 'hour' || unit === 'minute' ? 'BIGINT' : 'INTEGER';
      return `to_${unit}s(CAST(trunc(${asDouble}) AS ${whole}))`;
    }
    case 'binary_expr': {
      const op = String(node.operator).toUpperCase().replace(/\s+/g, ' ');
      const right = node.right as AstNode;
      if (op.endsWith('BETWEEN')) {
        const [lo, hi] = right.value as AstNode[];
        const between = `(${exprName(node.left as AstNode)} BETWEEN ${exprName(lo)} AND ${exprName(hi)})`;
        return op === 'NOT BETWEEN' ? `(NOT ${between})` : between;
      }
      const like = LIKE_OPERATORS[op];
      if (like) {
        const escape = (right as { escape?: { value?: AstNode } }).escape?.value;
        const left = exprName(node.left as AstNode);
        if (escape) return `main.${like.escape}(${left}, ${exprName(right)}, ${exprName(escape)})`;
        return `(${left} ${like.symbol} ${exprName(right)})`;
      }
      if (op.endsWith('IN') && right.type === 'expr_list') {
        return `(${exprName(node.left as AstNode)} ${op} (${(right.value as AstNode[]).map(exprName).join(', ')}))`;
      }
      if ((op === 'IS' || op === 'IS NOT') && right.type !== 'null' && right.type !== 'bool') {
        // What the parse makes of IS [NOT] DISTINCT FROM (is-distinct-from.ts).
        const spelled = op === 'IS' ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM';
        return `(${exprName(node.left as AstNode)} ${spelled} ${exprName(right)})`;
      }
      return `(${exprName(node.left as AstNode)} ${op === '<>' ? '!=' : op} ${exprName(right)})`;
    }
    case 'unary_expr': {
      const op = String(node.operator).toUpperCase();
      return op === 'NOT'
        ? `(NOT ${exprName(node.expr as AstNode)})`
        : `${op}(${exprName(node.expr as AstNode)})`;
    }
    case 'aggr_func': {
      const name = String(node.name).toLowerCase();
      const args = node.args as AstArgs | undefined;
      const arg = args?.expr as AstNode | undefined;
      const separator = (args?.separator as { delimiter?: AstNode } | null | undefined)?.delimiter;
      const parts = [...(arg ? [arg] : []), ...(separator ? [separator] : [])];
      const call =
        name === 'count' && (!arg || arg.type === 'star')
          ? 'count_star('
          : `${name}(${aggregateArgs(node, parts)}`;
      return `${call})${filterClause(node)}`;
    }
    case 'origin':
      return String(node.value).toUpperCase();
    case 'function':
      if (functionName(node).toLowerCase() === 'try_cast' && argList(node).length === 2) {
        // TRY_CAST(x AS T), rewritten by parse-sql into try_cast(x, 'T').
        const [value, type] = argList(node);
        return `TRY_CAST(${exprName(value)} AS ${String(type.value)})`;
      }
      return functionCallName(node);
    case 'cast': {
      const t = node.target?.[0];
      const int128 =
        t !== undefined && String(t.dataType).toUpperCase() === 'INT' && Number(t.length) === 128;
      const type = int128
        ? 'HUGEINT'
        : t
          ? `${t.dataType}${t.length !== undefined && t.length !== null ? `(${t.length}${t.scale !== undefined && t.scale !== null ? `,${t.scale}` : ''})` : ''}`
          : '';
      return `CAST(${exprName(node.expr as AstNode)} AS ${duckdbTypeName(type)})`;
    }
    case 'extract': {
      const args = node.args as AstArgs;
      return `main.date_part('${String(args.field).toLowerCase()}', ${exprName(args.source as AstNode)})`;
    }
    case 'case': {
      // DuckDB prints `CASE  WHEN ((c)) THEN (r) ELSE e END`, a simple CASE as comparisons.
      const branches = (node.args as unknown as AstNode[]) ?? [];
      const base = node.expr ? exprName(node.expr) : undefined;
      const whens = branches
        .filter((b) => b.type === 'when')
        .map((b) => {
          const cond = exprName(b.cond as AstNode);
          return ` WHEN (${base === undefined ? cond : `(${base} = ${cond})`}) THEN (${exprName(b.result as AstNode)})`;
        });
      const otherwise = branches.find((b) => b.type === 'else');
      return `CASE ${whens.join('')} ELSE ${otherwise ? exprName(otherwise.result as AstNode) : 'NULL'} END`;
    }
    default:
      return String(node.type ?? '?');
  }
}
