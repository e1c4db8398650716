import { BindError } from '@tributary/common';
import { column, project, unnest, type LogicalPlan } from '@tributary/plan';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { asList } from './bind-list-function.ts';
import { containsAggregate } from './contains-aggregate.ts';
import { exprName } from './expr-name.ts';
import { Scope } from './scope.ts';
import { argList, functionName, type AstNode, type AstSelect } from './sql-ast.ts';

/** The name the unnested column goes by inside the plan (select items read it by this name). */
const UNNESTED = '__unnested';

function isUnnest(node: AstNode | undefined): boolean {
  return (
    node?.type === 'function' &&
    functionName(node)
      .toLowerCase()
      .replace(/^pg_catalog\./, '') === 'unnest'
  );
}

/**
 * `SELECT unnest(list) [AS x], … FROM …`: the rows of the FROM (after WHERE) once per element
 * of their list, as DuckDB unnests in the select list. The list is unnested below the select
 * items (an Unnest over the FROM's columns and the list), and the item reads the element
 * column. One unnest a SELECT, at the top of an item, without aggregation; returns undefined
 * when the SELECT has none.
 */
export function unnestSelectItems(
  ctx: BindContext,
  ast: AstSelect,
  plan: LogicalPlan,
  scope: Scope,
  range: TextRange | undefined,
): { ast: AstSelect; plan: LogicalPlan; scope: Scope } | undefined {
  const columns = (ast.columns ?? []) as unknown as { expr: AstNode; as?: string | null }[];
  if (!Array.isArray(columns)) return undefined;
  const at = columns.map((c, i) => (isUnnest(c.expr) ? i : -1)).filter((i) => i >= 0);
  if (at.length === 0) return undefined;
  if (at.length > 1 || columns.some((c) => containsAggregate(c.expr)) || ast.groupby)
    throw new BindError(
      'UNSUPPORTED_FEATURE',
      'unnest() in a select list is supported once a SELECT and without aggregation',
      { details: { feature: 'unnest() in the select list' } },
    );
  const item = columns[at[0]];
  const args = argList(item.expr);
  if (args.length !== 1)
    throw new BindError('WRONG_ARGUMENT_COUNT', `function unnest() takes 1 argument(s), got ${args.length}`);
  const list = asList('unnest', new ExprBinder(ctx, scope, 'SELECT', range).bind(args[0], range), undefined);
  const width = plan.schema.length;
  const carried = plan.schema.map((f, i) => column(i, f.name, f.type));
  const names = [...plan.schema.map((f) => f.name), UNNESTED];
  const unnested = unnest(
    project(
      plan,
      [...carried, list],
      names,
      plan.schema.map((f) => f.qualifier),
    ),
    UNNESTED,
  );
  const element = unnested.schema[width];
  const rewritten = columns.map((c, i) =>
    i === at[0]
      ? {
          ...c,
          expr: { type: 'column_ref', table: null, column: UNNESTED } as AstNode,
          as: c.as ?? exprName(c.expr),
        }
      : c,
  );
  return {
    ast: { ...ast, columns: rewritten } as unknown as AstSelect,
    plan: unnested,
    scope: new Scope(
      [
        ...scope.columns,
        { name: UNNESTED, type: element.type, index: width, qualifier: '', functionAlias: true },
      ],
      scope.outer,
    ),
  };
}
