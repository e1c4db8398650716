import type { SqlCase } from './sql-cases.ts';

/**
 * Subqueries beyond TPC-H, run on Tributary and DuckDB and compared (values, names, types).
 * `{s}` stands for the source. NULLs in the sets are made with NULLIF/CASE over TPC-H
 * columns or with outer joins, since TPC-H columns hold none.
 */
/**
 * `oracleSql`, when set, is what DuckDB runs instead: an equivalent query for a form it
 * refuses itself (it cannot put a subquery reading an outer join's preserved side in ON).
 */
export interface SubqueryCase extends SqlCase {
  readonly oracleSql?: string;
}

export const SUBQUERY_CASES: SubqueryCase[] = [
  // Uncorrelated scalar subqueries.
  {
    name: 'uncorrelated scalar in the select list',
    sql: 'SELECT n_name, (SELECT count(*) FROM {s}.region) AS regions FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'uncorrelated scalar compared in WHERE',
    sql: 'SELECT s_name, s_acctbal FROM {s}.supplier WHERE s_acctbal > (SELECT avg(s_acctbal) FROM {s}.supplier) ORDER BY s_name',
  },
  {
    name: 'uncorrelated scalar in arithmetic',
    sql: 'SELECT n_name, n_nationkey - (SELECT min(r_regionkey) FROM {s}.region WHERE r_regionkey > 0) AS d FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'uncorrelated scalar without aggregate, one row',
    sql: "SELECT n_name FROM {s}.nation WHERE n_regionkey = (SELECT r_regionkey FROM {s}.region WHERE r_name = 'ASIA') ORDER BY n_name",
  },
  {
    name: 'uncorrelated scalar of no rows is NULL',
    sql: 'SELECT n_name, (SELECT r_name FROM {s}.region WHERE r_regionkey > 100) AS none FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'uncorrelated scalar in HAVING',
    sql: 'SELECT n_regionkey, count(*) AS c FROM {s}.nation GROUP BY n_regionkey HAVING count(*) >= (SELECT count(*) FROM {s}.region) ORDER BY n_regionkey',
  },
  {
    name: 'uncorrelated scalar in a CASE branch',
    sql: 'SELECT n_name, CASE WHEN n_regionkey = 0 THEN (SELECT max(r_name) FROM {s}.region) ELSE n_name END AS v FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'uncorrelated scalar filters before an aggregate',
    sql: 'SELECT o_orderpriority, count(*) AS c FROM {s}.orders WHERE o_totalprice > (SELECT avg(o_totalprice) FROM {s}.orders) GROUP BY o_orderpriority ORDER BY o_orderpriority',
  },
  {
    name: 'decimal minus a scalar average',
    sql: 'SELECT p_partkey, p_retailprice - (SELECT avg(p_retailprice) FROM {s}.part) AS diff FROM {s}.part WHERE p_partkey < 10 ORDER BY p_partkey',
  },
  // Correlated scalar subqueries.
  {
    name: 'correlated COUNT in the select list is 0 where nothing matches (COUNT bug)',
    sql: "SELECT r_name, (SELECT count(*) FROM {s}.nation WHERE n_regionkey = r_regionkey AND n_name LIKE 'A%') AS c FROM {s}.region ORDER BY r_name",
  },
  {
    name: 'correlated COUNT over customers without orders',
    sql: 'SELECT c_custkey, (SELECT count(*) FROM {s}.orders WHERE o_custkey = c_custkey) AS orders FROM {s}.customer WHERE c_custkey <= 30 ORDER BY c_custkey',
  },
  {
    name: 'correlated COUNT + 1 is 1 where nothing matches',
    sql: 'SELECT c_custkey, (SELECT count(o_orderkey) + 1 FROM {s}.orders WHERE o_custkey = c_custkey) AS n FROM {s}.customer WHERE c_custkey <= 30 ORDER BY c_custkey',
  },
  {
    name: 'correlated COUNT(*) = 0 in WHERE',
    sql: 'SELECT c_custkey FROM {s}.customer WHERE c_custkey <= 60 AND (SELECT count(*) FROM {s}.orders WHERE o_custkey = c_custkey) = 0 ORDER BY c_custkey',
  },
  {
    name: 'correlated max in the select list',
    sql: 'SELECT n_name, (SELECT max(s_acctbal) FROM {s}.supplier WHERE s_nationkey = n_nationkey) AS best FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'correlated scalar without aggregate (a lookup)',
    sql: 'SELECT n_name, (SELECT r_name FROM {s}.region WHERE r_regionkey = n_regionkey) AS region FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'correlated scalar with GROUP BY gives NULL, not 0, for no rows',
    sql: 'SELECT n_name, (SELECT count(*) FROM {s}.supplier WHERE s_nationkey = n_nationkey AND s_acctbal > 9000 GROUP BY s_nationkey) AS c FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'correlated SELECT DISTINCT scalar',
    sql: 'SELECT n_name, (SELECT DISTINCT r_name FROM {s}.region WHERE r_regionkey = n_regionkey) AS r FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'correlated on two keys in WHERE (partsupp against lineitem)',
    sql: 'SELECT ps_partkey, ps_suppkey, ps_availqty FROM {s}.partsupp WHERE ps_partkey < 60 AND ps_availqty * 0.01 > (SELECT sum(l_quantity) FROM {s}.lineitem WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey) ORDER BY ps_partkey, ps_suppkey',
  },
  {
    name: 'correlated COUNT on two keys in the select list',
    sql: 'SELECT ps_partkey, ps_suppkey, (SELECT count(*) FROM {s}.lineitem WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey) AS n FROM {s}.partsupp WHERE ps_partkey < 20 ORDER BY ps_partkey, ps_suppkey',
  },
  {
    name: 'correlated through an outer alias',
    sql: 'SELECT o.o_orderkey FROM {s}.orders o WHERE o.o_orderkey < 300 AND o.o_totalprice > (SELECT avg(o2.o_totalprice) FROM {s}.orders o2 WHERE o2.o_custkey = o.o_custkey) ORDER BY o.o_orderkey',
  },
  {
    name: 'correlated scalar in HAVING through a group key',
    sql: 'SELECT s_nationkey, max(s_acctbal) AS m FROM {s}.supplier s1 GROUP BY s_nationkey HAVING max(s_acctbal) > (SELECT avg(s_acctbal) + 4000 FROM {s}.supplier s2 WHERE s2.s_nationkey = s1.s_nationkey) ORDER BY s_nationkey',
  },
  {
    name: 'correlated scalar in the select list of an aggregate',
    sql: 'SELECT n_regionkey, count(*) AS c, (SELECT r_name FROM {s}.region WHERE r_regionkey = n_regionkey) AS name FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey',
  },
  {
    name: 'correlated COUNT with a NULL correlation value from an outer join',
    sql: 'SELECT c_custkey, o_orderkey, (SELECT count(*) FROM {s}.lineitem WHERE l_orderkey = o_orderkey) AS lines FROM {s}.customer LEFT JOIN {s}.orders ON o_custkey = c_custkey AND o_totalprice > 300000 WHERE c_custkey < 40 ORDER BY c_custkey, o_orderkey',
  },
  {
    name: 'correlated COUNT with a non-equality correlation (over the domain)',
    sql: 'SELECT n_name, (SELECT count(*) FROM {s}.region WHERE r_regionkey < n_regionkey) AS c FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'correlated aggregate with the outer column in its select list',
    sql: 'SELECT r_name, (SELECT count(*) + r_regionkey FROM {s}.nation WHERE n_regionkey = r_regionkey AND n_nationkey > 20) AS c FROM {s}.region ORDER BY r_name',
  },
  {
    name: 'correlated sum on an equality and an inequality of two outer columns',
    sql: 'SELECT c_custkey, (SELECT sum(o_totalprice) FROM {s}.orders WHERE o_custkey = c_custkey AND o_totalprice > c_acctbal * 30) AS big FROM {s}.customer WHERE c_custkey < 40 ORDER BY c_custkey',
  },
  {
    name: 'correlated scalar in ORDER BY',
    sql: 'SELECT n_name FROM {s}.nation ORDER BY (SELECT count(*) FROM {s}.supplier WHERE s_nationkey = n_nationkey), n_name',
  },
  // IN and NOT IN with NULLs.
  {
    name: 'NOT IN over a set holding NULL keeps no row',
    sql: 'SELECT n_name FROM {s}.nation WHERE n_nationkey NOT IN (SELECT NULLIF(s_nationkey, 3) FROM {s}.supplier) ORDER BY n_name',
  },
  {
    name: 'NOT IN with NULLs under OR',
    sql: 'SELECT n_name FROM {s}.nation WHERE n_regionkey = 1 OR n_nationkey NOT IN (SELECT NULLIF(s_nationkey, 3) FROM {s}.supplier) ORDER BY n_name',
  },
  {
    name: 'IN with a NULL probe in the select list',
    sql: 'SELECT n_name, NULLIF(n_regionkey, 2) IN (SELECT r_regionkey FROM {s}.region WHERE r_regionkey < 3) AS in_set FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'NOT IN in the select list over a set with NULL',
    sql: 'SELECT n_name, n_regionkey NOT IN (SELECT CASE WHEN r_regionkey = 4 THEN NULL ELSE r_regionkey END FROM {s}.region WHERE r_regionkey > 2) AS x FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'NOT IN over an empty set is TRUE even for NULL',
    sql: 'SELECT n_name, NULLIF(n_regionkey, 1) NOT IN (SELECT r_regionkey FROM {s}.region WHERE r_regionkey > 100) AS x FROM {s}.nation ORDER BY n_name',
  },
  {
    name: 'NOT (x IN …) with NULLs counted',
    sql: 'SELECT count(*) AS c FROM {s}.nation WHERE NOT (n_nationkey IN (SELECT NULLIF(s_nationkey, 0) FROM {s}.supplier WHERE s_suppkey < 20))',
  },
  {
    name: 'NOT IN with a NULL probe from an outer join',
    sql: 'SELECT c_custkey, o_orderkey FROM {s}.customer LEFT JOIN {s}.orders ON o_custkey = c_custkey AND o_orderkey < 100 WHERE c_custkey < 30 AND o_orderkey NOT IN (SELECT l_orderkey FROM {s}.lineitem WHERE l_quantity > 49) ORDER BY c_custkey, o_orderkey',
  },
  {
    name: 'IN over a grouped subquery with HAVING',
    sql: 'SELECT c_name FROM {s}.customer WHERE c_custkey IN (SELECT o_custkey FROM {s}.orders GROUP BY o_custkey HAVING count(*) > 25) ORDER BY c_name',
  },
  {
    name: 'correlated IN with a non-equality correlation in the select list',
    sql: 'SELECT s_name, s_suppkey IN (SELECT ps_suppkey FROM {s}.partsupp WHERE ps_availqty > 9900 AND ps_partkey < s_suppkey * 20) AS x FROM {s}.supplier ORDER BY s_name',
  },
  {
    name: 'IN over a correlated aggregate without GROUP BY',
    sql: 'SELECT n_name FROM {s}.nation WHERE n_nationkey IN (SELECT max(s_nationkey) FROM {s}.supplier WHERE s_nationkey = n_nationkey AND s_acctbal > 5000) ORDER BY n_name',
  },
  {
    name: 'two-column IN',
    sql: 'SELECT ps_partkey, ps_suppkey FROM {s}.partsupp WHERE (ps_partkey, ps_suppkey) IN (SELECT l_partkey, l_suppkey FROM {s}.lineitem WHERE l_quantity > 49) ORDER BY ps_partkey, ps_suppkey',
  },
  // EXISTS in any position.
  {
    name: 'EXISTS under OR',
    sql: 'SELECT c_name FROM {s}.customer WHERE c_acctbal > 9900 OR EXISTS (SELECT 1 FROM {s}.orders WHERE o_custkey = c_custkey AND o_totalprice > 450000) ORDER BY c_name',
  },
  {
    name: 'EXISTS in a CASE of the select list',
    sql: "SELECT s_name, CASE WHEN EXISTS (SELECT 1 FROM {s}.partsupp WHERE ps_suppkey = s_suppkey AND ps_availqty < 20) THEN 'low' ELSE 'ok' END AS stock FROM {s}.supplier ORDER BY s_name",
  },
  {
    name: 'EXISTS as a select-list value',
    sql: "SELECT r_name, EXISTS (SELECT 1 FROM {s}.nation WHERE n_regionkey = r_regionkey AND n_name LIKE 'C%') AS has_c FROM {s}.region ORDER BY r_name",
  },
  {
    name: 'EXISTS with a non-equality correlation',
    sql: 'SELECT n_name FROM {s}.nation n1 WHERE EXISTS (SELECT 1 FROM {s}.nation n2 WHERE n2.n_regionkey = n1.n_regionkey AND n2.n_nationkey > n1.n_nationkey + 10) ORDER BY n_name',
  },
  {
    name: 'NOT EXISTS correlated with a date filter',
    sql: "SELECT c_custkey FROM {s}.customer c WHERE c_custkey < 50 AND NOT EXISTS (SELECT 1 FROM {s}.orders o WHERE o.o_custkey = c.c_custkey AND o.o_orderdate < DATE '1995-01-01') ORDER BY c_custkey",
  },
  {
    name: 'correlated EXISTS with LIMIT 1',
    sql: 'SELECT c_custkey FROM {s}.customer WHERE c_custkey < 50 AND EXISTS (SELECT 1 FROM {s}.orders WHERE o_custkey = c_custkey LIMIT 1) ORDER BY c_custkey',
  },
  {
    name: 'NOT EXISTS of an empty subquery keeps every row',
    sql: 'SELECT count(*) AS c FROM {s}.nation WHERE NOT EXISTS (SELECT 1 FROM {s}.region WHERE r_regionkey > 100)',
  },
  {
    name: 'EXISTS over a correlated aggregate with HAVING',
    sql: 'SELECT n_name FROM {s}.nation WHERE EXISTS (SELECT count(*) FROM {s}.supplier WHERE s_nationkey = n_nationkey HAVING count(*) > 4) ORDER BY n_name',
  },
  // Correlated LIMIT/OFFSET: numbered per correlation key, kept by row number, joined back.
  {
    name: 'correlated LIMIT: the top supplier of each nation',
    sql: 'SELECT n_name, (SELECT s_name FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey ORDER BY s_acctbal DESC, s_suppkey LIMIT 1) AS top FROM {s}.nation n ORDER BY n_name',
  },
  {
    name: 'correlated LIMIT with OFFSET, ties broken by key',
    sql: 'SELECT n_name, (SELECT s_suppkey FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey ORDER BY s_nationkey, s_suppkey DESC LIMIT 1 OFFSET 2) AS third FROM {s}.nation n ORDER BY n_name',
  },
  {
    name: 'correlated LIMIT 0 gives NULL, and so does an OFFSET past every row',
    sql: 'SELECT n_name, (SELECT s_name FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey ORDER BY s_suppkey LIMIT 0) AS none, (SELECT s_name FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey ORDER BY s_suppkey LIMIT 1 OFFSET 6) AS seventh FROM {s}.nation n ORDER BY n_name',
  },
  {
    name: 'correlated LIMIT where some outer rows match nothing',
    sql: 'SELECT n_name, (SELECT s_acctbal FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey AND s.s_acctbal > 9000 ORDER BY s_acctbal, s_suppkey LIMIT 1) AS lowest_rich FROM {s}.nation n ORDER BY n_name',
  },
  {
    name: 'IN over the top 3 per nation',
    sql: 'SELECT s_suppkey, s_nationkey FROM {s}.supplier s1 WHERE s_suppkey IN (SELECT s2.s_suppkey FROM {s}.supplier s2 WHERE s2.s_nationkey = s1.s_nationkey ORDER BY s2.s_acctbal DESC, s2.s_suppkey LIMIT 3) ORDER BY s_suppkey',
  },
  {
    name: 'NOT IN over the top 3 per nation, with OFFSET',
    sql: 'SELECT count(*) AS c, sum(s_suppkey) AS k FROM {s}.supplier s1 WHERE s_suppkey NOT IN (SELECT s2.s_suppkey FROM {s}.supplier s2 WHERE s2.s_nationkey = s1.s_nationkey ORDER BY s2.s_acctbal DESC, s2.s_suppkey LIMIT 3 OFFSET 1)',
  },
  {
    name: 'IN with LIMIT as a select-list value',
    sql: 'SELECT s_suppkey, s_suppkey IN (SELECT s2.s_suppkey FROM {s}.supplier s2 WHERE s2.s_nationkey = s1.s_nationkey ORDER BY s2.s_phone LIMIT 2) AS first_two FROM {s}.supplier s1 WHERE s_suppkey <= 40 ORDER BY s_suppkey',
  },
  {
    name: 'EXISTS with OFFSET: nations with more than 5 suppliers',
    sql: 'SELECT n_name FROM {s}.nation n WHERE EXISTS (SELECT 1 FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey ORDER BY s_suppkey OFFSET 5) ORDER BY n_name',
  },
  {
    name: 'NOT EXISTS with LIMIT 0 keeps every row, EXISTS with LIMIT 0 none',
    sql: 'SELECT n_name, EXISTS (SELECT 1 FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey LIMIT 0) AS e FROM {s}.nation n WHERE NOT EXISTS (SELECT 1 FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey LIMIT 0) ORDER BY n_name',
  },
  {
    name: 'correlated LIMIT with NULL keys on both sides and NULL order values',
    sql: 'SELECT c.id, (SELECT o.o_orderkey FROM (SELECT o_orderkey, CASE WHEN o_orderkey % 5 = 0 THEN NULL ELSE o_custkey END AS ck, CASE WHEN o_orderkey % 3 = 0 THEN NULL ELSE o_totalprice END AS price FROM {s}.orders) o WHERE o.ck = c.k ORDER BY o.price DESC NULLS FIRST, o.o_orderkey LIMIT 1) AS top, (SELECT o.price FROM (SELECT o_orderkey, o_custkey AS ck, CASE WHEN o_orderkey % 3 = 0 THEN NULL ELSE o_totalprice END AS price FROM {s}.orders) o WHERE o.ck = c.k ORDER BY o.price, o.o_orderkey LIMIT 1 OFFSET 1) AS second FROM (SELECT c_custkey AS id, CASE WHEN c_custkey % 4 = 0 THEN NULL ELSE c_custkey END AS k FROM {s}.customer WHERE c_custkey <= 60) c ORDER BY c.id',
  },
  {
    name: 'correlated DISTINCT with LIMIT and OFFSET: the second priority of each customer',
    sql: 'SELECT c_custkey, (SELECT DISTINCT o_orderpriority FROM {s}.orders o WHERE o.o_custkey = c.c_custkey ORDER BY o_orderpriority LIMIT 1 OFFSET 1) AS p FROM {s}.customer c WHERE c_custkey <= 60 ORDER BY c_custkey',
  },
  {
    name: 'correlated GROUP BY with LIMIT: the most frequent priority of each customer',
    sql: 'SELECT c_custkey, (SELECT o_orderpriority FROM {s}.orders o WHERE o.o_custkey = c.c_custkey GROUP BY o_orderpriority ORDER BY count(*) DESC, o_orderpriority LIMIT 1) AS p FROM {s}.customer c WHERE c_custkey <= 60 ORDER BY c_custkey',
  },
  {
    name: 'correlated aggregate with LIMIT 1 is its one row, with OFFSET 1 none',
    sql: 'SELECT n_name, (SELECT count(*) FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey LIMIT 1) AS c, (SELECT count(*) FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey LIMIT 1 OFFSET 1) AS none FROM {s}.nation n ORDER BY n_name',
  },
  {
    name: 'correlated LIMIT under a non-equality correlation',
    sql: 'SELECT n_name, (SELECT r_name FROM {s}.region r WHERE r.r_regionkey < n.n_regionkey ORDER BY r_regionkey DESC LIMIT 1) AS previous FROM {s}.nation n ORDER BY n_name',
  },
  {
    name: 'correlated LIMIT reading the outer row in its select list and ORDER BY',
    sql: 'SELECT n_name, (SELECT s_acctbal - n.n_nationkey FROM {s}.supplier s WHERE s.s_nationkey = n.n_regionkey ORDER BY abs(s_acctbal - n.n_nationkey * 500), s_suppkey LIMIT 1) AS nearest FROM {s}.nation n ORDER BY n_name',
  },
  {
    name: 'FROM-less correlated subqueries with LIMIT and OFFSET',
    sql: 'SELECT n_name, (SELECT n.n_regionkey * 10 LIMIT 1) AS v, (SELECT n.n_name OFFSET 1) AS none FROM {s}.nation n ORDER BY n_name',
  },
  {
    name: 'a correlated LIMIT subquery compared in WHERE',
    sql: 'SELECT s_name, s_acctbal FROM {s}.supplier s1 WHERE s_acctbal >= (SELECT s2.s_acctbal FROM {s}.supplier s2 WHERE s2.s_nationkey = s1.s_nationkey ORDER BY s2.s_acctbal DESC LIMIT 1 OFFSET 1) ORDER BY s_name',
  },
  // Subqueries in JOIN ON: inner joins filter by them like WHERE; outer joins join them to the
  // side they read before the join and match on their value.
  {
    name: 'JOIN ON: IN in an inner join',
    sql: 'SELECT n_name, r_name FROM {s}.nation n JOIN {s}.region r ON n.n_regionkey = r.r_regionkey AND r.r_regionkey IN (SELECT n_regionkey FROM {s}.nation WHERE n_nationkey > 20) ORDER BY n_name',
  },
  {
    name: 'JOIN ON: correlated EXISTS reading both sides of an inner join',
    sql: 'SELECT n_name, s_suppkey FROM {s}.nation n JOIN {s}.supplier s ON s.s_nationkey = n.n_nationkey AND EXISTS (SELECT 1 FROM {s}.partsupp ps WHERE ps.ps_suppkey = s.s_suppkey AND ps.ps_availqty < n.n_nationkey * 40) ORDER BY s_suppkey',
  },
  {
    name: 'JOIN ON: correlated scalar and NOT EXISTS in an inner join',
    sql: 'SELECT c_custkey, o_orderkey FROM {s}.customer c JOIN {s}.orders o ON o.o_custkey = c.c_custkey AND o.o_totalprice > (SELECT avg(o2.o_totalprice) FROM {s}.orders o2 WHERE o2.o_custkey = c.c_custkey) AND NOT EXISTS (SELECT 1 FROM {s}.lineitem l WHERE l.l_orderkey = o.o_orderkey AND l.l_quantity > 49) WHERE c_custkey <= 40 ORDER BY o_orderkey',
  },
  {
    name: 'JOIN ON: IN and NOT IN over the nullable side of a LEFT JOIN',
    sql: 'SELECT n_name, r1.r_name AS r1, r2.r_name AS r2 FROM {s}.nation n LEFT JOIN {s}.region r1 ON n_regionkey = r1.r_regionkey AND r1.r_regionkey IN (SELECT n_regionkey FROM {s}.nation WHERE n_nationkey > 20) LEFT JOIN {s}.region r2 ON n_regionkey = r2.r_regionkey AND r2.r_regionkey NOT IN (SELECT NULLIF(n_regionkey, 4) FROM {s}.nation WHERE n_nationkey < 10) ORDER BY n_name',
  },
  {
    name: 'JOIN ON: correlated EXISTS over the nullable side of a LEFT JOIN',
    sql: 'SELECT n_name, r_name FROM {s}.nation n LEFT JOIN {s}.region r ON n_regionkey = r_regionkey AND EXISTS (SELECT 1 FROM {s}.nation n2 WHERE n2.n_regionkey = r.r_regionkey AND n2.n_nationkey > 22) ORDER BY n_name',
  },
  {
    name: 'JOIN ON: correlated scalar over the preserved side of a LEFT JOIN',
    sql: 'SELECT n_name, r_name FROM {s}.nation n LEFT JOIN {s}.region r ON n_regionkey = r_regionkey AND r_name >= (SELECT max(r2.r_name) FROM {s}.region r2 WHERE r2.r_regionkey = n.n_nationkey) ORDER BY n_name',
  },
  {
    name: 'JOIN ON: correlated EXISTS over the nullable side of a RIGHT JOIN',
    sql: 'SELECT r_name, n_name FROM {s}.nation n RIGHT JOIN {s}.region r ON n_regionkey = r_regionkey AND EXISTS (SELECT 1 FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey AND s_acctbal > 9000) ORDER BY r_name, n_name',
  },
  {
    name: 'JOIN ON: a LEFT JOIN after an inner join, its scalar reading its nullable side',
    sql: 'SELECT n_name, count(s_suppkey) AS rich FROM {s}.nation n JOIN {s}.region r ON n_regionkey = r_regionkey LEFT JOIN {s}.supplier s ON s.s_nationkey = n.n_nationkey AND s.s_acctbal > (SELECT avg(s2.s_acctbal) FROM {s}.supplier s2 WHERE s2.s_nationkey = s.s_nationkey) GROUP BY n_name ORDER BY n_name',
  },
  {
    name: 'JOIN ON: IN over the preserved side of a LEFT JOIN (DuckDB answers the flag precomputed)',
    sql: 'SELECT n_name, r_name FROM {s}.nation n LEFT JOIN {s}.region r ON n_regionkey = r_regionkey AND n_nationkey IN (SELECT s_nationkey FROM {s}.supplier WHERE s_acctbal > 9500) ORDER BY n_name',
    oracleSql:
      'SELECT n_name, r_name FROM (SELECT *, n_nationkey IN (SELECT s_nationkey FROM {s}.supplier WHERE s_acctbal > 9500) AS flag FROM {s}.nation) n LEFT JOIN {s}.region r ON n_regionkey = r_regionkey AND flag ORDER BY n_name',
  },
  {
    name: 'JOIN ON: subqueries on both sides of a FULL JOIN (DuckDB answers the flags precomputed)',
    sql: 'SELECT n_name, r_name FROM {s}.nation n FULL JOIN {s}.region r ON n_regionkey = r_regionkey AND r_regionkey IN (SELECT n_regionkey FROM {s}.nation WHERE n_nationkey > 20) AND (SELECT count(*) FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey) > 3 ORDER BY n_name, r_name',
    oracleSql:
      'SELECT n_name, r_name FROM (SELECT *, (SELECT count(*) FROM {s}.supplier s WHERE s.s_nationkey = nation.n_nationkey) > 3 AS many FROM {s}.nation) n FULL JOIN (SELECT *, r_regionkey IN (SELECT n_regionkey FROM {s}.nation WHERE n_nationkey > 20) AS flag FROM {s}.region) r ON n_regionkey = r_regionkey AND flag AND many ORDER BY n_name, r_name',
  },
  // LATERAL derived tables: decorrelated like subqueries, then joined inner or left.
  {
    name: 'LATERAL: the top 2 suppliers of each nation',
    sql: 'SELECT n_name, x.s_name, x.s_acctbal FROM {s}.nation n, LATERAL (SELECT s_name, s_acctbal FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey ORDER BY s_acctbal DESC, s_suppkey LIMIT 2) x ORDER BY n_name, x.s_acctbal DESC',
  },
  {
    name: 'LEFT JOIN LATERAL keeps the rows it has nothing for',
    sql: 'SELECT n_name, x.* FROM {s}.nation n LEFT JOIN LATERAL (SELECT s_name, s_acctbal FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey AND s_acctbal > 9500 ORDER BY s_acctbal DESC LIMIT 1) x ON true ORDER BY n_name',
  },
  {
    name: 'LEFT JOIN LATERAL of an aggregate with its own ON',
    sql: 'SELECT n_name, x.c FROM {s}.nation n LEFT JOIN LATERAL (SELECT count(*) AS c FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey AND s_acctbal > 9000) x ON x.c > 0 ORDER BY n_name',
  },
  {
    name: 'CROSS JOIN LATERAL with column aliases and the outer row in its select list',
    sql: 'SELECT n_name, x.a, x.b FROM {s}.nation n CROSS JOIN LATERAL (SELECT r_name, n.n_nationkey * 2 AS d FROM {s}.region r WHERE r.r_regionkey <> n.n_regionkey) AS x(a, b) ORDER BY n_name, x.a',
  },
  // Nesting.
  {
    name: 'IN inside IN inside IN with a scalar at the bottom',
    sql: 'SELECT r_name FROM {s}.region WHERE r_regionkey IN (SELECT n_regionkey FROM {s}.nation WHERE n_nationkey IN (SELECT s_nationkey FROM {s}.supplier WHERE s_acctbal > (SELECT avg(s_acctbal) + 3000 FROM {s}.supplier))) ORDER BY r_name',
  },
  {
    name: 'correlated scalar inside a correlated EXISTS',
    sql: 'SELECT n_name FROM {s}.nation WHERE EXISTS (SELECT 1 FROM {s}.supplier WHERE s_nationkey = n_nationkey AND s_acctbal > (SELECT avg(c_acctbal) + 2000 FROM {s}.customer WHERE c_nationkey = s_nationkey)) ORDER BY n_name',
  },
  // Correlation across levels: the middle subquery is bound over the domain of its outer
  // columns, so the innermost one reads them as the middle one's own.
  {
    name: 'across levels: EXISTS inside EXISTS reading the outermost query',
    sql: 'SELECT r_name FROM {s}.region r WHERE EXISTS (SELECT 1 FROM {s}.nation n WHERE n.n_regionkey = r.r_regionkey AND EXISTS (SELECT 1 FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey AND s.s_acctbal > r.r_regionkey * 1000)) ORDER BY r_name',
  },
  {
    name: 'across levels: NOT EXISTS inside a correlated COUNT, 0 where nothing matches',
    sql: 'SELECT r_name, (SELECT count(*) FROM {s}.nation n WHERE n.n_regionkey = r.r_regionkey AND NOT EXISTS (SELECT 1 FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey AND s.s_acctbal > 7000 + r.r_regionkey * 500)) AS c FROM {s}.region r ORDER BY r_name',
  },
  {
    name: 'across levels: three levels down',
    sql: 'SELECT r_name FROM {s}.region r WHERE EXISTS (SELECT 1 FROM {s}.nation n WHERE n.n_regionkey = r.r_regionkey AND EXISTS (SELECT 1 FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey AND EXISTS (SELECT 1 FROM {s}.customer c WHERE c.c_nationkey = s.s_nationkey AND c.c_acctbal > 9000 + r.r_regionkey * 200))) ORDER BY r_name',
  },
  {
    name: 'across levels: a scalar in the middle WHERE and a LIMIT at the bottom',
    sql: 'SELECT r_name, (SELECT max(n_name) FROM {s}.nation n WHERE n_regionkey = r_regionkey AND n_nationkey IN (SELECT s_nationkey FROM {s}.supplier s WHERE s_acctbal > r_regionkey * 1000 ORDER BY s_acctbal, s_suppkey LIMIT 3)) AS m FROM {s}.region r ORDER BY r_name',
  },
  {
    name: 'across levels: IN over a middle query filtering by a count that reads the outer row',
    sql: 'SELECT r_name FROM {s}.region r WHERE r_regionkey IN (SELECT n_regionkey FROM {s}.nation n WHERE (SELECT count(*) FROM {s}.supplier s WHERE s.s_nationkey = n.n_nationkey AND s.s_acctbal > r.r_regionkey * 1500) > 2) ORDER BY r_name',
  },
  {
    name: 'across levels: the middle query aggregates and selects the outer column',
    sql: "SELECT n_name, (SELECT count(*) + n.n_regionkey FROM {s}.customer c WHERE c.c_nationkey = n.n_nationkey AND EXISTS (SELECT 1 FROM {s}.orders o WHERE o.o_custkey = c.c_custkey AND o.o_orderpriority LIKE n.n_regionkey || '%')) AS k FROM {s}.nation n ORDER BY n_name",
  },
  // Subqueries keyed by the domain of outer values: a NULL outer value has its own answer.
  {
    name: 'domain-keyed subqueries answer for a NULL outer value too',
    sql: 'SELECT t.id, (SELECT r_name FROM {s}.region WHERE t.k IS NULL OR r_regionkey = t.k ORDER BY r_name DESC LIMIT 1) AS r, (SELECT count(*) FROM {s}.region WHERE t.k IS NULL OR r_regionkey < t.k) AS c, EXISTS (SELECT 1 FROM {s}.region r WHERE EXISTS (SELECT 1 FROM {s}.nation n WHERE n.n_regionkey = r.r_regionkey AND (t.k IS NULL OR n.n_nationkey = t.k + 20))) AS e FROM (SELECT n_nationkey AS id, CASE WHEN n_nationkey % 5 = 0 THEN NULL ELSE n_nationkey % 5 END AS k FROM {s}.nation) t ORDER BY t.id',
  },
  // Unaliased subqueries are named as DuckDB prints them.
  {
    name: "unaliased subqueries take DuckDB's names",
    sql: "SELECT r_name, (SELECT count(*) FROM {s}.nation WHERE n_regionkey = r_regionkey AND n_name LIKE 'A%'), EXISTS (SELECT 1 FROM {s}.nation WHERE n_regionkey = r_regionkey AND n_nationkey > 20), r_regionkey NOT IN (SELECT n_regionkey FROM {s}.nation WHERE n_nationkey < 3) FROM {s}.region ORDER BY r_name",
  },
  // WITH and derived tables.
  {
    name: 'a CTE used twice, once in a scalar subquery',
    sql: 'WITH big AS (SELECT o_custkey, sum(o_totalprice) AS total FROM {s}.orders GROUP BY o_custkey) SELECT o_custkey, total FROM big WHERE total > (SELECT avg(total) * 2.5 FROM big) ORDER BY o_custkey',
  },
  {
    name: 'CTE column lists and a CTE over an earlier one',
    sql: "WITH r (k, name) AS (SELECT r_regionkey, r_name FROM {s}.region), n (k, name, rk) AS (SELECT n_nationkey, n_name, n_regionkey FROM {s}.nation WHERE n_regionkey IN (SELECT k FROM r WHERE name LIKE 'A%')) SELECT n.name, r.name AS region FROM n JOIN r ON n.rk = r.k ORDER BY n.name",
  },
  {
    name: 'a derived table with a column alias list',
    sql: 'SELECT t.a, t.b FROM (SELECT n_nationkey, n_name FROM {s}.nation) AS t (a, b) WHERE t.a < 5 ORDER BY t.a',
  },
];
