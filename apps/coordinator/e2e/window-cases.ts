import type { SqlCase } from './sql-cases.ts';

/**
 * Window queries over the TPC-H tables, run on Tributary and DuckDB and compared. Every
 * answer is deterministic: wherever a function depends on the order of tied rows
 * (ROW_NUMBER, LAG/LEAD, FIRST/LAST_VALUE, ROWS frames, NTILE) its ORDER BY ends in a unique
 * key, and every query's outer ORDER BY is total. NULL partition and order keys are made with
 * NULLIF/CASE, since TPC-H has none.
 */
export const WINDOW_CASES: SqlCase[] = [
  // Ranking functions.
  {
    name: 'row_number per nation by balance',
    sql: `SELECT c_custkey, c_nationkey, row_number() OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey) AS rn
FROM {s}.customer ORDER BY c_custkey LIMIT 300`,
  },
  {
    name: 'top 3 customers per segment (filter over a window)',
    sql: `SELECT * FROM (
  SELECT c_mktsegment, c_custkey, c_acctbal, row_number() OVER (PARTITION BY c_mktsegment ORDER BY c_acctbal DESC, c_custkey) AS rn
  FROM {s}.customer) t
WHERE rn <= 3 ORDER BY c_mktsegment, rn`,
    scaleOut: true,
  },
  {
    name: 'rank and dense_rank with ties',
    sql: `SELECT o_orderkey, rank() OVER (PARTITION BY o_orderpriority ORDER BY o_orderstatus) AS r,
  dense_rank() OVER (PARTITION BY o_orderpriority ORDER BY o_orderstatus) AS dr
FROM {s}.orders WHERE o_orderkey < 3000 ORDER BY o_orderkey`,
  },
  {
    name: 'rank over a whole table without partitions',
    sql: `SELECT p_partkey, rank() OVER (ORDER BY p_size DESC) AS r, dense_rank() OVER (ORDER BY p_size DESC) AS dr
FROM {s}.part ORDER BY p_partkey LIMIT 200`,
  },
  {
    name: 'percent_rank and cume_dist',
    sql: `SELECT s_suppkey, percent_rank() OVER (PARTITION BY s_nationkey ORDER BY s_acctbal) AS pr,
  cume_dist() OVER (PARTITION BY s_nationkey ORDER BY s_acctbal) AS cd
FROM {s}.supplier ORDER BY s_suppkey`,
  },
  {
    name: 'percent_rank with ties on a low-cardinality key',
    sql: `SELECT o_orderkey, percent_rank() OVER (PARTITION BY o_orderstatus ORDER BY o_orderpriority) AS pr,
  cume_dist() OVER (ORDER BY o_orderpriority DESC) AS cd
FROM {s}.orders WHERE o_orderkey % 10 = 1 ORDER BY o_orderkey`,
  },
  {
    name: 'ntile into 4 buckets',
    sql: `SELECT c_custkey, ntile(4) OVER (PARTITION BY c_mktsegment ORDER BY c_acctbal, c_custkey) AS quartile
FROM {s}.customer ORDER BY c_custkey LIMIT 400`,
  },
  {
    name: 'ntile with more buckets than rows',
    sql: `SELECT n_nationkey, n_regionkey, ntile(10) OVER (PARTITION BY n_regionkey ORDER BY n_nationkey) AS bucket
FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'ntile over all rows',
    sql: `SELECT s_suppkey, ntile(7) OVER (ORDER BY s_suppkey) AS t FROM {s}.supplier ORDER BY s_suppkey`,
  },
  {
    name: 'row_number partitioned by two keys and an expression',
    sql: `SELECT l_orderkey, l_linenumber,
  row_number() OVER (PARTITION BY l_returnflag, l_linestatus, l_quantity > 25 ORDER BY l_orderkey, l_linenumber) AS rn
FROM {s}.lineitem WHERE l_orderkey < 2000 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'order by two keys, one descending',
    sql: `SELECT ps_partkey, ps_suppkey, rank() OVER (PARTITION BY ps_partkey % 10 ORDER BY ps_availqty DESC, ps_supplycost) AS r
FROM {s}.partsupp WHERE ps_partkey < 300 ORDER BY ps_partkey, ps_suppkey`,
  },
  {
    name: 'NULLs in the partition key form one partition',
    sql: `SELECT c_custkey, nullif(c_nationkey % 4, 0) AS g,
  row_number() OVER (PARTITION BY nullif(c_nationkey % 4, 0) ORDER BY c_custkey) AS rn,
  count(*) OVER (PARTITION BY nullif(c_nationkey % 4, 0)) AS n
FROM {s}.customer ORDER BY c_custkey LIMIT 250`,
  },
  {
    name: 'NULLs in the order key, NULLS LAST (default) and NULLS FIRST',
    sql: `SELECT o_orderkey,
  rank() OVER (ORDER BY CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_orderpriority END) AS r_last,
  rank() OVER (ORDER BY CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_orderpriority END NULLS FIRST) AS r_first,
  rank() OVER (ORDER BY CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_orderpriority END DESC NULLS FIRST) AS r_desc
FROM {s}.orders WHERE o_orderkey < 800 ORDER BY o_orderkey`,
  },
  // LAG, LEAD, FIRST_VALUE, LAST_VALUE.
  {
    name: 'lag and lead by one',
    sql: `SELECT o_orderkey, o_custkey,
  lag(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS prev_price,
  lead(o_orderdate) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS next_date
FROM {s}.orders WHERE o_custkey < 100 ORDER BY o_orderkey`,
  },
  {
    name: 'lag with offset and default',
    sql: `SELECT o_orderkey, lag(o_totalprice, 2, 0) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS p2,
  lead(o_orderstatus, 3, 'none') OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS s3
FROM {s}.orders WHERE o_custkey < 150 ORDER BY o_orderkey`,
  },
  {
    name: 'lead past the partition end without a default',
    sql: `SELECT n_nationkey, lead(n_name, 4) OVER (PARTITION BY n_regionkey ORDER BY n_nationkey) AS ahead,
  lag(n_nationkey, 1, -1) OVER (PARTITION BY n_regionkey ORDER BY n_nationkey) AS behind
FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'lag of a date and of an expression',
    sql: `SELECT o_orderkey, o_orderdate - lag(o_orderdate) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS gap_days,
  lag(o_totalprice * 2) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS twice
FROM {s}.orders WHERE o_custkey BETWEEN 200 AND 400 ORDER BY o_orderkey`,
  },
  {
    name: 'first_value and last_value with the default frame',
    sql: `SELECT c_custkey, first_value(c_name) OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey) AS richest,
  last_value(c_custkey) OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey) AS so_far
