import { typeToString } from '@tributary/common';
import { printPlan } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { bindQuery, bindSql, type BoundStatement } from './bind-sql.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';
import { TPCH_QUERIES } from '../testing/tpch-queries.ts';

function plan(sql: string, context: string[] = ['tpch']): string {
  return printPlan(bindQuery(sql, tpchCatalog, { context }));
}

function schema(sql: string): string[] {
  return bindQuery(sql, tpchCatalog, { context: ['tpch'] }).schema.map(
    (f) => `${f.name}: ${typeToString(f.type)}`,
  );
}

const LINEITEM_SCAN =
  'Scan tpch.lineitem [l_orderkey, l_partkey, l_suppkey, l_linenumber, l_quantity, l_extendedprice, l_discount, l_tax, l_returnflag, l_linestatus, l_shipdate, l_commitdate, l_receiptdate, l_shipinstruct, l_shipmode, l_comment]';
const NATION_SCAN = 'Scan tpch.nation [n_nationkey, n_name, n_regionkey, n_comment]';
const REGION_SCAN = 'Scan tpch.region [r_regionkey, r_name, r_comment]';
const ORDERS_SCAN =
  'Scan tpch.orders [o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_orderpriority, o_clerk, o_shippriority, o_comment]';

describe('bindSql: TPC-H', () => {
  it('binds Q1', () => {
    expect(plan(TPCH_QUERIES.q1)).toBe(
      [
        'Sort l_returnflag#0 ASC, l_linestatus#1 ASC',
        '  Project l_returnflag#0 AS l_returnflag, l_linestatus#1 AS l_linestatus, sum(l_quantity)#2 AS sum_qty, sum(l_extendedprice)#3 AS sum_base_price, sum((l_extendedprice * (1 - l_discount)))#4 AS sum_disc_price, sum(((l_extendedprice * (1 - l_discount)) * (1 + l_tax)))#5 AS sum_charge, avg(l_quantity)#6 AS avg_qty, avg(l_extendedprice)#7 AS avg_price, avg(l_discount)#8 AS avg_disc, count_star()#9 AS count_order',
        '    Aggregate groupBy=[l_returnflag#8, l_linestatus#9] aggs=[sum(l_quantity#4), sum(l_extendedprice#5), sum((l_extendedprice#5 * (CAST(1 AS DECIMAL(15,2)) - l_discount#6))), sum(((l_extendedprice#5 * (CAST(1 AS DECIMAL(15,2)) - l_discount#6)) * (CAST(1 AS DECIMAL(15,2)) + l_tax#7))), avg(l_quantity#4), avg(l_extendedprice#5), avg(l_discount#6), count(*)]',
        "      Filter (l_shipdate#10 <= date_add_days(DATE '1998-12-01', -90))",
        `        ${LINEITEM_SCAN}`,
      ].join('\n'),
    );
    expect(schema(TPCH_QUERIES.q1)).toEqual([
      'l_returnflag: VARCHAR',
      'l_linestatus: VARCHAR',
      'sum_qty: DECIMAL(38,2)',
      'sum_base_price: DECIMAL(38,2)',
      'sum_disc_price: DECIMAL(38,4)',
      'sum_charge: DECIMAL(38,6)',
      'avg_qty: DOUBLE',
      'avg_price: DOUBLE',
      'avg_disc: DOUBLE',
      'count_order: BIGINT',
    ]);
  });

  it('binds Q6', () => {
    expect(plan(TPCH_QUERIES.q6)).toBe(
      [
        'Project sum((l_extendedprice * l_discount))#0 AS revenue',
        '  Aggregate groupBy=[] aggs=[sum((l_extendedprice#5 * l_discount#6))]',
        "    Filter ((l_shipdate#10 >= DATE '1994-01-01') AND (l_shipdate#10 < date_add_months(DATE '1994-01-01', 12)) AND (l_discount#6 >= CAST((0.06 - 0.01) AS DECIMAL(15,2))) AND (l_discount#6 <= CAST((0.06 + 0.01) AS DECIMAL(15,2))) AND (l_quantity#4 < CAST(24 AS DECIMAL(15,2))))",
        `      ${LINEITEM_SCAN}`,
      ].join('\n'),
    );
    expect(schema(TPCH_QUERIES.q6)).toEqual(['revenue: DECIMAL(38,4)']);
  });

  it('binds Q3, Q5 and Q10 as cross joins under the WHERE filter', () => {
    const q3 = plan(TPCH_QUERIES.q3).split('\n');
    expect(q3.slice(0, 3)).toEqual([
      'Limit 10',
      '  Sort revenue#1 DESC, o_orderdate#2 ASC',
      '    Project l_orderkey#0 AS l_orderkey, sum((l_extendedprice * (1 - l_discount)))#3 AS revenue, o_orderdate#1 AS o_orderdate, o_shippriority#2 AS o_shippriority',
    ]);
    expect(q3.slice(5).map((l) => l.trim().split(' [')[0])).toEqual([
      'Join cross',
      'Join cross',
      'Scan tpch.customer',
      'Scan tpch.orders',
      'Scan tpch.lineitem',
    ]);
    expect(plan(TPCH_QUERIES.q5)).toContain(
      "AND (r_name#45 = 'ASIA') AND (o_orderdate#12 >= DATE '1994-01-01') AND (o_orderdate#12 < date_add_months(DATE '1994-01-01', 12)))",
    );
    expect(schema(TPCH_QUERIES.q10)).toEqual([
      'c_custkey: BIGINT',
      'c_name: VARCHAR',
      'revenue: DECIMAL(38,4)',
      'c_acctbal: DECIMAL(15,2)',
      'n_name: VARCHAR',
      'c_address: VARCHAR',
      'c_phone: VARCHAR',
      'c_comment: VARCHAR',
    ]);
  });

  it('binds the EXISTS of Q4 as a semi join below the WHERE filter', () => {
    expect(plan(TPCH_QUERIES.q4).split('\n').slice(3)).toEqual([
      "      Filter ((o_orderdate#4 >= DATE '1993-07-01') AND (o_orderdate#4 < date_add_months(DATE '1993-07-01', 3)))",
      '        Join semi on (l_orderkey#9 = o_orderkey#0)',
      `          ${ORDERS_SCAN}`,
      '          Filter (l_commitdate#11 < l_receiptdate#12)',
      `            ${LINEITEM_SCAN}`,
    ]);
  });

  it('binds the IN (SELECT …) of Q18 and the [NOT] EXISTS of Q21', () => {
    expect(plan(TPCH_QUERIES.q18)).toContain('Join semi on (o_orderkey#8 = l_orderkey#33)');
    const q21 = plan(TPCH_QUERIES.q21);
    // The subquery's own conjunct filters its rows; the correlated ones are the join's condition.
    expect(q21).toContain('Join anti on ((l_orderkey#36 = l_orderkey#7) AND (l_suppkey#38 <> l_suppkey#9))');
    expect(q21).toContain('Filter (l_receiptdate#12 > l_commitdate#11)');
    expect(q21).toContain('Join semi on ((l_orderkey#36 = l_orderkey#7) AND (l_suppkey#38 <> l_suppkey#9))');
  });
});

