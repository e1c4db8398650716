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
    return this.placeholder(this.reference(parts, position));
  }

  /** The number k of the outer column a name refers to, registered on first use. */
  reference(parts: readonly NamePart[], position: SqlPosition | undefined): number {
    const outer = this.resolveOuter(parts, position);
    const owner = issuedBy.get(outer);
    if (owner) throw new CrossLevelCorrelation(owner, position);
    if ([...referencedColumns(outer)].some((i) => i >= SUBQUERY_BASE))
      throw new BindError(
        'UNSUPPORTED_FEATURE',
        'a subquery referring to a query two or more levels out is not supported here',
        { position, details: { feature: 'correlation across several query levels' } },
      );
    const text = exprToString(outer);
    let k = this.byText.get(text);
    if (k === undefined) {
      k = this.refs.length;
      this.refs.push({ outer, name: parts[parts.length - 1].text });
      this.byText.set(text, k);
    }
    return k;
  }

  /** The placeholder of the k-th outer column, marked as this correlation's. */
  placeholder(k: number): ColumnExpr {
    const ref = this.refs[k];
    const expr = column(CORRELATED_BASE + k, ref.name, ref.outer.type);
    issuedBy.set(expr, this);
    return expr;
  }
}

/** Which Correlation issued a placeholder, so that a subquery nested deeper can say whose it read. */
const issuedBy = new WeakMap<Expr, Correlation>();

/**
 * A subquery read a column of a query two or more levels out: the name resolved, through the
 * query between, to a placeholder of `owner` (that query's correlation). The subquery bound
 * with `owner` catches it and binds itself again over the domain of its outer columns
 * (bindSubquery), where such a name is an ordinary column of its own.
 */
export class CrossLevelCorrelation extends BindError {
  constructor(
    readonly owner: Correlation,
    position: SqlPosition | undefined,
  ) {
    super(
      'UNSUPPORTED_FEATURE',
      'a subquery referring to a query two or more levels out is not supported here',
      {
        position,
        details: { feature: 'correlation across several query levels' },
      },
    );
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

/**
 * A subquery bound over the domain of its outer columns (FROM × domain): names of the
 * enclosing query resolve to the domain's columns, placed from `offset`. A name not among
 * the domain's columns (found only now) makes the domain grow: DomainGrew, and bind again.
 */
export class DomainScope extends Scope {
  constructor(
    private readonly correlation: Correlation,
    private readonly offset: number,
    private readonly width: number,
  ) {
    super([]);
  }

  override resolve(parts: readonly NamePart[], position: SqlPosition | undefined): ColumnExpr {
    const k = this.correlation.reference(parts, position);
    if (k >= this.width) throw new DomainGrew(this.correlation);
    const ref = this.correlation.refs[k];
    return column(this.offset + k, `__outer_${k}`, ref.outer.type);
  }
}

/** Control flow, not an error: a domain-bound subquery met an outer column its domain lacks. */
export class DomainGrew extends Error {
  constructor(readonly correlation: Correlation) {
    super('the correlation domain grew');
  }
}
