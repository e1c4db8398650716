import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DOUBLE } from '@tributary/common';
import {
  call,
  column,
  limit,
  printPlan,
  project,
  scan,
  sort,
  sqliteScanStatement,
  type LogicalPlan,
  type ScanNode,
} from '@tributary/plan';
import { pushTopNIntoSqliteScan } from './push-top-n-into-sqlite-scan.ts';
import { SALES } from './sqlite-test-tables.ts';

const sales = scan(SALES, 'sales', [0, 2, 5]);

function rewrite(plan: LogicalPlan, scanPushdown = true): LogicalPlan {
  return pushTopNIntoSqliteScan.rewrite(plan, { disabledRules: new Set(), scanPushdown }).plan;
}

function scanOf(plan: LogicalPlan): ScanNode {
  if (plan.kind === 'scan') return plan;
  if (plan.kind === 'limit' || plan.kind === 'sort' || plan.kind === 'project') return scanOf(plan.input);
  throw new Error(plan.kind);
}

describe('push_top_n_into_sqlite_scan', () => {
  it('gives each split ORDER BY (NULLs where the plan puts them) and LIMIT limit+offset, keeping Sort and Limit', () => {
    const plan = limit(
      sort(project(sales, [column(1, 'amount', DOUBLE), column(0, 'id', BIGINT)], ['amount', 'id']), [
        { expr: column(0, 'amount', DOUBLE), ascending: false, nullsFirst: false },
        { expr: column(1, 'id', BIGINT), ascending: true, nullsFirst: true },
      ]),
      10,
      5,
    );
    const rewritten = rewrite(plan);
    expect(printPlan(rewritten)).toBe(
      [
        'Limit 10 offset=5',
        '  Sort amount#0 DESC, id#1 ASC NULLS FIRST',
        '    Project amount#1 AS amount, id#0 AS id',
        '      Scan shop.sales orderBy=[amount#2 DESC, id#0 ASC NULLS FIRST] [id, amount, note] limit=15',
      ].join('\n'),
    );
    const statement = sqliteScanStatement(scanOf(rewritten))!;
    expect(statement.sql).toMatch(
      / FROM "sales" AS t0 ORDER BY \(t0\."amount"\) IS NULL ASC, t0\."amount" DESC, \(t0\."id"\) IS NULL DESC, t0\."id" ASC LIMIT \?$/,
    );
    expect(statement.params).toEqual([15]);
  });

  it('gives a scan joining inside SQLite a plain LIMIT, the limit plus the offset', () => {
    const joined: ScanNode = {
      ...sales,
      pushed: { joins: [{ table: SALES, alias: 'other' }], aggregate: null, orderBy: [] },
      filters: [call('eq', [column(0, 'id', BIGINT), column(6, 'id', BIGINT)], BOOLEAN)],
    };
    const plan = limit(joined, 4, 2);
    expect(printPlan(rewrite(plan))).toBe(
      [
        'Limit 4 offset=2',
        '  Scan shop.sales join shop.sales AS other [id, amount, note] filters=[(id#0 = id#6)] limit=6',
      ].join('\n'),
    );
    const single = limit(sales, 4);
    expect(rewrite(single)).toBe(single);
  });

  it('sorts text bytewise and leaves a Sort without a Limit, or on a DECIMAL, alone', () => {
    const byNote = limit(
      sort(sales, [{ expr: column(2, 'note', SALES.columns[5].type), ascending: true, nullsFirst: false }]),
      3,
    );
    expect(sqliteScanStatement(scanOf(rewrite(byNote)))!.sql).toContain(
      'ORDER BY (t0."note" COLLATE BINARY) IS NULL ASC, t0."note" COLLATE BINARY ASC LIMIT ?',
    );
    const unsorted = sort(sales, [{ expr: column(0, 'id', BIGINT), ascending: true, nullsFirst: false }]);
    expect(rewrite(unsorted)).toBe(unsorted);
    const decimalKey = limit(
      sort(scan(SALES, 'sales', [4]), [
        { expr: column(0, 'price', SALES.columns[4].type), ascending: true, nullsFirst: false },
      ]),
      3,
    );
    expect(rewrite(decimalKey)).toBe(decimalKey);
    expect(rewrite(byNote, false)).toBe(byNote);
  });
});
