import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DOUBLE, VARCHAR } from '@tributary/common';
import {
  call,
  column,
  join,
  literal,
  printPlan,
  project,
  scan,
  sqliteScanStatement,
  type Expr,
  type LogicalPlan,
  type ScanNode,
} from '@tributary/plan';
import { MAX_JOINED_TABLE_ROWS, pushJoinIntoSqliteScan } from './push-join-into-sqlite-scan.ts';
import { CUSTOMERS, OTHER_CUSTOMERS, SALES } from './sqlite-test-tables.ts';

const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);
/** sales [id, customer, amount] with amount > 10 in its scan; customers [id, name]. */
const sales = scan(
  SALES,
  'sales',
  [0, 1, 2],
  [call('gt', [column(2, 'amount', DOUBLE), literal(10, DOUBLE)], BOOLEAN)],
);
const customers = scan(CUSTOMERS, 'c');
const onCustomer = eq(column(1, 'customer', BIGINT), column(3, 'id', BIGINT));

function rewrite(plan: LogicalPlan, scanPushdown = true): LogicalPlan {
  return pushJoinIntoSqliteScan.rewrite(plan, { disabledRules: new Set(), scanPushdown }).plan;
}

describe('push_join_into_sqlite_scan', () => {
  it('turns an inner join of two scans of one database into one scan whose statement joins them', () => {
    const plan = join('inner', sales, customers, onCustomer);
    const rewritten = rewrite(plan);
    expect(printPlan(rewritten)).toBe(
      'Scan shop.sales join shop.customers AS c [id, customer, amount, id, name] filters=[(amount#2 > 10), (customer#1 = id#6)]',
    );
    expect(rewritten.schema).toEqual(plan.schema);
    expect(sqliteScanStatement(rewritten as ScanNode, { from: 100, to: 200 })).toEqual({
      sql:
        'SELECT CASE WHEN typeof((t0."id")) = \'integer\' AND ((t0."id") > 9007199254740991 OR (t0."id") < -9007199254740991) THEN CAST((t0."id") AS TEXT) ELSE (t0."id") END, ' +
        'CASE WHEN typeof((t0."customer")) = \'integer\' AND ((t0."customer") > 9007199254740991 OR (t0."customer") < -9007199254740991) THEN CAST((t0."customer") AS TEXT) ELSE (t0."customer") END, ' +
        't0."amount", ' +
        'CASE WHEN typeof((t1."id")) = \'integer\' AND ((t1."id") > 9007199254740991 OR (t1."id") < -9007199254740991) THEN CAST((t1."id") AS TEXT) ELSE (t1."id") END, ' +
        't1."name" COLLATE BINARY FROM "sales" AS t0, "customers" AS t1 ' +
        'WHERE (t0."amount" > ?) AND (t0."customer" = t1."id") AND t0.rowid >= ? AND t0.rowid < ?',
      params: [10, 100, 200],
    });
  });

  it('joins a third table onto an already joined scan, renumbering past both', () => {
    const twice = join(
      'inner',
      join('inner', sales, customers, onCustomer),
      scan(CUSTOMERS, 'd'),
      eq(column(0, 'id', BIGINT), column(5, 'id', BIGINT)),
    );
    expect(printPlan(rewrite(twice))).toBe(
      'Scan shop.sales join shop.customers AS c join shop.customers AS d [id, customer, amount, id, name, id, name] filters=[(amount#2 > 10), (customer#1 = id#6), (id#0 = id#8)]',
    );
  });

  it('splits by the largest table, prunes the join keys nothing reads, and joins no big table in', () => {
    const small = { ...CUSTOMERS, rowCount: 10 };
    const big = { ...SALES, rowCount: 5_000_000 };
    // customers (small) on the left: the merged scan still cuts sales (big) into splits.
    const plan = project(
      join(
        'inner',
        scan(small, 'c'),
        scan(big, 'sales', [0, 1, 2]),
        eq(column(0, 'id', BIGINT), column(3, 'customer', BIGINT)),
      ),
      [column(1, 'name', VARCHAR), column(4, 'amount', DOUBLE)],
      ['name', 'amount'],
    );
    expect(printPlan(rewrite(plan))).toBe(
      [
        'Project name#0 AS name, amount#1 AS amount',
        '  Scan shop.sales join shop.customers AS c [name, amount] filters=[(id#6 = customer#1)]',
      ].join('\n'),
    );
    const twoBig = join(
      'inner',
      scan(big, 'a', [0, 1]),
      scan({ ...CUSTOMERS, rowCount: 1_000_000 }, 'c'),
      onCustomer,
    );
    expect(rewrite(twoBig)).toBe(twoBig);
    expect(MAX_JOINED_TABLE_ROWS).toBeLessThan(1_000_000);
  });

  it('leaves outer, semi and cross joins, other databases and inexpressible conditions to the engine', () => {
    const unchanged: LogicalPlan[] = [
      join('left', sales, customers, onCustomer),
      join('semi', sales, customers, onCustomer),
      join('inner', sales, customers, null),
      // No equality between the sides: SQLite would compare every pair of rows.
      join(
        'inner',
        sales,
        customers,
        call('lt', [column(1, 'customer', BIGINT), column(3, 'id', BIGINT)], BOOLEAN),
      ),
      join('inner', sales, scan(OTHER_CUSTOMERS, 'o'), onCustomer),
      // A DECIMAL column in the condition: SQLite stores it as REAL or text.
      join(
        'inner',
        scan(SALES, 's', [4]),
        scan(SALES, 't', [4]),
        eq(column(0, 'price', SALES.columns[4].type), column(1, 'price', SALES.columns[4].type)),
      ),
    ];
    for (const plan of unchanged) expect(rewrite(plan)).toBe(plan);
    const plan = join('inner', sales, customers, onCustomer);
    expect(rewrite(plan, false)).toBe(plan);
  });
});
