import { SLICE } from './subscript-placeholders.ts';
import { integerDivisor } from './integer-division.ts';
import { formatDouble, isZoned, parseTypeName, typeToString } from '@tributary/common';
import { AGGREGATE_NAMES } from './contains-aggregate.ts';
import {
  argList,
  castTypeText,
  functionName,
  type AstArgs,
  type AstFrom,
  type AstNode,
  type AstOrderBy,
  type AstSelect,
} from './sql-ast.ts';
import type { AstFrameBound, AstWindowCall } from './window-syntax.ts';

function columnName(node: AstNode): string {
  const col = node.column;
  if (typeof col === 'string') return col;
  const inner = (col as AstNode | undefined)?.expr;
  return String(inner?.value ?? (col as AstNode | undefined)?.value ?? '');
}

/** A column reference as written, qualifier included (`x.a`), as DuckDB prints it inside expressions. */
function writtenColumn(node: AstNode): string {
  const table = node.table;
  const qualifier =
    typeof table === 'string'
      ? table
      : table && typeof table === 'object'
        ? String((table as AstNode).value)
        : '';
  const parts = [node.db, node.schema].filter((p): p is string => typeof p === 'string' && p !== '');
  return [...parts, ...(qualifier ? [qualifier] : []), columnName(node)].join('.');
}

/** The operands of a chain of one logical operator, flattened (DuckDB's conjunctions are n-ary). */
function chain(node: AstNode, op: string): AstNode[] {
  const isOp = (n: AstNode): boolean =>
    n.type === 'binary_expr' && String(n.operator).toUpperCase() === op && !n.parentheses;
  if (!isOp(node)) return [node];
  return [...chain(node.left as AstNode, op), ...chain(node.right as AstNode, op)];
}

function fromItem(item: AstFrom, i: number): string {
  const expr = item.expr as AstNode | undefined;
  const name = expr?.ast
    ? `(${selectText(expr.ast)})`
    : [item.db, item.schema, item.table].filter((p) => typeof p === 'string' && p !== '').join('.');
  const alias = item.as ? ` AS ${item.as}` : '';
  if (i === 0) return `${name}${alias}`;
  const join = typeof item.join === 'string' ? item.join.toUpperCase().replace(/\s+/g, ' ') : '';
  if (!join) return ` , ${name}${alias}`;
  const kind = join === 'JOIN' ? 'INNER JOIN' : join.replace(' OUTER', '');
  return ` ${kind} ${name}${alias}${item.on ? ` ON (${printExpr(item.on)})` : ''}`;
}

/** A SELECT as DuckDB prints it in the name of a subquery expression. */
function selectText(ast: AstSelect): string {
  const distinct =
    (typeof ast.distinct === 'string' ? ast.distinct : ast.distinct?.type)?.toUpperCase() === 'DISTINCT'
      ? 'DISTINCT '
      : '';
  const columns =
    typeof ast.columns === 'string'
      ? '*'
      : ast.columns
          .map((c) =>
            c.expr.type === 'column_ref' && c.expr.column === '*'
              ? writtenColumn(c.expr)
              : `${printExpr(c.expr)}${c.as ? ` AS ${c.as}` : ''}`,
          )
          .join(', ');
  let text = `SELECT ${distinct}${columns}`;
  if (ast.from && ast.from.length > 0) text += ` FROM ${ast.from.map(fromItem).join('')}`;
  if (ast.where) text += ` WHERE ${printExpr(ast.where)}`;
  const groups = Array.isArray(ast.groupby)
    ? (ast.groupby as AstNode[])
    : ((ast.groupby as { columns?: AstNode[] | null } | null)?.columns ?? []);
  if (groups.length > 0) text += ` GROUP BY ${groups.map(printExpr).join(', ')}`;
  if (ast.having) text += ` HAVING ${printExpr(ast.having)}`;
  if (ast.orderby && ast.orderby.length > 0)
    text += ` ORDER BY ${ast.orderby.map((o) => `${printExpr(o.expr)}${String(o.type ?? '').toUpperCase() === 'DESC' ? ' DESC' : ''}`).join(', ')}`;
  const limit = ast.limit?.value ?? [];
  if (limit.length > 0) text += ` LIMIT ${limit.map((l) => printExpr(l as AstNode)).join(' OFFSET ')}`;
  return text;
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
  'range',
]);

