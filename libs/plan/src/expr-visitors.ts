import type { Expr } from './expr.ts';
import {
  formatDate,
  formatDecimal,
  formatExactDecimal,
  formatTime,
  formatTimestamp,
  isZoned,
  typeToString,
} from '@tributary/common';

function assertNever(x: never): never {
  throw new Error(`unhandled expression kind ${JSON.stringify(x)}`);
}

/** The direct children of an expression, in a fixed order. */
export function exprChildren(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'column':
    case 'literal':
      return [];
    case 'call':
      return [...expr.args];
    case 'cast':
      return [expr.expr];
    case 'case':
      return [...expr.whens.flatMap((w) => [w.when, w.then]), ...(expr.otherwise ? [expr.otherwise] : [])];
    case 'in-list':
      return [expr.expr, ...expr.list];
    case 'like':
      return [expr.expr, expr.pattern];
    case 'is-null':
      return [expr.expr];
    default:
      return assertNever(expr);
  }
}

/** Rebuilds an expression bottom-up, `fn` seeing each node after its children were rebuilt. */
export function transformExpr(expr: Expr, fn: (e: Expr) => Expr): Expr {
  const rebuilt = ((): Expr => {
    switch (expr.kind) {
      case 'column':
      case 'literal':
        return expr;
      case 'call':
        return { ...expr, args: expr.args.map((a) => transformExpr(a, fn)) };
      case 'cast':
        return { ...expr, expr: transformExpr(expr.expr, fn) };
      case 'case':
        return {
          ...expr,
          whens: expr.whens.map((w) => ({
            when: transformExpr(w.when, fn),
            then: transformExpr(w.then, fn),
          })),
          otherwise: expr.otherwise ? transformExpr(expr.otherwise, fn) : null,
        };
      case 'in-list':
        return {
          ...expr,
          expr: transformExpr(expr.expr, fn),
          list: expr.list.map((e) => transformExpr(e, fn)),
        };
      case 'like':
        return { ...expr, expr: transformExpr(expr.expr, fn), pattern: transformExpr(expr.pattern, fn) };
      case 'is-null':
        return { ...expr, expr: transformExpr(expr.expr, fn) };
      default:
        return assertNever(expr);
    }
  })();
  return fn(rebuilt);
}

/** Column indices an expression reads. Iterative: it also sizes up trees too deep to compile. */
export function referencedColumns(expr: Expr, into: Set<number> = new Set()): Set<number> {
  const stack: Expr[] = [expr];
  while (stack.length > 0) {
    const e = stack.pop() as Expr;
    if (e.kind === 'column') into.add(e.index);
    else if (e.kind === 'in-list') {
      // Skip the literals of long lists without copying them.
      stack.push(e.expr);
      for (const item of e.list) if (item.kind !== 'literal') stack.push(item);
    } else if (e.kind !== 'literal') for (const child of exprChildren(e)) stack.push(child);
  }
  return into;
}

/** Renumbers column references through `mapping` (old index → new index). */
export function remapColumns(expr: Expr, mapping: (index: number) => number): Expr {
  return transformExpr(expr, (e) => (e.kind === 'column' ? { ...e, index: mapping(e.index) } : e));
}

export function literalToString(expr: Expr & { kind: 'literal' }): string {
  const { value, type } = expr;
  if (value === null) return 'NULL';
  switch (type.kind) {
    case 'VARCHAR':
      return `'${String(value).replace(/'/g, "''")}'`;
    case 'DECIMAL':
      return typeof value === 'string'
        ? formatExactDecimal(BigInt(value), type.scale)
        : formatDecimal(value as number, type.scale);
    case 'DATE':
      return `DATE '${formatDate(value as number)}'`;
    case 'TIME':
      return `TIME '${formatTime(value as number)}'`;
    case 'TIMESTAMP':
      return isZoned(type)
        ? `TIMESTAMPTZ '${formatTimestamp(value as number, ' ', true)}'`
        : `TIMESTAMP '${formatTimestamp(value as number)}'`;
    default:
      return String(value);
  }
}

const INFIX: Partial<Record<string, string>> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  modulo: '%',
  bitwise_and: '&',
  bitwise_or: '|',
  shift_left: '<<',
  shift_right: '>>',
  eq: '=',
  neq: '<>',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  and: 'AND',
  or: 'OR',
  concat: '||',
};

/**
 * A SQL-like rendering that identifies the expression: the binder and planners compare
 * expressions by it, so it is complete (exprToDisplayString shortens it for people).
 */
export function exprToString(expr: Expr): string {
  return render(expr, Infinity);
}

/** IN-list items EXPLAIN shows before it says how many more there are. */
export const SHOWN_LIST_ITEMS = 100;

/**
 * A readable rendering for plan printing and EXPLAIN: as exprToString, with IN lists of more
 * than SHOWN_LIST_ITEMS items cut there (a 100,000-item list would print megabytes).
 */
export function exprToDisplayString(expr: Expr): string {
  return render(expr, SHOWN_LIST_ITEMS);
}

function render(expr: Expr, listItems: number): string {
  const r = (e: Expr) => render(e, listItems);
  switch (expr.kind) {
    case 'column':
      return `${expr.name}#${expr.index}`;
    case 'literal':
      return literalToString(expr);
    case 'call': {
      const op = INFIX[expr.fn];
      if (op && expr.args.length === 2) return `(${r(expr.args[0])} ${op} ${r(expr.args[1])})`;
      // AND and OR are n-ary: (a AND b AND c).
      if (op && (expr.fn === 'and' || expr.fn === 'or') && expr.args.length > 2)
        return `(${expr.args.map(r).join(` ${op} `)})`;
      if (expr.fn === 'not') return `NOT ${r(expr.args[0])}`;
      if (expr.fn === 'negate') return `-${r(expr.args[0])}`;
      return `${expr.fn}(${expr.args.map(r).join(', ')})`;
    }
    case 'cast':
      return `${expr.try ? 'TRY_CAST' : 'CAST'}(${r(expr.expr)} AS ${typeToString(expr.type)})`;
    case 'case':
      return `CASE ${expr.whens.map((w) => `WHEN ${r(w.when)} THEN ${r(w.then)}`).join(' ')}${
        expr.otherwise ? ` ELSE ${r(expr.otherwise)}` : ''
      } END`;
    case 'in-list': {
      const shown = expr.list.length > listItems ? expr.list.slice(0, listItems) : expr.list;
      const more = expr.list.length - shown.length;
      const items = shown.map(r).join(', ') + (more > 0 ? `, … ${more} more` : '');
      return `${r(expr.expr)} ${expr.negated ? 'NOT IN' : 'IN'} (${items})`;
    }
    case 'like':
      return `${r(expr.expr)} ${expr.negated ? 'NOT ' : ''}${expr.caseInsensitive ? 'ILIKE' : 'LIKE'} ${r(expr.pattern)}`;
    case 'is-null':
      return `${r(expr.expr)} IS ${expr.negated ? 'NOT ' : ''}NULL`;
    default:
      return assertNever(expr);
  }
}