describe('bindSql: subquery predicates', () => {
  it('binds IN (SELECT …) as a semi join on equality with its column', () => {
    expect(
      plan(
        "select n_name from nation where n_regionkey in (select r_regionkey from region where r_name = 'ASIA') and n_nationkey > 3",
      ),
    ).toBe(
      [
        'Project n_name#1 AS n_name',
        '  Filter (n_nationkey#0 > CAST(3 AS BIGINT))',
        '    Join semi on (n_regionkey#2 = r_regionkey#4)',
        `      ${NATION_SCAN}`,
        '      Project r_regionkey#0 AS r_regionkey',
        "        Filter (r_name#1 = 'ASIA')",
        `          ${REGION_SCAN}`,
      ].join('\n'),
    );
  });

  it('binds a correlated NOT EXISTS as an anti join, inner names first', () => {
    expect(
      plan(
        'select n_name from nation n where not exists (select * from nation n2 where n2.n_regionkey = n.n_regionkey and n_nationkey <> n.n_nationkey)',
      ),
    ).toBe(
      [
        'Project n_name#1 AS n_name',
        '  Join anti on ((n_regionkey#6 = n_regionkey#2) AND (n_nationkey#4 <> n_nationkey#0))',
        '    Scan tpch.nation AS n [n_nationkey, n_name, n_regionkey, n_comment]',
        '    Scan tpch.nation AS n2 [n_nationkey, n_name, n_regionkey, n_comment]',
      ].join('\n'),
    );
  });
});

