import { BindError } from '@tributary/common';
import { column, project, transformExpr, type Expr } from '@tributary/plan';
import { findName, positionOfToken, type BindContext, type TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import type { BoundFrom } from './bind-from.ts';
import { subqueryColumns } from './bound-subquery.ts';
import { Correlation } from './correlation.ts';
import { Scope, type ScopeColumn } from './scope.ts';
import { splitColumnAliases } from './split-column-aliases.ts';
import type { AstFrom, AstNode, AstSelect } from './sql-ast.ts';
import { bindLocated } from './subquery-joiner.ts';
import { attachLateral } from './subquery-joins.ts';

/** Whether a FROM item is `LATERAL (subquery)`. */
export function isLateral(item: AstFrom): boolean {
  return String((item as { prefix?: unknown }).prefix ?? '').toLowerCase() === 'lateral';
}

const LATERAL_JOINS: Record<string, 'inner' | 'left'> = {
  '': 'inner',
  JOIN: 'inner',
  INNERJOIN: 'inner',
  CROSSJOIN: 'inner',
  LEFTJOIN: 'left',
  LEFTOUTERJOIN: 'left',
};

/**
 * `left, LATERAL (subquery) alias` (or `[LEFT] JOIN LATERAL … ON …`): a derived table that
 * may read the columns of the FROM items before it. It is bound as a correlated subquery
 * over them and decorrelated like one (a LIMIT per outer row included), then joined to
 * them: inner, or left for LEFT JOIN, where a row without subquery rows keeps NULLs.
 */
export function bindLateral(
  ctx: BindContext,
  item: AstFrom,
  current: BoundFrom,
  joinKey: string,
  range: TextRange | undefined,
  outer?: Scope,
): BoundFrom {
  const position = positionOfToken(ctx, findName(ctx, ['lateral'], range));
  const type = LATERAL_JOINS[joinKey];
  if (!type || (item.using && item.using.length > 0))
    throw new BindError(
      'UNSUPPORTED_FEATURE',
      `${item.using ? 'USING with' : String(item.join)} LATERAL is not supported yet`,
      {
        position,
        details: { feature: `${item.using ? 'USING' : String(item.join)} LATERAL` },
      },
    );
  const ast = (item.expr as AstNode).ast as AstSelect;
  const before = new Scope(current.scope.columns, outer);
  const correlation = new Correlation((parts, at) => before.resolve(parts, at));
  const bound = bindLocated(ctx, ast, correlation, position, 'values');
  const { alias, columnNames } = splitColumnAliases(item.as ?? 'subquery');
  const produced = subqueryColumns(bound);
  if (columnNames.length > produced.length)
    throw new BindError(
      'INVALID_ARGUMENT',
      `table "${alias}" has ${produced.length} columns but ${columnNames.length} column names were given`,
      { position },
    );
  const offset = current.plan.schema.length;
  const own: ScopeColumn[] = produced.map((c, i) => ({
    name: columnNames[i] ?? c.name,
    type: c.type,
    index: offset + i,
    qualifier: alias,
  }));
  const columns = [...current.scope.columns, ...own];
  const onNode = item.on as AstNode | null | undefined;
  const condition =
    onNode && !(onNode.type === 'bool' && onNode.value === true)
      ? new ExprBinder(ctx, new Scope(columns, outer), 'JOIN ON', range).bindCondition(onNode, range)
      : null;
  const on = (values: readonly Expr[]): Expr | null =>
    condition &&
    transformExpr(condition, (e) =>
      e.kind === 'column' && e.index >= offset ? values[e.index - offset] : e,
    );
  const attached = attachLateral(current.plan, bound, correlation.refs, (e) => e, type, on);
  const base = current.plan.schema;
  const plan = project(
    attached.plan,
    [...base.map((f, i) => column(i, f.name, f.type)), ...attached.values],
    [...base.map((f) => f.name), ...own.map((c) => c.name)],
    [...base.map((f) => f.qualifier), ...own.map(() => alias)],
  );
  return { plan, scope: new Scope(columns) };
}
