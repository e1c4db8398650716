import type { TypeAllowance } from '@tributary/common/testing';

/**
 * Queries run on Tributary and on DuckDB and compared. `{s}` stands for the source (schema)
 * name. Queries with ORDER BY order totally (or name their sort columns in `orderKeys`, so
 * ties may come in any order); the others are compared as multisets.
 */
export interface SqlCase {
  name: string;
  sql: string;
  /** Output columns the ORDER BY sorts on, when it is not total. */
  orderKeys?: number[];
  /** Also run on SF 0.1 Parquet, whose several row groups per table spread splits over executors. */
  scaleOut?: boolean;
  /**
   * Known type gaps of Tributary accepted for this case only, each with a comment saying
   * why and who fixes it; the values are still compared.
   */
  typeAllowances?: TypeAllowance[];
}

export function hasOrderBy(sql: string): boolean {
  return /\border\s+by\b/i.test(sql);
}

export function forSource(sql: string, source: string): string {
  return sql.replace(/\{s\}/g, source);
}

/** TPC-H Q1, with `date '1998-12-01' - interval '90' day` written as the plain date. */
export const TPCH_Q1 = `
SELECT
  l_returnflag,
  l_linestatus,
  SUM(l_quantity) AS sum_qty,
  SUM(l_extendedprice) AS sum_base_price,
  SUM(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
  SUM(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
  AVG(l_quantity) AS avg_qty,
  AVG(l_extendedprice) AS avg_price,
  AVG(l_discount) AS avg_disc,
  COUNT(*) AS count_order
FROM {s}.lineitem
WHERE l_shipdate <= DATE '1998-09-02'
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus`;

/** TPC-H Q6, with `date '1994-01-01' + interval '1' year` written as the plain date. */
export const TPCH_Q6 = `
SELECT SUM(l_extendedprice * l_discount) AS revenue
FROM {s}.lineitem
WHERE l_shipdate >= DATE '1994-01-01'
  AND l_shipdate < DATE '1995-01-01'
  AND l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01
  AND l_quantity < 24`;

/** TPC-H Q3 with explicit joins. */
export const TPCH_Q3 = `
SELECT l_orderkey, SUM(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority
FROM {s}.customer
JOIN {s}.orders ON c_custkey = o_custkey
JOIN {s}.lineitem ON l_orderkey = o_orderkey
WHERE c_mktsegment = 'BUILDING'
  AND o_orderdate < DATE '1995-03-15'
  AND l_shipdate > DATE '1995-03-15'
GROUP BY l_orderkey, o_orderdate, o_shippriority
ORDER BY revenue DESC, o_orderdate, l_orderkey
LIMIT 10`;