/** The text of `-node` when node is a number, or a minus before one, as DuckDB folds it. */
function negatedNumber(node: AstNode): string | undefined {
  const inner =
    node.type === 'number'
      ? printExpr(node)
      : node.type === 'unary_expr' && node.operator === '-' && !node.parentheses
        ? negatedNumber(node.expr as AstNode)
        : undefined;
  if (inner === undefined || node.parentheses) return undefined;
  return inner.startsWith('-') ? inner.slice(1) : `-${inner}`;
}

/** Aggregates whose names are DuckDB keywords: it prints them quoted. */
const QUOTED_AGGREGATES = new Set(['first', 'last', 'mode']);

/** DuckDB's spelling of a type in a printed CAST: `"DOUBLE"`, `"HUGEINT"`, `DECIMAL(15, 2)`. */
function duckdbTypeName(written: string): string {
  const type = parseTypeName(written);
  if (!type) return written.toUpperCase();
  const name = typeToString(type);
  if (name === 'DOUBLE' || name === 'DATE' || name === 'TINYINT' || name === 'HUGEINT') return `"${name}"`;
  if (type.kind === 'DECIMAL') return `DECIMAL(${type.precision}, ${type.scale})`;
  if (isZoned(type)) return '"TIMESTAMP WITH TIME ZONE"';
  return name;
}

