import { BindError, type SqlPosition } from '@tributary/common';
import { column, exprToString, referencedColumns, type ColumnExpr, type Expr } from '@tributary/plan';
import { Scope, type NamePart } from './scope.ts';

/**
 * Placeholder column indices used while binding, far above any real column: a subquery's
 * references to its enclosing query get CORRELATED_BASE + k (the k-th outer column it uses),
 * and the value of a subquery written inside an expression gets SUBQUERY_BASE + j until the
 * join that computes it is built and its real index is known.
 */
export const SUBQUERY_BASE = 2 ** 28;
export const CORRELATED_BASE = 2 ** 29;

export function isCorrelatedIndex(index: number): boolean {
  return index >= CORRELATED_BASE;
}

/** Whether an expression reads a column of the enclosing query. */
export function isCorrelated(expr: Expr): boolean {
  for (const i of referencedColumns(expr)) if (i >= CORRELATED_BASE) return true;
  return false;
}

/** An equality between the subquery's own columns and the enclosing query's alone. */
export function correlationKey(conjunct: Expr): { inner: Expr; outer: Expr } | undefined {
  if (conjunct.kind !== 'call' || conjunct.fn !== 'eq') return undefined;
  const [a, b] = conjunct.args;
  const outerOnly = (e: Expr): boolean => {
    const refs = [...referencedColumns(e)];
    return refs.length > 0 && refs.every((i) => i >= CORRELATED_BASE);
  };
  if (!isCorrelated(a) && outerOnly(b)) return { inner: a, outer: b };
  if (!isCorrelated(b) && outerOnly(a)) return { inner: b, outer: a };
  return undefined;
}

/** Resolves a name of the enclosing query to an expression over that query's columns. */
export type OuterResolver = (parts: readonly NamePart[], position: SqlPosition | undefined) => Expr;

/** One column of the enclosing query a subquery reads. */
export interface OuterReference {
  /** Over the enclosing query's columns at the point the subquery stands. */
  readonly outer: Expr;
  readonly name: string;
}

/**
 * What a subquery reads from the query it is written in. Each distinct outer column gets
 * one placeholder index, so the decorrelation can tell correlated conjuncts apart and
 * substitute the outer expression once it knows where the subquery is joined.
 */
export class Correlation {
  readonly refs: OuterReference[] = [];
  private readonly byText = new Map<string, number>();

  constructor(private readonly resolveOuter: OuterResolver) {}

  resolve(parts: readonly NamePart[], position: SqlPosition | undefined): ColumnExpr {
    const outer = this.resolveOuter(parts, position);
    if (referencedColumns(outer).size > 0 && [...referencedColumns(outer)].some((i) => i >= SUBQUERY_BASE))
      throw new BindError(
        'UNSUPPORTED_FEATURE',
        'a subquery referring to a query two or more levels out is not supported yet',
        { position, details: { feature: 'correlation across several query levels' } },
      );
    const text = exprToString(outer);
    let k = this.byText.get(text);
    if (k === undefined) {
      k = this.refs.length;
      this.refs.push({ outer, name: parts[parts.length - 1].text });
      this.byText.set(text, k);
    }
    return column(CORRELATED_BASE + k, this.refs[k].name, outer.type);
  }
}

/** The scope a subquery falls back to for names it does not have: the enclosing query's, through a Correlation. */
export class CorrelatedScope extends Scope {
  constructor(private readonly correlation: Correlation) {
    super([]);
  }

  override resolve(parts: readonly NamePart[], position: SqlPosition | undefined): ColumnExpr {
    return this.correlation.resolve(parts, position);
  }
}