describe('bindSql: joins', () => {
  it('keeps an ON condition in its join and WHERE above', () => {
    expect(
      plan(
        "select n.n_name, r.r_name from nation n join region r on n.n_regionkey = r.r_regionkey where r.r_name <> 'ASIA'",
      ),
    ).toBe(
      [
        'Project n_name#1 AS n_name, r_name#5 AS r_name',
        "  Filter (r_name#5 <> 'ASIA')",
        '    Join inner on (n_regionkey#2 = r_regionkey#4)',
        '      Scan tpch.nation AS n [n_nationkey, n_name, n_regionkey, n_comment]',
        '      Scan tpch.region AS r [r_regionkey, r_name, r_comment]',
      ].join('\n'),
    );
  });

  it('binds outer and cross joins', () => {
    expect(
      plan("select * from nation left join region on n_regionkey = r_regionkey and r_name like 'A%'")
        .split('\n')
        .slice(1),
    ).toEqual([
      "  Join left on ((n_regionkey#2 = r_regionkey#4) AND r_name#5 LIKE 'A%')",
      `    ${NATION_SCAN}`,
      `    ${REGION_SCAN}`,
    ]);
    expect(
      plan(
        'select n_name, r_name from nation full outer join region on n_regionkey = r_regionkey right join supplier on s_nationkey = n_nationkey',
      )
        .split('\n')
        .slice(0, 3),
    ).toEqual([
      'Project n_name#1 AS n_name, r_name#5 AS r_name',
      '  Join right on (s_nationkey#10 = n_nationkey#0)',
      '    Join full on (n_regionkey#2 = r_regionkey#4)',
    ]);
    expect(plan('select count(*) from nation cross join region')).toBe(
      [
        'Project count_star()#0 AS count_star()',
        '  Aggregate groupBy=[] aggs=[count(*)]',
        '    Join cross',
        `      ${NATION_SCAN}`,
        `      ${REGION_SCAN}`,
      ].join('\n'),
    );
  });

  it('binds USING: one equality per column, the name unqualified refers to the left copy', () => {
    expect(
      plan('select n_nationkey, n1.n_name, n2.n_name from nation n1 join nation n2 using (n_nationkey)')
        .split('\n')
        .slice(0, 2),
    ).toEqual([
      'Project n_nationkey#0 AS n_nationkey, n_name#1 AS n_name, n_name#5 AS n_name',
      '  Join inner on (n_nationkey#0 = n_nationkey#4)',
    ]);
    expect(schema('select * from nation n1 join nation n2 using (n_nationkey)')).toHaveLength(7);
  });
});

