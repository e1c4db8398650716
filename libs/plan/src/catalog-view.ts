import type { TableRef } from './logical-plan.ts';

/**
 * What the binder needs of the catalog: a consistent snapshot for one query.
 * Names are matched case-insensitively (unquoted) or exactly (quoted) by the binder;
 * the view lists every table so that errors can suggest close names.
 */
export interface CatalogView {
  /** Every table, as its source and table name. */
  tables(): readonly TableRef[];
}
