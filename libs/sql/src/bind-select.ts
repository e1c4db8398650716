import { BIGINT, BindError, BOOLEAN, INTEGER } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  conjunction,
  expand,
  filter,
  GROUPING_ID_NAME,
  join,
  limit,
  literal,
  project,
  sort,
  values,
  window,
  DEFAULT_FRAME,
  type Expr,
  type LogicalPlan,
  type ValuesNode,
} from '@tributary/plan';
import { AggregateBinder } from './aggregate-binder.ts';
import { AggregateState } from './aggregate-state.ts';
import { clauseRanges, positionAtOffset, type BindContext, type TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { bindFrom } from './bind-from.ts';
import { bindGroupBy } from './bind-group-by.ts';
import { bindLimit } from './bind-limit.ts';
import { bindOrderBy, hiddenName, type BoundOrderBy } from './bind-order-by.ts';
import { bindWhere } from './bind-where.ts';
import { expandColumns } from './columns-expression.ts';
import { CorrelatedScope, DomainScope, type Correlation } from './correlation.ts';
import { SubqueryJoiner } from './subquery-joiner.ts';
import { containsAggregate } from './contains-aggregate.ts';
import { Scope } from './scope.ts';
import { WindowState } from './window-state.ts';
import { selectColumnsScope, selectItems, selectNames, type SelectItem } from './select-items.ts';
import { substituteAliases } from './substitute-aliases.ts';
import { bindSetOperation } from './bind-set-operation.ts';
import { unnestSelectItems } from './unnest-select-items.ts';
import type { AstNode, AstOrderBy, AstSelect, AstSetOperation } from './sql-ast.ts';

function unsupported(ctx: BindContext, feature: string, range: TextRange | undefined): BindError {
  return new BindError('UNSUPPORTED_FEATURE', `${feature} not supported yet`, {
    position: range ? positionAtOffset(ctx, range.start) : undefined,
    details: { feature },
  });
}

function groupByNodes(ast: AstSelect): AstNode[] {
  const g = ast.groupby;
  if (!g) return [];
  if (Array.isArray(g)) return [...(g as AstNode[])];
  return [...((g as { columns: readonly AstNode[] | null }).columns ?? [])];
}

function isDistinct(ast: AstSelect): boolean {
  const d = ast.distinct;
  return typeof d === 'string' ? d.toUpperCase() === 'DISTINCT' : d?.type?.toUpperCase() === 'DISTINCT';
}

/** The expressions of `SELECT DISTINCT ON (…)`, as ascending ORDER BY keys; none without it. */
function distinctOnKeys(ast: AstSelect): AstOrderBy[] {
  const d = ast.distinct as
    { type?: string; columns?: readonly { expr: AstNode }[] } | string | null | undefined;
  if (typeof d !== 'object' || d === null || d.type?.toUpperCase() !== 'DISTINCT ON') return [];
  return (d.columns ?? []).map((c) => ({ expr: c.expr, type: 'ASC' }) as AstOrderBy);
}

const DISTINCT_ON_ROW = '__distinct_on_row';

/** WITH entries become named derived tables, bound where they are used. */
function registerCtes(ctx: BindContext, ast: AstSelect): void {
  for (const w of ast.with ?? []) {
    const name = typeof w.name === 'string' ? w.name : String(w.name.value);
    const wrapped = (w.stmt as { ast?: AstSelect }).ast;
    const columnNames = ((w.columns ?? []) as AstNode[]).map((c) => {
      const col = c.column;
      if (typeof col === 'string') return col;
      const inner = (col as AstNode | undefined)?.expr;
      return String(inner?.value ?? (col as AstNode | undefined)?.value ?? c.value);
    });
    ctx.ctes.set(name.toLowerCase(), { name, ast: wrapped ?? (w.stmt as AstSelect), columnNames });
  }
}

/** Select expressions; above an Aggregate, `*` columns must be group keys. */
function bindSelectList(
  ctx: BindContext,
  items: readonly SelectItem[],
  binder: ExprBinder,
  state: AggregateState | undefined,
  range: TextRange | undefined,
): Expr[] {
  const exprs: Expr[] = [];
  for (const item of items) {
    if (item.kind === 'expr') {
      exprs.push(binder.bind(item.node));
      continue;
    }
    for (const c of item.columns) {
      const ref = column(c.index, c.name, c.type);
      const key = state ? state.keyIndex(ref) : -1;
      if (state && key < 0) {
        throw new BindError(
          'GROUP_BY_REQUIRED',
          `column "${c.qualifier}.${c.name}" must appear in the GROUP BY clause or be used in an aggregate function`,
          {
            position: range ? positionAtOffset(ctx, range.start) : undefined,
          },
        );
      }
      exprs.push(state ? column(key, state.keyNames[key], c.type) : ref);
    }
  }
  return exprs;
}

/**
 * One SELECT's clauses, bound but not yet assembled into a plan: the normal assembly
 * (assembleSelect) and a correlated subquery's (bindSubquery) differ in how they use them.
 */
export interface SelectClauses {
  readonly ast: AstSelect;
  readonly ranges: Map<string, TextRange>;
  /** FROM, then the joins of WHERE's subqueries; WHERE itself is not applied yet. */
  readonly plan: LogicalPlan;
  /** WHERE's conjuncts over `plan`. */
  readonly where: readonly Expr[];
  readonly state: AggregateState | undefined;
  readonly names: readonly string[];
  /** The select list, HAVING and hidden ORDER BY keys: over the Aggregate's output (or `plan`), before `post` is applied. */
  readonly selected: readonly Expr[];
  readonly having: Expr | undefined;
  /** The ORDER BY keys, after `distinctOn` keys of DISTINCT ON (…). */
  readonly order: BoundOrderBy;
  readonly distinct: boolean;
  readonly distinctOn: number;
  /** The subqueries of the select list, HAVING and ORDER BY. */
  readonly post: SubqueryJoiner;
  /** The window calls of the select list, QUALIFY and ORDER BY, stacked above HAVING. */
  readonly windows: WindowState;
  /** QUALIFY: a filter over the window calls' results, applied after them. */
  readonly qualify?: Expr;
  /**
   * Set when the SELECT is bound over the domain of its outer columns: `plan` starts with
   * FROM × domain (its columns from `offset`), and an aggregating SELECT groups by them too
   * (`keys`: their indices among the group keys).
   */
  readonly domain?: { readonly placeholder: ValuesNode; readonly offset: number; readonly keys: number[] };
}

/**
 * Binds the clauses of one SELECT. A subquery's SELECT gets the `correlation` through which
 * names of the enclosing query resolve. Clause ranges (for locating names in errors) are
 * only known for the outermost SELECT.
 */
export function bindSelectClauses(
  ctx: BindContext,
  ast: AstSelect,
  outermost: boolean,
  correlation?: Correlation,
  domain?: ValuesNode,
): SelectClauses {
  const ranges = outermost ? clauseRanges(ctx) : new Map<string, TextRange>();
  if (ast._next || ast.set_op) {
    const op = String(ast.set_op ?? 'union').toUpperCase();
    throw unsupported(ctx, `${op} is`.replace(/ is$/, ''), ranges.get(op.split(' ')[0].toLowerCase()));
  }
  if (ast.with && ast.with.length > 0) registerCtes(ctx, ast);

  // FROM and WHERE.
  const bindDerived = (sub: AstSelect): LogicalPlan => bindSelect(ctx, sub, false);
  const from =
    ast.from && ast.from.length > 0
      ? bindFrom(
          ctx,
          ast.from,
          bindDerived,
          ranges.get('from'),
          correlation ? new CorrelatedScope(correlation) : undefined,
          correlation ? { correlation, placeholder: domain } : undefined,
        )
      : { plan: values([[]], []) as LogicalPlan, scope: new Scope([]) };
  let plan = from.plan;
  // A table function over the domain put its columns in FROM already (bind-table-function.ts).
  const offset = domain && from.domainAt !== undefined ? from.domainAt : plan.schema.length;
  let scope = correlation ? new Scope(from.scope.columns, new CorrelatedScope(correlation)) : from.scope;
  if (domain && correlation) {
    if (from.domainAt === undefined) plan = join('cross', plan, domain, null);
    scope = new Scope(from.scope.columns, new DomainScope(correlation, offset, domain.schema.length));
  }
  const where: Expr[] = [];
  if (ast.where) {
    // COLUMNS(…) in WHERE: the condition once per column selected, all of them to hold.
    const whereRange = ranges.get('where');
    const conditions = expandColumns(ast.where, selectColumnsScope(ctx, scope, whereRange))?.map(
      (x) => x.node,
    );
    const bound = bindWhere(ctx, conditions ?? [ast.where], plan, scope, 'WHERE', whereRange);
    plan = bound.plan;
    where.push(...bound.conjuncts);
  }
  // unnest() in the select list: the Unnest keeps the FROM's columns where they are, so the
  // WHERE conjuncts bound against them still hold above it.
  const unnested = unnestSelectItems(ctx, ast, plan, scope, ranges.get('select'));
  if (unnested) {
    ast = unnested.ast;
    plan = unnested.plan;
    scope = unnested.scope;
  }

  const selectRange = ranges.get('select');
  const items = selectItems(ctx, ast, scope, selectRange);
  const names = selectNames(items);
  const groupNodes = groupByNodes(ast);
  const orderNodes: readonly AstOrderBy[] = ast.orderby ?? [];
  const aggregating =
    groupNodes.length > 0 ||
    !!ast.having ||
    items.some((i) => i.kind === 'expr' && containsAggregate(i.node)) ||
    orderNodes.some((o) => containsAggregate(o.expr));

  // Above an Aggregate every clause is bound by one AggregateBinder sharing the collected
  // keys and aggregate calls, so all of them are known before the Aggregate is built.
  const state = aggregating ? new AggregateState() : undefined;
  const inputWidth = plan.schema.length;
  if (state) {
    const sets = bindGroupBy(ctx, groupNodes, items, scope, ranges.get('group'), state);
    if (sets)
      state.setGroupingSets(
        sets,
        column(inputWidth + state.keys.length, GROUPING_ID_NAME, INTEGER),
        GROUPING_ID_NAME,
      );
  }
  // Over a domain, its columns are group keys too: the select list may read them.
  const domainKeys: number[] = [];
  if (state && domain) {
    if (state.groupingSets)
      throw unsupported(ctx, 'GROUPING SETS in a subquery correlated two levels out', ranges.get('group'));
    domain.schema.forEach((f, k) => {
      const key = column(offset + k, f.name, f.type);
      state.addKey(key, f.name);
      domainKeys.push(state.keyIndex(key));
    });
  }
  const post = new SubqueryJoiner(ctx);
  const binderFor = (clause: string, range: TextRange | undefined): ExprBinder =>
    state
      ? new AggregateBinder(ctx, scope, state, clause, range, post)
      : new ExprBinder(ctx, scope, clause, range, post);
  // Window calls are allowed in the SELECT list and ORDER BY only, computed after HAVING.
  const windows = new WindowState();
  const windowBinderFor = (clause: string, range: TextRange | undefined): ExprBinder => {
    const binder = binderFor(clause, range);
    binder.windows = windows;
    return binder;
  };
  const selected = bindSelectList(ctx, items, windowBinderFor('SELECT', selectRange), state, selectRange);
  const having = ast.having
    ? binderFor('HAVING', ranges.get('having')).bindCondition(substituteAliases(ast.having, items, scope))
    : undefined;
  const qualifyNode = ast.qualify as AstNode | undefined;
  if (qualifyNode && correlation) throw unsupported(ctx, 'QUALIFY in a correlated subquery is', undefined);
  // QUALIFY may name select aliases (of window calls, mostly), as in DuckDB.
  const qualify = qualifyNode
    ? windowBinderFor('QUALIFY', ranges.get('qualify')).bindCondition(
        substituteAliases(qualifyNode, items, scope),
      )
    : undefined;
  const distinct = isDistinct(ast);
  // DISTINCT ON's expressions bind as ORDER BY keys do (positions, aliases, hidden columns).
  const distinctOn = distinctOnKeys(ast);
  if (distinctOn.length > 0 && correlation)
    throw unsupported(ctx, 'DISTINCT ON in a correlated subquery is', undefined);
  const orderRange = ranges.get('order');
  const order = bindOrderBy(
    [...distinctOn, ...orderNodes],
    windowBinderFor('ORDER BY', orderRange),
    selected,
    names,
    distinct,
    orderRange,
  );
  return {
    ast,
    ranges,
    plan,
    where,
    state,
    names,
    selected,
    having,
    order,
    distinct,
    distinctOn: distinctOn.length,
    post,
    windows,
    qualify,
    ...(domain ? { domain: { placeholder: domain, offset, keys: domainKeys } } : {}),
  };
}

/**
 * Binds one SELECT into the plan shape the optimizer expects: FROM (scans, joins) → Filter
 * (WHERE) → Aggregate (over an Expand for grouping sets) → subquery joins → Filter (HAVING)
 * → Windows → Project (select list + hidden sort keys) → [Aggregate for DISTINCT] → Sort →
 * Limit → Project (dropping the hidden keys). A set operation binds each of its SELECTs so.
 */
export function bindSelect(ctx: BindContext, ast: AstSelect, outermost: boolean): LogicalPlan {
  if (ast.set_operation) {
    if (ast.with && ast.with.length > 0) registerCtes(ctx, ast);
    const setOperation = ast as AstSelect & { set_operation: AstSetOperation };
    return bindSetOperation(ctx, setOperation, (branch) => bindSelect(ctx, branch, false));
  }
  return assembleSelect(ctx, bindSelectClauses(ctx, ast, outermost));
}

export function assembleSelect(ctx: BindContext, clauses: SelectClauses): LogicalPlan {
  const { ast, ranges, state, names, distinct, order } = clauses;
  let plan = clauses.plan;
  const inputWidth = plan.schema.length;
  const where = conjunction(clauses.where);
  if (where) plan = filter(plan, where);
  if (state?.groupingSets) {
    // Each row once per grouping set, then one aggregate by (keys, set index) computes all sets.
    const keyCount = state.groupingIdKey;
    const keyNames = state.keyNames.slice(0, keyCount);
    plan = expand(plan, state.keys.slice(0, keyCount), keyNames, state.groupingSets);
    const keys = plan.schema.slice(inputWidth).map((f, i) => column(inputWidth + i, f.name, f.type));
    plan = aggregate(plan, keys, state.aggregates, state.names);
  } else if (state) plan = aggregate(plan, state.keys, state.aggregates, state.names);
  const post = clauses.post.apply(plan);
  plan = post.plan;
  let selected = clauses.selected.map(post.resolve);
  let hidden = order.hidden.map(post.resolve);
  if (clauses.having) plan = filter(plan, post.resolve(clauses.having));
  if (clauses.windows.calls.length > 0) {
    const stacked = clauses.windows.plan(plan);
    plan = stacked.plan;
    selected = selected.map(stacked.resolve);
    hidden = hidden.map(stacked.resolve);
    if (clauses.qualify) plan = filter(plan, stacked.resolve(post.resolve(clauses.qualify)));
  } else if (clauses.qualify) plan = filter(plan, post.resolve(clauses.qualify));
  plan = project(plan, [...selected, ...hidden], [...names, ...hidden.map((_, i) => hiddenName(i))]);
  if (distinct)
    plan = aggregate(
      plan,
      plan.schema.map((f, i) => column(i, f.name, f.type)),
      [],
      names,
    );
  const orderKeys = order.keys.slice(clauses.distinctOn);
  if (clauses.distinctOn > 0) {
    // DISTINCT ON (k): the first row of each k in ORDER BY's order (any one where it ties).
    const width = plan.schema.length;
    const firsts = window(
      plan,
      order.keys.slice(0, clauses.distinctOn).map((k) => k.expr),
      orderKeys,
      [{ fn: 'row_number', args: [], frame: DEFAULT_FRAME, type: BIGINT }],
      [DISTINCT_ON_ROW],
    );
    const first = call('eq', [column(width, DISTINCT_ON_ROW, BIGINT), literal(1, BIGINT)], BOOLEAN);
    const kept = plan.schema;
    plan = project(
      filter(firsts, first),
      kept.map((f, i) => column(i, f.name, f.type)),
      kept.map((f) => f.name),
    );
  }
  if (orderKeys.length > 0) plan = sort(plan, orderKeys);
  const bounds = bindLimit(ctx, ast, ranges.get('limit') ?? ranges.get('offset'));
  if (bounds) plan = limit(plan, bounds.count, bounds.offset);
  if (hidden.length > 0) {
    const kept = plan.schema.slice(0, names.length);
    plan = project(
      plan,
      kept.map((f, i) => column(i, f.name, f.type)),
      names,
    );
  }
  return plan;
}