describe('bindSql: select lists, grouping, ordering', () => {
  it('binds LIMIT ALL and a lone OFFSET', () => {
    expect(plan('select n_name from nation limit all').split('\n')[0]).toBe('Limit ALL');
    expect(plan('select n_name from nation offset 5').split('\n')[0]).toBe('Limit ALL offset=5');
  });

  it('binds SELECT without FROM over one empty row', () => {
    expect(plan("select 1 as one, 2.5, 'x'")).toBe(
      ["Project 1 AS one, 2.5 AS 2.5, 'x' AS 'x'", '  Values 1 row(s) []'].join('\n'),
    );
    expect(schema("select 1 as one, 2.5, 'x'")).toEqual([
      'one: INTEGER',
      '2.5: DECIMAL(2,1)',
      "'x': VARCHAR",
    ]);
  });

  it('expands * and t.*', () => {
    expect(plan('select r.*, 1 from region r')).toBe(
      [
        'Project r_regionkey#0 AS r_regionkey, r_name#1 AS r_name, r_comment#2 AS r_comment, 1 AS 1',
        '  Scan tpch.region AS r [r_regionkey, r_name, r_comment]',
      ].join('\n'),
    );
  });

  it('groups by a select alias, filters with HAVING and orders by ordinal', () => {
    expect(
      plan(
        'select n_regionkey % 2 as parity, count(*) as n from nation group by parity having count(*) > 3 order by 2 desc',
      ),
    ).toBe(
      [
        'Sort n#1 DESC',
        '  Project (n_regionkey % 2)#0 AS parity, count_star()#1 AS n',
        '    Filter (count_star()#1 > CAST(3 AS BIGINT))',
        '      Aggregate groupBy=[(n_regionkey#2 % CAST(2 AS BIGINT))] aggs=[count(*)]',
        `        ${NATION_SCAN}`,
      ].join('\n'),
    );
  });

  it('groups by ordinal and reuses identical aggregates', () => {
    expect(
      plan("select n_regionkey, max(n_name), max(n_name) || '!' from nation group by 1 order by n_regionkey"),
    ).toBe(
      [
        'Sort n_regionkey#0 ASC',
        "  Project n_regionkey#0 AS n_regionkey, max(n_name)#1 AS max(n_name), (max(n_name)#1 || '!') AS (max(n_name) || '!')",
        '    Aggregate groupBy=[n_regionkey#2] aggs=[max(n_name#1)]',
        `      ${NATION_SCAN}`,
      ].join('\n'),
    );
  });

  it('sorts by a column that is not selected through a hidden column, then drops it', () => {
    expect(
      plan('select n_name from nation order by n_regionkey desc nulls last, n_name limit 5 offset 10'),
    ).toBe(
      [
        'Project n_name#0 AS n_name',
        '  Limit 5 offset=10',
        '    Sort __sort_0#1 DESC, n_name#0 ASC',
        '      Project n_name#1 AS n_name, n_regionkey#2 AS __sort_0',
        `        ${NATION_SCAN}`,
      ].join('\n'),
    );
  });

  it('sorts by alias and by an expression equal to a select item', () => {
    expect(plan('select n_name as name from nation order by name nulls first')).toBe(
      ['Sort name#0 ASC NULLS FIRST', '  Project n_name#1 AS name', `    ${NATION_SCAN}`].join('\n'),
    );
    expect(plan('select upper(n_name) from nation order by upper(n_name) limit 3')).toBe(
      [
        'Limit 3',
        '  Sort upper(n_name)#0 ASC',
        '    Project upper(n_name#1) AS upper(n_name)',
        `      ${NATION_SCAN}`,
      ].join('\n'),
    );
  });

  it('sorts by an aggregate that is not selected', () => {
    expect(plan('select n_regionkey from nation group by n_regionkey order by count(*) desc')).toBe(
      [
        'Project n_regionkey#0 AS n_regionkey',
        '  Sort __sort_0#1 DESC',
        '    Project n_regionkey#0 AS n_regionkey, count_star()#1 AS __sort_0',
        '      Aggregate groupBy=[n_regionkey#2] aggs=[count(*)]',
        `        ${NATION_SCAN}`,
      ].join('\n'),
    );
  });

  it('binds DISTINCT as an Aggregate without aggregates', () => {
    expect(plan('select distinct o_orderstatus, o_orderpriority from orders order by 2')).toBe(
      [
        'Sort o_orderpriority#1 ASC',
        '  Aggregate groupBy=[o_orderstatus#0, o_orderpriority#1] aggs=[]',
        '    Project o_orderstatus#2 AS o_orderstatus, o_orderpriority#5 AS o_orderpriority',
        `      ${ORDERS_SCAN}`,
      ].join('\n'),
    );
  });

  it('binds aggregates inside expressions, with DISTINCT', () => {
    expect(
      plan(
        'select count(distinct o_custkey), count(o_comment), sum(o_totalprice) / count(*), max(o_totalprice) - min(o_totalprice) from orders',
      )
        .split('\n')
        .slice(0, 2),
    ).toEqual([
      'Project count(DISTINCT o_custkey)#0 AS count(DISTINCT o_custkey), count(o_comment)#1 AS count(o_comment), (CAST(sum(o_totalprice)#2 AS DOUBLE) / CAST(count_star()#3 AS DOUBLE)) AS (sum(o_totalprice) / count_star()), (max(o_totalprice)#4 - min(o_totalprice)#5) AS (max(o_totalprice) - min(o_totalprice))',
      '  Aggregate groupBy=[] aggs=[count(DISTINCT o_custkey#1), count(o_comment#8), sum(o_totalprice#3), count(*), max(o_totalprice#3), min(o_totalprice#3)]',
    ]);
  });
});

