import { BindError } from '@tributary/common';
import { project, unnest, type LogicalPlan, type ValuesNode } from '@tributary/plan';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { asList, bindSeries } from './bind-list-function.ts';
import { Scope } from './scope.ts';
import { argList, functionName, type AstFrom, type AstNode } from './sql-ast.ts';

/** The table functions FROM reads: each the rows of one list, one column named after the function. */
const TABLE_FUNCTIONS = new Set(['generate_series', 'range', 'unnest']);

/**
 * `FROM generate_series(a, b[, step])`, `range(…)` and `unnest(list)`: the list the function
 * gives (generate_series and range are list functions too) unnested over one row, with
 * DuckDB's column name (the function's). Arguments are constants or expressions without
 * columns (no LATERAL). Returns undefined for a FROM item that is no table function.
 */
export function bindTableFunction(
  ctx: BindContext,
  item: AstFrom,
  range: TextRange | undefined,
): { plan: LogicalPlan; name: string } | undefined {
  const expr = item.expr as AstNode | undefined;
  if (expr?.type !== 'function') return undefined;
  const name = functionName(expr)
    .toLowerCase()
    .replace(/^"?pg_catalog"?\./, '');
  if (!TABLE_FUNCTIONS.has(name)) return undefined;
  const binder = new ExprBinder(ctx, new Scope([]), 'FROM', range);
  const args = argList(expr).map((a) => binder.bind(a, range));
  let list;
  if (name === 'unnest') {
    if (args.length !== 1)
      throw new BindError('WRONG_ARGUMENT_COUNT', `function unnest() takes 1 argument(s), got ${args.length}`);
    list = asList(name, args[0], undefined);
  } else list = bindSeries(name, args, undefined);
  const one: ValuesNode = { kind: 'values', rows: [[]], schema: [] };
  return { plan: unnest(project(one, [list], [name]), name), name };
}
