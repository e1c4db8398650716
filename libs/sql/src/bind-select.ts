import { BindError, INTEGER } from '@tributary/common';
import {
  aggregate,
  column,
  conjunction,
  expand,
  filter,
  GROUPING_ID_NAME,
  limit,
  project,
  sort,
  values,
  type Expr,
  type LogicalPlan,
} from '@tributary/plan';
import { AggregateBinder } from './aggregate-binder.ts';
import { AggregateState } from './aggregate-state.ts';
import { clauseRanges, positionAtOffset, type BindContext, type TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { bindFrom } from './bind-from.ts';
import { bindGroupBy } from './bind-group-by.ts';
import { bindLimit } from './bind-limit.ts';
import { bindOrderBy, hiddenName } from './bind-order-by.ts';
import { bindSubqueryPredicate, splitSubqueryPredicates } from './bind-subquery-predicate.ts';
import { containsAggregate } from './contains-aggregate.ts';
import { Scope } from './scope.ts';
import { selectItems, selectNames, type SelectItem } from './select-items.ts';
import { substituteAliases } from './substitute-aliases.ts';
import { bindSetOperation } from './bind-set-operation.ts';
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

/** WITH entries become named derived tables, bound where they are used. */
function registerCtes(ctx: BindContext, ast: AstSelect): void {
  for (const w of ast.with ?? []) {
    const name = typeof w.name === 'string' ? w.name : String(w.name.value);
    const wrapped = (w.stmt as { ast?: AstSelect }).ast;
    if (w.columns)
      throw new BindError('UNSUPPORTED_FEATURE', 'CTE column lists are not supported yet', {
        details: { feature: 'CTE column list' },
      });
    ctx.ctes.set(name.toLowerCase(), { name, ast: wrapped ?? (w.stmt as AstSelect) });
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
 * Binds one SELECT into the plan shape the optimizer expects: FROM (scans, joins) → Filter
 * (WHERE) → Aggregate → Filter (HAVING) → Project (select list + hidden sort keys) →
 * [Aggregate for DISTINCT] → Sort → Limit → Project (dropping the hidden keys).
 * Clause ranges (for locating names in errors) are only known for the outermost SELECT.
 */
export function bindSelect(ctx: BindContext, ast: AstSelect, outermost: boolean): LogicalPlan {
  if (ast.set_operation) {
    if (ast.with && ast.with.length > 0) registerCtes(ctx, ast);
    const setOperation = ast as AstSelect & { set_operation: AstSetOperation };
    return bindSetOperation(ctx, setOperation, (branch) => bindSelect(ctx, branch, false));
  }
  const ranges = outermost ? clauseRanges(ctx) : new Map<string, TextRange>();
  if (ast._next || ast.set_op) {
    const op = String(ast.set_op ?? 'union').toUpperCase();
    throw unsupported(ctx, `${op} is`.replace(/ is$/, ''), ranges.get(op.split(' ')[0].toLowerCase()));
  }
  if (ast.window) throw unsupported(ctx, 'WINDOW clauses', ranges.get('window'));
  if (ast.with && ast.with.length > 0) registerCtes(ctx, ast);

  // FROM and WHERE.
  const bindSubquery = (sub: AstSelect): LogicalPlan => bindSelect(ctx, sub, false);
  const from =
    ast.from && ast.from.length > 0
      ? bindFrom(ctx, ast.from, bindSubquery, ranges.get('from'))
      : { plan: values([[]], []) as LogicalPlan, scope: new Scope([]) };
  let plan = from.plan;
  const scope = from.scope;
  if (ast.where) {
    // [NOT] EXISTS and IN (SELECT …) conjuncts become semi/anti joins below the WHERE filter.
    const whereRange = ranges.get('where');
    const where = new ExprBinder(ctx, scope, 'WHERE', whereRange);
    const { subqueries, rest } = splitSubqueryPredicates(ast.where);
    for (const s of subqueries) plan = bindSubqueryPredicate(ctx, s, plan, scope, bindSubquery, whereRange);
    if (subqueries.length === 0) plan = filter(plan, where.bindCondition(ast.where));
    else if (rest.length > 0)
      plan = filter(plan, conjunction(rest.map((r) => where.bindCondition(r))) as Expr);
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
  const binderFor = (clause: string, range: TextRange | undefined): ExprBinder =>
    state ? new AggregateBinder(ctx, scope, state, clause, range) : new ExprBinder(ctx, scope, clause, range);
  const selected = bindSelectList(ctx, items, binderFor('SELECT', selectRange), state, selectRange);
  const having = ast.having
    ? binderFor('HAVING', ranges.get('having')).bindCondition(substituteAliases(ast.having, items, scope))
    : undefined;
  const distinct = isDistinct(ast);
  const orderRange = ranges.get('order');
  const order = bindOrderBy(
    orderNodes,
    binderFor('ORDER BY', orderRange),
    selected,
    names,
    distinct,
    orderRange,
  );

  if (state?.groupingSets) {
    // Each row once per grouping set, then one aggregate by (keys, set index) computes all sets.
    const keyCount = state.groupingIdKey;
    const keyNames = state.keyNames.slice(0, keyCount);
    plan = expand(plan, state.keys.slice(0, keyCount), keyNames, state.groupingSets);
    const keys = plan.schema.slice(inputWidth).map((f, i) => column(inputWidth + i, f.name, f.type));
    plan = aggregate(plan, keys, state.aggregates, state.names);
    if (having) plan = filter(plan, having);
  } else if (state) {
    plan = aggregate(plan, state.keys, state.aggregates, state.names);
    if (having) plan = filter(plan, having);
  }
  plan = project(
    plan,
    [...selected, ...order.hidden],
    [...names, ...order.hidden.map((_, i) => hiddenName(i))],
  );
  if (distinct)
    plan = aggregate(
      plan,
      plan.schema.map((f, i) => column(i, f.name, f.type)),
      [],
      names,
    );
  if (order.keys.length > 0) plan = sort(plan, order.keys);
  const bounds = bindLimit(ctx, ast, ranges.get('limit') ?? ranges.get('offset'));
  if (bounds) plan = limit(plan, bounds.count, bounds.offset);
  if (order.hidden.length > 0) {
    const kept = plan.schema.slice(0, names.length);
    plan = project(
      plan,
      kept.map((f, i) => column(i, f.name, f.type)),
      names,
    );
  }
  return plan;
}