describe('bindSql: expressions', () => {
  it('binds CASE, IN, LIKE, IS NULL and NOT BETWEEN, converting string literals to dates', () => {
    expect(
      plan(
        "select case when o_totalprice > 1000 then 'big' when o_totalprice is null then null else 'small' end as size, case o_orderstatus when 'F' then 1 end from orders where o_orderdate not between '1995-01-01' and date '1995-12-31' and o_orderstatus not in ('F', 'O') and o_comment not ilike '%x%' and o_clerk is not null",
      ),
    ).toBe(
      [
        "Project CASE WHEN (o_totalprice#3 > CAST(1000 AS DECIMAL(15,2))) THEN 'big' WHEN o_totalprice#3 IS NULL THEN NULL ELSE 'small' END AS size, CASE WHEN (o_orderstatus#2 = 'F') THEN 1 END AS CASE  WHEN ((o_orderstatus = 'F')) THEN (1) ELSE NULL END",
        "  Filter (((o_orderdate#4 < DATE '1995-01-01') OR (o_orderdate#4 > DATE '1995-12-31')) AND o_orderstatus#2 NOT IN ('F', 'O') AND o_comment#8 NOT ILIKE '%x%' AND o_clerk#6 IS NOT NULL)",
        `    ${ORDERS_SCAN}`,
      ].join('\n'),
    );
  });

  it('reads a string literal as the DOUBLE of sqrt, atan2 and the like, as DuckDB does; not a VARCHAR column', () => {
    expect(plan("select sqrt('4'), atan2('1', n_nationkey) from nation").split('\n')[0]).toBe(
      "Project sqrt(4) AS sqrt('4'), atan2(1, CAST(n_nationkey#0 AS DOUBLE)) AS atan2('1', n_nationkey)",
    );
    expect(() => plan('select sqrt(n_name) from nation')).toThrow(
      'function sqrt() expects a number, got VARCHAR',
    );
  });

  it('binds EXTRACT, casts and interval arithmetic on dates', () => {
    expect(
      plan(
        "select extract(year from o_orderdate) as y, cast(o_totalprice as integer) p, o_orderdate::timestamp t, o_orderdate + interval '1' month + interval '2' day d, interval '1 year' + o_orderdate e, o_orderdate - 3 f from orders",
      ).split('\n')[0],
    ).toBe(
      'Project extract_year(o_orderdate#4) AS y, CAST(o_totalprice#3 AS INTEGER) AS p, CAST(o_orderdate#4 AS TIMESTAMP) AS t, date_add_days(CAST(date_add_months(o_orderdate#4, 1) AS TIMESTAMP), 2) AS d, CAST(date_add_months(o_orderdate#4, 12) AS TIMESTAMP) AS e, date_add_days(o_orderdate#4, -3) AS f',
    );
  });

  it('binds string functions and || to their plan names', () => {
    expect(
      plan(
        "select substring(n_name, 1, 3), trim(n_name), n_name || '-' || n_regionkey, position('A' in n_name), coalesce(n_comment, 'none') from nation",
      ).split('\n')[0],
    ).toBe(
      `Project substring(n_name#1, CAST(1 AS BIGINT), CAST(3 AS BIGINT)) AS main."substring"(n_name, 1, 3), trim(n_name#1) AS main."trim"(n_name), ((n_name#1 || '-') || CAST(n_regionkey#2 AS VARCHAR)) AS ((n_name || '-') || n_regionkey), strpos(n_name#1, 'A') AS main."position"(n_name, 'A'), coalesce(n_comment#3, 'none') AS COALESCE(n_comment, 'none')`,
    );
  });
});

