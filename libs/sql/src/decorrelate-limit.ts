import { BIGINT, BOOLEAN } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  conjunction,
  DEFAULT_FRAME,
  filter,
  join,
  literal,
  project,
  remapColumns,
  window,
  type Expr,
  type LogicalPlan,
  type SortKey,
  type ValuesNode,
} from '@tributary/plan';
import { hiddenName } from './bind-order-by.ts';
import type { SelectClauses } from './bind-select.ts';
import type { BoundSubquery } from './bound-subquery.ts';
import { correlationKey, CORRELATED_BASE, isCorrelated, type Correlation } from './correlation.ts';
import { domainPlaceholder, outerOntoDomain } from './outer-domain.ts';

/** A subquery's LIMIT and OFFSET as constants (bindLimit). */
export interface LimitBounds {
  readonly count: number | null;
  readonly offset: number;
}

const ROW_NUMBER_NAME = '__row_number';

/**
 * A correlated subquery with LIMIT/OFFSET (the "top N rows per outer row" pattern), without
 * re-running it per row: its rows for all outer rows at once, numbered by ROW_NUMBER() OVER
 * (PARTITION BY the correlation keys ORDER BY its ORDER BY) and kept where offset < n ≤
 * offset + limit, then joined back on the keys like any keyed subquery. The keys are its
 * side of `inner = outer` equalities when those are its only correlation; otherwise the
 * domain of the outer columns it reads (their distinct values), cross joined with its FROM
 * so that they become columns of its own.
 *
 * An aggregate without GROUP BY has exactly one row per outer row whatever the keys hold,
 * so a LIMIT that keeps its first row changes nothing (undefined: decorrelate it as without
 * LIMIT), and one that does not leaves no row for any outer row.
 */
export function decorrelateLimit(
  c: SelectClauses,
  correlation: Correlation,
  bounds: LimitBounds,
): BoundSubquery | undefined {
  const state = c.state;
  if (state && state.keys.length === 0) {
    if (bounds.offset === 0 && bounds.count !== 0) return undefined;
    return { kind: 'plain', plan: noRows(c), oneRow: false };
  }

  const own: Expr[] = [];
  const correlated: Expr[] = [];
  for (const w of c.where) (isCorrelated(w) ? correlated : own).push(w);
  const keys = correlated.map(correlationKey);
  const readsOuterAbove =
    c.selected.some(isCorrelated) ||
    c.order.hidden.some(isCorrelated) ||
    (c.having !== undefined && isCorrelated(c.having));
  const byEqualities = keys.every((k) => k !== undefined) && !readsOuterAbove;

  // Below: what the FROM's columns and outer placeholders become; the keys over that plan.
  let base: LogicalPlan;
  let below: (e: Expr) => Expr;
  let innerKeys: Expr[];
  let outerKeys: Expr[];
  let domain: ValuesNode | undefined;
  if (byEqualities) {
    const where = conjunction(own);
    base = where ? filter(c.plan, where) : c.plan;
    below = (e) => e;
    innerKeys = keys.map((k) => k!.inner);
    outerKeys = keys.map((k) => k!.outer);
  } else {
    const width = c.plan.schema.length;
    const placeholder = domainPlaceholder(correlation.refs);
    below = outerOntoDomain(placeholder, width);
    const joined = join('cross', c.plan, placeholder, null);
    const where = conjunction(c.where.map(below));
    base = where ? filter(joined, where) : joined;
    innerKeys = placeholder.schema.map((f, k) => column(width + k, f.name, f.type));
    outerKeys = correlation.refs.map((r, k) => column(CORRELATED_BASE + k, r.name, r.outer.type));
    domain = placeholder;
  }
  const keyNames = innerKeys.map((_, i) => `__correlation_${i}`);

  // The subquery's rows with their keys: [keys…, select list…, hidden ORDER BY keys…].
  let rows: LogicalPlan;
  let keyColumns: Expr[];
  let above: (e: Expr) => Expr;
  if (state) {
    const groups = state.keys.length;
    const grouped = aggregate(
      base,
      [...state.keys.map(below), ...innerKeys],
      state.aggregates.map((a) => ({ ...a, arg: a.arg && below(a.arg) })),
      [...state.keyNames, ...keyNames, ...state.aggregateNames],
    );
    const post = c.post.apply(grouped, (i) => (i < groups ? i : i + innerKeys.length));
    const onGroups = domain ? outerOntoDomain(domain, groups) : (e: Expr): Expr => e;
    above = (e) => onGroups(post.resolve(e));
    rows = c.having ? filter(post.plan, above(c.having)) : post.plan;
    keyColumns = innerKeys.map((k, i) => column(groups + i, keyNames[i], k.type));
  } else {
    const post = c.post.apply(base);
    above = (e) => below(post.resolve(e));
    rows = post.plan;
    keyColumns = innerKeys;
  }
  const width = innerKeys.length;
  const hidden = c.order.hidden.map(above);
  rows = project(
    rows,
    [...keyColumns, ...c.selected.map(above), ...hidden],
    [...keyNames, ...c.names, ...hidden.map((_, i) => hiddenName(i))],
  );
  if (c.distinct)
    rows = aggregate(
      rows,
      rows.schema.map((f, i) => column(i, f.name, f.type)),
      [],
      rows.schema.map((f) => f.name),
    );

  const plan = keepRowsPerKey(rows, width, c.names.length, c.order.keys, bounds);
  return {
    kind: 'keyed',
    plan,
    outerKeys,
    oneRowPerKey: false,
    emptyValues: [],
    emptyExists: literal(true, BOOLEAN),
    ...(domain ? { domain, nullSafeKeys: true } : {}),
  };
}

/**
 * `rows` is [keys…, values…, hidden sort keys…]: keeps the rows numbered offset < n ≤
 * offset + limit within each key in the order of `order` (over the values and hidden keys),
 * and returns [keys…, values…].
 */
export function keepRowsPerKey(
  rows: LogicalPlan,
  width: number,
  valueCount: number,
  order: readonly SortKey[],
  bounds: LimitBounds,
): LogicalPlan {
  const numbered = window(
    rows,
    rows.schema.slice(0, width).map((f, i) => column(i, f.name, f.type)),
    order.map((k) => ({ ...k, expr: remapColumns(k.expr, (i) => i + width) })),
    [{ fn: 'row_number', args: [], frame: DEFAULT_FRAME, type: BIGINT }],
    [ROW_NUMBER_NAME],
  );
  const n = column(rows.schema.length, ROW_NUMBER_NAME, BIGINT);
  const kept = conjunction([
    ...(bounds.offset > 0 ? [call('gt', [n, literal(bounds.offset, BIGINT)], BOOLEAN)] : []),
    ...(bounds.count !== null
      ? [call('lte', [n, literal(bounds.offset + bounds.count, BIGINT)], BOOLEAN)]
      : []),
  ]);
  const limited = kept ? filter(numbered, kept) : numbered;
  const outputs = rows.schema.slice(0, width + valueCount);
  return project(
    limited,
    outputs.map((f, i) => column(i, f.name, f.type)),
    outputs.map((f) => f.name),
  );
}

/** The subquery's select list with no rows (an empty Values of the same columns). */
export function noRows(c: SelectClauses): LogicalPlan {
  return {
    kind: 'values',
    rows: [],
    schema: c.selected.map((e, i) => ({ name: c.names[i], type: e.type, nullable: true })),
  };
}
