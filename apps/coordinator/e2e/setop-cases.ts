import type { SqlCase } from './sql-cases.ts';

/**
 * Set operations, grouping sets and the rest of query structure (GROUP BY and ORDER BY by
 * position, alias and expression, DISTINCT, COUNT(DISTINCT)), run on Tributary and DuckDB
 * and compared by value, column name and type. `{s}` stands for the source. NULLs come from
 * outer joins, NULLIF and CASE, so set semantics must treat them as equal.
 */
export const SETOP_CASES: SqlCase[] = [
  // UNION / UNION ALL
  {
    name: 'union removes duplicates across and within branches',
    sql: 'SELECT n_regionkey FROM {s}.nation UNION SELECT r_regionkey FROM {s}.region',
  },
  {
    name: 'union all keeps every row',
    sql: 'SELECT n_regionkey FROM {s}.nation UNION ALL SELECT r_regionkey FROM {s}.region',
  },
  {
    name: 'union all of three big branches with a filter above',
    sql: `SELECT k, src FROM (
            SELECT l_orderkey AS k, 'l' AS src FROM {s}.lineitem WHERE l_quantity > 45
            UNION ALL SELECT o_orderkey, 'o' FROM {s}.orders WHERE o_totalprice > 400000
            UNION ALL SELECT c_custkey, 'c' FROM {s}.customer WHERE c_acctbal > 9900) t
          WHERE k < 30000`,
  },
  {
    name: 'union of multi-column rows with names from the left',
    sql: `SELECT n_name AS name, n_regionkey AS region FROM {s}.nation
          UNION SELECT r_name, r_regionkey FROM {s}.region ORDER BY region, name`,
  },
  {
    name: 'union distinct keyword',
    sql: 'SELECT o_orderstatus FROM {s}.orders UNION DISTINCT SELECT l_linestatus FROM {s}.lineitem',
  },
  {
    name: 'union with NULLs from an outer join counts NULL once',
    sql: `SELECT c.c_custkey % 7 AS m, o.o_orderstatus FROM {s}.customer c
            LEFT JOIN {s}.orders o ON o.o_custkey = c.c_custkey AND o.o_totalprice > 450000
          UNION SELECT NULL, NULL
          ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
  },
  {
    name: 'union all of a global aggregate and a grouped one',
    sql: `SELECT 'all' AS k, count(*) AS n FROM {s}.orders
          UNION ALL SELECT o_orderpriority, count(*) FROM {s}.orders GROUP BY o_orderpriority
          ORDER BY k`,
  },
  {
    name: 'union all of literal rows',
    sql: "SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y' UNION ALL SELECT 1, 'x' ORDER BY a, b",
  },
  // INTERSECT / EXCEPT and their ALL forms
  {
    name: 'intersect',
    sql: `SELECT o_custkey FROM {s}.orders WHERE o_orderpriority = '1-URGENT'
          INTERSECT SELECT c_custkey FROM {s}.customer WHERE c_mktsegment = 'BUILDING'`,
  },
  {
    name: 'intersect all keeps the smaller multiplicity',
    sql: `SELECT o_custkey FROM {s}.orders WHERE o_orderpriority = '1-URGENT'
          INTERSECT ALL SELECT o_custkey FROM {s}.orders WHERE o_orderstatus = 'F'`,
  },
  {
    name: 'except',
    sql: `SELECT c_custkey FROM {s}.customer EXCEPT SELECT o_custkey FROM {s}.orders`,
  },
  {
    name: 'except all subtracts multiplicities',
    sql: `SELECT l_orderkey FROM {s}.lineitem WHERE l_orderkey < 2000
          EXCEPT ALL SELECT l_orderkey FROM {s}.lineitem WHERE l_returnflag = 'R'`,
  },
  {
    name: 'except all with NULLs from NULLIF',
    sql: `SELECT NULLIF(l_linenumber, 3) AS n FROM {s}.lineitem WHERE l_orderkey < 200
          EXCEPT ALL SELECT NULLIF(l_linenumber, 1) FROM {s}.lineitem WHERE l_orderkey < 100`,
  },
  {
    name: 'intersect treats NULLs as equal',
    sql: `SELECT CASE WHEN n_regionkey = 1 THEN NULL ELSE n_regionkey END AS r FROM {s}.nation
          INTERSECT SELECT CASE WHEN r_regionkey > 2 THEN NULL ELSE r_regionkey END FROM {s}.region`,
  },
  {
    name: 'except treats NULLs as equal',
    sql: `SELECT NULLIF(n_regionkey, 2) AS r, NULLIF(n_name, 'FRANCE') AS nm FROM {s}.nation
          EXCEPT SELECT NULLIF(n_regionkey, 2), NULL FROM {s}.nation WHERE n_nationkey > 20`,
  },
  {
    name: 'intersect all with NULL rows',
    sql: `SELECT NULLIF(l_returnflag, 'N') AS f FROM {s}.lineitem WHERE l_orderkey < 50
          INTERSECT ALL SELECT NULLIF(l_returnflag, 'A') FROM {s}.lineitem WHERE l_orderkey < 40`,
  },
  {
    name: 'intersect of multi-column rows with strings and dates',
    sql: `SELECT o_orderdate, o_orderpriority FROM {s}.orders WHERE o_custkey < 300
          INTERSECT SELECT o_orderdate, o_orderpriority FROM {s}.orders WHERE o_totalprice > 200000`,
  },
  // Chains, precedence and parentheses
  {
    name: 'intersect binds tighter than union',
    sql: `SELECT r_regionkey AS k FROM {s}.region UNION SELECT 10
          INTERSECT SELECT n_nationkey FROM {s}.nation`,
  },
  {
    name: 'intersect binds tighter than except',
    sql: `SELECT n_nationkey FROM {s}.nation EXCEPT SELECT r_regionkey FROM {s}.region
          INTERSECT SELECT 3`,
  },
  {
    name: 'parentheses override precedence',
    sql: `(SELECT r_regionkey AS k FROM {s}.region UNION SELECT 10)
          INTERSECT SELECT n_nationkey FROM {s}.nation`,
  },
  {
    name: 'union and except chain left to right',
    sql: `SELECT n_regionkey FROM {s}.nation EXCEPT SELECT 1 UNION SELECT 1 EXCEPT SELECT 2
          ORDER BY 1`,
  },
  {
    name: 'union all then union distinct removes every duplicate',
    sql: `SELECT n_regionkey FROM {s}.nation UNION ALL SELECT r_regionkey FROM {s}.region
          UNION SELECT 9 ORDER BY 1`,
  },
  {
    name: 'parenthesized right operand with its own limit',
    sql: `SELECT r_name FROM {s}.region
          UNION ALL (SELECT n_name FROM {s}.nation ORDER BY n_name LIMIT 3)
          ORDER BY r_name`,
  },
  {
    name: 'nested parentheses on both sides',
    sql: `((SELECT n_name FROM {s}.nation WHERE n_regionkey = 1) UNION (SELECT n_name FROM {s}.nation WHERE n_regionkey = 2))
          EXCEPT (SELECT n_name FROM {s}.nation WHERE n_name LIKE 'C%')`,
  },
  // ORDER BY / LIMIT / OFFSET over the whole set operation
  {
    name: 'order by name and limit apply to the whole union',
    sql: `SELECT c_name AS nm, c_acctbal AS bal FROM {s}.customer WHERE c_nationkey = 1
          UNION ALL SELECT s_name, s_acctbal FROM {s}.supplier WHERE s_nationkey = 1
          ORDER BY bal DESC, nm LIMIT 7`,
  },
  {
    name: 'order by position with offset',
    sql: `SELECT n_name FROM {s}.nation UNION SELECT r_name FROM {s}.region ORDER BY 1 DESC LIMIT 5 OFFSET 3`,
  },
  {
    name: 'order by with NULLS FIRST over a union',
    sql: `SELECT NULLIF(n_regionkey, 0) AS r FROM {s}.nation UNION SELECT NULL ORDER BY r DESC NULLS FIRST`,
  },
  // Inside derived tables, CTEs and subqueries
  {
    name: 'union in a derived table aggregated above',
    sql: `SELECT kind, count(*) AS n, sum(v) AS total FROM (
            SELECT 'o' AS kind, o_totalprice AS v FROM {s}.orders
            UNION ALL SELECT 'l', l_extendedprice FROM {s}.lineitem) u
          GROUP BY kind ORDER BY kind`,
  },
  {
    name: 'set operation in a CTE',
    sql: `WITH keys AS (SELECT o_custkey AS k FROM {s}.orders WHERE o_orderstatus = 'P'
                       INTERSECT SELECT c_custkey FROM {s}.customer WHERE c_mktsegment = 'MACHINERY')
          SELECT count(*) AS n, min(k) AS lo, max(k) AS hi FROM keys`,
  },
  {
    name: 'CTE referenced by both branches of a union',
    sql: `WITH big AS (SELECT o_orderkey, o_custkey FROM {s}.orders WHERE o_totalprice > 350000)
          SELECT o_custkey FROM big UNION SELECT o_orderkey % 100 FROM big ORDER BY 1 LIMIT 20`,
  },
  {
    name: 'IN subquery over a union',
    sql: `SELECT n_name FROM {s}.nation
          WHERE n_nationkey IN (SELECT r_regionkey FROM {s}.region UNION SELECT 20 UNION SELECT 24)
          ORDER BY n_name`,
  },
  {
    name: 'NOT IN subquery over an except',
    sql: `SELECT count(*) AS n FROM {s}.customer
          WHERE c_nationkey NOT IN (SELECT n_nationkey FROM {s}.nation EXCEPT SELECT 5)`,
  },
  {
    name: 'cross join with an aggregate over a union of literals',
    sql: `SELECT r_name, m FROM {s}.region, (SELECT max(x) AS m FROM (SELECT 3 AS x UNION SELECT 7) t) ORDER BY r_name`,
  },
  {
    name: 'join of two derived set operations',
    sql: `SELECT a.k, b.k AS k2 FROM
            (SELECT n_regionkey AS k FROM {s}.nation UNION SELECT 7) a
            LEFT JOIN (SELECT r_regionkey AS k FROM {s}.region EXCEPT SELECT 0) b ON a.k = b.k
          ORDER BY a.k`,
  },
  // Type unification
  {
    name: 'INTEGER union BIGINT widens to BIGINT',
    sql: `SELECT l_linenumber AS v FROM {s}.lineitem WHERE l_orderkey = 1
          UNION SELECT CAST(l_orderkey AS BIGINT) * 1000000000 FROM {s}.lineitem WHERE l_orderkey < 3`,
  },
  {
    name: 'DECIMAL union INTEGER becomes a DECIMAL holding both',
    sql: `SELECT l_extendedprice AS v FROM {s}.lineitem WHERE l_orderkey < 3
          UNION SELECT l_linenumber FROM {s}.lineitem WHERE l_orderkey < 3`,
  },
  {
    name: 'DECIMAL(15,2) union DOUBLE becomes DOUBLE',
    sql: `SELECT l_discount AS v FROM {s}.lineitem WHERE l_orderkey < 3
          UNION SELECT CAST(0.5 AS DOUBLE)`,
  },
  {
    name: 'VARCHAR union INTEGER becomes VARCHAR',
    sql: `SELECT r_name AS v FROM {s}.region UNION SELECT r_regionkey FROM {s}.region`,
  },
  {
    name: 'DATE union TIMESTAMP becomes TIMESTAMP',
    sql: `SELECT o_orderdate AS d FROM {s}.orders WHERE o_orderkey < 10
          UNION SELECT TIMESTAMP '1996-01-02 10:30:00'`,
  },
  {
    name: 'NULL literal takes the other side type',
    sql: 'SELECT NULL AS x UNION ALL SELECT o_totalprice FROM {s}.orders WHERE o_orderkey < 5',
  },
  // GROUPING SETS, ROLLUP, CUBE
  {
    name: 'rollup with grouping()',
    sql: `SELECT n_regionkey, count(*) AS n, GROUPING(n_regionkey) AS g
          FROM {s}.nation GROUP BY ROLLUP (n_regionkey) ORDER BY 1 NULLS FIRST`,
  },
  {
    name: 'rollup of two keys over lineitem',
    sql: `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS q, count(*) AS n
          FROM {s}.lineitem GROUP BY ROLLUP (l_returnflag, l_linestatus)
          ORDER BY l_returnflag NULLS LAST, l_linestatus NULLS LAST`,
  },
  {
    name: 'cube with grouping over several keys',
    sql: `SELECT o_orderstatus, o_orderpriority, count(*) AS n, GROUPING(o_orderstatus, o_orderpriority) AS g
          FROM {s}.orders GROUP BY CUBE (o_orderstatus, o_orderpriority) ORDER BY g, 1, 2`,
  },
  {
    name: 'grouping sets with an empty set',
    sql: `SELECT c_mktsegment, c_nationkey, count(*) AS n, sum(c_acctbal) AS bal
          FROM {s}.customer WHERE c_nationkey < 4
          GROUP BY GROUPING SETS ((c_mktsegment, c_nationkey), (c_mktsegment), ())
          ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
  },
  {
    name: 'plain key mixed with rollup, grouping_id in having and order by',
    sql: `SELECT o_orderstatus, o_orderpriority, count(*) AS n, GROUPING_ID(o_orderstatus, o_orderpriority) AS gid
          FROM {s}.orders GROUP BY o_orderstatus, ROLLUP (o_orderpriority)
          HAVING GROUPING(o_orderpriority) = 1 OR count(*) > 900
          ORDER BY GROUPING(o_orderpriority), o_orderstatus, o_orderpriority`,
  },
  {
    name: 'grouping sets keep a key NULL in the data apart from the rolled-up NULL',
    sql: `SELECT NULLIF(n_regionkey, 1) AS r, count(*) AS n, GROUPING(r) AS g
          FROM {s}.nation GROUP BY ROLLUP (r) ORDER BY g, r NULLS FIRST`,
  },
  {
    name: 'rollup over a join with an expression key and an alias',
    sql: `SELECT r_name AS region, extract(year FROM o_orderdate) AS y, count(*) AS n, sum(o_totalprice) AS total
          FROM {s}.orders JOIN {s}.customer ON o_custkey = c_custkey
            JOIN {s}.nation ON c_nationkey = n_nationkey JOIN {s}.region ON n_regionkey = r_regionkey
          GROUP BY ROLLUP (r_name, extract(year FROM o_orderdate)) ORDER BY region NULLS LAST, y NULLS LAST`,
  },
  {
    name: 'cube with count distinct',
    sql: `SELECT l_returnflag, l_shipmode, count(DISTINCT l_suppkey) AS s, count(*) AS n
          FROM {s}.lineitem WHERE l_orderkey < 5000 GROUP BY CUBE (l_returnflag, l_shipmode)
          ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
  },
  {
    name: 'grouping sets with a composite rollup element',
    sql: `SELECT o_orderstatus, o_orderpriority, o_shippriority, count(*) AS n
          FROM {s}.orders GROUP BY ROLLUP ((o_orderstatus, o_orderpriority), o_shippriority)
          ORDER BY 1 NULLS FIRST, 2 NULLS FIRST, 3 NULLS FIRST`,
  },
  {
    name: 'grouping sets by position',
    sql: `SELECT c_mktsegment, c_nationkey % 3 AS b, avg(c_acctbal) AS a
          FROM {s}.customer GROUP BY GROUPING SETS ((1), (2), (1, 2))
          ORDER BY 1 NULLS FIRST, 2 NULLS FIRST`,
  },
  {
    name: 'rollup over no rows still gives the grand total',
    sql: `SELECT o_orderstatus, count(*) AS n, sum(o_totalprice) AS s
          FROM {s}.orders WHERE o_orderkey < 0 GROUP BY ROLLUP (o_orderstatus)`,
  },
  {
    name: 'group by the empty set',
    sql: 'SELECT count(*) AS n, max(n_name) AS m FROM {s}.nation GROUP BY ()',
  },
  // GROUP BY / ORDER BY forms, DISTINCT, COUNT(DISTINCT)
  {
    name: 'group by positions',
    sql: `SELECT l_returnflag, l_linestatus, count(*) AS n FROM {s}.lineitem GROUP BY 1, 2 ORDER BY 1, 2`,
  },
  {
    name: 'group by alias of an expression and order by an aggregate expression',
    sql: `SELECT o_orderpriority AS p, extract(year FROM o_orderdate) AS y, sum(o_totalprice) / count(*) AS avg_price
          FROM {s}.orders GROUP BY p, y ORDER BY sum(o_totalprice) / count(*) DESC, p, y LIMIT 10`,
  },
  {
    name: 'group by an expression not selected as written',
    sql: `SELECT c_nationkey % 5 AS m, count(*) AS n FROM {s}.customer GROUP BY c_nationkey % 5 ORDER BY n DESC, m`,
  },
  {
    name: 'order by alias and position with NULLS FIRST and LAST',
    sql: `SELECT c.c_custkey, o.o_orderkey AS ok FROM {s}.customer c
            LEFT JOIN {s}.orders o ON o.o_custkey = c.c_custkey AND o.o_orderpriority = '5-LOW' AND o.o_totalprice > 300000
          WHERE c.c_custkey < 60 ORDER BY ok NULLS FIRST, 1 DESC`,
  },
  {
    name: 'order by an aggregate not in the select list',
    sql: `SELECT n_name FROM {s}.nation JOIN {s}.supplier ON s_nationkey = n_nationkey
          GROUP BY n_name ORDER BY count(*) DESC, max(s_acctbal), n_name LIMIT 8`,
  },
  {
    name: 'select distinct with order by',
    sql: `SELECT DISTINCT l_shipmode, l_returnflag FROM {s}.lineitem ORDER BY l_shipmode DESC, l_returnflag`,
  },
  {
    name: 'select distinct over NULLs with order by NULLS FIRST',
    sql: `SELECT DISTINCT NULLIF(o_orderpriority, '3-MEDIUM') AS p FROM {s}.orders ORDER BY p NULLS FIRST`,
  },
  {
    name: 'count distinct beside other aggregates',
    sql: `SELECT o_orderstatus, count(DISTINCT o_custkey) AS customers, count(*) AS n, sum(o_totalprice) AS total,
            min(o_orderdate) AS first
          FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus`,
  },
  {
    name: 'count distinct over an expression',
    sql: `SELECT l_returnflag, count(DISTINCT l_orderkey % 100) AS m, count(DISTINCT l_shipmode || l_shipinstruct) AS c
          FROM {s}.lineitem GROUP BY l_returnflag ORDER BY 1`,
  },
  {
    name: 'global count distinct over NULLIF',
    sql: `SELECT count(DISTINCT NULLIF(c_nationkey, 0)) AS n, count(*) AS all_rows FROM {s}.customer`,
  },
];
