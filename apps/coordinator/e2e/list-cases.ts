import type { SqlCase } from './sql-cases.ts';

/**
 * Lists (DuckDB's LIST, Postgres' arrays) and the table functions that make and unnest them,
 * run on Tributary and DuckDB over the same files (`{s}` the source). Each builds or reads a
 * list in an executor fragment: aggregated, shuffled, joined, grouped by, unnested.
 */
export const LIST_CASES: SqlCase[] = [
  {
    name: 'array_agg() with ORDER BY, per group',
    sql: `SELECT n_regionkey, array_agg(n_nationkey ORDER BY n_nationkey) AS keys,
            array_agg(n_name ORDER BY n_name DESC) AS names, len(list(n_comment)) AS comments
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'array literals, subscripts and list functions',
    sql: `SELECT ARRAY[1, 2, 3] AS a, (ARRAY[1, 2, 3])[2] AS second, (ARRAY[1, 2, 3])[5] AS beyond,
            len(ARRAY['x', 'y']) AS n, array_length(ARRAY[4, 5, 6]) AS m,
            list_contains(ARRAY[1, 2], 2) AS has, list_position(ARRAY['a', 'b'], 'b') AS pos,
            array_to_string(ARRAY['a', NULL, 'c'], '-') AS joined,
            ARRAY[1, 2] || ARRAY[3] AS cat`,
  },
  {
    name: "DuckDB's bare list literals, in expressions, filters and CASE",
    sql: `SELECT n_name, [n_nationkey, n_regionkey] AS pair, [n_nationkey * 2][1] AS first,
            list_contains([1, 3, 5], n_regionkey) AS odd, CASE WHEN n_regionkey > 2 THEN ['hi'] ELSE ['lo', n_name] END AS tag
          FROM {s}.nation WHERE n_regionkey = ANY([0, 4]) OR [n_nationkey] = [7] ORDER BY n_name`,
  },
  {
    name: "DuckDB's slices of lists and strings, bounds negative, left out or computed",
    sql: `SELECT n_nationkey, n_name[2:4], n_name[-3:], n_name[:2] AS head, [n_nationkey, n_regionkey, 7][2:] AS tail,
            list_slice([1, 2, 3, 4], -3, -2) AS mid, array_slice(n_name, 1, 1) AS initial,
            [1, 2, 3][n_regionkey : n_regionkey + 1] AS moving, [1, 2, 3, 4][2:3][1] AS second,
            [1, 2, 3, 4, 5][0:2] AS low, [1, 2, 3][3:1] AS empty, [1, 2, 3, 4, 5][2:-2] AS inner
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: "DuckDB's list aggregates: list_sum, list_avg, list_aggregate(l, name) and the rest, over grouped lists",
    sql: `SELECT n_regionkey, list_sum(list(n_nationkey)) AS s, list_avg(list(n_nationkey)) AS a, list_max(list(n_name)) AS mx,
            list_min(list(n_name)) AS mn, list_count(list(nullif(n_nationkey % 3, 0))) AS c, list_median(list(n_nationkey)) AS md,
            list_aggregate(list(n_nationkey), 'product') AS p, list_aggr(list(n_nationkey * 1.5), 'sum') AS ds,
            list_stddev_samp(list(n_nationkey)) AS sd, list_bool_or(list(n_name LIKE 'I%')) AS i,
            list_first(list(n_name ORDER BY n_name)) AS f, list_sum(CAST([] AS INTEGER[])) AS none, list_sum(NULL::INTEGER[]) AS null_list
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'generate_series and range over dates and timestamps by an INTERVAL, as lists and as tables joined to orders',
    sql: `SELECT d::DATE AS day, count(o.o_orderkey) AS orders, sum(o.o_totalprice) AS total,
            len(generate_series(d, d + INTERVAL 1 DAY, INTERVAL 6 HOUR)) AS quarters, range(d, d + INTERVAL 2 MONTH, INTERVAL 1 MONTH) AS months
          FROM generate_series(DATE '1995-01-30', DATE '1995-02-03', INTERVAL 1 DAY) t(d)
          LEFT JOIN {s}.orders o ON o.o_orderdate = d::DATE
          GROUP BY ALL ORDER BY day`,
  },
  {
    name: 'a month-by-month series steps from the last value, clamped at month ends, and counts down by a negative step',
    sql: `SELECT * FROM range(TIMESTAMP '2024-01-31 12:00:00', TIMESTAMP '2024-07-01', INTERVAL '1 month 1 hour') t(ts)
          UNION ALL SELECT unnest(generate_series(TIMESTAMP '2024-01-03', TIMESTAMP '2024-01-01', INTERVAL (-12) HOUR))
          ORDER BY 1`,
  },
  {
    name: 'lists cast from and to text',
    sql: `SELECT CAST('[1, 2, 3]' AS INTEGER[]) AS a, CAST(ARRAY[1, 2] AS VARCHAR) AS t,
            CAST(ARRAY['a', 'b c'] AS VARCHAR) AS s,
            CAST(['', ' x', 'Null', 'a,b', 'it''s', NULL] AS VARCHAR) AS q,
            CAST([TIMESTAMP '2024-01-01 10:00:00', NULL] AS VARCHAR) AS ts, CAST([[DATE '2024-01-01']] AS VARCHAR) AS d`,
  },
  {
    name: 'a list column over a shuffle join',
    sql: `SELECT r.r_name, t.keys FROM {s}.region r
          JOIN (SELECT n_regionkey, array_agg(n_nationkey ORDER BY n_nationkey) AS keys
                FROM {s}.nation GROUP BY n_regionkey) t ON r.r_regionkey = t.n_regionkey
          ORDER BY r.r_name`,
  },
  {
    name: 'GROUP BY a list',
    sql: `SELECT parity, count(*) AS regions FROM (
            SELECT n_regionkey, array_agg(n_nationkey % 2 ORDER BY n_nationkey) AS parity
            FROM {s}.nation GROUP BY n_regionkey) t
          GROUP BY parity ORDER BY regions`,
    orderKeys: [1],
  },
  {
    name: 'ORDER BY a list, element by element, and a top-N of lists',
    sql: `SELECT n_regionkey, array_agg(n_nationkey % 3 ORDER BY n_nationkey) AS k
          FROM {s}.nation GROUP BY n_regionkey ORDER BY k DESC, n_regionkey`,
  },
  {
    name: 'a top-N by a list',
    sql: `SELECT r_name, ARRAY[r_regionkey % 2, length(r_name)] AS k FROM {s}.region ORDER BY k, r_name LIMIT 3`,
  },
  {
    name: 'ARRAY(subquery), correlated and ordered',
    sql: `SELECT r_name, ARRAY(SELECT n_name FROM {s}.nation n WHERE n.n_regionkey = r.r_regionkey
            ORDER BY n_name) AS names FROM {s}.region r ORDER BY r_name`,
  },
  {
    name: 'generate_series and range in FROM',
    sql: `SELECT * FROM generate_series(1, 10, 3)`,
  },
  {
    name: 'range in FROM with a column alias, joined to a table',
    sql: `SELECT t.i, r.r_name FROM range(0, 5) t(i) JOIN {s}.region r ON r.r_regionkey = t.i ORDER BY t.i`,
  },
  {
    name: 'unnest in FROM',
    sql: `SELECT * FROM unnest(ARRAY['a', 'b', NULL])`,
  },
  {
    name: 'unnest in the select list, other columns repeated, WHERE applied',
    sql: `SELECT n_regionkey, unnest(ARRAY[n_nationkey, n_nationkey * 10]) AS k
          FROM {s}.nation WHERE n_regionkey < 2 ORDER BY k`,
  },
  {
    name: 'unnest in the select list of a NULL or empty list gives no row',
    sql: `SELECT r, unnest(l) AS e FROM (SELECT r_regionkey AS r,
            CASE WHEN r_regionkey = 0 THEN NULL WHEN r_regionkey = 1 THEN ARRAY[]::INTEGER[] ELSE ARRAY[r_regionkey, 7] END AS l
            FROM {s}.region) t ORDER BY r, e`,
  },
  {
    name: 'a table function reading the enclosing query',
    sql: `SELECT r_regionkey, (SELECT sum(g) FROM generate_series(0, r_regionkey) t(g)) AS total
          FROM {s}.region ORDER BY r_regionkey`,
  },
  {
    name: 'unnest of aggregated lists, correlated',
    sql: `SELECT n_regionkey, (SELECT count(*) FROM unnest(keys) u(k) WHERE k > 10) AS big
          FROM (SELECT n_regionkey, list(n_nationkey) AS keys FROM {s}.nation GROUP BY n_regionkey) t
          ORDER BY n_regionkey`,
  },
];
