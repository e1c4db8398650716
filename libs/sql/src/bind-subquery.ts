import { BindError, BIGINT, BOOLEAN } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  conjunction,
  filter,
  join,
  literal,
  mapPlanExprs,
  project,
  transformExpr,
  transformPlan,
  type Expr,
  type LogicalPlan,
  type ValuesNode,
} from '@tributary/plan';
import type { AggregateState } from './aggregate-state.ts';
import type { BindContext, SubqueryUse } from './bind-context.ts';
import { bindLimit } from './bind-limit.ts';
import { assembleSelect, bindSelect, bindSelectClauses, type SelectClauses } from './bind-select.ts';
import type { BoundSubquery } from './bound-subquery.ts';
import {
  CORRELATED_BASE,
  correlationKey,
  CrossLevelCorrelation,
  DomainGrew,
  isCorrelated,
  SUBQUERY_BASE,
  type Correlation,
} from './correlation.ts';
import { decorrelateLimit } from './decorrelate-limit.ts';
import { decorrelateOverDomain } from './decorrelate-over-domain.ts';
import { domainPlaceholder, outerOntoDomain } from './outer-domain.ts';
import type { AstSelect } from './sql-ast.ts';

function unsupported(feature: string): BindError {
  return new BindError('UNSUPPORTED_FEATURE', `${feature} not supported yet`, {
    details: { feature: feature.replace(/ (is|are)$/, '') },
  });
}

/**
 * Binds a subquery written inside an expression and decorrelates it (see BoundSubquery):
 * an uncorrelated one is an ordinary plan; a correlated one without aggregation keeps its
 * correlated WHERE conjuncts as the condition of the join that will bring it in; an
 * aggregating one correlated by equalities is grouped by its side of them, in the manner of
 * TPC-H Q17's usual rewrite, so that it is computed once for all outer rows, never per row.
 */
export function bindSubquery(
  ctx: BindContext,
  ast: AstSelect,
  correlation: Correlation,
  use: SubqueryUse,
): BoundSubquery {
  // A set operation's SELECTs are bound on their own: they cannot read the enclosing query.
  if (ast.set_operation) return { kind: 'plain', plan: bindSelect(ctx, ast, false), oneRow: false };
  const clauses = bindClauses(ctx, ast, correlation);
  if (clauses.domain) {
    if (clauses.windows.calls.length > 0) throw unsupported('window functions in correlated subqueries are');
    const bounds = bindLimit(ctx, ast, undefined);
    const existence = use === 'exists' && bounds?.offset === 0 && (bounds.count === null || bounds.count > 0);
    const bound = decorrelateOverDomain(clauses, correlation, existence ? undefined : bounds);
    if (planReadsOuter(bound.plan))
      throw unsupported('correlated columns in joins or nested subquery comparisons are');
    return bound;
  }
  if (correlation.refs.length === 0) {
    const plan = assembleSelect(ctx, clauses);
    const oneRow =
      clauses.state !== undefined &&
      clauses.state.keys.length === 0 &&
      !clauses.having &&
      !bindLimit(ctx, ast, undefined);
    return { kind: 'plain', plan, oneRow };
  }
  const bounds = bindLimit(ctx, ast, undefined);
  // EXISTS asks only whether a row exists, which a LIMIT of at least one row leaves as it is.
  const existence = use === 'exists' && bounds?.offset === 0 && (bounds.count === null || bounds.count > 0);
  if (clauses.windows.calls.length > 0) throw unsupported('window functions in correlated subqueries are');
  const bound =
    (bounds && !existence ? decorrelateLimit(clauses, correlation, bounds) : undefined) ??
    decorrelate(clauses, correlation);
  if (planReadsOuter(bound.plan))
    throw unsupported(
      'correlated columns in GROUP BY, aggregate arguments, joins or nested subquery comparisons are',
    );
  return bound;
}

/**
 * The subquery's clauses, bound. When a subquery nested in it reads the enclosing query (two
 * levels out from there), it is bound again over the domain of its outer columns, which
 * makes them its own columns (again when binding finds one more of them).
 */
function bindClauses(ctx: BindContext, ast: AstSelect, correlation: Correlation): SelectClauses {
  let domain: ValuesNode | undefined;
  for (;;) {
    try {
      return bindSelectClauses(ctx, ast, false, correlation, domain);
    } catch (error) {
      const mine =
        (error instanceof CrossLevelCorrelation && error.owner === correlation) ||
        (error instanceof DomainGrew && error.correlation === correlation);
      if (!mine || (domain && domain.schema.length >= correlation.refs.length)) throw error;
      domain = domainPlaceholder(correlation.refs);
    }
  }
}

function decorrelate(c: SelectClauses, correlation: Correlation): BoundSubquery {
  const own: Expr[] = [];
  const correlated: Expr[] = [];
  for (const w of c.where) (isCorrelated(w) ? correlated : own).push(w);
  const ownWhere = conjunction(own);
  const base = ownWhere ? filter(c.plan, ownWhere) : c.plan;
  const state = c.state;
  const keys = correlated.map(correlationKey);
  const aboveCorrelated = c.selected.some(isCorrelated) || (c.having !== undefined && isCorrelated(c.having));
  const keyed = keys.every((k) => k !== undefined) && !aboveCorrelated;

  if (!state && (!c.distinct || !keyed)) {
    // Every row is a candidate and the correlated conjuncts pick an outer row's rows.
    const post = c.post.apply(base);
    return {
      kind: 'direct',
      plan: post.plan,
      condition: conjunction(correlated) ?? null,
      values: c.selected.map(post.resolve),
      names: c.names,
    };
  }
  if (!keyed) return aggregateOverDomain(c, correlation);
  const innerKeys = keys.map((k) => k!.inner);
  const outerKeys = keys.map((k) => k!.outer);
  const keyNames = innerKeys.map((_, i) => `__correlation_${i}`);

  if (!state) {
    // SELECT DISTINCT without aggregates: distinct per correlation key.
    const post = c.post.apply(base);
    const exprs = [...innerKeys, ...c.selected.map(post.resolve)];
    const projected = project(post.plan, exprs, [...keyNames, ...c.names]);
    const plan = aggregate(
      projected,
      projected.schema.map((f, i) => column(i, f.name, f.type)),
      [],
      projected.schema.map((f) => f.name),
    );
    return {
      kind: 'keyed',
      plan,
      outerKeys,
      oneRowPerKey: false,
      emptyValues: [],
      emptyExists: literal(true, BOOLEAN),
    };
  }
  return aggregateByKeys(
    c,
    state,
    base,
    innerKeys,
    outerKeys,
    (e) => e,
    (e) => e,
  );
}