/** A scalar or aggregate call the way DuckDB prints it once bound. */
function functionCallName(node: AstNode): string {
  const name = functionName(node).toLowerCase();
  const args = argList(node);
  // CURRENT_DATE and the like, written without parentheses.
  if (node.args === undefined) return name;
  if (AGGREGATE_NAMES.has(name)) {
    const sorted = name === 'list' ? listSortName(node, args) : undefined;
    if (sorted) return sorted;
    const printed = QUOTED_AGGREGATES.has(name) ? `"${name}"` : name;
    return `${printed}(${aggregateArgs(node, args)})${filterClause(node)}`;
  }
  const list = (items: readonly AstNode[]): string => items.map(printExpr).join(', ');
  switch (name) {
    case 'position': {
      const [needle, haystack] = args.filter((a) => a.type !== 'origin');
      return `main."position"(${list([haystack, needle])})`;
    }
    case 'substring':
      return `main."substring"(${list(args)})`;
    case 'list_value': {
      // A bare list literal, rewritten to DuckDB's own name for it; list_value(…) as written keeps its name.
      const schema = (node.name as { schema?: { value?: unknown } } | undefined)?.schema?.value;
      return `${schema === 'main' ? 'main.' : ''}list_value(${list(args)})`;
    }
    case 'if': {
      // DuckDB names if(c, a, b) after the CASE it becomes, two blanks and all.
      if (args.length !== 3) return `if(${list(args)})`;
      const [c, a, b] = args.map(printExpr);
      return `CASE  WHEN (${c}) THEN (${a}) ELSE ${b} END`;
    }
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

/**
 * DuckDB makes `list(x ORDER BY x DESC)`, ordered by its own argument alone, a sort of the
 * list, and names it so: `list_sort(list(x), 'DESCENDING', 'ORDER_DEFAULT')`.
 */
function listSortName(node: AstNode, args: readonly AstNode[]): string | undefined {
  const spec = node.args as AstArgs | undefined;
  const order = (spec?.orderby ?? null) as readonly AstOrderBy[] | null;
  if (order?.length !== 1 || args.length !== 1 || printExpr(order[0].expr) !== printExpr(args[0]))
    return undefined;
  const direction = String(order[0].type ?? '').toUpperCase();
  const nulls = order[0].nulls ? String(order[0].nulls).toUpperCase().replace(/\s+/g, ' ') : 'ORDER_DEFAULT';
  const distinct = typeof spec?.distinct === 'string' ? 'DISTINCT ' : '';
  const sortOrder = direction === 'DESC' ? 'DESCENDING' : direction === 'ASC' ? 'ASCENDING' : 'ORDER_DEFAULT';
  return `list_sort(list(${distinct}${printExpr(args[0])})${filterClause(node)}, '${sortOrder}', '${nulls}')`;
}

/** An aggregate's arguments as DuckDB prints them: `DISTINCT x, ',' ORDER BY y DESC`. */
function aggregateArgs(node: AstNode, args: readonly AstNode[]): string {
  const spec = node.args as AstArgs | undefined;
  const distinct = typeof spec?.distinct === 'string' ? 'DISTINCT ' : '';
  const order = (spec?.orderby ?? null) as readonly AstOrderBy[] | null;
  const keys = (order ?? []).map((k) => {
    const desc = String(k.type ?? '').toUpperCase() === 'DESC' ? ' DESC' : '';
    const nulls = k.nulls ? ` ${String(k.nulls).toUpperCase().replace(/\s+/g, ' ')}` : '';
    return `${printExpr(k.expr)}${desc}${nulls}`;
  });
  return `${distinct}${args.map(printExpr).join(', ')}${keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : ''}`;
}

function filterClause(node: AstNode): string {
  const where = (node.filter as { where?: AstNode } | null | undefined)?.where;
  return where ? ` FILTER (WHERE ${printExpr(where)})` : '';
}

/**
 * The output name DuckDB gives an unaliased select item: a column's own name, otherwise
 * the expression as it prints it (`count_star()`, `sum(l_quantity)`, `(a + b)`,
 * `(SELECT max(x) FROM t)`, `EXISTS(SELECT …)`).
 */
export function exprName(node: AstNode): string {
  return node.type === 'column_ref' ? columnName(node) + subscriptsText(node) : printExpr(node);
}

/** `[i]` and `[a:b]` after an operand, as DuckDB prints them. */
function subscriptsText(node: AstNode): string {
  const subscripts = node.array_index as { index: AstNode }[] | undefined;
  if (!Array.isArray(subscripts)) return '';
  const bound = (b: unknown) => (b ? exprName(b as AstNode) : '');
  return subscripts
    .map(({ index }) =>
      index.type === SLICE ? `[${bound(index.begin)}:${bound(index.end)}]` : `[${exprName(index)}]`,
    )
    .join('');
}

function printExpr(node: AstNode): string {
  return printOperand(node) + subscriptsText(node);
}

function printOperand(node: AstNode): string {
  if (node.ast) return `(${selectText(node.ast)})`;
  switch (node.type) {
    case 'column_ref':
      return writtenColumn(node);
    case 'number':
    case 'bigint': {
      // An exponent literal is a DOUBLE, printed as one: 1e3 is 1000.0.
      const text = String(node.value);
      return /e/i.test(text) ? formatDouble(Number(text)) : text;
    }
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
    case 'time':
      return `CAST('${String(node.value)}' AS TIME)`;
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
        const between = `(${printExpr(node.left as AstNode)} BETWEEN ${printExpr(lo)} AND ${printExpr(hi)})`;
        return op === 'NOT BETWEEN' ? `(NOT ${between})` : between;
      }
      if (op === 'SIMILAR TO' || op === 'NOT SIMILAR TO') {
        const match = `regexp_full_match(${printExpr(node.left as AstNode)}, ${printExpr(right)})`;
        return op === 'SIMILAR TO' ? match : `(NOT ${match})`;
      }
      const like = LIKE_OPERATORS[op];
      if (like) {
        const escape = (right as { escape?: { value?: AstNode } }).escape?.value;
        const left = printExpr(node.left as AstNode);
        if (escape) return `main.${like.escape}(${left}, ${printExpr(right)}, ${printExpr(escape)})`;
        return `(${left} ${like.symbol} ${printExpr(right)})`;
      }
      if (op === 'AND' || op === 'OR') return `(${chain(node, op).map(printExpr).join(` ${op} `)})`;
      const divisor = op === '/' ? integerDivisor(right) : undefined;
      if (divisor) return `(${printExpr(node.left as AstNode)} // ${printExpr(divisor)})`;
      const items = right.type === 'expr_list' ? (right.value as AstNode[]) : [];
      if (op.endsWith('IN') && items.length === 1 && items[0].ast) {
        const any = `(${printExpr(node.left as AstNode)} = ANY(${selectText(items[0].ast)}))`;
        return op === 'IN' ? any : `(NOT ${any})`;
      }
      if (op.endsWith('IN') && right.type === 'expr_list') {
        return `(${printExpr(node.left as AstNode)} ${op} (${(right.value as AstNode[]).map(exprName).join(', ')}))`;
      }
      if ((op === 'IS' || op === 'IS NOT') && right.type === 'bool') {
        // x IS [NOT] TRUE/FALSE: DuckDB's spelling of what it binds it to.
        const spelled = op === 'IS' ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM';
        return `(CAST(${printExpr(node.left as AstNode)} AS BOOLEAN) ${spelled} ${right.value ? 'true' : 'false'})`;
      }
      if ((op === 'IS' || op === 'IS NOT') && right.type !== 'null') {
        // What the parse makes of IS [NOT] DISTINCT FROM (is-distinct-from.ts).
        const spelled = op === 'IS' ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM';
        return `(${printExpr(node.left as AstNode)} ${spelled} ${printExpr(right)})`;
      }
      return `(${printExpr(node.left as AstNode)} ${op === '<>' ? '!=' : op} ${printExpr(right)})`;
    }
    case 'unary_expr': {
      const op = String(node.operator).toUpperCase().replace(/\s+/g, ' ');
      const operand = node.expr as AstNode;
      if (op === 'NOT EXISTS' && operand.ast) return `(NOT EXISTS(${selectText(operand.ast)}))`;
      // DuckDB folds a minus before a number into the constant: `- 2` is -2, `- - 4` is 4.
      const constant = op === '-' ? negatedNumber(operand) : undefined;
      if (constant !== undefined) return constant;
      return op === 'NOT'
        ? `(NOT ${printExpr(node.expr as AstNode)})`
        : `${op}(${printExpr(node.expr as AstNode)})`;
    }
    case 'aggr_func': {
      const name = String(node.name).toLowerCase();
      const args = node.args as AstArgs | undefined;
      const arg = args?.expr as AstNode | undefined;
      const withinGroup = node.within_group_orderby as readonly AstOrderBy[] | null | undefined;
      if (withinGroup && withinGroup.length > 0) {
        // DuckDB names percentile_cont(f) WITHIN GROUP (ORDER BY x) as the call it becomes,
        // mode() WITHIN GROUP (whose missing argument the grammar reads as {}) as written.
        const order = withinGroup
          .map((o) =>
            [
              exprName(o.expr),
              ...[o.type, o.nulls].filter((p) => p).map((p) => String(p).toUpperCase()),
            ].join(' '),
          )
          .join(', ');
        if (arg?.type === undefined)
          return `"${name}"() WITHIN GROUP ( ORDER BY ${order})${filterClause(node)}`;
        const quantile = name.replace(/^percentile_/, 'quantile_');
        return `${quantile}(${exprName(arg)} ORDER BY ${order})${filterClause(node)}`;
      }
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
      if (functionName(node).toLowerCase() === 'exists' && argList(node)[0]?.ast)
        return `EXISTS(${selectText(argList(node)[0].ast!)})`;
      if (functionName(node).toLowerCase() === 'try_cast' && argList(node).length === 2) {
        // TRY_CAST(x AS T), rewritten by parse-sql into try_cast(x, 'T').
        const [value, type] = argList(node);
        return `TRY_CAST(${printExpr(value)} AS ${String(type.value)})`;
      }
      // DuckDB prints GROUPING_ID as GROUPING, in capitals.
      if (['grouping', 'grouping_id'].includes(functionName(node).toLowerCase()))
        return `GROUPING(${argList(node).map(exprName).join(', ')})`;
      return functionCallName(node);
    case 'cast':
      // `x::a::b` is one node with a target per cast, applied in turn.
      return ((node.target ?? []) as unknown[]).reduce<string>(
        (inner, target) => {
          const dimensions = (target as { array?: { dimension?: number } }).array?.dimension ?? 0;
          return `CAST(${inner} AS ${duckdbTypeName(castTypeText(target as never))}${'[]'.repeat(dimensions)})`;
        },
        printExpr(node.expr as AstNode),
      );
    case 'extract': {
      const args = node.args as AstArgs;
      const source = printExpr(args.source as AstNode);
      const typed = args.cast_type ? `CAST(${source} AS ${duckdbTypeName(String(args.cast_type))})` : source;
      return `main.date_part('${String(args.field).toLowerCase()}', ${typed})`;
    }
    case 'case': {
      // DuckDB prints `CASE  WHEN ((c)) THEN (r) ELSE e END`, a simple CASE as comparisons.
      const branches = (node.args as unknown as AstNode[]) ?? [];
      const base = node.expr ? printExpr(node.expr) : undefined;
      const whens = branches
        .filter((b) => b.type === 'when')
        .map((b) => {
          const cond = printExpr(b.cond as AstNode);
          return ` WHEN (${base === undefined ? cond : `(${base} = ${cond})`}) THEN (${printExpr(b.result as AstNode)})`;
        });
      const otherwise = branches.find((b) => b.type === 'else');
      return `CASE ${whens.join('')} ELSE ${otherwise ? printExpr(otherwise.result as AstNode) : 'NULL'} END`;
    }
    case 'window_call':
      return windowCallName(node as unknown as AstWindowCall);
    default:
      return String(node.type ?? '?');
  }
}

function boundText(b: AstFrameBound): string {
  switch (b.kind) {
    case 'unbounded-preceding':
      return 'UNBOUNDED PRECEDING';
    case 'unbounded-following':
      return 'UNBOUNDED FOLLOWING';
    case 'current-row':
      return 'CURRENT ROW';
    default: {
      const o = b.offset!;
      const text =
        o.kind === 'number'
          ? String(o.value)
          : `INTERVAL '${o.text}'${o.unit ? ` ${o.unit.toUpperCase()}` : ''}`;
      return `${text} ${b.kind.toUpperCase()}`;
    }
  }
}

/** The name DuckDB gives an unaliased window call: `sum(x) OVER (PARTITION BY a ORDER BY b DESC)`. */
export function windowCallName(node: AstWindowCall): string {
  const call = node.call;
  const isCountStar =
    call.type === 'aggr_func' &&
    String(call.name).toLowerCase() === 'count' &&
    ((call.args as AstArgs | undefined)?.expr?.type === 'star' || !(call.args as AstArgs | undefined)?.expr);
  const w = node.window;
  const written = isCountStar ? 'count()' : exprName(call);
  const head = w.ignoreNulls ? `${written.slice(0, -1)} IGNORE NULLS)` : written;
  const parts: string[] = [];
  if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${w.partitionBy.map(exprName).join(', ')}`);
  if (w.orderBy.length > 0)
    parts.push(
      `ORDER BY ${w.orderBy
        .map(
          (o) =>
            `${exprName(o.expr)}${o.direction ? ` ${o.direction}` : ''}${o.nullsFirst === undefined ? '' : o.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'}`,
        )
        .join(', ')}`,
    );
  // DuckDB leaves the default frame (with ORDER BY) out of the name.
  const isDefault =
    w.frame?.units === 'range' &&
    w.frame.start.kind === 'unbounded-preceding' &&
    w.frame.end.kind === 'current-row';
  if (w.frame && !isDefault)
    parts.push(
      `${w.frame.units.toUpperCase()} BETWEEN ${boundText(w.frame.start)} AND ${boundText(w.frame.end)}`,
    );
  return `${head} OVER (${parts.join(' ')})`;
}
