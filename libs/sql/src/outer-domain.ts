import { column, transformExpr, type Expr, type ValuesNode } from '@tributary/plan';
import { CORRELATED_BASE, type OuterReference } from './correlation.ts';

/**
 * The domain of a correlated subquery, the way DuckDB flattens dependent joins: the distinct
 * values of the outer columns it reads, one column each. It is a placeholder (no rows) until
 * the joiner knows the plan the subquery is joined to and computes it from there
 * (subquery-joins.ts `instantiate`).
 */
export function domainPlaceholder(refs: readonly OuterReference[]): ValuesNode {
  return {
    kind: 'values',
    rows: [],
    schema: refs.map((r, k) => ({ name: `__outer_${k}`, type: r.outer.type, nullable: true })),
  };
}

/** Maps outer placeholders (CORRELATED_BASE + k) onto the domain's columns, placed from `offset`. */
export function outerOntoDomain(domain: ValuesNode, offset: number): (e: Expr) => Expr {
  return (e) =>
    transformExpr(e, (x) => {
      if (x.kind !== 'column' || x.index < CORRELATED_BASE) return x;
      const k = x.index - CORRELATED_BASE;
      return column(offset + k, domain.schema[k].name, domain.schema[k].type);
    });
}