describe('bindSql: names', () => {
  it('resolves qualified, case-insensitive and quoted names', () => {
    expect(
      plan(
        'select tpch.lineitem.l_orderkey, lineitem.l_partkey, LINEITEM.L_SUPPKEY from TPCH.LineItem',
      ).split('\n')[0],
    ).toBe('Project l_orderkey#0 AS l_orderkey, l_partkey#1 AS l_partkey, l_suppkey#2 AS L_SUPPKEY');
    expect(plan('select "Id", kind from "Events"')).toBe(
      ['Project Id#0 AS Id, kind#1 AS kind', '  Scan files.Events [Id, kind]'].join('\n'),
    );
  });

  it('resolves a bare table in the context, else in the one source that has it', () => {
    expect(plan('select * from nation').split('\n')[1]).toBe(`  ${NATION_SCAN}`);
    expect(plan('select * from nation', ['lite']).split('\n')[1]).toBe(
      '  Scan lite.nation [n_nationkey, n_name, n_regionkey, n_comment]',
    );
    expect(plan('select * from lineitem', []).split('\n')[1]).toBe(`  ${LINEITEM_SCAN}`);
  });

  it('binds derived tables and CTEs', () => {
    expect(
      plan(
        'select s.k, s.cnt from (select n_regionkey as k, count(*) as cnt from nation group by n_regionkey) s where s.cnt > 1',
      ),
    ).toBe(
      [
        'Project k#0 AS k, cnt#1 AS cnt',
        '  Filter (cnt#1 > CAST(1 AS BIGINT))',
        '    Project n_regionkey#0 AS k, count_star()#1 AS cnt',
        '      Aggregate groupBy=[n_regionkey#2] aggs=[count(*)]',
        `        ${NATION_SCAN}`,
      ].join('\n'),
    );
    expect(
      plan(
        'with big as (select * from region where r_regionkey > 1) select b.r_name from big b join big on b.r_regionkey = big.r_regionkey',
      ).split('\n')[1],
    ).toBe('  Join inner on (r_regionkey#0 = r_regionkey#3)');
  });

  it('qualifies derived-table columns by the alias', () => {
    const bound = bindSql(
      'select s.n_name from (select n_name from nation order by n_regionkey limit 3) s',
      tpchCatalog,
      { context: ['tpch'] },
    );
    if (bound.kind === 'command') throw new Error('not a query');
    expect(printPlan(bound.plan)).toBe(
      [
        'Project n_name#0 AS n_name',
        '  Project n_name#0 AS n_name',
        '    Limit 3',
        '      Sort __sort_0#1 ASC',
        '        Project n_name#1 AS n_name, n_regionkey#2 AS __sort_0',
        `          ${NATION_SCAN}`,
      ].join('\n'),
    );
    expect(
      (bound.plan as unknown as { input: { schema: { qualifier?: string }[] } }).input.schema[0].qualifier,
    ).toBe('s');
  });

  it('marks EXPLAIN statements', () => {
    const bound = bindSql('explain select 1', tpchCatalog);
    expect(bound.kind).toBe('explain');
    expect(bindSql('select 1', tpchCatalog).kind).toBe('query');
  });
});

