import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DATE, DOUBLE, HUGEINT } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  filter,
  literal,
  printPlan,
  project,
  scan,
  sqliteScanStatement,
  type AggregateCall,
  type LogicalPlan,
  type ScanNode,
} from '@tributary/plan';
import { optimize } from './optimize.ts';
import { pushAggregateIntoSqliteScan } from './push-aggregate-into-sqlite-scan.ts';
import { SALES } from './sqlite-test-tables.ts';

const sales = scan(SALES, 'sales');
const amount = column(2, 'amount', DOUBLE);
const customer = column(1, 'customer', BIGINT);
const agg = (
  fn: AggregateCall['fn'],
  arg: ReturnType<typeof column> | null,
  type = arg?.type ?? BIGINT,
): AggregateCall => ({
  fn,
  arg,
  distinct: false,
  type,
});

function rewrite(plan: LogicalPlan, scanPushdown = true): LogicalPlan {
  return pushAggregateIntoSqliteScan.rewrite(plan, { disabledRules: new Set(), scanPushdown }).plan;
}

function scanOf(plan: LogicalPlan): ScanNode {
  if (plan.kind === 'scan') return plan;
  if (plan.kind === 'project' || plan.kind === 'aggregate') return scanOf(plan.input);
  throw new Error(`no scan under ${plan.kind}`);
}

describe('push_aggregate_into_sqlite_scan', () => {
  it('moves a grouped SUM, AVG, COUNT and MIN into the scan as partials merged above (filters through)', () => {
    const filtered = filter(sales, call('gt', [column(3, 'day', DATE), literal(19000, DATE)], BOOLEAN));
    const plan = aggregate(
      filtered,
      [customer],
      [
        agg('sum', amount),
        agg('avg', amount, DOUBLE),
        agg('count_star', null),
        agg('min', column(3, 'day', DATE)),
      ],
      ['customer', 's', 'a', 'n', 'first'],
    );
    const rewritten = rewrite(plan);
    expect(printPlan(rewritten)).toBe(
      [
        'Project customer#0 AS customer, partial_1#1 AS s, (partial_2#2 / CAST(partial_3#3 AS DOUBLE)) AS a, coalesce(CAST(partial_4#4 AS BIGINT), 0) AS n, partial_5#5 AS first',
        '  Aggregate groupBy=[customer#0] aggs=[sum(partial_1#1), sum(partial_2#2), sum(partial_3#3), sum(partial_4#4), min(partial_5#5)]',
        "    Scan shop.sales partial-aggregate groupBy=[customer#1] aggs=[sum(amount#2), sum(amount#2), count(amount#2), count(*), min(day#3)] filters=[(day#3 > DATE '2022-01-08')]",
      ].join('\n'),
    );
    expect(sqliteScanStatement(scanOf(rewritten))).toEqual({
      sql:
        'SELECT CASE WHEN typeof((t0."customer")) = \'integer\' AND ((t0."customer") > 9007199254740991 OR (t0."customer") < -9007199254740991) THEN CAST((t0."customer") AS TEXT) ELSE (t0."customer") END, ' +
        'CASE WHEN COUNT(t0."amount") > 0 THEN TOTAL(t0."amount") END, CASE WHEN COUNT(t0."amount") > 0 THEN TOTAL(t0."amount") END, ' +
        'CASE WHEN typeof((COUNT(t0."amount"))) = \'integer\' AND ((COUNT(t0."amount")) > 9007199254740991 OR (COUNT(t0."amount")) < -9007199254740991) THEN CAST((COUNT(t0."amount")) AS TEXT) ELSE (COUNT(t0."amount")) END, ' +
        "CASE WHEN typeof((COUNT(*))) = 'integer' AND ((COUNT(*)) > 9007199254740991 OR (COUNT(*)) < -9007199254740991) THEN CAST((COUNT(*)) AS TEXT) ELSE (COUNT(*)) END, " +
        'MIN(t0."day") FROM "sales" AS t0 WHERE (t0."day" > ?) GROUP BY t0."customer"',
      params: ['2022-01-08'],
    });
  });

  it('sums a BIGINT column as the sums of its 32-bit halves, added in HUGEINT', () => {
    const plan = aggregate(sales, [], [agg('sum', customer, HUGEINT)], ['total']);
    expect(printPlan(rewrite(plan))).toBe(
      [
        'Project ((partial_0#0 * 4294967296) + partial_1#1) AS total',
        '  Aggregate groupBy=[] aggs=[sum(partial_0#0), sum(partial_1#1)]',
        '    Scan shop.sales partial-aggregate groupBy=[] aggs=[sum(customer#1, "high32"), sum(customer#1, "low32")]',
      ].join('\n'),
    );
    expect(sqliteScanStatement(scanOf(rewrite(plan)))?.sql).toContain('SUM((t0."customer") >> 32)');
  });

  it('keeps the optimizer schema (the runner checks names and types)', () => {
    const plan = aggregate(
      sales,
      [customer],
      [agg('avg', customer, DOUBLE), agg('count', amount, BIGINT)],
      ['c', 'a', 'n'],
    );
    const optimized = optimize(plan);
    expect(optimized.schema).toEqual(
      plan.schema.map((f) => expect.objectContaining({ name: f.name, type: f.type })),
    );
    expect(printPlan(optimized)).toContain('partial-aggregate');
  });

  it('leaves DECIMAL sums, DISTINCT, statistics, BOOLEAN keys and non-sqlite scans alone', () => {
    const price = column(4, 'price', SALES.columns[4].type);
    const cases: LogicalPlan[] = [
      aggregate(sales, [], [{ fn: 'sum', arg: price, distinct: false, type: price.type }], ['s']),
      aggregate(sales, [], [{ ...agg('count', amount), distinct: true }], ['n']),
      aggregate(sales, [], [agg('stddev_samp', amount, DOUBLE)], ['sd']),
      aggregate(
        project(sales, [call('gt', [amount, literal(1, DOUBLE)], BOOLEAN)], ['big']),
        [column(0, 'big', BOOLEAN)],
        [agg('count_star', null)],
        ['big', 'n'],
      ),
      // MAX of TEXT-affinity text moves: SQLite compares it bytewise (COLLATE BINARY), as DuckDB.
      aggregate(sales, [], [agg('max', column(5, 'note', SALES.columns[5].type))], ['m']),
    ];
    const unchanged = cases.slice(0, 4);
    for (const plan of unchanged) expect(rewrite(plan)).toBe(plan);
    expect(printPlan(rewrite(cases[4]))).toContain('partial-aggregate');
    const parquet = scan({ ...SALES, sourceType: 'parquet' }, 'sales');
    const overParquet = aggregate(parquet, [], [agg('count_star', null)], ['n']);
    expect(rewrite(overParquet)).toBe(overParquet);
  });

  it('does nothing when scan pushdown is switched off', () => {
    const plan = aggregate(sales, [customer], [agg('count_star', null)], ['c', 'n']);
    expect(rewrite(plan, false)).toBe(plan);
    expect(printPlan(optimize(plan, { scanPushdown: false }))).not.toContain('partial-aggregate');
  });
});