/** The cases every cluster shape runs. */
export const CORE_CASES: SqlCase[] = [
  { name: 'select * ordered', sql: 'SELECT * FROM {s}.region ORDER BY r_regionkey' },
  { name: 'select * unordered', sql: 'SELECT * FROM {s}.nation' },
  {
    name: 'expressions and aliases',
    sql: `SELECT n_nationkey, n_name AS name, n_nationkey * 2 + 1 AS k2, n_regionkey - n_nationkey AS diff
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'decimal arithmetic',
    sql: `SELECT l_orderkey, l_linenumber, l_extendedprice * (1 - l_discount) AS disc_price,
                 l_quantity + l_tax AS qt, l_extendedprice / l_quantity AS unit_price
          FROM {s}.lineitem WHERE l_orderkey < 50 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'negation and literal arithmetic',
    sql: `SELECT c_custkey, -c_acctbal AS neg, c_acctbal * 2 - 1.5 AS x
          FROM {s}.customer WHERE c_acctbal < 0 ORDER BY c_custkey LIMIT 20`,
  },
  {
    name: 'where and/or/not',
    sql: `SELECT o_orderkey, o_custkey, o_orderstatus FROM {s}.orders
          WHERE (o_orderstatus = 'F' OR o_orderpriority = '1-URGENT') AND NOT o_custkey > 100
          ORDER BY o_orderkey`,
  },
  {
    name: 'comparisons',
    sql: `SELECT c_custkey, c_name, c_nationkey FROM {s}.customer
          WHERE c_custkey >= 10 AND c_custkey <= 40 AND c_nationkey <> 3 AND c_acctbal > 0 AND c_nationkey != 7
          ORDER BY c_custkey`,
  },
  {
    name: 'string comparison',
    sql: `SELECT s_suppkey, s_name FROM {s}.supplier WHERE s_name >= 'Supplier#000000090' ORDER BY s_name`,
  },
  {
    name: 'arithmetic in where',
    sql: `SELECT COUNT(*) AS n FROM {s}.lineitem WHERE l_extendedprice * l_discount > 2000 AND l_quantity - 10 < 30`,
  },
  {
    name: 'is null / is not null',
    sql: `SELECT COUNT(*) AS n,
                 SUM(CASE WHEN o_clerk IS NOT NULL THEN 1 ELSE 0 END) AS n_clerk
          FROM {s}.orders WHERE o_comment IS NULL OR o_orderkey < 100`,
  },
  {
    name: 'null values in output',
    sql: `SELECT n_nationkey, CASE WHEN n_regionkey = 1 THEN NULL ELSE n_name END AS nm
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'is null over an expression',
    sql: `SELECT COUNT(*) AS n FROM {s}.nation WHERE (CASE WHEN n_regionkey = 1 THEN NULL ELSE n_name END) IS NULL`,
  },
  {
    name: 'aggregates skip nulls',
    scaleOut: true,
    sql: `SELECT n_regionkey, COUNT(CASE WHEN n_nationkey > 10 THEN n_name END) AS c,
                 SUM(CASE WHEN n_nationkey > 10 THEN n_nationkey END) AS s,
                 AVG(CASE WHEN n_nationkey > 10 THEN n_nationkey END) AS a,
                 MIN(CASE WHEN n_nationkey > 10 THEN n_name END) AS m
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'group by a nullable key',
    sql: `SELECT CASE WHEN n_regionkey < 2 THEN n_regionkey END AS k, COUNT(*) AS n
          FROM {s}.nation GROUP BY CASE WHEN n_regionkey < 2 THEN n_regionkey END`,
  },
  {
    name: 'order by a nullable key (nulls last)',
    sql: `SELECT n_nationkey, CASE WHEN n_regionkey = 1 THEN NULL ELSE n_regionkey END AS r
          FROM {s}.nation ORDER BY r DESC, n_nationkey`,
  },
  {
    name: 'three-valued logic in where',
    sql: `SELECT COUNT(*) AS n FROM {s}.nation
          WHERE NOT (CASE WHEN n_regionkey = 1 THEN NULL ELSE n_regionkey > 2 END)`,
  },
  {
    name: 'aggregates over no rows',
    sql: `SELECT COUNT(*) AS n, SUM(r_regionkey) AS s, MIN(r_name) AS m, AVG(r_regionkey) AS a
          FROM {s}.region WHERE r_regionkey > 100`,
  },
  {
    name: 'in lists',
    sql: `SELECT p_partkey, p_size, p_brand FROM {s}.part
          WHERE p_size IN (1, 5, 49) AND p_brand IN ('Brand#12', 'Brand#45') ORDER BY p_partkey`,
  },
  {
    name: 'not in',
    sql: `SELECT COUNT(*) AS n FROM {s}.orders WHERE o_orderpriority NOT IN ('1-URGENT', '2-HIGH')`,
  },
  {
    name: 'between dates',
    sql: `SELECT COUNT(*) AS n, SUM(o_totalprice) AS total FROM {s}.orders
          WHERE o_orderdate BETWEEN DATE '1995-01-01' AND DATE '1995-12-31'`,
  },
  {
    name: 'between numbers',
    sql: `SELECT l_orderkey, l_linenumber, l_quantity FROM {s}.lineitem
          WHERE l_quantity BETWEEN 49 AND 50 AND l_orderkey BETWEEN 1000 AND 3000
          ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'like',
    sql: `SELECT p_partkey, p_name FROM {s}.part WHERE p_name LIKE '%green%' AND p_type LIKE 'PROMO%' ORDER BY p_partkey`,
  },
  {
    name: 'like with _ and not like',
    sql: `SELECT COUNT(*) AS n FROM {s}.customer WHERE c_phone LIKE '1_-%' AND c_name NOT LIKE '%9'`,
  },
  {
    name: 'searched case',
    sql: `SELECT o_orderkey,
                 CASE WHEN o_totalprice > 200000 THEN 'high' WHEN o_totalprice > 100000 THEN 'mid' ELSE 'low' END AS band
          FROM {s}.orders WHERE o_orderkey < 200 ORDER BY o_orderkey`,
  },
  {
    name: 'simple case in group by',
    sql: `SELECT CASE o_orderstatus WHEN 'F' THEN 'final' WHEN 'O' THEN 'open' ELSE 'partial' END AS st, COUNT(*) AS n
          FROM {s}.orders
          GROUP BY CASE o_orderstatus WHEN 'F' THEN 'final' WHEN 'O' THEN 'open' ELSE 'partial' END`,
  },
  {
    name: 'casts',
    sql: `SELECT l_orderkey, l_linenumber, CAST(l_quantity AS INTEGER) AS q, CAST(l_orderkey AS VARCHAR) AS k,
                 CAST(l_extendedprice AS DOUBLE) AS p, CAST(l_shipdate AS VARCHAR) AS d
          FROM {s}.lineitem WHERE l_orderkey <= 10 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'casts in where',
    sql: `SELECT COUNT(*) AS n FROM {s}.lineitem
          WHERE l_shipdate < CAST('1993-01-01' AS DATE) AND CAST(l_linenumber AS DOUBLE) > 3.5`,
  },
  {
    name: 'cast to timestamp',
    sql: `SELECT o_orderkey, CAST(o_orderdate AS TIMESTAMP) AS ts FROM {s}.orders WHERE o_orderkey < 40 ORDER BY o_orderkey`,
  },
  {
    name: 'boolean expressions in select',
    sql: `SELECT l_orderkey, l_linenumber, l_quantity > 30 AS big, l_returnflag = 'R' OR l_linestatus = 'F' AS flag
          FROM {s}.lineitem WHERE l_orderkey < 10 ORDER BY l_orderkey, l_linenumber`,
  },
  { name: 'count(*)', scaleOut: true, sql: 'SELECT COUNT(*) AS n FROM {s}.lineitem' },
  {
    name: 'aggregates without group by',
    scaleOut: true,
    sql: `SELECT MIN(o_orderdate) AS lo, MAX(o_orderdate) AS hi, MIN(o_totalprice) AS pmin, MAX(o_totalprice) AS pmax,
                 AVG(o_totalprice) AS pavg, SUM(o_shippriority) AS sp, COUNT(o_comment) AS nc
          FROM {s}.orders`,
  },
  {
    name: 'group by with every aggregate',
    scaleOut: true,
    sql: `SELECT l_returnflag, COUNT(*) AS n, COUNT(l_comment) AS nc, SUM(l_quantity) AS sq, AVG(l_discount) AS ad,
                 MIN(l_shipdate) AS first_ship, MAX(l_extendedprice) AS maxp, MIN(l_shipmode) AS mode
          FROM {s}.lineitem GROUP BY l_returnflag ORDER BY l_returnflag`,
  },
  {
    name: 'group by two keys',
    scaleOut: true,
    sql: `SELECT l_shipmode, l_linestatus, COUNT(*) AS n, SUM(l_extendedprice) AS total
          FROM {s}.lineitem GROUP BY l_shipmode, l_linestatus`,
  },
  {
    name: 'group by a boolean expression',
    sql: `SELECT l_quantity > 25 AS big, COUNT(*) AS n FROM {s}.lineitem GROUP BY l_quantity > 25`,
  },
  {
    name: 'count distinct',
    scaleOut: true,
    sql: 'SELECT COUNT(DISTINCT o_custkey) AS customers FROM {s}.orders',
  },
  { name: 'select distinct', scaleOut: true, sql: 'SELECT DISTINCT l_shipmode FROM {s}.lineitem' },
  {
    name: 'having',
    scaleOut: true,
    sql: `SELECT o_custkey, COUNT(*) AS n, SUM(o_totalprice) AS spent FROM {s}.orders
          GROUP BY o_custkey HAVING COUNT(*) > 25 ORDER BY o_custkey`,
  },
  {
    name: 'having on an aggregate not selected',
    sql: `SELECT c_nationkey, MIN(c_acctbal) AS lo, MAX(c_acctbal) AS hi FROM {s}.customer
          GROUP BY c_nationkey HAVING AVG(c_acctbal) > 4500 ORDER BY c_nationkey`,
  },
  {
    name: 'order by several keys asc/desc',
    sql: `SELECT o_orderpriority, o_orderdate, o_orderkey FROM {s}.orders WHERE o_custkey < 20
          ORDER BY o_orderpriority ASC, o_orderdate DESC, o_orderkey`,
  },
  {
    name: 'order by alias desc',
    sql: `SELECT ps_partkey, ps_suppkey, ps_availqty * ps_supplycost AS stock_value FROM {s}.partsupp
          WHERE ps_partkey < 30 ORDER BY stock_value DESC, ps_partkey, ps_suppkey`,
  },
  {
    name: 'order by with ties',
    sql: `SELECT o_orderstatus, o_orderkey FROM {s}.orders WHERE o_orderkey < 300 ORDER BY o_orderstatus`,
    orderKeys: [0],
  },
  {
    name: 'top-n',
    scaleOut: true,
    sql: 'SELECT o_orderkey, o_totalprice FROM {s}.orders ORDER BY o_totalprice DESC, o_orderkey LIMIT 10',
  },
  {
    name: 'limit offset',
    scaleOut: true,
    sql: 'SELECT c_custkey, c_name FROM {s}.customer ORDER BY c_custkey LIMIT 5 OFFSET 100',
  },
  {
    name: 'join two tables',
    sql: `SELECT n.n_name, r.r_name FROM {s}.nation n JOIN {s}.region r ON n.n_regionkey = r.r_regionkey ORDER BY n.n_name`,
  },
  {
    name: 'comma join with where equality',
    sql: `SELECT n_name, r_name FROM {s}.nation, {s}.region WHERE n_regionkey = r_regionkey AND r_name <> 'ASIA'`,
  },
  {
    name: 'three-way join with group by',
    sql: `SELECT n_name, COUNT(*) AS customers, SUM(c_acctbal) AS balance
          FROM {s}.customer JOIN {s}.nation ON c_nationkey = n_nationkey JOIN {s}.region ON n_regionkey = r_regionkey
          WHERE r_name = 'ASIA' GROUP BY n_name ORDER BY n_name`,
  },
  {
    name: 'join orders lineitem top revenue',
    sql: `SELECT o.o_orderkey, o.o_orderdate, SUM(l.l_extendedprice * (1 - l.l_discount)) AS revenue
          FROM {s}.orders o JOIN {s}.lineitem l ON l.l_orderkey = o.o_orderkey
          WHERE o.o_orderdate < DATE '1992-02-01'
          GROUP BY o.o_orderkey, o.o_orderdate ORDER BY revenue DESC, o.o_orderkey LIMIT 20`,
  },
  {
    name: 'join on two keys',
    scaleOut: true,
    sql: `SELECT COUNT(*) AS n, SUM(ps_supplycost * l_quantity) AS cost
          FROM {s}.lineitem JOIN {s}.partsupp ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey
          WHERE l_shipmode = 'AIR'`,
  },
  {
    name: 'tpch q5 six-way join',
    sql: `SELECT n_name, SUM(l_extendedprice * (1 - l_discount)) AS revenue
          FROM {s}.customer
          JOIN {s}.orders ON c_custkey = o_custkey
          JOIN {s}.lineitem ON l_orderkey = o_orderkey
          JOIN {s}.supplier ON l_suppkey = s_suppkey AND c_nationkey = s_nationkey
          JOIN {s}.nation ON s_nationkey = n_nationkey
          JOIN {s}.region ON n_regionkey = r_regionkey
          WHERE r_name = 'ASIA' AND o_orderdate >= DATE '1994-01-01' AND o_orderdate < DATE '1995-01-01'
          GROUP BY n_name ORDER BY revenue DESC, n_name`,
  },
  {
    name: 'tpch q12 case in sum',
    sql: `SELECT l_shipmode,
                 SUM(CASE WHEN o_orderpriority = '1-URGENT' OR o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END) AS high_line_count,
                 SUM(CASE WHEN o_orderpriority <> '1-URGENT' AND o_orderpriority <> '2-HIGH' THEN 1 ELSE 0 END) AS low_line_count
          FROM {s}.orders JOIN {s}.lineitem ON o_orderkey = l_orderkey
          WHERE l_shipmode IN ('MAIL', 'SHIP') AND l_commitdate < l_receiptdate AND l_shipdate < l_commitdate
            AND l_receiptdate >= DATE '1994-01-01' AND l_receiptdate < DATE '1995-01-01'
          GROUP BY l_shipmode ORDER BY l_shipmode`,
  },
  {
    name: 'date minus date is end minus start',
    sql: `SELECT l_orderkey, l_linenumber, l_receiptdate - l_shipdate AS days, DATE_DIFF('day', l_commitdate, l_shipdate) AS late
          FROM {s}.lineitem WHERE l_receiptdate - l_shipdate > 25 ORDER BY l_orderkey, l_linenumber LIMIT 20`,
  },
  {
    name: 'not in subquery, with nulls on either side',
    sql: `SELECT a.n AS plain, b.n AS null_in_list, c.n AS empty_list
          FROM (SELECT COUNT(*) AS n FROM {s}.customer WHERE c_custkey NOT IN (SELECT o_custkey FROM {s}.orders)) a,
               (SELECT COUNT(*) AS n FROM {s}.nation
                WHERE n_nationkey NOT IN (SELECT CASE WHEN s_suppkey = 3 THEN NULL ELSE s_nationkey END FROM {s}.supplier)) b,
               (SELECT COUNT(*) AS n FROM {s}.nation
                WHERE n_nationkey NOT IN (SELECT s_nationkey FROM {s}.supplier WHERE s_suppkey < 0)) c`,
  },
  {
    name: 'in and not in subqueries over a three-way join test one relation each',
    sql: `SELECT c_name, o_orderkey, SUM(l_quantity) AS qty
          FROM {s}.customer, {s}.orders, {s}.lineitem
          WHERE c_custkey = o_custkey AND o_orderkey = l_orderkey
            AND o_orderkey IN (SELECT l_orderkey FROM {s}.lineitem GROUP BY l_orderkey HAVING SUM(l_quantity) > 250)
            AND c_nationkey NOT IN (SELECT n_nationkey FROM {s}.nation WHERE n_regionkey = 1)
            AND l_suppkey IN (SELECT s_suppkey FROM {s}.supplier WHERE s_acctbal > 0)
          GROUP BY c_name, o_orderkey ORDER BY qty DESC, o_orderkey LIMIT 20`,
  },
  {
    name: 'exists and not exists over outer joins keep null-extended rows',
    sql: `SELECT n_name, s_suppkey
          FROM {s}.nation LEFT JOIN {s}.supplier ON s_nationkey = n_nationkey AND s_acctbal > 5000
          WHERE EXISTS (SELECT 1 FROM {s}.region WHERE r_regionkey = n_regionkey AND r_name <> 'ASIA')
            AND NOT EXISTS (SELECT 1 FROM {s}.partsupp WHERE ps_suppkey = s_suppkey AND ps_availqty < 100)
          ORDER BY n_name, s_suppkey NULLS FIRST`,
  },
  {
    name: 'like with escape',
    sql: `SELECT COUNT(*) AS n FROM {s}.part WHERE p_comment LIKE '%!_%' ESCAPE '!' OR p_name LIKE 'bl%' ESCAPE '#'`,
  },
  {
    name: 'having on select aliases',
    sql: `SELECT SUBSTRING(c_phone, 1, 2) AS cc, COUNT(*) AS n, AVG(c_acctbal) AS a FROM {s}.customer
          GROUP BY cc HAVING n > 55 AND a > 4400 ORDER BY n DESC, cc`,
  },
  {
    name: 'aggregate filter clauses and distinct sums',
    scaleOut: true,
    sql: `SELECT l_returnflag, COUNT(*) FILTER (WHERE l_shipmode = 'AIR') AS air,
                 SUM(l_quantity) FILTER (WHERE l_discount > 0.05) AS qd,
                 SUM(DISTINCT l_linenumber) AS sdl, AVG(DISTINCT l_tax) AS adt
          FROM {s}.lineitem GROUP BY l_returnflag ORDER BY l_returnflag`,
  },
  {
    name: 'mod, left, log10, dayofweek and multi-part intervals',
    sql: `SELECT o_orderkey, MOD(o_custkey, 7) AS m, LEFT(o_clerk, 5) AS c, LOG10(o_totalprice) AS lg,
                 DAYOFWEEK(o_orderdate) AS dw, o_orderdate + INTERVAL '1 year 2 months' AS later
          FROM {s}.orders ORDER BY o_orderkey LIMIT 10`,
  },
  {
    name: 'concat skips nulls, || does not',
    sql: `SELECT n_nationkey, CONCAT(n_name, CASE WHEN n_nationkey > 2 THEN NULL ELSE '-x' END, n_regionkey) AS c,
                 n_name || CASE WHEN n_nationkey > 2 THEN NULL ELSE '-x' END AS p, CONCAT('a', NULL, 'b') AS lit
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'trim and substring keyword forms',
    sql: `SELECT n_nationkey, TRIM(BOTH 'A' FROM n_name) AS a, TRIM(LEADING 'A' FROM n_name) AS b,
                 TRIM(TRAILING 'A' FROM n_name) AS c, SUBSTRING(n_name FROM 2 FOR 3) AS d, SUBSTRING(n_name FROM 3) AS e
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'derived table with column aliases',
    sql: `SELECT t.a + t.b AS s, t.a FROM (SELECT n_nationkey, n_regionkey FROM {s}.nation) AS t(a, b) ORDER BY s, t.a LIMIT 8`,
  },
  {
    name: 'like with a concatenated pattern',
    sql: `SELECT COUNT(*) AS n FROM {s}.part p JOIN {s}.supplier s ON p.p_partkey = s.s_suppkey
          WHERE p.p_comment LIKE '%' || SUBSTRING(s.s_name, 17, 1) || '%'`,
  },
  {
    name: 'greatest, least, trunc, ifnull and last_day',
    sql: `SELECT n_nationkey, GREATEST(n_nationkey, n_regionkey * 5) AS g, LEAST(n_nationkey, 10, n_regionkey * 5) AS l,
                 GREATEST(CASE WHEN n_nationkey > 5 THEN n_nationkey END, 3) AS gn, LEAST(n_name, 'C') AS ls,
                 IFNULL(NULLIF(n_regionkey, 0), -1) AS i, TRUNC(n_nationkey * -0.7) AS t,
                 LAST_DAY(DATE '2024-01-31' + INTERVAL '1' MONTH) AS ld
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'weekly buckets',
    sql: `SELECT DATE_TRUNC('week', o_orderdate) AS w, COUNT(*) AS n, SUM(o_totalprice) AS total
          FROM {s}.orders WHERE o_orderdate < DATE '1992-04-01' GROUP BY 1 ORDER BY 1`,
  },
  { name: 'tpch q1', scaleOut: true, sql: TPCH_Q1 },
  { name: 'tpch q3', scaleOut: true, sql: TPCH_Q3 },
  { name: 'tpch q6', scaleOut: true, sql: TPCH_Q6 },
  {
    name: 'full join using merges the key of unmatched rows',
    sql: `SELECT n_regionkey, n_name, r_name
          FROM (SELECT n_regionkey, n_name FROM {s}.nation WHERE n_regionkey < 2) n
          FULL JOIN (SELECT r_regionkey AS n_regionkey, r_name FROM {s}.region WHERE r_regionkey > 0) r
          USING (n_regionkey)
          ORDER BY n_regionkey, n_name`,
  },
  {
    name: 'right join using',
    sql: `SELECT n_regionkey, count(n_name) AS nations
          FROM (SELECT n_regionkey, n_name FROM {s}.nation WHERE n_regionkey = 1) n
          RIGHT JOIN (SELECT r_regionkey AS n_regionkey FROM {s}.region) r USING (n_regionkey)
          GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    // TPC-H Q19's shape: the join key sits in each branch of an OR (once written the other way round).
    name: 'join key inside every branch of an or',
    scaleOut: true,
    sql: `SELECT p_brand, COUNT(*) AS n, SUM(l_quantity) AS q, SUM(l_extendedprice * (1 - l_discount)) AS revenue
          FROM {s}.lineitem, {s}.part
          WHERE (p_partkey = l_partkey AND p_brand = 'Brand#12' AND l_quantity < 5)
             OR (l_partkey = p_partkey AND p_size > 48 AND l_shipmode = 'AIR' AND l_quantity > 45)
             OR (p_partkey = l_partkey AND p_container = 'SM BOX' AND l_shipinstruct = 'DELIVER IN PERSON' AND l_quantity >= 49)
          GROUP BY p_brand ORDER BY p_brand`,
  },
  {
    name: 'six-way join in a bad from order',
    scaleOut: true,
    sql: `SELECT n_name, EXTRACT(YEAR FROM o_orderdate) AS y, COUNT(*) AS n, SUM(ps_supplycost * l_quantity) AS cost
          FROM {s}.part, {s}.supplier, {s}.lineitem, {s}.partsupp, {s}.orders, {s}.nation
          WHERE s_suppkey = l_suppkey AND ps_suppkey = l_suppkey AND ps_partkey = l_partkey
            AND p_partkey = l_partkey AND o_orderkey = l_orderkey AND s_nationkey = n_nationkey
            AND p_name LIKE '%green%' AND n_regionkey = 1
          GROUP BY n_name, y ORDER BY n_name, y`,
  },
  {
    name: 'count over a limited subquery',
    sql: 'SELECT COUNT(*) AS n FROM (SELECT l_orderkey FROM {s}.lineitem LIMIT 100) t',
  },
];

