import { BIGINT, DATE, DOUBLE, VARCHAR, decimal } from '@tributary/common';
import type { TableRef } from '@tributary/plan';

/** Tables of one SQLite database (and one of another) for the SQLite pushdown rule tests. */
function sqliteTable(
  table: string,
  columns: TableRef['columns'],
  affinities: readonly string[],
  database = '/data/shop.db',
  source = 'shop',
): TableRef {
  return {
    source,
    table,
    sourceType: 'sqlite',
    location: { database, table, hasRowid: true, affinities },
    columns,
    rowCount: 1000,
  };
}

export const SALES = sqliteTable(
  'sales',
  [
    { name: 'id', type: BIGINT },
    { name: 'customer', type: BIGINT },
    { name: 'amount', type: DOUBLE },
    { name: 'day', type: DATE },
    { name: 'price', type: decimal(12, 2) },
    { name: 'note', type: VARCHAR },
  ],
  ['INTEGER', 'INTEGER', 'REAL', 'TEXT', 'NUMERIC', 'TEXT'],
);

export const CUSTOMERS = sqliteTable(
  'customers',
  [
    { name: 'id', type: BIGINT },
    { name: 'name', type: VARCHAR },
  ],
  ['INTEGER', 'TEXT'],
);

/** The same table name in another database file: never joined inside SQLite with the others. */
export const OTHER_CUSTOMERS = sqliteTable(
  'customers',
  [
    { name: 'id', type: BIGINT },
    { name: 'name', type: VARCHAR },
  ],
  ['INTEGER', 'TEXT'],
  '/data/other.db',
  'other',
);
