import { BindError } from '@tributary/common';
import {
  column,
  project,
  referencedColumns,
  unnest,
  type Expr,
  type LogicalPlan,
  type ValuesNode,
} from '@tributary/plan';
import { CORRELATED_BASE, CrossLevelCorrelation, DomainScope, type Correlation } from './correlation.ts';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { asList, bindSeries, bindTimestampSeries } from './bind-list-function.ts';
import { seriesStep } from './sql-interval.ts';
import { Scope } from './scope.ts';
import { argList, functionName, type AstFrom, type AstNode } from './sql-ast.ts';

/** A correlated SELECT's correlation, and the placeholder of its domain once it is bound over one. */
export interface FunctionDomain {
  readonly correlation: Correlation;
  readonly placeholder?: ValuesNode;
}

/** The table functions FROM reads: each the rows of one list, one column named after the function. */
const TABLE_FUNCTIONS = new Set(['generate_series', 'range', 'unnest']);

/**
 * `FROM generate_series(a, b[, step])`, `range(…)` and `unnest(list)`: the list the function
 * gives (generate_series and range are list functions too) unnested over one row, with
 * DuckDB's column name (the function's). Arguments are constants, or columns of an enclosing
 * query (a correlated subquery's); not of the FROM items beside it (no LATERAL). Returns undefined for a FROM item that is no table function.
 */
export function bindTableFunction(
  ctx: BindContext,
  item: AstFrom,
  range: TextRange | undefined,
  outer?: Scope,
  domain?: FunctionDomain,
): { plan: LogicalPlan; name: string; overDomain: boolean } | undefined {
  const expr = item.expr as AstNode | undefined;
  if (expr?.type !== 'function') return undefined;
  const name = functionName(expr)
    .toLowerCase()
    .replace(/^"?pg_catalog"?\./, '');
  if (!TABLE_FUNCTIONS.has(name)) return undefined;
  // generate_series(a, b, INTERVAL …): the step is no value to bind, but the series' own.
  const step = seriesStep(name, argList(expr));
  const bindArgs = (scope: Scope): Expr[] => {
    const binder = new ExprBinder(ctx, scope, 'FROM', range);
    return argList(expr)
      .slice(0, step ? 2 : undefined)
      .map((a) => binder.bind(a, range));
  };
  let args = bindArgs(new Scope([], outer));
  const correlated = args.some((a) => [...referencedColumns(a)].some((i) => i >= CORRELATED_BASE));
  let input: LogicalPlan = { kind: 'values', rows: [[]], schema: [] };
  if (correlated) {
    // Arguments read the enclosing query: the function runs once per value of its outer
    // columns, over the SELECT's domain of them (Neumann and Kemper's dependent join), whose
    // columns lead this item's; the first binding asks for the domain.
    if (domain?.placeholder === undefined) {
      if (domain === undefined)
        throw new BindError(
          'UNSUPPORTED_FEATURE',
          'a table function reading an enclosing query is not supported here',
        );
      throw new CrossLevelCorrelation(domain.correlation, undefined);
    }
    const width = domain.placeholder.schema.length;
    args = bindArgs(new Scope([], new DomainScope(domain.correlation, 0, width)));
    input = domain.placeholder;
  }
  const carried = input.schema.map((f, i) => column(i, f.name, f.type));
  let list;
  if (name === 'unnest') {
    if (args.length !== 1)
      throw new BindError(
        'WRONG_ARGUMENT_COUNT',
        `function unnest() takes 1 argument(s), got ${args.length}`,
      );
    list = asList(name, args[0], undefined);
  } else list = step ? bindTimestampSeries(name, args, step, undefined) : bindSeries(name, args, undefined);
  const names = [...input.schema.map((f) => f.name), name];
  return { plan: unnest(project(input, [...carried, list], names), name), name, overDomain: correlated };
}
