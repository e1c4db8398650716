import type { CatalogView, LogicalPlan } from '@tributary/plan';
import type { BindContext } from './bind-context.ts';
import { bindSelect } from './bind-select.ts';
import { bindSubquery } from './bind-subquery.ts';
import { expressionTooDeep, isStackOverflow } from './check-expression-depth.ts';
import { parseSql } from './parse-sql.ts';

export type BoundStatement =
  { kind: 'query'; plan: LogicalPlan } | { kind: 'explain'; plan: LogicalPlan; analyze: boolean };

export interface BindOptions {
  /** Default source path for bare table names, e.g. ['tpch']. */
  context?: string[];
}

/** SQL text → bound logical plan (names resolved, types coerced; not optimized). */
export function bindSql(sql: string, catalog: CatalogView, options: BindOptions = {}): BoundStatement {
  const parsed = parseSql(sql);
  const ctx: BindContext = {
    sql,
    tokens: parsed.tokens,
    catalog,
    defaultPath: options.context ?? [],
    ctes: new Map(),
    bindSubquery: (ast, correlation, use) => bindSubquery(ctx, ast, correlation, use),
  };
  let plan: LogicalPlan;
  try {
    plan = bindSelect(ctx, parsed.ast, true);
  } catch (error) {
    // The depth check of parseSql should make this unreachable; a typed error if not.
    if (isStackOverflow(error))
      throw expressionTooDeep(undefined, {
        message: 'the statement is nested too deeply to bind; simplify it',
        cause: error,
      });
    throw error;
  }
  return parsed.explain ? { kind: 'explain', plan, analyze: parsed.analyze } : { kind: 'query', plan };
}