FROM {s}.customer ORDER BY c_custkey LIMIT 300`,
  },
  {
    name: 'last_value over the whole partition',
    sql: `SELECT c_custkey, last_value(c_name) OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey
  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS poorest
FROM {s}.customer ORDER BY c_custkey LIMIT 300`,
  },
  {
    name: 'first_value of a frame past the partition end is NULL',
    sql: `SELECT s_suppkey, first_value(s_suppkey) OVER (PARTITION BY s_nationkey ORDER BY s_suppkey ROWS BETWEEN 2 FOLLOWING AND 3 FOLLOWING) AS f,
  last_value(s_suppkey) OVER (PARTITION BY s_nationkey ORDER BY s_suppkey ROWS BETWEEN 3 PRECEDING AND 2 PRECEDING) AS l
FROM {s}.supplier ORDER BY s_suppkey`,
  },
  {
    name: 'min over a RANGE frame from the current peers on',
    sql: `SELECT o_orderkey, min(o_orderkey) OVER (PARTITION BY o_orderstatus ORDER BY o_orderdate
  RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS later_min
FROM {s}.orders WHERE o_orderkey % 5 = 0 ORDER BY o_orderkey`,
  },
  // Aggregates with the default frames.
  {
    name: 'sum over the whole partition (no ORDER BY)',
    sql: `SELECT c_custkey, sum(c_acctbal) OVER (PARTITION BY c_nationkey) AS nation_total,
  avg(c_acctbal) OVER (PARTITION BY c_nationkey) AS nation_avg
FROM {s}.customer ORDER BY c_custkey LIMIT 300`,
  },
  {
    name: 'running sum with peers (default RANGE frame)',
    sql: `SELECT o_orderkey, sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate) AS running
