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

/** AND of the given predicates, flattened; undefined for none. */
export function conjunction(predicates: readonly Expr[]): Expr | undefined {
  if (predicates.length === 0) return undefined;
  return predicates.reduce((left, right) => call('and', [left, right], BOOLEAN));
}

/** The AND-ed parts of a predicate: a AND (b AND c) → [a, b, c]. */
export function splitConjunction(predicate: Expr): Expr[] {
  if (predicate.kind === 'call' && predicate.fn === 'and') {
    return predicate.args.flatMap(splitConjunction);
  }
  return [predicate];
}
