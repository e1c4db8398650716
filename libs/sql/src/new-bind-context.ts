import type { CatalogView } from '@tributary/plan';
import type { BindContext, StatementState, ViewScope } from './bind-context.ts';
import { bindSubquery } from './bind-subquery.ts';
import type { SqlToken } from './sql-lexer.ts';

/** A context to bind one SQL text in: a statement's own, or a view's expanded inside it. */
export function newBindContext(
  sql: string,
  tokens: readonly SqlToken[],
  catalog: CatalogView,
  defaultPath: readonly string[],
  statement: StatementState,
  view?: ViewScope,
): BindContext {
  const ctx: BindContext = {
    sql,
    tokens,
    catalog,
    defaultPath,
    ctes: new Map(),
    bindSubquery: (ast, correlation, use) => bindSubquery(ctx, ast, correlation, use),
    statement,
    ...(view ? { view } : {}),
  };
  return ctx;
}