FROM {s}.orders WHERE o_custkey < 300 ORDER BY o_orderkey`,
  },
  {
    name: 'running count and sum over ties',
    sql: `SELECT l_orderkey, l_linenumber, count(*) OVER (PARTITION BY l_suppkey ORDER BY l_shipmode) AS n,
  sum(l_quantity) OVER (PARTITION BY l_suppkey ORDER BY l_shipmode) AS q
FROM {s}.lineitem WHERE l_suppkey < 10 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'count(x) skips NULLs, count(*) does not',
    sql: `SELECT o_orderkey, count(CASE WHEN o_orderstatus = 'F' THEN o_orderkey END) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS finished,
  count(*) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS all_orders
FROM {s}.orders WHERE o_custkey < 200 ORDER BY o_orderkey`,
  },
  {
    name: 'min and max running',
    sql: `SELECT o_orderkey, min(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS lo,
  max(o_orderdate) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS latest,
  max(o_clerk) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS clerk
FROM {s}.orders WHERE o_custkey < 200 ORDER BY o_orderkey`,
  },
  {
    name: 'aggregates over the empty window ()',
    sql: `SELECT n_nationkey, count(*) OVER () AS n, sum(n_regionkey) OVER () AS s, min(n_name) OVER () AS first_name,
  max(n_name) OVER () AS last_name FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'avg of a decimal and of an integer',
    sql: `SELECT l_orderkey, l_linenumber, avg(l_extendedprice) OVER (PARTITION BY l_orderkey) AS avg_price,
  avg(l_linenumber) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber) AS avg_line
