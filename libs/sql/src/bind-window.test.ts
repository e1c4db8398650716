import { typeToString, type TributaryError } from '@tributary/common';
import { printPlan } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { bindQuery } from './bind-sql.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const bind = (sql: string) => bindQuery(sql, tpchCatalog, { context: ['tpch'] });
const plan = (sql: string) => printPlan(bind(sql));
const schema = (sql: string) => bind(sql).schema.map((f) => `${f.name}: ${typeToString(f.type)}`);

function failure(sql: string): { code: string; line?: number; column?: number; message: string } {
  try {
    bind(sql);
  } catch (error) {
    const e = error as TributaryError;
    return { code: e.code, line: e.line, column: e.column, message: e.message };
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('binding window functions', () => {
  it('puts one Window node per PARTITION BY/ORDER BY between the FROM clause and the projection', () => {
    expect(
      plan(`SELECT o_orderkey, row_number() OVER (PARTITION BY o_custkey ORDER BY o_orderdate DESC, o_orderkey) AS rn,
        sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate DESC, o_orderkey ROWS 2 PRECEDING) AS s,
        count(*) OVER () AS n
      FROM orders WHERE o_orderstatus = 'F'`),
    ).toMatchInlineSnapshot(`
      "Project o_orderkey#0 AS o_orderkey, row_number() OVER (PARTITION BY o_custkey ORDER BY o_orderdate DESC, o_orderkey)#9 AS rn, sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate DESC, o_orderkey ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)#10 AS s, count() OVER ()#11 AS n
        Window partitionBy=[] orderBy=[] calls=[count(*) ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING]
          Window partitionBy=[o_custkey#1] orderBy=[o_orderdate#4 DESC, o_orderkey#0 ASC] calls=[row_number(), sum(o_totalprice#3) ROWS BETWEEN 2 PRECEDING AND CURRENT ROW]
            Filter (o_orderstatus#2 = 'F')
              Scan tpch.orders [o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority, o_clerk, o_shippriority, o_comment]"
    `);
  });

  it('binds windows over aggregates above the Aggregate, and named windows', () => {
    expect(
      plan(`SELECT o_custkey, sum(o_totalprice) AS spent, rank() OVER w AS r, sum(sum(o_totalprice)) OVER (w ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS near
      FROM orders GROUP BY o_custkey HAVING count(*) > 2 WINDOW w AS (ORDER BY sum(o_totalprice) DESC) ORDER BY r LIMIT 10`),
    ).toMatchInlineSnapshot(`
      "Limit 10
        Sort r#2 ASC
          Project o_custkey#0 AS o_custkey, sum(o_totalprice)#1 AS spent, rank() OVER (ORDER BY sum(o_totalprice) DESC)#3 AS r, sum(sum(o_totalprice)) OVER (ORDER BY sum(o_totalprice) DESC ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)#4 AS near
            Window partitionBy=[] orderBy=[sum(o_totalprice)#1 DESC] calls=[rank(), sum(sum(o_totalprice)#1) ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING]
              Filter (count_star()#2 > CAST(2 AS BIGINT))
                Aggregate groupBy=[o_custkey#1] aggs=[sum(o_totalprice#3), count(*)]
                  Scan tpch.orders [o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority, o_clerk, o_shippriority, o_comment]"
    `);
  });

  it('binds RANGE frames with numeric and interval offsets', () => {
    expect(
      plan(`SELECT count(*) OVER (ORDER BY o_orderdate RANGE BETWEEN INTERVAL '1 month' PRECEDING AND INTERVAL 3 DAY FOLLOWING) AS a,
        avg(o_totalprice) OVER (ORDER BY o_totalprice DESC RANGE BETWEEN 10.5 PRECEDING AND CURRENT ROW) AS b
      FROM orders`),
    ).toMatchInlineSnapshot(`
      "Project count() OVER (ORDER BY o_orderdate RANGE BETWEEN INTERVAL '1 month' PRECEDING AND INTERVAL '3' DAY FOLLOWING)#9 AS a, avg(o_totalprice) OVER (ORDER BY o_totalprice DESC RANGE BETWEEN 10.5 PRECEDING AND CURRENT ROW)#10 AS b
        Window partitionBy=[] orderBy=[o_totalprice#3 DESC] calls=[avg(o_totalprice#3) RANGE BETWEEN 1050 PRECEDING AND CURRENT ROW]
          Window partitionBy=[] orderBy=[o_orderdate#4 ASC] calls=[count(*) RANGE BETWEEN INTERVAL '1 months' PRECEDING AND INTERVAL '3 days' FOLLOWING]
            Scan tpch.orders [o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority, o_clerk, o_shippriority, o_comment]"
    `);
  });

  it('types results as DuckDB does and names unaliased calls after their text', () => {
    expect(
      schema(`SELECT row_number() OVER (ORDER BY o_orderkey), rank() OVER (PARTITION BY o_custkey ORDER BY o_orderdate DESC NULLS FIRST),
        percent_rank() OVER (), cume_dist() OVER (), ntile(3) OVER (), lag(o_totalprice, 1, 0) OVER (ORDER BY o_orderkey),
        first_value(o_orderdate) OVER (), sum(o_totalprice) OVER (), sum(o_shippriority) OVER (), avg(o_totalprice) OVER (),
        count(*) OVER (), count(o_comment) OVER (), min(o_clerk) OVER (),
        sum(o_totalprice) OVER (ORDER BY o_orderkey ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
      FROM orders`),
    ).toMatchInlineSnapshot(`
      [
        "row_number() OVER (ORDER BY o_orderkey): BIGINT",
        "rank() OVER (PARTITION BY o_custkey ORDER BY o_orderdate DESC NULLS FIRST): BIGINT",
        "percent_rank() OVER (): DOUBLE",
        "cume_dist() OVER (): DOUBLE",
        "ntile(3) OVER (): BIGINT",
        "lag(o_totalprice, 1, 0) OVER (ORDER BY o_orderkey): DECIMAL(15,2)",
        "first_value(o_orderdate) OVER (): DATE",
        "sum(o_totalprice) OVER (): DECIMAL(38,2)",
        "sum(o_shippriority) OVER (): HUGEINT",
        "avg(o_totalprice) OVER (): DOUBLE",
        "count() OVER (): BIGINT",
        "count(o_comment) OVER (): BIGINT",
        "min(o_clerk) OVER (): VARCHAR",
        "sum(o_totalprice) OVER (ORDER BY o_orderkey ROWS BETWEEN 1 PRECEDING AND CURRENT ROW): DECIMAL(38,2)",
      ]
    `);
  });

  it('keeps the user SQL working as written, comments and line breaks included', () => {
    expect(
      schema(`SELECT -- a comment
        sum(o_totalprice) OVER (
          PARTITION BY o_custkey /* by customer */
          ORDER BY o_orderdate
          RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS running FROM orders`),
    ).toEqual(['running: DECIMAL(38,2)']);
  });
});

describe('window binding errors point into the user text', () => {
  it('rejects windows in WHERE and GROUP BY', () => {
    expect(failure('SELECT o_orderkey FROM orders\nWHERE row_number() OVER () > 1')).toMatchObject({
      code: 'INVALID_WINDOW',
      line: 2,
      column: 7,
    });
  });

  it('rejects nested window calls', () => {
    expect(failure('SELECT sum(rank() OVER ()) OVER () FROM orders')).toMatchObject({
      code: 'INVALID_WINDOW',
    });
  });

  it('names an unknown window where it is used', () => {
    expect(failure('SELECT rank() OVER wx FROM orders WINDOW w AS ()')).toMatchObject({
      code: 'UNKNOWN_WINDOW',
      line: 1,
      column: 20,
    });
  });

  it('rejects frames a RANGE offset cannot measure', () => {
    expect(
      failure(
        'SELECT sum(o_totalprice) OVER (ORDER BY o_orderdate, o_orderkey RANGE 2 PRECEDING) FROM orders',
      ),
    ).toMatchObject({ code: 'INVALID_WINDOW_FRAME', line: 1, column: 71 });
    expect(
      failure("SELECT count(*) OVER (ORDER BY o_clerk RANGE INTERVAL '1 day' PRECEDING) FROM orders"),
    ).toMatchObject({ code: 'INVALID_WINDOW_FRAME' });
    expect(
      failure(
        'SELECT count(*) OVER (ORDER BY o_orderkey ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM orders',
      ),
    ).toMatchObject({ code: 'INVALID_WINDOW_FRAME' });
    expect(failure('SELECT count(*) OVER (ORDER BY o_orderkey ROWS -1 PRECEDING) FROM orders').code).toMatch(
      /SQL_PARSE_ERROR|INVALID_WINDOW_FRAME|UNSUPPORTED_FEATURE/,
    );
  });

  it('reports a syntax error inside OVER at its place in the text', () => {
    expect(failure('SELECT rank() OVER (PARTITION o_custkey) FROM orders')).toMatchObject({
      code: 'SQL_PARSE_ERROR',
      line: 1,
      column: 31,
    });
    expect(failure('SELECT rank() OVER (ORDER BY o_custkey +) FROM orders')).toMatchObject({
      code: 'SQL_PARSE_ERROR',
      line: 1,
    });
  });

  it('finds unknown columns inside OVER with a suggestion', () => {
    const error = failure('SELECT rank() OVER (ORDER BY o_custky) FROM orders');
    expect(error).toMatchObject({ code: 'COLUMN_NOT_FOUND', line: 1, column: 30 });
    expect(error.message).toContain('o_custkey');
  });

  it('rejects unsupported window functions and wrong arguments', () => {
    expect(failure('SELECT mode(o_orderkey) OVER () FROM orders').code).toBe('UNSUPPORTED_FEATURE');
    expect(failure('SELECT ntile(o_clerk) OVER () FROM orders').code).toBe('TYPE_MISMATCH');
    expect(failure('SELECT rank(o_orderkey) OVER () FROM orders').code).toBe('WRONG_ARGUMENT_COUNT');
    expect(failure('SELECT count(DISTINCT o_custkey) OVER () FROM orders').code).toBe('UNSUPPORTED_FEATURE');
  });
});

describe('window syntax the grammar does not know', () => {
  it('reads FILTER on a window aggregate, and refuses it beside DISTINCT rather than ignoring it', () => {
    expect(
      schema(
        'SELECT sum(o_totalprice) FILTER (WHERE o_custkey > 1) OVER () AS s, count(*) FILTER (o_custkey > 1) OVER () AS c FROM orders',
      ),
    ).toEqual(['s: DECIMAL(38,2)', 'c: BIGINT']);
    expect(
      failure('SELECT count(DISTINCT o_custkey) FILTER (WHERE o_custkey > 1) OVER () FROM orders'),
    ).toMatchObject({ code: 'UNSUPPORTED_FEATURE', line: 1, column: 34 });
  });

  it('reads OVER inside subqueries and nested calls, with WINDOW clauses per SELECT', () => {
    expect(
      schema(`SELECT coalesce(max(r) OVER w, 0) AS m FROM (
          SELECT rank() OVER w AS r FROM orders WINDOW w AS (PARTITION BY o_custkey ORDER BY o_orderdate)
        ) t WINDOW w AS (ORDER BY r)`),
    ).toEqual(['m: BIGINT']);
  });
});

describe('window specifications go through the same text rewrites as the rest', () => {
  it('reads SUBSTRING ... FROM ... FOR and LIKE chains inside OVER', () => {
    expect(
      schema(`SELECT count(*) OVER (PARTITION BY substring(o_clerk FROM 1 FOR 9), o_comment LIKE '%' || o_orderstatus || '%') AS n
        FROM orders`),
    ).toEqual(['n: BIGINT']);
  });
});