/**
 * The aggregating subquery grouped by the correlation keys too (after GROUP BY's own keys,
 * before the aggregates). `input` maps expressions read below the Aggregate (keys,
 * arguments), `output` those above it (already on the Aggregate's output) onto the plan.
 */
function aggregateByKeys(
  c: SelectClauses,
  state: AggregateState,
  base: LogicalPlan,
  innerKeys: readonly Expr[],
  outerKeys: readonly Expr[],
  input: (e: Expr) => Expr,
  output: (e: Expr) => Expr,
  domain?: LogicalPlan,
): BoundSubquery {
  const keyNames = innerKeys.map((_, i) => `__correlation_${i}`);
  const groups = state.keys.length;
  const width = innerKeys.length;
  const grouped = aggregate(
    base,
    [...state.keys.map(input), ...innerKeys],
    state.aggregates.map((a) => ({ ...a, arg: a.arg && input(a.arg) })),
    [...state.keyNames, ...keyNames, ...state.aggregateNames],
  );
  const shift = (i: number): number => (i < groups ? i : i + width);
  const post = c.post.apply(grouped, shift);
  let plan = post.plan;
  const selected = c.selected.map((e) => output(post.resolve(e)));
  const having = c.having && output(post.resolve(c.having));
  const ungrouped = groups === 0;
  if (having && !ungrouped) plan = filter(plan, having);
  const exprs = [...innerKeys.map((k, i) => column(groups + i, keyNames[i], k.type)), ...selected];
  const names = [...keyNames, ...c.names];
  if (ungrouped) {
    // The row's HAVING verdict goes along: the join decides what a key without rows gets.
    // Never NULL on a row of the plan: a NULL here tells a key the left join found no row for.
    exprs.push(
      having ? call('coalesce', [having, literal(false, BOOLEAN)], BOOLEAN) : literal(true, BOOLEAN),
    );
    names.push('__having');
  }
  plan = project(plan, exprs, names);
  if (c.distinct && !ungrouped)
    plan = aggregate(
      plan,
      plan.schema.map((f, i) => column(i, f.name, f.type)),
      [],
      names,
    );
  return {
    kind: 'keyed',
    plan,
    outerKeys,
    oneRowPerKey: ungrouped,
    emptyValues: ungrouped ? c.selected.map((e) => emptyGroupValue(e, state)) : [],
    emptyExists: ungrouped && c.having ? emptyGroupValue(c.having, state) : literal(true, BOOLEAN),
    ...(domain ? { domain, nullSafeKeys: true } : {}),
  };
}

/**
 * An aggregating subquery correlated other than by equalities (`r < n_regionkey`, outer
 * columns in its select list or aggregate arguments), the way DuckDB flattens dependent
 * joins: its FROM is cross joined with the domain, the distinct values of the outer columns
 * it reads, so that each becomes a column of its own; it is then grouped by them too and
 * joined back on them. The domain is a placeholder until the join knows the outer plan.
 */
function aggregateOverDomain(c: SelectClauses, correlation: Correlation): BoundSubquery {
  const state = c.state!;
  const width = c.plan.schema.length;
  const refs = correlation.refs;
  const domain = domainPlaceholder(refs);
  const own = (offset: number): ((e: Expr) => Expr) => outerOntoDomain(domain, offset);
  const input = own(width);
  const joined = join('cross', c.plan, domain, null);
  const where = conjunction(c.where.map(input));
  const base = where ? filter(joined, where) : joined;
  const innerKeys = refs.map((_, k) => column(width + k, domain.schema[k].name, domain.schema[k].type));
  const outerKeys = refs.map((r, k) => column(CORRELATED_BASE + k, r.name, r.outer.type));
  return aggregateByKeys(c, state, base, innerKeys, outerKeys, input, own(state.keys.length), domain);
}

/**
 * An expression over an aggregate without GROUP BY, evaluated for no input rows: COUNT is 0,
 * every other aggregate NULL (the value an outer row whose key has no rows must get).
 */
function emptyGroupValue(expr: Expr, state: AggregateState): Expr {
  return transformExpr(expr, (e) => {
    if (e.kind !== 'column' || e.index >= CORRELATED_BASE) return e;
    if (e.index >= SUBQUERY_BASE) throw unsupported('subqueries inside correlated aggregate subqueries are');
    const call = state.aggregates[e.index];
    return call.fn === 'count' || call.fn === 'count_star' ? literal(0, BIGINT) : literal(null, e.type);
  });
}

/** Whether an outer column is still read inside the plan (where decorrelation did not reach). */
function planReadsOuter(plan: LogicalPlan): boolean {
  let found = false;
  transformPlan(plan, (node) => {
    mapPlanExprs(node, (e) => {
      if (isCorrelated(e)) found = true;
      return e;
    });
    return node;
  });
  return found;
}