FROM {s}.lineitem WHERE l_orderkey < 1000 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'sums of integers are HUGEINT in every frame kind, avg DOUBLE, count BIGINT, min/max their type',
    sql: `SELECT o_orderkey,
  sum(o_custkey) OVER (PARTITION BY o_orderstatus ORDER BY o_orderkey) AS running,
  sum(o_custkey * 1000000000000) OVER (ORDER BY o_orderkey ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING) AS sliding,
  sum(o_shippriority + o_custkey) OVER (PARTITION BY o_orderpriority ORDER BY o_orderdate RANGE BETWEEN INTERVAL 20 DAY PRECEDING AND INTERVAL 5 DAY FOLLOWING) AS ranged,
  sum(o_custkey) OVER (PARTITION BY o_orderpriority) AS whole,
  avg(o_custkey) OVER (PARTITION BY o_orderpriority ORDER BY o_orderkey ROWS 2 PRECEDING) AS avg3,
  count(o_custkey) OVER (PARTITION BY o_orderstatus ORDER BY o_orderkey) AS n,
  min(o_custkey) OVER (PARTITION BY o_orderpriority) AS lo,
  max(o_shippriority) OVER (ORDER BY o_orderkey ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) AS hi
FROM {s}.orders WHERE o_orderkey < 20000 ORDER BY o_orderkey`,
    scaleOut: true,
  },
  // ROWS frames.
  {
    name: 'moving sum of 3 rows',
    sql: `SELECT o_orderkey, sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s3
FROM {s}.orders WHERE o_custkey < 400 ORDER BY o_orderkey`,
  },
  {
    name: 'centered moving average',
    sql: `SELECT o_orderkey, avg(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderkey ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS centered
FROM {s}.orders WHERE o_custkey < 400 ORDER BY o_orderkey`,
  },
  {
    name: 'ROWS n FOLLOWING to UNBOUNDED FOLLOWING',
    sql: `SELECT s_suppkey, sum(s_acctbal) OVER (PARTITION BY s_nationkey ORDER BY s_suppkey ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS rest,
  count(*) OVER (PARTITION BY s_nationkey ORDER BY s_suppkey ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS n_rest
FROM {s}.supplier ORDER BY s_suppkey`,
  },
  {
    name: 'ROWS UNBOUNDED PRECEDING short form',
    sql: `SELECT c_custkey, sum(c_acctbal) OVER (PARTITION BY c_mktsegment ORDER BY c_custkey ROWS UNBOUNDED PRECEDING) AS running
FROM {s}.customer ORDER BY c_custkey LIMIT 300`,
  },
  {
    name: 'ROWS n PRECEDING short form',
    sql: `SELECT c_custkey, max(c_acctbal) OVER (ORDER BY c_custkey ROWS 4 PRECEDING) AS max5,
  min(c_name) OVER (ORDER BY c_custkey ROWS 2 PRECEDING) AS min3
FROM {s}.customer ORDER BY c_custkey LIMIT 300`,
  },
  {
    name: 'ROWS frame entirely before the row',
    sql: `SELECT p_partkey, sum(p_retailprice) OVER (ORDER BY p_partkey ROWS BETWEEN 5 PRECEDING AND 3 PRECEDING) AS earlier,
  count(p_retailprice) OVER (ORDER BY p_partkey ROWS BETWEEN 5 PRECEDING AND 3 PRECEDING) AS n
FROM {s}.part ORDER BY p_partkey LIMIT 100`,
  },
  {
    name: 'sliding min and max (deque)',
    sql: `SELECT l_orderkey, l_linenumber,
  min(l_extendedprice) OVER (PARTITION BY l_suppkey ORDER BY l_orderkey, l_linenumber ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING) AS lo,
  max(l_shipdate) OVER (PARTITION BY l_suppkey ORDER BY l_orderkey, l_linenumber ROWS BETWEEN 3 PRECEDING AND 2 FOLLOWING) AS hi
FROM {s}.lineitem WHERE l_suppkey < 8 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'sliding max over strings',
    sql: `SELECT p_partkey, max(p_name) OVER (ORDER BY p_partkey ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS mx,
  min(p_type) OVER (ORDER BY p_partkey ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) AS mn
FROM {s}.part ORDER BY p_partkey LIMIT 150`,
  },
  {
    name: 'ROWS CURRENT ROW to CURRENT ROW',
    sql: `SELECT n_nationkey, sum(n_nationkey) OVER (ORDER BY n_nationkey ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS self
FROM {s}.nation ORDER BY n_nationkey`,
  },
  // RANGE frames.
  {
    name: 'RANGE CURRENT ROW to UNBOUNDED FOLLOWING includes peers',
    sql: `SELECT o_orderkey, count(*) OVER (PARTITION BY o_orderpriority ORDER BY o_orderstatus RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS n
FROM {s}.orders WHERE o_orderkey < 2000 ORDER BY o_orderkey`,
  },
  {
    name: 'RANGE numeric offsets over an integer key',
    sql: `SELECT p_partkey, count(*) OVER (ORDER BY p_size RANGE BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS near,
  sum(p_retailprice) OVER (PARTITION BY p_brand ORDER BY p_size RANGE BETWEEN 5 PRECEDING AND CURRENT ROW) AS s
FROM {s}.part ORDER BY p_partkey LIMIT 300`,
  },
  {
    name: 'RANGE decimal offsets over a decimal key',
    sql: `SELECT c_custkey, count(*) OVER (PARTITION BY c_mktsegment ORDER BY c_acctbal RANGE BETWEEN 100.50 PRECEDING AND 100.50 FOLLOWING) AS near,
  min(c_acctbal) OVER (PARTITION BY c_mktsegment ORDER BY c_acctbal RANGE BETWEEN 250 PRECEDING AND CURRENT ROW) AS lo
FROM {s}.customer ORDER BY c_custkey LIMIT 300`,
  },
  {
    name: 'RANGE offsets over a descending key',
    sql: `SELECT s_suppkey, count(*) OVER (ORDER BY s_acctbal DESC RANGE BETWEEN 500 PRECEDING AND 100 FOLLOWING) AS n,
  max(s_suppkey) OVER (ORDER BY s_acctbal DESC RANGE BETWEEN 1000 PRECEDING AND CURRENT ROW) AS mx
FROM {s}.supplier ORDER BY s_suppkey`,
  },
  {
    name: 'RANGE with both edges following',
    sql: `SELECT p_partkey, count(*) OVER (PARTITION BY p_container ORDER BY p_size RANGE BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS n
FROM {s}.part ORDER BY p_partkey LIMIT 300`,
  },
  {
    name: 'RANGE with both edges preceding',
    sql: `SELECT p_partkey, sum(p_size) OVER (PARTITION BY p_mfgr ORDER BY p_size RANGE BETWEEN 10 PRECEDING AND 1 PRECEDING) AS s
FROM {s}.part ORDER BY p_partkey LIMIT 300`,
  },
  {
    name: 'RANGE over dates by an interval of days',
    sql: `SELECT o_orderkey, count(*) OVER (PARTITION BY o_orderpriority ORDER BY o_orderdate RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND CURRENT ROW) AS week,
  sum(o_totalprice) OVER (PARTITION BY o_orderpriority ORDER BY o_orderdate RANGE BETWEEN INTERVAL '3 days' PRECEDING AND INTERVAL '3 days' FOLLOWING) AS around
FROM {s}.orders WHERE o_orderkey % 20 = 3 ORDER BY o_orderkey`,
  },
  {
    name: 'RANGE over dates by a month interval',
    sql: `SELECT o_orderkey, count(*) OVER (ORDER BY o_orderdate RANGE BETWEEN INTERVAL '1 month' PRECEDING AND CURRENT ROW) AS n_month,
  max(o_totalprice) OVER (ORDER BY o_orderdate RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND INTERVAL 1 MONTH FOLLOWING) AS mx
FROM {s}.orders WHERE o_orderkey % 40 = 7 ORDER BY o_orderkey`,
  },
  {
    name: 'RANGE over dates descending by a year interval',
    sql: `SELECT o_orderkey, count(*) OVER (PARTITION BY o_orderstatus ORDER BY o_orderdate DESC RANGE BETWEEN INTERVAL 1 YEAR PRECEDING AND CURRENT ROW) AS n
FROM {s}.orders WHERE o_orderkey % 30 = 11 ORDER BY o_orderkey`,
  },
  {
    name: 'RANGE interval over lineitem ship dates',
    sql: `SELECT l_orderkey, l_linenumber, sum(l_quantity) OVER (PARTITION BY l_shipmode ORDER BY l_shipdate RANGE BETWEEN INTERVAL 2 DAY PRECEDING AND INTERVAL 2 DAY FOLLOWING) AS q
FROM {s}.lineitem WHERE l_orderkey < 1500 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'RANGE offsets with NULL order keys',
    sql: `SELECT o_orderkey, count(*) OVER (PARTITION BY o_orderstatus ORDER BY CASE WHEN o_orderkey % 9 = 0 THEN NULL ELSE o_totalprice END
  RANGE BETWEEN 20000 PRECEDING AND 20000 FOLLOWING) AS n,
  sum(o_totalprice) OVER (ORDER BY CASE WHEN o_orderkey % 9 = 0 THEN NULL ELSE o_orderdate END NULLS FIRST
  RANGE BETWEEN INTERVAL 10 DAY PRECEDING AND CURRENT ROW) AS s
FROM {s}.orders WHERE o_orderkey < 3000 ORDER BY o_orderkey`,
  },
  {
    name: 'RANGE UNBOUNDED PRECEDING short form',
    sql: `SELECT ps_partkey, ps_suppkey, sum(ps_availqty) OVER (PARTITION BY ps_partkey ORDER BY ps_supplycost RANGE UNBOUNDED PRECEDING) AS s
FROM {s}.partsupp WHERE ps_partkey < 200 ORDER BY ps_partkey, ps_suppkey`,
  },
  // Named windows, aggregates, expressions, outer clauses.
  {
    name: 'named window used twice',
    sql: `SELECT c_custkey, row_number() OVER w AS rn, sum(c_acctbal) OVER w AS running
FROM {s}.customer WINDOW w AS (PARTITION BY c_nationkey ORDER BY c_custkey) ORDER BY c_custkey LIMIT 300`,
  },
  {
    name: 'named window refined with ORDER BY and a frame',
    sql: `SELECT o_orderkey, count(*) OVER w AS n, sum(o_totalprice) OVER (w ORDER BY o_orderkey ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS pair
FROM {s}.orders WHERE o_custkey < 150 WINDOW w AS (PARTITION BY o_custkey) ORDER BY o_orderkey`,
  },
  {
    name: 'window over aggregates in a GROUP BY query',
    sql: `SELECT o_custkey, sum(o_totalprice) AS spent, sum(sum(o_totalprice)) OVER (ORDER BY o_custkey) AS cumulative,
  rank() OVER (ORDER BY sum(o_totalprice) DESC, o_custkey) AS spend_rank
FROM {s}.orders WHERE o_custkey < 300 GROUP BY o_custkey ORDER BY o_custkey`,
  },
  {
    name: 'share of a group in its partition',
    sql: `SELECT n_regionkey, c_nationkey, count(*) AS customers,
  count(*) * 100.0 / sum(count(*)) OVER (PARTITION BY n_regionkey) AS pct
FROM {s}.customer JOIN {s}.nation ON c_nationkey = n_nationkey
GROUP BY n_regionkey, c_nationkey ORDER BY n_regionkey, c_nationkey`,
  },
  {
    name: 'window over a HAVING-filtered aggregate',
    sql: `SELECT l_suppkey, count(*) AS n, dense_rank() OVER (ORDER BY count(*) DESC) AS dr
FROM {s}.lineitem GROUP BY l_suppkey HAVING count(*) > 600 ORDER BY l_suppkey`,
  },
  {
    name: 'window expression inside a larger expression',
    sql: `SELECT o_orderkey, o_totalprice - avg(o_totalprice) OVER (PARTITION BY o_orderpriority) AS diff,
  CASE WHEN row_number() OVER (PARTITION BY o_custkey ORDER BY o_orderkey) = 1 THEN 'first' ELSE 'repeat' END AS kind
FROM {s}.orders WHERE o_custkey < 200 ORDER BY o_orderkey`,
  },
  {
    name: 'ORDER BY a window expression',
    sql: `SELECT c_custkey, c_acctbal FROM {s}.customer
ORDER BY rank() OVER (PARTITION BY c_mktsegment ORDER BY c_acctbal DESC), c_custkey LIMIT 40`,
  },
  {
    name: 'DISTINCT over window values',
    sql: `SELECT DISTINCT o_orderpriority, count(*) OVER (PARTITION BY o_orderpriority) AS n
FROM {s}.orders ORDER BY o_orderpriority`,
  },
  {
    name: 'LIMIT and OFFSET over a window',
    sql: `SELECT l_orderkey, l_linenumber, sum(l_extendedprice) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber) AS running
FROM {s}.lineitem ORDER BY l_orderkey, l_linenumber LIMIT 50 OFFSET 100`,
  },
  {
    name: 'windows with different partitionings in one query',
    sql: `SELECT o_orderkey, rank() OVER (PARTITION BY o_custkey ORDER BY o_totalprice DESC, o_orderkey) AS by_customer,
  rank() OVER (PARTITION BY o_orderpriority ORDER BY o_totalprice DESC, o_orderkey) AS by_priority,
  count(*) OVER (PARTITION BY o_orderstatus) AS by_status
FROM {s}.orders WHERE o_custkey < 500 ORDER BY o_orderkey`,
  },
  {
    name: 'window over a join',
    sql: `SELECT n_name, s_suppkey, rank() OVER (PARTITION BY n_name ORDER BY s_acctbal DESC, s_suppkey) AS r
FROM {s}.supplier JOIN {s}.nation ON s_nationkey = n_nationkey ORDER BY n_name, s_suppkey`,
  },
  {
    name: 'filter on the partition key outside a window subquery',
    sql: `SELECT * FROM (
  SELECT o_custkey, o_orderkey, count(*) OVER (PARTITION BY o_custkey) AS n, row_number() OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS rn
  FROM {s}.orders) t
WHERE o_custkey < 40 ORDER BY o_custkey, o_orderkey`,
    scaleOut: true,
  },
  {
    name: 'filter on a window value outside a subquery',
    sql: `SELECT * FROM (
  SELECT o_custkey, o_orderkey, lag(o_orderdate) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS prev
  FROM {s}.orders) t
WHERE prev IS NULL AND o_custkey < 400 ORDER BY o_custkey, o_orderkey`,
  },
  {
    name: 'window over a derived table in a CTE',
    sql: `WITH totals AS (SELECT o_custkey, sum(o_totalprice) AS spent FROM {s}.orders GROUP BY o_custkey)
SELECT o_custkey, spent, ntile(5) OVER (ORDER BY spent, o_custkey) AS quintile,
  percent_rank() OVER (ORDER BY spent) AS pr
FROM totals ORDER BY o_custkey LIMIT 200`,
  },
  {
    name: 'unaliased window columns keep DuckDB names',
    sql: `SELECT n_nationkey, row_number() OVER (PARTITION BY n_regionkey ORDER BY n_nationkey), sum(n_nationkey) OVER (),
  rank() OVER (ORDER BY n_regionkey DESC), count(*) OVER (ORDER BY n_nationkey ASC RANGE UNBOUNDED PRECEDING),
  min(n_name) OVER (PARTITION BY n_regionkey ORDER BY n_nationkey NULLS LAST ROWS UNBOUNDED PRECEDING),
  lag(n_name, 2) OVER (ORDER BY n_nationkey DESC NULLS FIRST)
FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'sum of a decimal product over a frame',
    sql: `SELECT l_orderkey, l_linenumber,
  sum(l_extendedprice * (1 - l_discount)) OVER (PARTITION BY l_orderkey ORDER BY l_linenumber ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS rev
FROM {s}.lineitem WHERE l_orderkey < 800 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'running totals over the whole lineitem table, aggregated',
    sql: `SELECT l_returnflag, max(running) AS top, count(*) AS n FROM (
  SELECT l_returnflag, sum(l_quantity) OVER (PARTITION BY l_returnflag ORDER BY l_orderkey, l_linenumber) AS running FROM {s}.lineitem) t
GROUP BY l_returnflag ORDER BY l_returnflag`,
  },
  {
    name: 'one partition for the whole lineitem table',
    sql: `SELECT max(rn) AS rows_seen, sum(CASE WHEN prev_key = l_orderkey THEN 1 ELSE 0 END) AS same_order FROM (
  SELECT l_orderkey, row_number() OVER (ORDER BY l_orderkey, l_linenumber) AS rn,
    lag(l_orderkey) OVER (ORDER BY l_orderkey, l_linenumber) AS prev_key FROM {s}.lineitem) t`,
  },
  {
    name: 'count distinct partitions via dense_rank',
    sql: `SELECT max(dr) AS customers FROM (SELECT dense_rank() OVER (ORDER BY o_custkey) AS dr FROM {s}.orders) t`,
    scaleOut: true,
  },
];