/**
 * Joins of every kind (inner, left, right, full, non-equi, self, comma, eight tables),
 * CASE, IN lists, BETWEEN, LIKE, DISTINCT and ORDER BY with NULLS FIRST/LAST. Part of the
 * general corpus; sql-vs-duckdb.test.ts runs them on two of its cluster shapes only.
 */
export const JOIN_AND_PREDICATE_CASES: SqlCase[] = [
  {
    name: 'inner join with an extra ON condition',
    sql: `SELECT n.n_name, r.r_name FROM {s}.nation n JOIN {s}.region r ON n.n_regionkey = r.r_regionkey AND r.r_name <> 'ASIA'
          ORDER BY n.n_name`,
  },
  {
    name: 'left join keeps unmatched rows as nulls',
    sql: `SELECT r.r_name, n.n_name FROM {s}.region r LEFT JOIN {s}.nation n ON n.n_regionkey = r.r_regionkey AND n.n_nationkey < 5
          ORDER BY r.r_name, n.n_name NULLS FIRST`,
  },
  {
    name: 'right join keeps the right side',
    sql: `SELECT n.n_name, s.s_name FROM {s}.supplier s RIGHT JOIN {s}.nation n ON s.s_nationkey = n.n_nationkey AND s.s_suppkey < 20
          ORDER BY n.n_name, s.s_name NULLS LAST`,
  },
  {
    name: 'full outer join with unmatched rows on both sides',
    sql: `SELECT n.n_nationkey, n.n_name, r.r_regionkey, r.r_name
          FROM (SELECT * FROM {s}.nation WHERE n_nationkey < 8) n
          FULL OUTER JOIN (SELECT * FROM {s}.region WHERE r_regionkey > 1) r ON n.n_regionkey = r.r_regionkey
          ORDER BY n.n_nationkey NULLS FIRST, r.r_regionkey NULLS FIRST`,
  },
  {
    name: 'full join counted per side',
    sql: `SELECT COUNT(*) AS n, COUNT(c.c_custkey) AS customers, COUNT(o.o_orderkey) AS orders
          FROM (SELECT * FROM {s}.customer WHERE c_custkey <= 100) c
          FULL JOIN (SELECT * FROM {s}.orders WHERE o_orderkey <= 400) o ON o.o_custkey = c.c_custkey`,
  },
  {
    name: 'full join of two aggregates with coalesced keys',
    sql: `SELECT COALESCE(a.k, b.k) AS k, a.c AS nations, b.c AS regions
          FROM (SELECT n_regionkey AS k, COUNT(*) AS c FROM {s}.nation WHERE n_nationkey < 10 GROUP BY n_regionkey) a
          FULL JOIN (SELECT r_regionkey AS k, COUNT(*) AS c FROM {s}.region WHERE r_regionkey >= 2 GROUP BY r_regionkey) b
          ON a.k = b.k ORDER BY k`,
  },
  {
    name: 'left join is null finds rows without a match',
    sql: `SELECT COUNT(*) AS customers_without_orders FROM {s}.customer c LEFT JOIN {s}.orders o ON o.o_custkey = c.c_custkey
          WHERE o.o_orderkey IS NULL`,
  },
  {
    name: 'left join filtered on the right side in where',
    sql: `SELECT c.c_custkey, o.o_orderkey FROM {s}.customer c LEFT JOIN {s}.orders o ON o.o_custkey = c.c_custkey
          WHERE o.o_orderstatus = 'P' AND c.c_custkey < 200 ORDER BY c.c_custkey, o.o_orderkey`,
  },
  {
    name: 'left joins chained, counting the far side',
    sql: `SELECT r.r_name, COUNT(n.n_nationkey) AS nations, COUNT(s.s_suppkey) AS suppliers
          FROM {s}.region r LEFT JOIN {s}.nation n ON n.n_regionkey = r.r_regionkey AND n.n_name < 'K'
          LEFT JOIN {s}.supplier s ON s.s_nationkey = n.n_nationkey
          GROUP BY r.r_name ORDER BY r.r_name`,
  },
  {
    name: 'left join with a condition on the left side only',
    sql: `SELECT n.n_nationkey, r.r_name FROM {s}.nation n LEFT JOIN {s}.region r
          ON n.n_regionkey = r.r_regionkey AND n.n_nationkey > 20 ORDER BY n.n_nationkey`,
  },
  {
    name: 'mixed left and inner joins',
    sql: `SELECT n.n_name, COUNT(*) AS customers, COUNT(o.o_orderkey) AS finished_orders
          FROM {s}.customer c LEFT JOIN {s}.orders o ON o.o_custkey = c.c_custkey AND o.o_orderstatus = 'F'
          JOIN {s}.nation n ON c.c_nationkey = n.n_nationkey
          WHERE c.c_custkey <= 300 GROUP BY n.n_name ORDER BY n.n_name`,
  },
  {
    name: 'ON conditions over the matched side only: left, right, full and anti joins (Q13 shape)',
    sql: `SELECT 'left' AS kind, COUNT(*) AS pairs, COUNT(o.o_orderkey) AS matched
          FROM {s}.customer c LEFT JOIN {s}.orders o
            ON o.o_custkey = c.c_custkey AND o.o_comment NOT LIKE '%special%requests%' AND c.c_acctbal > 0
          UNION ALL
          SELECT 'right', COUNT(*), COUNT(c.c_custkey) FROM {s}.customer c RIGHT JOIN {s}.orders o
            ON o.o_custkey = c.c_custkey AND c.c_mktsegment = 'BUILDING' AND o.o_totalprice > 100000
          UNION ALL
          SELECT 'full', COUNT(*), COUNT(c.c_custkey) FROM {s}.customer c FULL JOIN {s}.orders o
            ON o.o_custkey = c.c_custkey AND c.c_mktsegment = 'BUILDING' AND o.o_totalprice > 100000
          UNION ALL
          SELECT 'anti', COUNT(*), COUNT(c.c_custkey) FROM {s}.customer c ANTI JOIN {s}.orders o
            ON o.o_custkey = c.c_custkey AND o.o_orderstatus = 'F'
          ORDER BY kind`,
  },
  {
    name: 'correlated average for a few parts (TPC-H Q17 shape: the aggregation reduced by the outer keys)',
    sql: `SELECT p_partkey, COUNT(*) AS small_lines, SUM(l_extendedprice) AS revenue
          FROM {s}.lineitem JOIN {s}.part ON p_partkey = l_partkey
          WHERE p_brand = 'Brand#23'
            AND l_quantity < (SELECT 0.5 * avg(l_quantity) FROM {s}.lineitem WHERE l_partkey = p_partkey)
          GROUP BY p_partkey ORDER BY p_partkey`,
  },
  {
    name: 'EXISTS and NOT EXISTS of one quarter of orders against the line items (TPC-H Q4 shape)',
    sql: `SELECT o_orderpriority, COUNT(*) AS orders, SUM(o_totalprice) AS total
          FROM {s}.orders
          WHERE o_orderdate >= DATE '1993-07-01' AND o_orderdate < DATE '1993-10-01'
            AND (o_totalprice > 250000
              OR EXISTS (SELECT 1 FROM {s}.lineitem WHERE l_orderkey = o_orderkey AND l_commitdate < l_receiptdate))
            AND NOT EXISTS (SELECT 1 FROM {s}.lineitem WHERE l_orderkey = o_orderkey AND l_returnflag = 'R')
          GROUP BY o_orderpriority ORDER BY o_orderpriority`,
  },
  {
    name: 'right join of an aggregate',
    sql: `SELECT n.n_name, t.orders FROM
          (SELECT c_nationkey, COUNT(*) AS orders FROM {s}.customer JOIN {s}.orders ON o_custkey = c_custkey
           WHERE o_orderdate < DATE '1992-03-01' GROUP BY c_nationkey) t
          RIGHT JOIN {s}.nation n ON t.c_nationkey = n.n_nationkey ORDER BY n.n_name`,
  },
  {
    name: 'non-equi band join',
    sql: `SELECT s1.s_suppkey AS a, s2.s_suppkey AS b FROM {s}.supplier s1 JOIN {s}.supplier s2
          ON s1.s_suppkey < s2.s_suppkey AND s2.s_suppkey <= s1.s_suppkey + 2
          WHERE s1.s_suppkey <= 10 ORDER BY a, b`,
  },
  {
    name: 'non-equi join on inequality',
    sql: `SELECT n.n_name, r.r_name FROM {s}.nation n JOIN {s}.region r ON n.n_regionkey <> r.r_regionkey
          WHERE n.n_nationkey < 3 ORDER BY n.n_name, r.r_name`,
  },
  {
    name: 'join on an or of conditions',
    sql: `SELECT n.n_nationkey, r.r_regionkey FROM {s}.nation n JOIN {s}.region r
          ON n.n_regionkey = r.r_regionkey OR n.n_nationkey = r.r_regionkey ORDER BY 1, 2`,
  },
  {
    name: 'left non-equi join',
    sql: `SELECT r.r_regionkey, COUNT(n.n_nationkey) AS bigger FROM {s}.region r LEFT JOIN {s}.nation n
          ON n.n_nationkey < r.r_regionkey * 3 GROUP BY r.r_regionkey ORDER BY r.r_regionkey`,
  },
  {
    name: 'self join of nations in one region',
    sql: `SELECT a.n_name AS first, b.n_name AS second FROM {s}.nation a JOIN {s}.nation b
          ON a.n_regionkey = b.n_regionkey AND a.n_nationkey < b.n_nationkey ORDER BY first, second`,
  },
  {
    name: 'self left join on the next key',
    sql: `SELECT a.n_nationkey, b.n_name AS next_name FROM {s}.nation a LEFT JOIN {s}.nation b
          ON b.n_nationkey = a.n_nationkey + 1 ORDER BY a.n_nationkey`,
  },
  {
    name: 'self join of orders of one customer',
    sql: `SELECT o1.o_custkey, COUNT(*) AS pairs FROM {s}.orders o1 JOIN {s}.orders o2
          ON o1.o_custkey = o2.o_custkey AND o1.o_orderkey < o2.o_orderkey
          WHERE o1.o_custkey < 40 GROUP BY o1.o_custkey ORDER BY o1.o_custkey`,
  },
  {
    name: 'comma join of three tables',
    sql: `SELECT r.r_name, n.n_name, s.s_name FROM {s}.region r, {s}.nation n, {s}.supplier s
          WHERE r.r_regionkey = n.n_regionkey AND n.n_nationkey = s.s_nationkey AND s.s_suppkey < 15
          ORDER BY s.s_name`,
  },
  {
    name: 'cross join with a filter',
    sql: `SELECT r1.r_regionkey AS a, r2.r_regionkey AS b FROM {s}.region r1 CROSS JOIN {s}.region r2
          WHERE r1.r_regionkey + r2.r_regionkey = 4 ORDER BY a, b`,
  },
  {
    name: 'eight-table join',
    scaleOut: true,
    sql: `SELECT r.r_name, COUNT(*) AS lines, SUM(l.l_extendedprice) AS total, MIN(n2.n_name) AS first_supplier_nation
          FROM {s}.lineitem l
          JOIN {s}.orders o ON l.l_orderkey = o.o_orderkey
          JOIN {s}.customer c ON o.o_custkey = c.c_custkey
          JOIN {s}.nation n1 ON c.c_nationkey = n1.n_nationkey
          JOIN {s}.region r ON n1.n_regionkey = r.r_regionkey
          JOIN {s}.part p ON l.l_partkey = p.p_partkey
          JOIN {s}.supplier s ON l.l_suppkey = s.s_suppkey
          JOIN {s}.nation n2 ON s.s_nationkey = n2.n_nationkey
          WHERE p.p_size < 10 AND o.o_orderdate < DATE '1995-01-01'
          GROUP BY r.r_name ORDER BY r.r_name`,
  },
  {
    name: 'eight-table comma join with partsupp',
    sql: `SELECT n2.n_name AS supplier_nation, COUNT(*) AS lines, SUM(ps.ps_supplycost * l.l_quantity) AS cost
          FROM {s}.lineitem l, {s}.orders o, {s}.customer c, {s}.nation n1, {s}.part p, {s}.partsupp ps,
               {s}.supplier s, {s}.nation n2
          WHERE l.l_orderkey = o.o_orderkey AND o.o_custkey = c.c_custkey AND c.c_nationkey = n1.n_nationkey
            AND l.l_partkey = p.p_partkey AND ps.ps_partkey = l.l_partkey AND ps.ps_suppkey = l.l_suppkey
            AND l.l_suppkey = s.s_suppkey AND s.s_nationkey = n2.n_nationkey
            AND n1.n_name = 'GERMANY' AND p.p_type LIKE '%BRASS'
          GROUP BY n2.n_name ORDER BY n2.n_name`,
  },
  {
    name: 'join inside a derived table, then aggregated',
    sql: `SELECT seg, COUNT(*) AS orders FROM
          (SELECT c.c_mktsegment AS seg, o.o_orderkey FROM {s}.customer c JOIN {s}.orders o ON o.o_custkey = c.c_custkey
           WHERE o.o_orderpriority = '1-URGENT') t
          GROUP BY seg ORDER BY seg`,
  },
  {
    name: 'case with several whens and no else',
    sql: `SELECT o_orderkey, CASE WHEN o_totalprice > 200000 THEN 'high' WHEN o_totalprice > 100000 THEN 'mid' END AS band
          FROM {s}.orders WHERE o_orderkey < 100 ORDER BY o_orderkey`,
  },
  {
    name: 'simple case over a string',
    sql: `SELECT o_orderstatus, CASE o_orderstatus WHEN 'F' THEN 1 WHEN 'O' THEN 2 ELSE 3 END AS code, COUNT(*) AS n
          FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus`,
  },
  {
    name: 'case in where',
    sql: `SELECT n_nationkey FROM {s}.nation
          WHERE CASE WHEN n_regionkey = 1 THEN n_nationkey > 10 ELSE n_nationkey < 5 END ORDER BY n_nationkey`,
  },
  {
    name: 'case in order by',
    sql: `SELECT r_name FROM {s}.region ORDER BY CASE WHEN r_name = 'ASIA' THEN 0 ELSE 1 END, r_name`,
  },
  {
    name: 'nested case with nullif and coalesce',
    sql: `SELECT n_nationkey,
                 CASE WHEN n_regionkey = 0 THEN NULL ELSE CASE WHEN n_nationkey > 12 THEN 'late' ELSE 'early' END END AS c,
                 COALESCE(NULLIF(n_regionkey, 0), 100) AS r
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'case over decimals in an aggregate',
    sql: `SELECT l_returnflag, SUM(CASE WHEN l_quantity > 30 THEN l_extendedprice ELSE 0 END) AS big,
                 COUNT(CASE WHEN l_discount = 0 THEN 1 END) AS undiscounted
          FROM {s}.lineitem GROUP BY l_returnflag ORDER BY l_returnflag`,
  },
  {
    name: 'in list as a boolean column',
    sql: `SELECT n_name, n_name IN ('FRANCE', 'GERMANY', 'ROMANIA') AS listed FROM {s}.nation ORDER BY n_name`,
  },
  {
    name: 'in list holding a null',
    sql: `SELECT COUNT(*) AS n FROM {s}.nation WHERE n_nationkey IN (1, 2, NULL, 24)`,
  },
  {
    name: 'not in list holding a null selects nothing',
    sql: `SELECT COUNT(*) AS n FROM {s}.nation WHERE n_nationkey NOT IN (1, NULL)`,
  },
  {
    name: 'in list of dates',
    sql: `SELECT o_orderkey, o_orderdate FROM {s}.orders WHERE o_orderdate IN (DATE '1996-01-02', DATE '1995-10-14', DATE '1992-01-01')
          ORDER BY o_orderkey`,
  },
  {
    name: 'in list of decimals',
    sql: `SELECT l_discount, COUNT(*) AS n FROM {s}.lineitem WHERE l_discount IN (0.01, 0.05, 0.10) GROUP BY l_discount ORDER BY l_discount`,
  },
  {
    name: 'in list over an expression',
    sql: `SELECT n_name FROM {s}.nation WHERE n_nationkey + n_regionkey IN (5, 10, 15) ORDER BY n_name`,
  },
  {
    name: 'not between',
    sql: `SELECT COUNT(*) AS n FROM {s}.customer WHERE c_acctbal NOT BETWEEN 0 AND 5000`,
  },
  {
    name: 'between strings',
    sql: `SELECT n_name FROM {s}.nation WHERE n_name BETWEEN 'C' AND 'J' ORDER BY n_name`,
  },
  {
    name: 'between with bounds reversed selects nothing',
    sql: `SELECT COUNT(*) AS n FROM {s}.nation WHERE n_nationkey BETWEEN 10 AND 5`,
  },
  {
    name: 'between columns',
    sql: `SELECT COUNT(*) AS n FROM {s}.lineitem WHERE l_shipdate BETWEEN l_commitdate AND l_receiptdate`,
  },
  {
    name: 'between as a boolean column',
    sql: `SELECT p_partkey, p_size BETWEEN 10 AND 20 AS mid FROM {s}.part WHERE p_partkey <= 20 ORDER BY p_partkey`,
  },
  {
    name: 'like prefix and suffix',
    sql: `SELECT COUNT(*) AS n, COUNT(CASE WHEN p_type LIKE 'PROMO%' THEN 1 END) AS promo FROM {s}.part WHERE p_type LIKE '%BRASS'`,
  },
  {
    name: 'not like grouped',
    sql: `SELECT p_container, COUNT(*) AS n FROM {s}.part WHERE p_container NOT LIKE 'SM%' AND p_container LIKE '%BOX'
          GROUP BY p_container ORDER BY p_container`,
  },
  {
    name: 'like with underscores in a join',
    sql: `SELECT c.c_name, n.n_name FROM {s}.customer c JOIN {s}.nation n ON c.c_nationkey = n.n_nationkey
          WHERE c.c_name LIKE 'Customer#00000001_' ORDER BY c.c_name`,
  },
  {
    name: 'promo revenue share (q14 shape)',
    sql: `SELECT SUM(CASE WHEN p.p_type LIKE 'PROMO%' THEN l.l_extendedprice * (1 - l.l_discount) ELSE 0 END) AS promo,
                 SUM(l.l_extendedprice * (1 - l.l_discount)) AS total
          FROM {s}.lineitem l JOIN {s}.part p ON l.l_partkey = p.p_partkey
          WHERE l.l_shipdate >= DATE '1995-09-01' AND l.l_shipdate < DATE '1995-10-01'`,
  },
  {
    name: 'distinct pairs',
    sql: `SELECT DISTINCT l_returnflag, l_linestatus FROM {s}.lineitem ORDER BY l_returnflag, l_linestatus`,
  },
  {
    name: 'distinct expression',
    sql: `SELECT DISTINCT n_regionkey * 10 AS r FROM {s}.nation ORDER BY r`,
  },
  {
    name: 'distinct keeps one null',
    sql: `SELECT DISTINCT CASE WHEN n_regionkey > 2 THEN n_regionkey END AS r FROM {s}.nation ORDER BY r NULLS FIRST`,
  },
  {
    name: 'distinct over a join',
    sql: `SELECT DISTINCT r.r_name FROM {s}.region r JOIN {s}.nation n ON n.n_regionkey = r.r_regionkey
          JOIN {s}.supplier s ON s.s_nationkey = n.n_nationkey ORDER BY r.r_name`,
  },
  {
    name: 'count distinct over a join',
    sql: `SELECT n.n_name, COUNT(DISTINCT c.c_mktsegment) AS segments FROM {s}.nation n JOIN {s}.customer c
          ON c.c_nationkey = n.n_nationkey GROUP BY n.n_name ORDER BY n.n_name`,
  },
  {
    name: 'order by nulls first',
    sql: `SELECT n_nationkey, NULLIF(n_regionkey, 1) AS r FROM {s}.nation ORDER BY r ASC NULLS FIRST, n_nationkey`,
  },
  {
    name: 'order by desc nulls last',
    sql: `SELECT n_nationkey, NULLIF(n_regionkey, 1) AS r FROM {s}.nation ORDER BY r DESC NULLS LAST, n_nationkey`,
  },
  {
    name: 'order by desc with default null placement',
    sql: `SELECT n_nationkey, NULLIF(n_regionkey, 3) AS r FROM {s}.nation ORDER BY r DESC, n_nationkey DESC`,
  },
  {
    name: 'order by mixed null placements',
    sql: `SELECT n_nationkey, NULLIF(n_regionkey, 0) AS a, CASE WHEN n_nationkey % 3 = 0 THEN NULL ELSE n_name END AS b
          FROM {s}.nation ORDER BY a ASC NULLS LAST, b DESC NULLS FIRST, n_nationkey`,
  },
  {
    name: 'order by an expression not selected, with limit',
    sql: `SELECT n_name FROM {s}.nation ORDER BY n_regionkey * -1, n_name LIMIT 7`,
  },
  {
    name: 'order by position nulls first after a left join',
    sql: `SELECT r.r_name, n.n_name FROM {s}.region r LEFT JOIN {s}.nation n ON n.n_regionkey = r.r_regionkey AND n.n_nationkey < 3
          ORDER BY 2 NULLS FIRST, 1`,
  },
  {
    name: 'duckdb surface: GROUP BY ALL, * EXCLUDE and QUALIFY together',
    sql: `SELECT * EXCLUDE (o_comment, o_clerk, o_orderdate, o_orderpriority, o_shippriority)
          FROM {s}.orders WHERE o_custkey < 30
          QUALIFY row_number() OVER (PARTITION BY o_custkey ORDER BY o_totalprice DESC, o_orderkey) = 1 ORDER BY o_custkey`,
  },
  {
    name: 'duckdb surface: two-phase picks, mode and covariance by group',
    sql: `SELECT l_returnflag, l_linestatus, arg_max(l_orderkey * 10 + l_linenumber, l_orderkey * 10 + l_linenumber) AS newest,
                 min_by(l_shipmode, l_orderkey * 10 + l_linenumber) AS first_mode, mode(l_linenumber) AS m,
                 count_if(l_quantity > 25) AS big, any_value(l_returnflag) AS f, product(l_linenumber % 2 + 1) > 0 AS p,
                 covar_pop(l_quantity, l_discount) AS cov, regr_slope(l_extendedprice, l_quantity) AS slope
          FROM {s}.lineitem GROUP BY ALL ORDER BY 1, 2`,
  },
  {
    name: 'duckdb surface: nth_value and IGNORE NULLS over a shuffle',
    sql: `SELECT o_orderkey, nth_value(o_orderkey, 2) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS n2,
                 lag(CASE WHEN o_orderstatus = 'F' THEN o_orderkey END IGNORE NULLS) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS lf
          FROM {s}.orders WHERE o_custkey < 40 ORDER BY o_orderkey`,
  },
  {
    name: 'duckdb surface: SIMILAR TO, regexp_extract, strlen and strptime',
    sql: `SELECT c_custkey, regexp_extract(c_phone, '^([0-9]+)-', 1) AS cc, strlen(c_name) AS n,
                 c_mktsegment SIMILAR TO '(AUTO|BUILD).*' AS ab,
                 strptime('2020-0' || CAST(c_custkey % 9 + 1 AS VARCHAR) || '-15 07', '%Y-%m-%d %H') AS t
          FROM {s}.customer WHERE c_custkey < 30 AND c_phone SIMILAR TO '1[0-9]-.*' ORDER BY c_custkey`,
  },
];

/** The general corpus. */
export const SQL_CASES: SqlCase[] = [...CORE_CASES, ...JOIN_AND_PREDICATE_CASES];

/** Queries that read several sources at once; run once each, not per source. */
export const CROSS_SOURCE_CASES: SqlCase[] = [
  {
    name: 'csv orders × sqlite customer × parquet lineitem',
    sql: `SELECT c.c_mktsegment, COUNT(*) AS lines, SUM(l.l_extendedprice) AS total, MIN(o.o_orderdate) AS first_order
          FROM tcsv.orders o
          JOIN tsql.customer c ON o.o_custkey = c.c_custkey
          JOIN tpq.lineitem l ON l.l_orderkey = o.o_orderkey
          WHERE o.o_orderdate < DATE '1993-01-01'
          GROUP BY c.c_mktsegment ORDER BY c.c_mktsegment`,
  },
  {
    name: 'parquet nation × csv supplier',
    sql: `SELECT n.n_name, COUNT(*) AS suppliers FROM tpq.nation n JOIN tcsv.supplier s ON s.s_nationkey = n.n_nationkey
          GROUP BY n.n_name ORDER BY suppliers DESC, n.n_name`,
  },
];
