import type { Expr, Field, LogicalPlan } from '@tributary/plan';

/**
 * A subquery bound and decorrelated, ready to be joined to the query it stands in. Its
 * expressions read the subquery's own plan and, as CORRELATED_BASE + k placeholders, the
 * k-th outer column of its Correlation; the joiner substitutes those once it knows where the
 * subquery is joined.
 *
 * - plain: uncorrelated; `plan`'s columns are the subquery's. `oneRow`: an aggregate without
 *   GROUP BY or HAVING, so exactly one row.
 * - direct: correlated, without aggregation: every row of `plan` (FROM, uncorrelated WHERE
 *   conjuncts) is a candidate, `condition` (the correlated conjuncts, over plan's columns and
 *   outer columns; null when there are none) picks an outer row's rows, and `values` (the
 *   select list, over the same) are its output. The join condition needs no grouping.
 * - keyed: correlated only through equalities `inner = outer` of its WHERE, and aggregating
 *   (or DISTINCT): `plan` is [inner keys…, select list…] grouped by those keys too, joined on
 *   `outerKeys` (over outer columns). `oneRowPerKey`: it aggregates without GROUP BY, so
 *   an outer row whose key has no rows still gets one row, whose select list and existence
 *   are `emptyValues` and `emptyExists` (COUNT is 0 there, the others NULL: the COUNT bug);
 *   `plan` then ends with one more BOOLEAN column, whether its row passes HAVING.
 */
export type BoundSubquery =
  | { readonly kind: 'plain'; readonly plan: LogicalPlan; readonly oneRow: boolean }
  | {
      readonly kind: 'direct';
      readonly plan: LogicalPlan;
      readonly condition: Expr | null;
      readonly values: readonly Expr[];
      readonly names: readonly string[];
    }
  | {
      readonly kind: 'keyed';
      readonly plan: LogicalPlan;
      readonly outerKeys: readonly Expr[];
      readonly oneRowPerKey: boolean;
      readonly emptyValues: readonly Expr[];
      readonly emptyExists: Expr;
      /**
       * When set, `plan` reads this placeholder for the domain: the distinct values of the
       * outer columns (outerKeys, in order) over the plan the subquery is joined to.
       */
      readonly domain?: LogicalPlan;
      /**
       * The keys are a domain's (distinct outer values, NULL among them): a NULL outer value
       * meets the subquery's rows for NULL, so the join compares NULL-safely.
       */
      readonly nullSafeKeys?: boolean;
    };

/** How many values a subquery yields per row (its select list's width). */
export function subqueryWidth(bound: BoundSubquery): number {
  switch (bound.kind) {
    case 'plain':
      return bound.plan.schema.length;
    case 'direct':
      return bound.values.length;
    case 'keyed':
      return bound.plan.schema.length - bound.outerKeys.length - (bound.oneRowPerKey ? 1 : 0);
  }
}

/** The names and types of the values a subquery yields (its select list). */
export function subqueryColumns(bound: BoundSubquery): { name: string; type: Field['type'] }[] {
  switch (bound.kind) {
    case 'plain':
      return bound.plan.schema.map((f) => ({ name: f.name, type: f.type }));
    case 'direct':
      return bound.values.map((v, i) => ({ name: bound.names[i], type: v.type }));
    case 'keyed':
      return bound.plan.schema
        .slice(bound.outerKeys.length, bound.outerKeys.length + subqueryWidth(bound))
        .map((f) => ({ name: f.name, type: f.type }));
  }
}