describe('bindSql: analyst queries that used to bind wrongly or not at all', () => {
  const first = (sql: string): string => plan(sql).split('\n')[0];

  it('subtracts dates as end minus start', () => {
    expect(first('select l_receiptdate - l_shipdate as d from lineitem')).toBe(
      'Project date_diff_days(l_shipdate#10, l_receiptdate#12) AS d',
    );
    expect(first("select date_diff('day', l_shipdate, l_receiptdate) as d from lineitem")).toBe(
      'Project date_diff_days(l_shipdate#10, l_receiptdate#12) AS d',
    );
  });

  it('lets HAVING name select aliases that are not input columns', () => {
    expect(
      plan(
        'select c_nationkey as k, count(*) as n from customer group by c_nationkey having n > 5 and k < 3',
      ).split('\n')[1],
    ).toBe('  Filter ((count_star()#1 > CAST(5 AS BIGINT)) AND (c_nationkey#0 < CAST(3 AS BIGINT)))');
  });

  it('binds NOT IN (SELECT …) as an anti join plus the NULL rule over counts of the subquery', () => {
    const lines = plan('select count(*) from customer where c_custkey not in (select o_custkey from orders)')
      .split('\n')
      .map((l) => l.trim());
    expect(lines[2]).toBe('Join anti on ((n#8 > 0) AND ((n_values#9 < n#8) OR c_custkey#0 IS NULL))');
    expect(lines[3]).toBe('Join anti on (c_custkey#0 = o_custkey#8)');
    expect(lines[7]).toBe('Aggregate groupBy=[] aggs=[count(*), count(o_custkey#0)]');
    expect(
      plan('select n_name from nation where not (n_regionkey in (select r_regionkey from region))'),
    ).toContain('Join anti on (n_regionkey#2 = r_regionkey#4)');
  });

  it('turns aggregate FILTER clauses into CASE arguments', () => {
    expect(
      plan(
        "select count(*) filter (where o_orderstatus = 'F') as f, sum(o_totalprice) filter (where o_custkey > 3) as s from orders",
      ).split('\n')[1],
    ).toBe(
      "  Aggregate groupBy=[] aggs=[count(CASE WHEN (o_orderstatus#2 = 'F') THEN 1 END), sum(CASE WHEN (o_custkey#1 > CAST(3 AS BIGINT)) THEN o_totalprice#3 END)]",
    );
  });

  it('accepts DISTINCT inside SUM, AVG, MIN and MAX', () => {
    expect(
      plan('select sum(distinct l_quantity), avg(  DISTINCT l_tax), max(distinct l_tax) from lineitem').split(
        '\n',
      )[1],
    ).toBe(
      '  Aggregate groupBy=[] aggs=[sum(DISTINCT l_quantity#4), avg(DISTINCT l_tax#7), max(DISTINCT l_tax#7)]',
    );
  });

  it('honours LIKE … ESCAPE', () => {
    expect(
      plan(
        "select n_name from nation where n_name like '%!_%' escape '!' or n_name not ilike 'a!%%' escape '!'",
      ).split('\n')[1],
    ).toBe("  Filter (contains(n_name#1, '_') OR NOT starts_with(lower(n_name#1), 'a%'))");
    expect(() => plan("select n_name from nation where n_name like '%!_x_%' escape '!'")).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_FEATURE' }),
    );
  });

  it('binds mod, left, log10 and dayofweek', () => {
    expect(
      first('select mod(n_nationkey, 4) as m, left(n_name, 2) as l, log10(n_nationkey) as g from nation'),
    ).toBe(
      'Project (n_nationkey#0 % CAST(4 AS BIGINT)) AS m, left(n_name#1, CAST(2 AS BIGINT)) AS l, log10(CAST(n_nationkey#0 AS DOUBLE)) AS g',
    );
    expect(first("select dayofweek(date '2024-05-05') as d")).toBe(
      "Project extract_dow(DATE '2024-05-05') AS d",
    );
  });

  it('skips NULL arguments of concat() but not of ||', () => {
    expect(first('select concat(n_name, null) as a, n_name || null as b from nation')).toBe(
      "Project (coalesce(n_name#1, '') || coalesce(NULL, '')) AS a, (n_name#1 || NULL) AS b",
    );
  });

  it('renames derived-table columns listed after the alias', () => {
    expect(schema('select t.a, b from (select n_nationkey, n_regionkey from nation) as t(a, "b")')).toEqual([
      'a: BIGINT',
      'b: BIGINT',
    ]);
    expect(() => plan('select * from (select n_nationkey from nation) t(a, b)')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });

  it('binds the standard TRIM and SUBSTRING keyword forms', () => {
    expect(
      first(
        "select trim(both 'A' from n_name) as a, trim(leading from n_name) as b, trim(trailing 'A' from n_name) as c, substring(n_name from 2 for 3) as d from nation",
      ),
    ).toBe(
      "Project trim(n_name#1, 'A') AS a, ltrim(n_name#1) AS b, rtrim(n_name#1, 'A') AS c, substring(n_name#1, CAST(2 AS BIGINT), CAST(3 AS BIGINT)) AS d",
    );
  });

  it('binds greatest, least, trunc, last_day and ifnull through CASE and existing functions', () => {
    expect(
      first(
        "select greatest(n_nationkey, 3) as g, trunc(1.5) as t, last_day(date '2024-02-10') as l, ifnull(n_name, 'x') as i from nation",
      ),
    ).toBe(
      "Project CASE WHEN n_nationkey#0 IS NULL THEN CAST(3 AS BIGINT) WHEN CAST(3 AS BIGINT) IS NULL THEN n_nationkey#0 WHEN (n_nationkey#0 >= CAST(3 AS BIGINT)) THEN n_nationkey#0 ELSE CAST(3 AS BIGINT) END AS g, CASE WHEN (CAST(1.5 AS DOUBLE) < 0) THEN ceil(1.5) ELSE floor(1.5) END AS t, date_add_days(date_add_months(date_trunc_month(DATE '2024-02-10'), 1), -1) AS l, coalesce(n_name#1, 'x') AS i",
    );
    expect(schema("select least(n_name, 'C') as l, greatest(1, 2.5) as g from nation")).toEqual([
      'l: VARCHAR',
      'g: DECIMAL(11,1)',
    ]);
  });

  it("truncates to the week's Monday", () => {
    expect(first("select date_trunc('week', o_orderdate) as w from orders")).toBe(
      'Project CAST(date_add_days(date_trunc_day(o_orderdate#4), -((extract_dow(o_orderdate#4) + 6) % 7)) AS TIMESTAMP) AS w',
    );
  });
});

