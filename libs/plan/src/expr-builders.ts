import { BOOLEAN, type SqlType } from '@tributary/common';
import type { CallExpr, ColumnExpr, Expr, LiteralExpr, LiteralValue, ScalarFunctionName } from './expr.ts';

export function column(index: number, name: string, type: SqlType): ColumnExpr {
  return { kind: 'column', index, name, type };
}

export function literal(value: LiteralValue, type: SqlType): LiteralExpr {
  return { kind: 'literal', value, type };
}

export function call(fn: ScalarFunctionName, args: readonly Expr[], type: SqlType): CallExpr {
  return { kind: 'call', fn, args, type };
}

/**
 * AND of the given predicates as one n-ary call (nested ANDs among them flattened into it);
 * the predicate itself for one, undefined for none. N-ary rather than a chain of binary ANDs,
 * so that thousands of conjuncts do not make a tree thousands of levels deep.
 */
export function conjunction(predicates: readonly Expr[]): Expr | undefined {
  const parts = predicates.flatMap(splitConjunction);
  if (parts.length === 0) return undefined;
  return parts.length === 1 ? parts[0] : call('and', parts, BOOLEAN);
}

/** The AND-ed parts of a predicate: a AND (b AND c) → [a, b, c]. */
export function splitConjunction(predicate: Expr): Expr[] {
  if (predicate.kind === 'call' && predicate.fn === 'and') {
    return predicate.args.flatMap(splitConjunction);
  }
  return [predicate];
}
