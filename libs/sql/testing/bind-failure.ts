import { TributaryError } from '@tributary/common';
import type { CatalogView } from '@tributary/plan';
import { bindSql, type BindOptions } from '../src/bind-sql.ts';

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