describe('bindSql: the clock', () => {
  it('is one instant in a statement, to the microsecond, as DuckDB reads it once', () => {
    const before = Date.now() * 1000;
    const plan = bindQuery(
      'SELECT now() AS a, current_timestamp AS b, current_date AS d FROM (SELECT now() AS c) t WHERE c = now()',
      tpchCatalog,
      { context: ['tpch'] },
    );
    const after = (Date.now() + 1) * 1000;
    const literals = [...printPlan(plan).matchAll(/TIMESTAMPTZ '([^']+)'/g)].map((m) => m[1]);
    expect(literals.length).toBeGreaterThanOrEqual(3);
    expect(new Set(literals).size).toBe(1);
    const micros = Date.parse(literals[0].replace(' ', 'T').replace(/\+00$/, 'Z')) * 1000;
    expect(micros).toBeGreaterThanOrEqual(before - 1000);
    expect(micros).toBeLessThanOrEqual(after);
    expect(plan.schema.map((f) => typeToString(f.type))).toEqual([
      'TIMESTAMP WITH TIME ZONE',
      'TIMESTAMP WITH TIME ZONE',
      'DATE',
    ]);
  });
});

describe('bindSql: random()', () => {
  it('is DOUBLE, marks the statement volatile, and no two calls are one expression', () => {
    const bound = bindSql('SELECT random() AS a, random() + random() AS b FROM tpch.nation', tpchCatalog);
    expect(bound.volatile).toBe(true);
    expect(bound.kind).toBe('query');
    const printed = printPlan((bound as BoundStatement & { kind: 'query' }).plan);
    expect(printed).toContain('random(1) AS a');
    expect(printed).toContain('(random(2) + random(3)) AS b');
    expect(schema('SELECT random() AS r FROM nation')).toEqual(['r: DOUBLE']);
  });
});
