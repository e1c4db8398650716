import { TributaryError } from '@tributary/common';
import type { CatalogView, LogicalPlan } from '@tributary/plan';
import { bindSql, type BindOptions } from '../src/bind-sql.ts';

/** The plan of a statement that must be a query; throws on a command. */
export function bindPlan(sql: string, catalog: CatalogView, options: BindOptions = {}): LogicalPlan {
  const bound = bindSql(sql, catalog, options);
  if (bound.kind === 'command') throw new Error(`a command, not a query: ${sql}`);
  return bound.plan;
}

/** The typed error binding `sql` fails with; throws when it binds. */
export function bindFailure(sql: string, catalog: CatalogView, options: BindOptions = {}): TributaryError {
  try {
    bindSql(sql, catalog, options);
  } catch (error) {
    if (error instanceof TributaryError) return error;
    throw error;
  }
  throw new Error(`expected to fail: ${sql}`);
}
