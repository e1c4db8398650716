import type { ColumnDescriptor, SqlType } from '@tributary/common';
import { isNumeric } from '@tributary/common';
import type { Expr, LiteralValue } from '@tributary/plan';

export type CompareOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte';

/**
 * A pushed filter in the simple shapes connectors translate: column op literal,
 * column IS [NOT] NULL, column [NOT] IN (literals), and and/or/not over those.
 * `numericCast` marks a numeric column compared in another numeric type (the binder wrapped
 * it in a cast); its values then compare as plain numbers.
 */
export type ColumnPredicate =
  | {
      readonly kind: 'compare';
      readonly column: number;
      readonly op: CompareOp;
      readonly value: string | number | boolean;
      readonly valueType: SqlType;
      readonly numericCast: boolean;
    }
  | { readonly kind: 'is-null'; readonly column: number; readonly negated: boolean }
  | {
      readonly kind: 'in-list';
      readonly column: number;
      readonly values: readonly (string | number | boolean)[];
      readonly valueType: SqlType;
      readonly numericCast: boolean;
      readonly negated: boolean;
    }
  | { readonly kind: 'and' | 'or'; readonly args: readonly ColumnPredicate[] }
  | { readonly kind: 'not'; readonly arg: ColumnPredicate };

const COMPARE_OPS: readonly string[] = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte'];
const FLIPPED: Record<CompareOp, CompareOp> = {
  eq: 'eq',
  neq: 'neq',
  lt: 'gt',
  lte: 'gte',
  gt: 'lt',
  gte: 'lte',
};

interface ColumnRef {
  readonly column: number;
  readonly numericCast: boolean;
}

function columnRef(expr: Expr, columns: readonly ColumnDescriptor[]): ColumnRef | undefined {
  if (expr.kind === 'column') {
    return expr.index >= 0 && expr.index < columns.length
      ? { column: expr.index, numericCast: false }
      : undefined;
  }
  if (expr.kind === 'cast' && expr.expr.kind === 'column') {
    const inner = columnRef(expr.expr, columns);
    if (!inner) return undefined;
    // Only widening numeric casts keep order and equality of plain numbers.
    const from = columns[inner.column].type;
    const to = expr.type;
    const keepsScale = from.kind !== 'DECIMAL' || to.kind !== 'DECIMAL' || to.scale >= from.scale;
    if (isNumeric(from) && isNumeric(to) && from.kind !== 'DOUBLE' && keepsScale)
      return { column: inner.column, numericCast: true };
  }
  return undefined;
}

function literalValue(expr: Expr): LiteralValue | undefined {
  if (expr.kind !== 'literal') return undefined;
  // Numbers beyond 2^53 carry their exact text: no source compares those, the engine does.
  if (typeof expr.value === 'string' && isNumeric(expr.type)) return undefined;
  return expr.value;
}

/** Translates a filter into a ColumnPredicate, or undefined when its shape is not simple. */
export function toColumnPredicate(
  expr: Expr,
  columns: readonly ColumnDescriptor[],
): ColumnPredicate | undefined {
  switch (expr.kind) {
    case 'call': {
      if (expr.fn === 'and' || expr.fn === 'or') {
        const args = expr.args.map((a) => toColumnPredicate(a, columns));
        if (args.some((a) => a === undefined)) return undefined;
        return { kind: expr.fn, args: args as ColumnPredicate[] };
      }
      if (expr.fn === 'not') {
        const arg = toColumnPredicate(expr.args[0], columns);
        return arg ? { kind: 'not', arg } : undefined;
      }
      if (COMPARE_OPS.includes(expr.fn) && expr.args.length === 2) {
        let [left, right] = expr.args;
        let op = expr.fn as CompareOp;
        if (left.kind === 'literal') {
          [left, right] = [right, left];
          op = FLIPPED[op];
        }
        const ref = columnRef(left, columns);
        const value = literalValue(right);
        // A comparison with NULL is never true; leave such oddities to the engine.
        if (!ref || value === undefined || value === null) return undefined;
        return {
          kind: 'compare',
          column: ref.column,
          op,
          value,
          valueType: right.type,
          numericCast: ref.numericCast,
        };
      }
      return undefined;
    }
    case 'is-null': {
      const ref = columnRef(expr.expr, columns);
      return ref ? { kind: 'is-null', column: ref.column, negated: expr.negated } : undefined;
    }
    case 'in-list': {
      const ref = columnRef(expr.expr, columns);
      if (!ref || expr.list.length === 0) return undefined;
      const values: (string | number | boolean)[] = [];
      for (const item of expr.list) {
        const value = literalValue(item);
        if (value === undefined || value === null) return undefined;
        values.push(value);
      }
      return {
        kind: 'in-list',
        column: ref.column,
        values,
        valueType: expr.list[0].type,
        numericCast: ref.numericCast,
        negated: expr.negated,
      };
    }
    default:
      return undefined;
  }
}

/** A numeric literal as a plain number in its real units (DECIMAL unscaled → scaled). */
export function numericValue(value: string | number | boolean, type: SqlType): number | undefined {
  if (typeof value !== 'number') return undefined;
  return type.kind === 'DECIMAL' ? value / 10 ** type.scale : value;
}
