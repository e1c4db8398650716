import { BIGINT, BindError, BOOLEAN } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  conjunction,
  filter,
  literal,
  project,
  transformExpr,
  type Expr,
  type LogicalPlan,
} from '@tributary/plan';
import type { AggregateState } from './aggregate-state.ts';
import { hiddenName } from './bind-order-by.ts';
import type { SelectClauses } from './bind-select.ts';
import type { BoundSubquery } from './bound-subquery.ts';
import { CORRELATED_BASE, SUBQUERY_BASE, type Correlation } from './correlation.ts';
import { keepRowsPerKey, noRows, type LimitBounds } from './decorrelate-limit.ts';

/**
 * A correlated subquery bound over the domain of its outer columns (SelectClauses.domain):
 * its plan already holds them as columns, so every clause, and every subquery nested in it
 * that reads the enclosing query two levels out, reads them as its own. It is keyed by
 * them: grouped by them too when it aggregates, numbered within them under LIMIT, and
 * joined back on outer = domain value, the domain being computed from the plan it is
 * joined to (Neumann and Kemper's dependent join, as DuckDB flattens it).
 */
export function decorrelateOverDomain(
  c: SelectClauses,
  correlation: Correlation,
  bounds: LimitBounds | undefined,
): BoundSubquery {
  const domain = c.domain!;
  const width = domain.placeholder.schema.length;
  const keyNames = domain.placeholder.schema.map((_, k) => `__correlation_${k}`);
  const outerKeys = correlation.refs
    .slice(0, width)
    .map((r, k) => column(CORRELATED_BASE + k, r.name, r.outer.type));
  const where = conjunction(c.where);
  const base = where ? filter(c.plan, where) : c.plan;
  const state = c.state;
  const ungrouped = state !== undefined && state.keys.length === width;

  let plan: LogicalPlan;
  let keys: Expr[];
  let resolve: (e: Expr) => Expr;
  if (state) {
    const grouped = aggregate(base, state.keys, state.aggregates, state.names);
    const post = c.post.apply(grouped);
    resolve = post.resolve;
    plan = c.having && !ungrouped ? filter(post.plan, resolve(c.having)) : post.plan;
    keys = domain.keys.map((i, k) => column(i, keyNames[k], state.keys[i].type));
  } else {
    const post = c.post.apply(base);
    resolve = post.resolve;
    plan = post.plan;
    keys = domain.placeholder.schema.map((f, k) => column(domain.offset + k, f.name, f.type));
  }
  const values = c.selected.map(resolve);
  const keyed = (rows: LogicalPlan, oneRowPerKey: boolean, emptyValues: Expr[], emptyExists: Expr) => ({
    kind: 'keyed' as const,
    plan: rows,
    outerKeys,
    oneRowPerKey,
    emptyValues,
    emptyExists,
    domain: domain.placeholder,
    nullSafeKeys: true,
  });

  if (ungrouped) {
    // One row for every outer row: a LIMIT keeps it or drops it for all of them.
    if (bounds && (bounds.offset > 0 || bounds.count === 0))
      return { kind: 'plain', plan: noRows(c), oneRow: false };
    const having = c.having
      ? call('coalesce', [resolve(c.having), literal(false, BOOLEAN)], BOOLEAN)
      : literal(true, BOOLEAN);
    const rows = project(plan, [...keys, ...values, having], [...keyNames, ...c.names, '__having']);
    const empty = (e: Expr): Expr => emptyDomainGroupValue(e, state, domain.keys);
    return keyed(rows, true, c.selected.map(empty), c.having ? empty(c.having) : literal(true, BOOLEAN));
  }
  const hidden = bounds ? c.order.hidden.map(resolve) : [];
  let rows: LogicalPlan = project(
    plan,
    [...keys, ...values, ...hidden],
    [...keyNames, ...c.names, ...hidden.map((_, i) => hiddenName(i))],
  );
  if (c.distinct)
    rows = aggregate(
      rows,
      rows.schema.map((f, i) => column(i, f.name, f.type)),
      [],
      rows.schema.map((f) => f.name),
    );
  if (bounds) rows = keepRowsPerKey(rows, width, c.names.length, c.order.keys, bounds);
  return keyed(rows, false, [], literal(true, BOOLEAN));
}

/**
 * An expression over an Aggregate grouped by the domain alone, for an outer row whose value
 * had no rows: a domain key is that outer value, COUNT 0, any other aggregate NULL.
 */
function emptyDomainGroupValue(expr: Expr, state: AggregateState, domainKeys: readonly number[]): Expr {
  return transformExpr(expr, (e) => {
    if (e.kind !== 'column' || e.index >= CORRELATED_BASE) return e;
    if (e.index >= SUBQUERY_BASE)
      throw new BindError(
        'UNSUPPORTED_FEATURE',
        'subqueries inside correlated aggregate subqueries are not supported yet',
        { details: { feature: 'subqueries inside correlated aggregate subqueries' } },
      );
    const k = domainKeys.indexOf(e.index);
    if (k >= 0) return column(CORRELATED_BASE + k, e.name, e.type);
    const call = state.aggregates[e.index - state.keys.length];
    return call.fn === 'count' || call.fn === 'count_star' ? literal(0, BIGINT) : literal(null, e.type);
  });
}
