import type { SqlCase } from './sql-cases.ts';

/**
 * SQL functions, aggregates and parser forms, run on Tributary and DuckDB over the TPC-H
 * tables and compared (values, column names and types). `{s}` stands for the source.
 * NULL inputs come from NULLIF/CASE and outer joins, non-ASCII text from string literals.
 * Many items are left unaliased on purpose: their names must be DuckDB's too.
 */
export const FUNCTION_CASES: SqlCase[] = [
  // ---- parser and binder forms
  {
    name: 'quoted names with doubled quotes',
    sql: `SELECT n_name AS "na""me", n_nationkey AS """k""" FROM {s}.nation ORDER BY 2 LIMIT 3`,
  },
  {
    name: 'keywords as aliases and qualifiers',
    sql: `SELECT nulls.n_name AS "order", nulls.n_regionkey AS value, nulls.n_nationkey AS user
          FROM {s}.nation AS nulls ORDER BY 3 LIMIT 5`,
  },
  {
    name: 'keyword alias without AS, and ORDER BY … NULLS FIRST beside it',
    sql: `SELECT nulls.r_name, nullif(nulls.r_regionkey, 2) AS k FROM {s}.region nulls ORDER BY k NULLS FIRST`,
  },
  {
    name: 'keyword-named aliases after AS',
    sql: `SELECT r_regionkey AS "left", r_name AS window, r_comment IS NULL AS "end" FROM {s}.region ORDER BY 1`,
  },
  {
    name: 'LIMIT at BIGINT maximum',
    sql: `SELECT n_nationkey FROM {s}.nation ORDER BY n_nationkey LIMIT 9223372036854775807`,
  },
  {
    name: 'huge OFFSET',
    sql: `SELECT n_nationkey FROM {s}.nation ORDER BY n_nationkey LIMIT 3 OFFSET 9223372036854775807`,
  },
  {
    name: 'huge OFFSET alone',
    sql: `SELECT count(*) AS n FROM (SELECT n_nationkey FROM {s}.nation OFFSET 1000000000000) t`,
  },
  {
    name: 'IS [NOT] DISTINCT FROM with NULLs',
    sql: `SELECT n_nationkey, n_nationkey IS DISTINCT FROM nullif(n_regionkey, 1),
                 nullif(n_nationkey, 3) IS NOT DISTINCT FROM nullif(n_regionkey, 1) AS same,
                 nullif(n_name, 'CHINA') IS DISTINCT FROM NULL AS x
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'IS DISTINCT FROM in WHERE',
    sql: `SELECT count(*) AS n FROM {s}.nation WHERE nullif(n_regionkey, 0) IS DISTINCT FROM nullif(n_regionkey, 4)`,
  },
  {
    name: 'substring both forms and position',
    sql: `SELECT n_name, substring(n_name, 2, 3), substring(n_name FROM 2 FOR 3) AS s2, substr(n_name, 3),
                 substring(n_name FROM 4) AS s4, position('A' IN n_name), strpos(n_name, 'AN') AS sp
          FROM {s}.nation ORDER BY n_name`,
  },
  {
    name: 'EXTRACT of every part from dates',
    sql: `SELECT o_orderkey, extract(year FROM o_orderdate) AS y, extract(quarter FROM o_orderdate) AS q,
                 extract(month FROM o_orderdate) AS m, extract(week FROM o_orderdate) AS w,
                 extract(day FROM o_orderdate) AS d, extract(dow FROM o_orderdate) AS dw,
                 extract(doy FROM o_orderdate) AS dy, extract(epoch FROM o_orderdate) AS e,
                 extract(isodow FROM o_orderdate) AS idw, extract(isoyear FROM o_orderdate) AS iy
          FROM {s}.orders ORDER BY o_orderkey LIMIT 40`,
  },
  {
    name: 'EXTRACT of time parts from timestamps',
    sql: `SELECT extract(hour FROM t) AS h, extract(minute FROM t) AS mi, extract(second FROM t) AS s,
                 extract(epoch FROM t) AS e, extract(millisecond FROM t) AS ms, extract(microsecond FROM t) AS us
          FROM (SELECT CAST(o_orderdate AS TIMESTAMP) + INTERVAL 13 HOUR + INTERVAL 7 MINUTE AS t
                FROM {s}.orders WHERE o_orderkey < 40) x ORDER BY t`,
  },
  {
    name: 'EXTRACT unaliased',
    sql: `SELECT extract(year FROM o_orderdate), date_part('month', o_orderdate), year(o_orderdate)
          FROM {s}.orders WHERE o_orderkey < 10 ORDER BY 1, 2, 3`,
  },
  {
    name: 'CURRENT_DATE and today()',
    sql: `SELECT current_date = today() AS same, current_date > DATE '2020-01-01' AS later,
                 CAST(now() AS DATE) = current_date AS now_today`,
  },
  // ---- general
  {
    name: 'CASE searched and simple, with NULL branches',
    sql: `SELECT n_nationkey,
                 CASE WHEN n_regionkey = 1 THEN 'one' WHEN n_regionkey = 2 THEN NULL ELSE n_name END AS a,
                 CASE n_regionkey WHEN 0 THEN 10 WHEN 3 THEN 30 END AS b,
                 CASE WHEN n_nationkey > 20 THEN 1.5 ELSE 2 END AS c
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'CASE unaliased',
    sql: `SELECT CASE WHEN n_regionkey = 1 THEN 'x' ELSE 'y' END, CASE n_regionkey WHEN 2 THEN 1 END
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'COALESCE, NULLIF, IFNULL',
    sql: `SELECT n_nationkey, coalesce(nullif(n_regionkey, 1), nullif(n_nationkey, 5), -1),
                 nullif(n_name, 'CHINA'), ifnull(nullif(n_regionkey, 2), 99) AS i,
                 coalesce(nullif(n_name, 'PERU'), 'none') AS c
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'GREATEST and LEAST with NULLs and mixed types',
    sql: `SELECT n_nationkey, greatest(n_nationkey, n_regionkey * 5), least(n_nationkey, n_regionkey * 5) AS l,
                 greatest(nullif(n_nationkey, 3), 7) AS g2, least(nullif(n_regionkey, 0), 2.5) AS l2,
                 greatest(n_name, 'M') AS gs
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'outer join NULLs through functions',
    sql: `SELECT r.r_name, n.n_name, coalesce(n.n_name, 'none') AS nm, length(n.n_name) AS len,
                 upper(n.n_name) AS up, n.n_nationkey IS DISTINCT FROM 5 AS d
          FROM {s}.region r LEFT JOIN {s}.nation n ON n.n_regionkey = r.r_regionkey AND n.n_nationkey < 3
          ORDER BY r.r_name, n.n_name`,
  },
  // ---- strings
  {
    name: 'UPPER, LOWER, LENGTH',
    sql: `SELECT n_name, lower(n_name), upper(lower(n_name)) AS u, length(n_name), length(n_comment) AS lc
          FROM {s}.nation ORDER BY n_name`,
  },
  {
    name: 'non-ASCII strings',
    sql: `SELECT length('héllo wörld') AS len, upper('héllo') AS up, lower('ÀÉÎ') AS lo, reverse('añb→c') AS rev,
                 substring('日本語テキスト', 2, 3) AS sub, position('ö' IN 'héllo wörld') AS pos,
                 left('héllo', 2) AS l, right('héllo', 3) AS r, lpad('é', 4, 'ü') AS lp, rpad('ñ', 3, '→') AS rp,
                 split_part('α,β,γ', ',', 2) AS sp, replace('çà et là', 'à', 'a') AS rep,
                 starts_with('éclair', 'é') AS sw, 'naïve' LIKE 'na_ve' AS lk, strpos('日本語', '語') AS st`,
  },
  {
    name: 'TRIM, LTRIM, RTRIM with and without characters',
    sql: `SELECT trim('  a b  ') AS t, ltrim('  a  ') AS l, rtrim('  a  ') AS r, trim('xxhixx', 'x') AS tc,
                 ltrim('xyhix', 'xy') AS lc, rtrim('hixyx', 'xy') AS rc, trim(BOTH 'x' FROM 'xhix') AS b,
                 trim(LEADING 'x' FROM 'xhix') AS ld, trim(TRAILING 'x' FROM 'xhix') AS tr, trim('ééaéé', 'é') AS te`,
  },
  {
    name: 'TRIM over columns',
    sql: `SELECT n_name, trim(n_name, 'A'), ltrim(n_name, 'ABC') AS l, rtrim(n_name, 'AN') AS r
          FROM {s}.nation ORDER BY n_name`,
  },
  {
    name: 'CONCAT skips NULLs, || propagates them',
    sql: `SELECT n_nationkey, concat(n_name, '-', nullif(n_regionkey, 1)) AS c,
                 n_name || '-' || nullif(n_regionkey, 1) AS p, concat(nullif(n_name, n_name)) AS empty,
                 n_name || n_nationkey
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'REPLACE, STARTS_WITH, ENDS_WITH, CONTAINS',
    sql: `SELECT p_partkey, replace(p_type, 'BRASS', 'brass') AS r, starts_with(p_type, 'STANDARD') AS sw,
                 ends_with(p_type, 'TIN') AS ew, contains(p_name, 'green') AS c, replace(p_type, ' ', '')
          FROM {s}.part ORDER BY p_partkey LIMIT 50`,
  },
  {
    name: 'SPLIT_PART in every direction',
    sql: `SELECT c_custkey, split_part(c_phone, '-', 1) AS a, split_part(c_phone, '-', 4) AS b,
                 split_part(c_phone, '-', -1) AS c, split_part(c_phone, '-', 9) AS d, split_part(c_phone, '', 2) AS e,
                 split_part(c_name, '#', 2)
          FROM {s}.customer ORDER BY c_custkey LIMIT 30`,
  },
  {
    name: 'LIKE, ILIKE, NOT LIKE, ESCAPE',
    sql: `SELECT p_partkey, p_name LIKE '%green%' AS a, p_name ILIKE 'ALMOND%' AS b, p_type NOT LIKE 'STANDARD%' AS c,
                 p_comment NOT ILIKE '%FINAL%' AS d, 'a%b' LIKE 'a!%b' ESCAPE '!' AS e, 'axb' LIKE 'a!%b' ESCAPE '!' AS f
          FROM {s}.part ORDER BY p_partkey LIMIT 40`,
  },
  {
    name: 'LIKE unaliased',
    sql: `SELECT p_name LIKE '%green%', p_name NOT ILIKE '%BLUE%' FROM {s}.part ORDER BY p_partkey LIMIT 10`,
  },
  {
    name: 'LIKE with ESCAPE filters',
    sql: `SELECT count(*) AS n FROM {s}.customer WHERE c_comment LIKE '%s!_%' ESCAPE '!' OR c_name LIKE 'Customer#00000001_'`,
  },
  {
    name: 'REGEXP_MATCHES',
    sql: `SELECT p_partkey, regexp_matches(p_name, '^(almond|antique)') AS a, regexp_matches(p_type, 'BRASS$') AS b,
                 regexp_matches(p_name, 'GREEN', 'i') AS c, regexp_matches(p_container, '[0-9]')
          FROM {s}.part ORDER BY p_partkey LIMIT 40`,
  },
  {
    name: 'REGEXP_MATCHES as a filter',
    sql: `SELECT count(*) AS n FROM {s}.customer WHERE regexp_matches(c_phone, '^1[0-5]-')`,
  },
  {
    name: 'REGEXP_REPLACE first and global, groups',
    sql: `SELECT c_custkey, regexp_replace(c_phone, '-', '/') AS first, regexp_replace(c_phone, '-', '/', 'g') AS every,
                 regexp_replace(c_name, 'Customer#0*([0-9]+)', 'C\\1') AS grp, regexp_replace(c_name, 'customer', 'x', 'i') AS ci,
                 regexp_replace(c_phone, '[0-9]', '')
          FROM {s}.customer ORDER BY c_custkey LIMIT 30`,
  },
  {
    name: 'LEFT, RIGHT, REVERSE',
    sql: `SELECT n_name, left(n_name, 3), right(n_name, 2), left(n_name, -2) AS ln, right(n_name, -3) AS rn, reverse(n_name)
          FROM {s}.nation ORDER BY n_name`,
  },
  {
    name: 'TRANSLATE: replaced, removed and repeated characters',
    sql: `SELECT n_name, translate(n_name, 'AEIN', 'aei') AS t, translate(n_comment, 'aa ', 'xy') AS c,
                 translate(n_name, '', 'x') AS e, translate(NULL, 'a', 'b') AS n, translate('héllo→', '→é', 'e') AS u
          FROM {s}.nation ORDER BY n_name`,
  },
  {
    name: 'LPAD, RPAD, REPEAT',
    sql: `SELECT n_name, lpad(n_name, 12, '.') AS lp, rpad(n_name, 4, '*') AS rp, lpad(CAST(n_nationkey AS VARCHAR), 3, '0') AS k,
                 repeat(left(n_name, 1), 3) AS r
          FROM {s}.nation ORDER BY n_name`,
  },
  {
    name: 'string functions of NULL',
    sql: `SELECT n_nationkey, upper(nullif(n_name, 'BRAZIL')) AS u, length(nullif(n_name, 'BRAZIL')) AS l,
                 split_part(nullif(n_name, 'BRAZIL'), 'A', 1) AS sp, regexp_matches(nullif(n_name, 'BRAZIL'), 'A') AS rm,
                 replace(nullif(n_name, 'BRAZIL'), 'A', 'a') AS r, left(nullif(n_name, 'BRAZIL'), 2) AS lf,
                 reverse(nullif(n_name, 'BRAZIL')) AS rv, trim(nullif(n_name, 'BRAZIL')) AS t
          FROM {s}.nation WHERE n_nationkey < 5 ORDER BY n_nationkey`,
  },
  // ---- dates and times
  {
    name: 'DATE and TIMESTAMP literals',
    sql: `SELECT DATE '1995-06-17' AS d, TIMESTAMP '1995-06-17 10:11:12' AS t, DATE '2000-02-29' - DATE '2000-01-01' AS days`,
  },
  {
    name: 'date plus and minus intervals',
    sql: `SELECT o_orderkey, o_orderdate + INTERVAL 10 DAY AS d10, o_orderdate - INTERVAL '1' MONTH AS m1,
                 o_orderdate + INTERVAL 1 YEAR AS y1, o_orderdate + INTERVAL 3 HOUR AS h3
          FROM {s}.orders ORDER BY o_orderkey LIMIT 30`,
  },
  {
    name: 'date minus date',
    sql: `SELECT o_orderkey, DATE '1998-12-31' - o_orderdate AS age, o_orderdate - DATE '1992-01-01'
          FROM {s}.orders ORDER BY o_orderkey LIMIT 30`,
  },
  {
    name: 'date arithmetic across lineitem dates',
    sql: `SELECT l_shipmode, max(l_receiptdate - l_shipdate) AS slowest, min(l_commitdate - l_shipdate) AS earliest
          FROM {s}.lineitem GROUP BY l_shipmode ORDER BY l_shipmode`,
  },
  {
    name: 'DATE_TRUNC of dates',
    sql: `SELECT o_orderkey, date_trunc('year', o_orderdate) AS y, date_trunc('quarter', o_orderdate) AS q,
                 date_trunc('month', o_orderdate) AS m, date_trunc('week', o_orderdate) AS w, date_trunc('day', o_orderdate) AS d
          FROM {s}.orders ORDER BY o_orderkey LIMIT 40`,
  },
  {
    name: 'DATE_TRUNC of timestamps',
    sql: `SELECT date_trunc('hour', t) AS h, date_trunc('minute', t) AS m, date_trunc('second', t) AS s,
                 date_trunc('month', t) AS mo
          FROM (SELECT CAST(o_orderdate AS TIMESTAMP) + INTERVAL 5 HOUR + INTERVAL 31 MINUTE AS t
                FROM {s}.orders WHERE o_orderkey < 30) x ORDER BY t`,
  },
  {
    name: 'DATE_TRUNC grouping',
    sql: `SELECT date_trunc('year', o_orderdate) AS y, count(*) AS n, sum(o_totalprice) AS total
          FROM {s}.orders GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'DATE_DIFF and DATEDIFF by unit',
    sql: `SELECT o_orderkey, date_diff('day', o_orderdate, DATE '1998-08-02') AS d,
                 date_diff('month', o_orderdate, DATE '1998-08-02') AS m, date_diff('year', o_orderdate, DATE '1998-08-02') AS y,
                 date_diff('quarter', o_orderdate, DATE '1998-08-02') AS q, datediff('week', o_orderdate, DATE '1998-08-02') AS w,
                 date_diff('hour', o_orderdate, DATE '1998-08-02') AS h, datediff('day', DATE '1998-08-02', o_orderdate) AS neg
          FROM {s}.orders ORDER BY o_orderkey LIMIT 40`,
  },
  {
    name: 'DATE_DIFF between lineitem dates',
    sql: `SELECT l_orderkey, l_linenumber, date_diff('day', l_shipdate, l_receiptdate) AS d,
                 date_diff('month', l_shipdate, l_receiptdate) AS m, date_diff('week', l_commitdate, l_receiptdate) AS w
          FROM {s}.lineitem WHERE l_orderkey < 60 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'DATE_PART',
    sql: `SELECT o_orderkey, date_part('year', o_orderdate) AS y, date_part('dow', o_orderdate) AS dw,
                 date_part('epoch', o_orderdate) AS e, date_part('week', o_orderdate) AS w
          FROM {s}.orders ORDER BY o_orderkey LIMIT 30`,
  },
  {
    name: 'STRFTIME of dates',
    sql: `SELECT o_orderkey, strftime(o_orderdate, '%Y-%m-%d') AS iso, strftime(o_orderdate, '%d/%m/%y') AS eu,
                 strftime(o_orderdate, '%A %B %-d, %Y') AS long, strftime(o_orderdate, '%a %b %j %U %W %V %u %w') AS parts,
                 strftime(o_orderdate, '%Y%%')
          FROM {s}.orders ORDER BY o_orderkey LIMIT 40`,
  },
  {
    name: 'STRFTIME of timestamps',
    sql: `SELECT strftime(t, '%Y-%m-%d %H:%M:%S') AS a, strftime(t, '%I:%M %p') AS b, strftime(t, '%H.%f') AS c,
                 strftime(t, '%c | %x | %X') AS d
          FROM (SELECT CAST(o_orderdate AS TIMESTAMP) + INTERVAL 15 HOUR + INTERVAL 4 MINUTE AS t
                FROM {s}.orders WHERE o_orderkey < 20) x ORDER BY t`,
  },
  {
    name: 'MAKE_DATE',
    sql: `SELECT n_nationkey, make_date(1990 + n_nationkey, n_regionkey + 1, n_nationkey + 1) AS d,
                 make_date(2000, 2, 29) AS leap
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'date functions of NULL',
    sql: `SELECT extract(year FROM nullif(o_orderdate, o_orderdate)) AS y, date_trunc('month', nullif(o_orderdate, o_orderdate)) AS t,
                 strftime(nullif(o_orderdate, o_orderdate), '%Y') AS f, date_diff('day', nullif(o_orderdate, o_orderdate), o_orderdate) AS d
          FROM {s}.orders WHERE o_orderkey = 1`,
  },
  // ---- math
  {
    name: 'ROUND of decimals keeps DECIMAL',
    sql: `SELECT l_orderkey, l_linenumber, round(l_extendedprice, 1), round(l_extendedprice) AS r0,
                 round(l_discount * l_extendedprice, 2) AS r2, round(l_tax, 5) AS r5, round(l_extendedprice, -2) AS rneg
          FROM {s}.lineitem WHERE l_orderkey < 30 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'ROUND of doubles and integers',
    sql: `SELECT n_nationkey, round(n_nationkey / 7.0, 3) AS a, round(CAST(n_nationkey AS DOUBLE) / 3, 2) AS b,
                 round(n_nationkey * 1.5) AS c, round(n_nationkey, 0) AS d
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'ABS, SIGN, FLOOR, CEIL',
    sql: `SELECT c_custkey, c_acctbal, abs(c_acctbal), floor(c_acctbal) AS f, ceil(c_acctbal) AS c,
                 ceiling(c_acctbal / 3) AS c3, floor(CAST(c_acctbal AS DOUBLE)) AS fd, abs(c_nationkey - 12) AS ai
          FROM {s}.customer ORDER BY c_custkey LIMIT 40`,
  },
  {
    name: 'SIGN values',
    sql: `SELECT c_custkey, sign(c_acctbal) AS s, sign(c_nationkey - 10) AS si FROM {s}.customer ORDER BY c_custkey LIMIT 30`,
  },
  {
    name: 'TYPEOF names types as DuckDB does',
    sql: `SELECT c_custkey, typeof(c_acctbal) AS a, typeof(c_custkey) AS b, typeof(sign(c_acctbal)) AS c,
                 typeof(CAST(c_acctbal AS FLOAT) / 3) AS d, typeof(NULL) AS e, typeof([c_custkey]) AS f,
                 typeof(CAST(c_nationkey AS SMALLINT) + 1) AS g, typeof(sum(c_custkey) OVER ()) AS h,
                 typeof(CAST(DATE '2024-01-01' AS TIMESTAMPTZ)) AS i
          FROM {s}.customer ORDER BY c_custkey LIMIT 3`,
  },
  {
    name: 'POWER, SQRT, LN, LOG10, EXP',
    sql: `SELECT n_nationkey, power(n_nationkey, 2), pow(2, n_regionkey) AS p2, sqrt(n_nationkey) AS sq,
                 ln(n_nationkey + 1) AS l, log10(n_nationkey + 1) AS lg, log(n_nationkey + 1) AS lg2,
                 log2(n_nationkey + 1) AS lb, exp(n_regionkey) AS e
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'SIN, COS, TAN, COT, ASIN, ACOS, ATAN, ATAN2',
    sql: `SELECT c_custkey, sin(c_acctbal) AS s, cos(c_custkey) AS c, tan(c_nationkey) AS t, cot(c_custkey) AS ct,
                 asin(c_nationkey / 24) AS asn, acos(-c_nationkey / 24) AS acs, atan(c_acctbal) AS a,
                 atan2(c_acctbal, c_nationkey - 12) AS a2, sin(NULL) AS n
          FROM {s}.customer ORDER BY c_custkey LIMIT 40`,
  },
  {
    name: 'MOD and % on integers, decimals and negatives',
    sql: `SELECT c_custkey, c_custkey % 7 AS a, mod(c_nationkey, 4) AS b, c_acctbal % 10 AS c, -c_custkey % 3 AS d,
                 mod(c_acctbal, 3.5) AS e
          FROM {s}.customer ORDER BY c_custkey LIMIT 30`,
  },
  {
    name: 'math of NULL',
    sql: `SELECT abs(nullif(1, 1)) AS a, round(nullif(n_nationkey, n_nationkey), 1) AS r, sqrt(nullif(4, 4)) AS s,
                 power(nullif(n_regionkey, n_regionkey), 2) AS p, nullif(n_nationkey, n_nationkey) % 3 AS m
          FROM {s}.nation WHERE n_nationkey = 3`,
  },
  // ---- aggregates
  {
    name: 'COUNT, SUM, AVG, MIN, MAX per group',
    sql: `SELECT l_returnflag, count(*), count(l_comment) AS c, sum(l_quantity), avg(l_discount) AS a,
                 min(l_shipdate) AS mi, max(l_comment) AS mx
          FROM {s}.lineitem GROUP BY l_returnflag ORDER BY l_returnflag`,
  },
  {
    name: 'STDDEV and VARIANCE, sample and population',
    sql: `SELECT l_returnflag, stddev_samp(l_quantity), stddev_pop(l_quantity) AS sp, var_samp(l_extendedprice) AS vs,
                 var_pop(l_discount) AS vp, stddev(l_tax) AS sd, variance(l_quantity) AS v
          FROM {s}.lineitem GROUP BY l_returnflag ORDER BY l_returnflag`,
  },
  {
    name: 'STDDEV of one value and of none',
    sql: `SELECT o_orderstatus, stddev_samp(o_totalprice) FILTER (WHERE o_orderkey = 7) AS one,
                 var_pop(o_totalprice) FILTER (WHERE o_orderkey = 7) AS pop_one,
                 var_samp(o_totalprice) FILTER (WHERE o_orderkey < 0) AS none
          FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus`,
  },
  {
    name: 'global STDDEV and VARIANCE over many groups of splits',
    sql: `SELECT stddev_samp(c_acctbal) AS a, var_pop(c_acctbal) AS b, stddev_pop(c_nationkey) AS c, var_samp(c_custkey) AS d
          FROM {s}.customer`,
  },
  {
    name: 'BOOL_AND and BOOL_OR',
    sql: `SELECT o_orderpriority, bool_and(o_totalprice > 1000) AS a, bool_or(o_orderstatus = 'P') AS o,
                 bool_and(o_comment LIKE '%z%') AS z, bool_or(CASE WHEN o_custkey < 0 THEN true END) AS empty
          FROM {s}.orders GROUP BY o_orderpriority ORDER BY o_orderpriority`,
  },
  {
    name: 'BOOL_AND unaliased, global',
    sql: `SELECT bool_and(n_nationkey >= 0), bool_or(n_name = 'PERU') FROM {s}.nation`,
  },
  {
    name: 'STRING_AGG ordered',
    sql: `SELECT n_regionkey, string_agg(n_name, ', ' ORDER BY n_name) AS names,
                 string_agg(n_name, '|' ORDER BY n_nationkey DESC) AS by_key
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'STRING_AGG ordered unaliased, default separator',
    sql: `SELECT r_name, string_agg(n_name ORDER BY n_name), string_agg(n_name, '-' ORDER BY n_name DESC)
          FROM {s}.region JOIN {s}.nation ON n_regionkey = r_regionkey GROUP BY r_name ORDER BY r_name`,
  },
  {
    name: 'STRING_AGG unordered compared by length',
    sql: `SELECT n_regionkey, length(string_agg(n_name, ',')) AS len, length(string_agg(n_name)) AS len2
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'STRING_AGG over many rows ordered by two keys',
    sql: `SELECT o_orderstatus, length(string_agg(o_orderpriority, '' ORDER BY o_orderdate, o_orderkey)) AS len,
                 left(string_agg(CAST(o_orderkey AS VARCHAR), ',' ORDER BY o_totalprice DESC, o_orderkey), 60) AS top
          FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus`,
  },
  {
    name: 'STRING_AGG with NULL values and non-ASCII separator',
    sql: `SELECT n_regionkey, string_agg(nullif(n_name, 'CHINA'), ' → ' ORDER BY n_name) AS s
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'STRING_AGG DISTINCT',
    sql: `SELECT l_returnflag, string_agg(DISTINCT l_shipmode, ',' ORDER BY l_shipmode) AS modes,
                 length(string_agg(DISTINCT l_linestatus, '')) AS n
          FROM {s}.lineitem GROUP BY l_returnflag ORDER BY l_returnflag`,
  },
  {
    name: 'MEDIAN of decimals, integers and doubles',
    sql: `SELECT l_returnflag, median(l_quantity), median(l_extendedprice) AS mp, median(l_linenumber) AS ml,
                 median(CAST(l_discount AS DOUBLE)) AS md
          FROM {s}.lineitem GROUP BY l_returnflag ORDER BY l_returnflag`,
  },
  {
    name: 'MEDIAN of dates and strings',
    sql: `SELECT o_orderstatus, median(o_orderdate) AS d, median(o_orderpriority) AS p, median(o_clerk) AS c
          FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus`,
  },
  {
    name: 'MEDIAN global and of an even count',
    sql: `SELECT median(n_nationkey) AS a, median(n_regionkey) AS b, median(CAST(n_nationkey AS DECIMAL(10,2)) / 3) AS c
          FROM {s}.nation`,
  },
  {
    name: 'QUANTILE_CONT and QUANTILE_DISC',
    sql: `SELECT l_linestatus, quantile_cont(l_quantity, 0.25) AS c25, quantile_disc(l_quantity, 0.25) AS d25,
                 quantile_cont(l_extendedprice, 0.9) AS c90, quantile_disc(l_shipdate, 0.5) AS dd,
                 quantile_cont(l_linenumber, 0.3) AS ci
          FROM {s}.lineitem GROUP BY l_linestatus ORDER BY l_linestatus`,
  },
  {
    name: 'PERCENTILE_CONT and PERCENTILE_DISC WITHIN GROUP, ascending, descending, filtered',
    sql: `SELECT l_linestatus, percentile_cont(0.25) WITHIN GROUP (ORDER BY l_quantity) AS c25,
                 percentile_disc(0.25) WITHIN GROUP (ORDER BY l_quantity DESC) AS d25,
                 percentile_cont(0.9) WITHIN GROUP (ORDER BY l_extendedprice DESC NULLS LAST),
                 percentile_disc(0.5) WITHIN GROUP (ORDER BY l_shipdate) FILTER (WHERE l_tax > 0.04) AS dd,
                 percentile_cont(0.3) WITHIN GROUP (ORDER BY l_linenumber * 2)
          FROM {s}.lineitem GROUP BY l_linestatus ORDER BY l_linestatus`,
  },
  {
    name: 'MODE WITHIN GROUP: ties to the first value in the order',
    sql: `SELECT o_orderstatus, mode() WITHIN GROUP (ORDER BY o_custkey) AS a, mode() WITHIN GROUP (ORDER BY o_custkey DESC) AS d,
                 mode() WITHIN GROUP (ORDER BY o_orderpriority) FILTER (WHERE o_totalprice > 100000) AS f
          FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus`,
  },
  {
    name: 'MEDIAN with many groups',
    sql: `SELECT o_custkey, median(o_totalprice) AS m, count(*) AS n FROM {s}.orders GROUP BY o_custkey
          ORDER BY o_custkey LIMIT 50`,
  },
  {
    name: 'FILTER on every aggregate',
    sql: `SELECT l_linestatus, count(*) FILTER (WHERE l_discount > 0.05) AS c, sum(l_quantity) FILTER (WHERE l_tax = 0) AS s,
                 avg(l_quantity) FILTER (WHERE l_returnflag = 'R') AS a, min(l_shipdate) FILTER (WHERE l_shipmode = 'AIR') AS mi,
                 max(l_comment) FILTER (WHERE l_quantity < 5) AS mx, stddev_samp(l_quantity) FILTER (WHERE l_returnflag = 'A') AS sd,
                 bool_and(l_quantity > 1) FILTER (WHERE l_shipmode = 'RAIL') AS ba,
                 string_agg(l_shipmode, ',' ORDER BY l_shipmode) FILTER (WHERE l_orderkey = 1) AS sa,
                 median(l_extendedprice) FILTER (WHERE l_shipmode = 'SHIP') AS md
          FROM {s}.lineitem GROUP BY l_linestatus ORDER BY l_linestatus`,
  },
  {
    name: 'FILTER unaliased',
    sql: `SELECT sum(l_quantity) FILTER (WHERE l_tax > 0), count(*) FILTER (WHERE l_tax = 0), median(l_quantity) FILTER (WHERE l_tax > 0.07)
          FROM {s}.lineitem`,
  },
  {
    name: 'DISTINCT inside aggregates',
    sql: `SELECT o_orderstatus, count(DISTINCT o_custkey) AS c, sum(DISTINCT o_shippriority) AS s,
                 avg(DISTINCT o_shippriority) AS a, median(DISTINCT o_custkey) AS m, var_samp(DISTINCT o_custkey) AS v
          FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus`,
  },
  {
    name: 'aggregates over an empty input',
    sql: `SELECT count(*) AS n, sum(l_quantity) AS s, stddev_samp(l_quantity) AS sd, bool_or(l_tax > 0) AS b,
                 string_agg(l_comment, ',') AS sa, median(l_quantity) AS md, quantile_disc(l_tax, 0.5) AS q
          FROM {s}.lineitem WHERE l_orderkey < 0`,
  },
  {
    name: 'aggregates over empty groups from an outer join',
    sql: `SELECT r.r_name, count(n.n_nationkey) AS c, stddev_pop(n.n_nationkey) AS sp, median(n.n_nationkey) AS m,
                 string_agg(n.n_name, ',' ORDER BY n.n_name) AS names, bool_and(n.n_nationkey > 2) AS b
          FROM {s}.region r LEFT JOIN {s}.nation n ON n.n_regionkey = r.r_regionkey AND n.n_nationkey > 20
          GROUP BY r.r_name ORDER BY r.r_name`,
  },
  {
    name: 'new aggregates mixed with the classic ones, HAVING',
    sql: `SELECT c_nationkey, count(*) AS n, sum(c_acctbal) AS s, stddev_samp(c_acctbal) AS sd, median(c_acctbal) AS md
          FROM {s}.customer GROUP BY c_nationkey HAVING stddev_samp(c_acctbal) > 3000 ORDER BY c_nationkey`,
  },
  {
    name: 'aggregates of expressions over a join',
    sql: `SELECT n_name, round(avg(o_totalprice), 2) AS a, var_pop(o_totalprice / 1000) AS v,
                 bool_or(o_orderpriority = '1-URGENT') AS urgent, quantile_disc(o_orderdate, 0.9) AS late
          FROM {s}.orders JOIN {s}.customer ON o_custkey = c_custkey JOIN {s}.nation ON c_nationkey = n_nationkey
          GROUP BY n_name ORDER BY n_name`,
  },
  {
    name: 'scalar functions over aggregate results',
    sql: `SELECT l_shipmode, round(stddev_samp(l_quantity), 3) AS sd, upper(string_agg(DISTINCT l_returnflag, '' ORDER BY l_returnflag)) AS flags,
                 CAST(median(l_quantity) AS INTEGER) AS md
          FROM {s}.lineitem GROUP BY l_shipmode ORDER BY l_shipmode`,
  },
  // ---- more combinations
  {
    name: 'nested string functions',
    sql: `SELECT c_custkey, upper(left(trim(c_name), 4)) || '/' || lower(right(c_mktsegment, 3)) AS code,
                 length(replace(c_address, ' ', '')) AS l, reverse(split_part(c_phone, '-', 2)) AS r
          FROM {s}.customer ORDER BY c_custkey LIMIT 30`,
  },
  {
    name: 'string functions in GROUP BY keys',
    sql: `SELECT split_part(p_type, ' ', 1) AS kind, count(*) AS n, min(p_retailprice) AS lo
          FROM {s}.part GROUP BY split_part(p_type, ' ', 1) ORDER BY kind`,
  },
  {
    name: 'regexp in GROUP BY keys',
    sql: `SELECT regexp_replace(p_container, ' .*', '') AS size, count(*) AS n FROM {s}.part GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'strftime as a GROUP BY key',
    sql: `SELECT strftime(o_orderdate, '%Y-%m') AS ym, count(*) AS n FROM {s}.orders
          WHERE o_orderdate < DATE '1992-07-01' GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'extract week as a GROUP BY key',
    sql: `SELECT extract(week FROM o_orderdate) AS w, count(*) AS n, median(o_totalprice) AS m
          FROM {s}.orders WHERE extract(year FROM o_orderdate) = 1995 GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'date filters with intervals keep DATE comparisons',
    sql: `SELECT count(*) AS n, sum(l_quantity) AS q FROM {s}.lineitem
          WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY AND l_shipdate > DATE '1998-01-01' + INTERVAL 1 MONTH`,
  },
  {
    name: 'timestamp intervals in WHERE',
    sql: `SELECT count(*) AS n FROM {s}.orders
          WHERE CAST(o_orderdate AS TIMESTAMP) + INTERVAL 36 HOUR < TIMESTAMP '1992-03-01 00:00:00'`,
  },
  {
    name: 'interval unaliased',
    sql: `SELECT o_orderdate + INTERVAL 1 DAY FROM {s}.orders WHERE o_orderkey < 5 ORDER BY 1`,
  },
  {
    name: 'CASE over aggregates',
    sql: `SELECT o_orderpriority, CASE WHEN stddev_samp(o_totalprice) > 80000 THEN 'wide' ELSE 'narrow' END AS spread,
                 CASE WHEN bool_or(o_orderstatus = 'P') THEN median(o_totalprice) END AS m
          FROM {s}.orders GROUP BY o_orderpriority ORDER BY o_orderpriority`,
  },
  {
    name: 'GREATEST and LEAST of dates and strings',
    sql: `SELECT l_orderkey, l_linenumber, greatest(l_shipdate, l_commitdate, l_receiptdate) AS last_date,
                 least(l_shipdate, l_commitdate) AS first_date, least(l_shipmode, l_shipinstruct) AS s
          FROM {s}.lineitem WHERE l_orderkey < 20 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'COALESCE across types',
    sql: `SELECT n_nationkey, coalesce(nullif(n_nationkey, 4), 2.5) AS d, coalesce(CASE WHEN n_regionkey = 0 THEN NULL ELSE DATE '2000-01-01' END, DATE '1999-01-01') AS dt
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'NULLIF of strings and decimals',
    sql: `SELECT c_custkey, nullif(c_mktsegment, 'BUILDING') AS seg, nullif(c_acctbal, c_acctbal) AS gone,
                 nullif(c_nationkey, 10) AS nk
          FROM {s}.customer ORDER BY c_custkey LIMIT 25`,
  },
  {
    name: 'ROUND of aggregates',
    sql: `SELECT l_shipmode, round(avg(l_extendedprice), 2) AS a, round(sum(l_extendedprice * l_discount), 1) AS s,
                 round(var_samp(l_quantity), 4) AS v
          FROM {s}.lineitem GROUP BY l_shipmode ORDER BY l_shipmode`,
  },
  {
    name: 'arithmetic functions of decimals',
    sql: `SELECT ps_partkey, ps_suppkey, abs(ps_supplycost - 500) AS a, floor(ps_supplycost / 7) AS f, ceil(ps_supplycost * 1.1) AS c,
                 round(sqrt(ps_supplycost), 4) AS s, ps_availqty % 100 AS m
          FROM {s}.partsupp ORDER BY ps_partkey, ps_suppkey LIMIT 40`,
  },
  {
    name: 'EXP and LN round trip',
    sql: `SELECT n_nationkey, round(exp(ln(n_nationkey + 1)), 9) AS x, power(10, log10(n_nationkey + 2)) AS p
          FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'STDDEV of doubles and integers',
    sql: `SELECT n_regionkey, stddev_samp(n_nationkey) AS a, var_pop(CAST(n_nationkey AS DOUBLE) * 1.5) AS b
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'STDDEV is stable for large offsets',
    sql: `SELECT stddev_samp(c_acctbal + 1000000000) AS a, var_pop(c_acctbal + 1000000000) AS b FROM {s}.customer`,
  },
  {
    name: 'BOOL_AND over NULL-laden input',
    sql: `SELECT c_mktsegment, bool_and(CASE WHEN c_acctbal > 0 THEN c_nationkey < 20 END) AS a,
                 bool_or(CASE WHEN c_acctbal < -900 THEN true END) AS b
          FROM {s}.customer GROUP BY c_mktsegment ORDER BY c_mktsegment`,
  },
  {
    name: 'STRING_AGG of numbers cast to text',
    sql: `SELECT r_regionkey, string_agg(CAST(n_nationkey AS VARCHAR), '+' ORDER BY n_nationkey) AS keys
          FROM {s}.region JOIN {s}.nation ON n_regionkey = r_regionkey GROUP BY r_regionkey ORDER BY r_regionkey`,
  },
  {
    name: 'STRING_AGG global ordered',
    sql: `SELECT string_agg(r_name, ';' ORDER BY r_name DESC) AS names, string_agg(r_name, '' ORDER BY r_regionkey) AS joined
          FROM {s}.region`,
  },
  {
    name: 'STRING_AGG ordered NULLS FIRST',
    sql: `SELECT n_regionkey, string_agg(n_name, ',' ORDER BY nullif(n_nationkey % 3, 0) NULLS FIRST, n_name) AS s
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'MEDIAN of timestamps',
    sql: `SELECT o_orderpriority, median(CAST(o_orderdate AS TIMESTAMP)) AS m FROM {s}.orders GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'QUANTILE at the ends',
    sql: `SELECT quantile_cont(o_totalprice, 0) AS lo, quantile_cont(o_totalprice, 1) AS hi,
                 quantile_disc(o_totalprice, 0) AS dlo, quantile_disc(o_totalprice, 1) AS dhi,
                 quantile_disc(o_clerk, 0.5) AS clerk
          FROM {s}.orders`,
  },
  {
    name: 'MEDIAN beside DISTINCT and plain aggregates in one group by',
    sql: `SELECT l_shipmode, median(l_quantity) AS m, count(DISTINCT l_orderkey) AS o, sum(l_extendedprice) AS s,
                 stddev_pop(l_discount) AS sd
          FROM {s}.lineitem GROUP BY l_shipmode ORDER BY l_shipmode`,
  },
  {
    name: 'aggregates of a subquery',
    sql: `SELECT median(n) AS m, stddev_samp(n) AS s, string_agg(CAST(n AS VARCHAR), ',' ORDER BY k) AS all_n
          FROM (SELECT o_custkey AS k, count(*) AS n FROM {s}.orders WHERE o_custkey < 40 GROUP BY o_custkey) t`,
  },
  {
    name: 'DISTINCT string_agg and bool aggregates',
    sql: `SELECT o_orderstatus, string_agg(DISTINCT o_orderpriority, ',' ORDER BY o_orderpriority) AS p,
                 bool_and(DISTINCT o_shippriority = 0) AS b
          FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus`,
  },
  {
    name: 'FILTER with IS DISTINCT FROM',
    sql: `SELECT count(*) FILTER (WHERE nullif(c_nationkey, 1) IS DISTINCT FROM 1) AS a,
                 sum(c_acctbal) FILTER (WHERE c_mktsegment IS NOT DISTINCT FROM 'MACHINERY') AS b
          FROM {s}.customer`,
  },
  {
    name: 'FILTER conditions with AND, OR and NOT',
    sql: `SELECT l_linestatus,
                 median(l_quantity) FILTER (WHERE l_discount > 0.05 AND l_tax < 0.04 OR l_returnflag = 'R') AS a,
                 stddev_samp(l_quantity) FILTER (WHERE l_shipmode IN ('AIR', 'RAIL') AND NOT l_quantity > 40) AS b,
                 string_agg(DISTINCT l_shipmode, ',' ORDER BY l_shipmode) FILTER (WHERE l_tax > 0.02 AND l_discount < 0.03) AS c,
                 bool_or(l_quantity > 49) FILTER (WHERE l_shipinstruct = 'NONE' OR l_shipmode = 'MAIL') AS d
          FROM {s}.lineitem GROUP BY 1 ORDER BY 1`,
  },
  // ---- DuckDB clauses: GROUP BY ALL, ORDER BY ALL, * EXCLUDE / REPLACE, QUALIFY
  {
    name: 'duckdb clause: GROUP BY ALL with expressions and aliases',
    sql: `SELECT o_orderstatus, year(o_orderdate) AS y, count(*) AS n, sum(o_totalprice) AS s
          FROM {s}.orders GROUP BY ALL ORDER BY 1, 2`,
  },
  {
    name: 'duckdb clause: GROUP BY ALL of only aggregates, over no rows',
    sql: `SELECT count(*) AS n, max(n_name) AS m FROM {s}.nation WHERE n_nationkey < 0 GROUP BY ALL`,
  },
  {
    name: 'duckdb clause: GROUP BY ALL with a star and HAVING',
    sql: `SELECT *, count(*) AS n FROM (SELECT n_regionkey, n_nationkey % 2 AS odd FROM {s}.nation) t
          GROUP BY ALL HAVING count(*) > 2 ORDER BY 1, 2`,
  },
  {
    name: 'duckdb clause: ORDER BY ALL over GROUP BY ALL, with LIMIT',
    sql: `SELECT o_orderstatus, o_orderpriority, count(*) AS n FROM {s}.orders GROUP BY ALL ORDER BY ALL LIMIT 7`,
  },
  {
    name: 'duckdb clause: ORDER BY ALL DESC NULLS FIRST over a star',
    sql: `SELECT * FROM (SELECT n_regionkey, CASE WHEN n_nationkey % 3 = 0 THEN NULL ELSE n_name END AS nm FROM {s}.nation) t
          ORDER BY ALL DESC NULLS FIRST`,
  },
  {
    name: 'duckdb clause: ORDER BY ALL of a UNION',
    sql: `SELECT n_name AS name, n_regionkey AS k FROM {s}.nation UNION SELECT r_name, r_regionkey FROM {s}.region ORDER BY ALL`,
  },
  {
    name: 'duckdb clause: FROM-first, bare and with a select list, filters and grouping',
    sql: `FROM {s}.nation n JOIN {s}.region r ON n.n_regionkey = r.r_regionkey
          SELECT r_name, count(*) AS n, min(n_name) AS first WHERE n_nationkey > 2 GROUP BY r_name ORDER BY r_name`,
  },
  {
    name: 'duckdb clause: FROM-first in a CTE, a subquery and a UNION',
    sql: `WITH big AS (FROM {s}.orders WHERE o_totalprice > 400000)
          FROM big SELECT o_orderstatus AS s, count(*) AS n
            WHERE o_custkey IN (FROM {s}.customer SELECT c_custkey WHERE c_nationkey < 10)
            GROUP BY ALL
          UNION ALL FROM {s}.region SELECT r_name, r_regionkey ORDER BY ALL`,
  },
  {
    name: 'duckdb clause: FROM-first with no select list is SELECT *',
    sql: `FROM {s}.region ORDER BY r_regionkey DESC LIMIT 3`,
  },
  {
    name: 'duckdb clause: COLUMNS by regular expression, bare and in an expression',
    sql: `SELECT COLUMNS('^l_.*(price|count)$'), COLUMNS('qu') * 2 FROM {s}.lineitem
          WHERE l_orderkey < 40 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    name: 'duckdb clause: aggregates of COLUMNS(*) and of a regular expression, grouped',
    sql: `SELECT min(COLUMNS(*)), max(COLUMNS('key')) AS top FROM {s}.region`,
  },
  {
    name: 'duckdb clause: COLUMNS grouped by another column, and in WHERE',
    sql: `SELECT o_orderpriority, sum(COLUMNS('price')), count(COLUMNS('^o_c')) FROM {s}.orders
          WHERE COLUMNS('key') > 100 GROUP BY o_orderpriority ORDER BY o_orderpriority`,
  },
  {
    name: 'duckdb clause: COLUMNS(t.*) over a join',
    sql: `SELECT COLUMNS(r.*), n_name FROM {s}.nation n JOIN {s}.region r ON n_regionkey = r_regionkey ORDER BY n_name`,
  },
  {
    name: 'duckdb clause: SELECT * EXCLUDE',
    sql: `SELECT * EXCLUDE (n_comment, n_regionkey) FROM {s}.nation ORDER BY n_nationkey`,
  },
  {
    name: 'duckdb clause: t.* EXCLUDE in a join with REPLACE',
    sql: `SELECT n.* EXCLUDE (n_comment) REPLACE (lower(n_name) AS n_name, n_nationkey * 10 AS n_nationkey), r.r_name
          FROM {s}.nation n JOIN {s}.region r ON n.n_regionkey = r.r_regionkey ORDER BY 1`,
  },
  {
    name: 'duckdb clause: * REPLACE keeps names and places',
    sql: `SELECT * REPLACE (r_regionkey + 0.5 AS r_regionkey, upper(r_comment) AS r_comment) FROM {s}.region ORDER BY 1`,
  },
  {
    name: 'duckdb clause: QUALIFY on a select alias',
    sql: `SELECT o_custkey, o_orderkey, row_number() OVER (PARTITION BY o_custkey ORDER BY o_totalprice DESC, o_orderkey) AS rn
          FROM {s}.orders WHERE o_custkey < 100 QUALIFY rn <= 2 ORDER BY o_custkey, rn`,
  },
  {
    name: 'duckdb clause: QUALIFY with its own window call, over an aggregate',
    sql: `SELECT l_suppkey, sum(l_quantity) AS q FROM {s}.lineitem GROUP BY l_suppkey
          QUALIFY rank() OVER (ORDER BY sum(l_quantity) DESC) <= 5 ORDER BY q DESC, l_suppkey`,
  },
  {
    name: 'duckdb clause: QUALIFY in a derived table with a named window',
    sql: `SELECT count(*) AS n, sum(o_totalprice) AS s FROM (
            SELECT o_orderkey, o_totalprice FROM {s}.orders
            WINDOW w AS (PARTITION BY o_orderpriority ORDER BY o_totalprice DESC, o_orderkey)
            QUALIFY row_number() OVER w <= 10 AND o_totalprice > 1000) t`,
  },
  {
    name: 'duckdb clause: QUALIFY after HAVING with OR, then LIMIT',
    sql: `SELECT o_custkey, count(*) AS c FROM {s}.orders GROUP BY o_custkey HAVING count(*) > 20 OR o_custkey < 5
          QUALIFY dense_rank() OVER (ORDER BY count(*) DESC) <= 3 ORDER BY c DESC, o_custkey LIMIT 10`,
  },
  // ---- DuckDB aggregates: picks, mode, product, covariance, count_if (inputs chosen so the
  // answer does not depend on the order rows arrive in: equal candidates, or unique keys)
  {
    name: 'duckdb aggregate: any_value, first and last per group, with NULLs and FILTER',
    sql: `SELECT l_orderkey, any_value(CASE WHEN l_linenumber > 1 THEN l_orderkey * 2 END) AS a,
                 first(l_orderkey % 7), last(l_orderkey % 7) FILTER (WHERE l_linenumber > 2) AS l,
                 first(CASE WHEN l_orderkey % 3 = 0 THEN NULL ELSE l_shipmode = l_shipmode END) AS f
          FROM {s}.lineitem WHERE l_orderkey < 400 GROUP BY l_orderkey ORDER BY l_orderkey`,
  },
  {
    name: 'duckdb aggregate: picks over no rows and over only NULLs',
    sql: `SELECT any_value(n_name) AS a, first(n_name) AS f, last(n_regionkey) AS l, arg_max(n_name, n_nationkey) AS m,
                 mode(n_regionkey) AS o, product(n_nationkey) AS p, corr(n_nationkey, n_regionkey) AS c,
                 count_if(n_nationkey > 1) AS n, any_value(CAST(NULL AS INTEGER)) AS z
          FROM {s}.nation WHERE n_nationkey < 0`,
  },
  {
    name: 'duckdb aggregate: arg_max, arg_min, max_by, min_by with unique keys and NULLs',
    sql: `SELECT o_custkey, arg_max(o_orderkey, o_orderkey * 10 + o_custkey) AS newest,
                 arg_min(o_orderdate, o_orderkey) AS first_date, max_by(o_totalprice, nullif(o_orderkey % 5, 0) * 100000 + o_orderkey),
                 min_by(o_orderpriority, o_orderkey) FILTER (WHERE o_orderstatus = 'F') AS p,
                 arg_max(CASE WHEN o_orderkey % 2 = 0 THEN o_clerk END, o_orderkey) AS even_clerk
          FROM {s}.orders WHERE o_custkey < 200 GROUP BY o_custkey ORDER BY o_custkey`,
  },
  {
    name: 'duckdb aggregate: global arg_max of a decimal by a string',
    sql: `SELECT arg_max(c_acctbal, c_name) AS a, arg_min(c_acctbal, c_name) AS b, arg_max(c_name, c_acctbal) AS c FROM {s}.customer`,
  },
  {
    name: 'duckdb aggregate: mode per group and of strings',
    sql: `SELECT l_returnflag, mode(l_linenumber) AS m, count_if(l_discount > 0.05) AS c,
                 count_if(l_tax > 0.04) FILTER (WHERE l_shipmode = 'AIR') AS ca
          FROM {s}.lineitem GROUP BY ALL ORDER BY 1`,
  },
  {
    name: 'duckdb aggregate: product of small integers and of decimals',
    sql: `SELECT l_orderkey, product(l_linenumber), product(nullif(l_linenumber, 2)) AS p2, product(l_discount + 1) AS pd
          FROM {s}.lineitem WHERE l_orderkey < 200 GROUP BY l_orderkey ORDER BY l_orderkey`,
  },
  {
    name: 'duckdb aggregate: corr, covariance and regression per group',
    sql: `SELECT l_returnflag, corr(l_quantity, l_extendedprice) AS r, covar_pop(l_quantity, l_extendedprice) AS cp,
                 covar_samp(l_discount, l_tax) AS cs, regr_slope(l_extendedprice, l_quantity) AS s,
                 regr_intercept(l_extendedprice, l_quantity) AS i
          FROM {s}.lineitem GROUP BY l_returnflag ORDER BY 1`,
  },
  {
    name: 'duckdb aggregate: covariance of one row, of a constant, with NULLs',
    sql: `SELECT o_orderstatus, covar_samp(o_totalprice, o_shippriority) AS a, corr(o_totalprice, o_shippriority) AS b,
                 covar_pop(nullif(o_custkey % 3, 0), o_totalprice) AS c, regr_slope(o_totalprice, 1) AS d,
                 covar_samp(o_totalprice, o_totalprice) FILTER (WHERE o_orderkey = 1) AS e
          FROM {s}.orders GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'duckdb aggregate: picks and mode of HUGEINT and DECIMAL(38) beyond 2^53',
    sql: `SELECT o_orderstatus, arg_max(o_custkey, total) AS top_customer, arg_min(total * 1000000000, o_custkey) AS first_total,
                 first(CAST(o_orderstatus = 'F' AS INTEGER) + CAST(100000000000000000000 AS HUGEINT)) AS h,
                 mode(CAST(o_custkey % 3 AS HUGEINT) * 1000000000000000000000) AS m
          FROM (SELECT o_custkey, o_orderstatus, sum(o_totalprice) * 1000000 AS total FROM {s}.orders GROUP BY ALL) t
          GROUP BY 1 ORDER BY 1`,
  },
  // ---- DuckDB scalars
  {
    name: 'duckdb scalar: ascii, chr, strlen, length of non-ASCII text',
    sql: `SELECT n_name, ascii(n_name), chr(ascii(n_name) + 1), strlen(n_name || 'é€'), length(n_name || 'é€'),
                 ascii(''), chr(196) AS c, strlen(NULL) AS n
          FROM {s}.nation ORDER BY n_nationkey LIMIT 8`,
  },
  {
    name: 'duckdb scalar: regexp_extract with groups, no match and NULL',
    sql: `SELECT c_phone, regexp_extract(c_phone, '[0-9]+'), regexp_extract(c_phone, '([0-9]+)-([0-9]+)', 2) AS g2,
                 regexp_extract(c_name, 'x+') AS none, regexp_extract(nullif(c_name, c_name), 'a') AS n
          FROM {s}.customer ORDER BY c_custkey LIMIT 10`,
  },
  {
    name: 'duckdb scalar: contains, prefix, suffix, starts_with, ends_with',
    sql: `SELECT p_name, contains(p_name, 'green') AS c, prefix(p_name, 'a') AS p, suffix(p_name, 'e') AS s,
                 starts_with(p_type, 'STANDARD') AS sw, ends_with(p_type, 'TIN') AS ew
          FROM {s}.part ORDER BY p_partkey LIMIT 20`,
  },
  {
    name: 'duckdb scalar: cbrt, log10, log2, pi, trunc of numbers',
    sql: `SELECT o_orderkey, cbrt(o_totalprice) AS c, log10(o_totalprice) AS l, log2(o_orderkey) AS l2, pi() AS p,
                 trunc(o_totalprice) AS t, trunc(-o_totalprice / 7) AS tn, trunc(o_totalprice * 1.5e0) AS td
          FROM {s}.orders ORDER BY o_orderkey LIMIT 10`,
  },
  {
    name: 'timestamps with time zone: to_timestamp, casts, truncation, parts, intervals, comparisons',
    sql: `SELECT o_orderkey, to_timestamp(o_orderkey * 86400 + 0.5) AS ts, o_orderdate::TIMESTAMPTZ AS tz,
                 date_trunc('month', o_orderdate::TIMESTAMPTZ) AS m, date_trunc('week', to_timestamp(o_orderkey * 3600)) AS w,
                 extract(hour FROM to_timestamp(o_orderkey * 3600)) AS h, CAST(to_timestamp(o_orderkey * 3600.25) AS VARCHAR) AS v,
                 to_timestamp(o_orderkey * 3600)::DATE AS d, to_timestamp(o_orderkey * 3600) + INTERVAL 90 MINUTE AS plus,
                 to_timestamp(o_orderkey * 3600) - INTERVAL 1 MONTH AS minus, to_timestamp(o_orderkey * 3600) > o_orderdate AS later,
                 CAST(to_timestamp(o_orderkey * 3600) AS TIMESTAMP) AS plain, epoch(to_timestamp(o_orderkey)) AS e,
                 strftime(to_timestamp(o_orderkey * 3600), '%Y-%m-%d %H %z|%Z') AS f,
                 strftime(CAST(to_timestamp(o_orderkey) AS TIMESTAMP), '%H %z|%Z') AS fp
          FROM {s}.orders ORDER BY o_orderkey LIMIT 12`,
  },
  {
    name: 'timestamps with time zone: literals in every spelling, lists, COALESCE and CASE with TIMESTAMP',
    sql: `SELECT TIMESTAMPTZ '2024-01-01 10:00:00+02', '2024-06-30 23:59:59.123456-05:30'::TIMESTAMPTZ AS b,
                 CAST('1992-01-01' AS TIMESTAMP WITH TIME ZONE) AS c, TIMESTAMP WITH TIME ZONE '2024-01-01 00:00:00Z' AS d,
                 [TIMESTAMPTZ '2024-01-01 00:00:00', TIMESTAMP '2024-01-02 03:04:05'] AS l,
                 coalesce(NULL, TIMESTAMPTZ '2024-01-01 10:00:00+02', TIMESTAMP '2020-01-01') AS co,
                 CASE WHEN 1 < 2 THEN DATE '2024-01-01' ELSE TIMESTAMPTZ '2024-01-01 10:00:00' END AS cs`,
  },
  {
    name: 'timestamps with time zone: grouped, ordered and aggregated',
    sql: `SELECT date_trunc('year', o_orderdate::TIMESTAMPTZ) AS y, count(*) AS n, min(to_timestamp(o_orderkey)) AS lo,
                 max(o_orderdate::TIMESTAMPTZ) AS hi, count(DISTINCT o_orderdate::TIMESTAMPTZ) AS days
          FROM {s}.orders WHERE o_orderdate::TIMESTAMPTZ >= TIMESTAMP '1995-01-01' GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'times of day: make_time, parts, casts, intervals around the clock, DATE + TIME, window',
    sql: `WITH t AS (SELECT o_orderkey AS k, o_orderdate AS d,
                        make_time(o_orderkey % 24, o_orderkey % 60, (o_orderkey % 600) / 10) AS c
                 FROM {s}.orders WHERE o_orderkey < 400)
          SELECT k, c, extract(minute FROM c) AS m, second(c) AS s, millisecond(c) AS ms, epoch(c) AS e,
                 c + INTERVAL 90 MINUTE AS later, c - INTERVAL 1 DAY AS same, d + c AS at, CAST(c AS VARCHAR) AS v,
                 CAST(CAST(c AS VARCHAR) AS TIME) AS back, CAST(d + c AS TIME) AS tod, c < TIME '12:00' AS morning,
                 lag(c) OVER (ORDER BY k) AS prev, [c] AS l
          FROM t ORDER BY k LIMIT 40`,
  },
  {
    name: 'times of day: grouped, aggregated and joined on',
    sql: `WITH t AS (SELECT o_orderkey AS k, make_time(o_orderkey % 24, o_orderkey % 7, 0) AS c
                 FROM {s}.orders WHERE o_orderkey < 3000)
          SELECT hour(a.c) AS h, count(*) AS n, min(a.c) AS lo, max(b.c) AS hi, median(a.c) AS mid,
                 count(DISTINCT a.c) AS nd
          FROM t a JOIN t b ON a.c = b.c AND a.k < b.k
          WHERE a.c <> TIME '03:03:00' GROUP BY 1 ORDER BY 1`,
  },
  {
    name: 'duckdb scalar: strptime, to_timestamp, epoch, last_day, date_add with an interval',
    sql: `SELECT o_orderdate, strptime(strftime(o_orderdate, '%d/%m/%Y %H:%M'), '%d/%m/%Y %H:%M') AS parsed,
                 strptime(CAST(o_orderdate AS VARCHAR), '%Y-%m-%d') AS p2,
                 CAST(to_timestamp(o_orderkey * 86400 + 0.5) AS TIMESTAMP) AS ts, epoch(o_orderdate) AS e,
                 epoch(strptime('2021-03-04 05:06:07.25', '%Y-%m-%d %H:%M:%S.%f')) AS e2,
                 last_day(o_orderdate) AS ld, date_add(o_orderdate, INTERVAL 1 MONTH) AS plus_month,
                 date_add(o_orderdate, INTERVAL 10 DAY) AS plus_days
          FROM {s}.orders ORDER BY o_orderkey LIMIT 12`,
  },
  {
    name: 'duckdb scalar: SIMILAR TO and NOT SIMILAR TO as regular expressions',
    sql: `SELECT p_name, p_name SIMILAR TO '.*green.*', p_type NOT SIMILAR TO 'STANDARD.*' AS ns,
                 p_brand SIMILAR TO 'Brand#1[0-9]' AS b, p_container SIMILAR TO 'SM%' AS literal_percent
          FROM {s}.part ORDER BY p_partkey LIMIT 25`,
  },
  {
    name: 'duckdb scalar: SIMILAR TO in WHERE with an aggregate',
    sql: `SELECT count(*) AS n, count_if(p_type SIMILAR TO '.*BRASS') AS brass FROM {s}.part WHERE p_name SIMILAR TO '(almond|antique).*'`,
  },
  // ---- VALUES lists
  {
    name: 'VALUES as a FROM item: alias lists, unified types, joined to a table',
    sql: `SELECT n.n_name, v.label, v.weight, v.since FROM {s}.nation n
          JOIN (VALUES (1, 'one', 1.5, DATE '2024-01-01'), (3, NULL, 2, TIMESTAMP '2024-02-01 10:30:00'), (24, 'last', NULL, NULL)) AS v(k, label, weight, since)
            ON n.n_nationkey = v.k
          ORDER BY n.n_name`,
  },
  {
    name: 'VALUES as a statement, a CTE, a set operation branch and an IN list, columns named col0, col1',
    sql: `WITH pairs(a, b) AS (VALUES (1, 10), (2, 20)), plain AS (VALUES ('x', 1 + 1))
          SELECT a, b, (SELECT col0 || col1 FROM plain) AS joined FROM pairs
          WHERE a IN (VALUES (1), (2)) UNION ALL VALUES (3, 30, NULL) ORDER BY 1`,
  },
  {
    name: 'VALUES alone, ordered and limited, and aggregated over',
    sql: `SELECT count(*), sum(col0), max(col1), min(v.col0) FILTER (WHERE col1 IS NOT NULL)
          FROM (VALUES (5, 'e'), (NULL, 'n'), (7, NULL), (-2, 'm')) v`,
  },
  {
    name: 'subscripts and slices of aggregates, per group',
    sql: `SELECT n_regionkey, list(n_nationkey ORDER BY n_nationkey)[2] AS second,
                 array_agg(n_name ORDER BY n_name DESC)[1:2] AS top2, (list(n_nationkey ORDER BY n_nationkey))[-1] AS last
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  // ---- aggregates with their own ORDER BY and FILTER
  {
    name: 'first, last, any_value and list ordered inside the call, per group',
    sql: `SELECT o_orderstatus, first(o_orderkey ORDER BY o_totalprice DESC) AS top, last(o_clerk ORDER BY o_orderdate, o_orderkey) AS latest,
                 any_value(nullif(o_orderpriority, '1-URGENT') ORDER BY o_orderkey), first(o_comment ORDER BY o_orderkey DESC NULLS FIRST) IS NOT NULL AS c,
                 list(o_orderkey ORDER BY o_orderkey)[1:3] AS lowest, list(o_custkey ORDER BY o_custkey DESC)[1] AS most
          FROM {s}.orders WHERE o_custkey < 200 GROUP BY o_orderstatus ORDER BY o_orderstatus`,
  },
  {
    name: 'list and array_agg with FILTER, DISTINCT lists keeping one NULL',
    sql: `SELECT n_regionkey, list(n_nationkey ORDER BY n_nationkey) FILTER (WHERE n_nationkey > 10) AS big,
                 array_agg(n_name ORDER BY n_name) FILTER (WHERE n_name LIKE '%A%') AS a_names,
                 list_sort(list(DISTINCT nullif(n_nationkey % 3, 1))) AS residues,
                 list_sort(list(DISTINCT n_nationkey % 4) FILTER (WHERE n_nationkey > 5)) AS filtered_residues,
                 list(n_name) FILTER (WHERE false) AS none
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'one aggregate over two different second arguments or filters is two aggregates',
    sql: `SELECT arg_max(o_orderkey, o_totalprice) AS by_price, arg_max(o_orderkey, o_orderdate) AS by_date,
                 first(o_orderkey) FILTER (WHERE o_orderstatus = 'F') AS f, first(o_orderkey) FILTER (WHERE o_orderstatus = 'O') AS o,
                 corr(o_totalprice, o_orderkey) IS NOT NULL AS c1, corr(o_totalprice, o_custkey) <> corr(o_totalprice, o_orderkey) AS differ,
                 mean(o_totalprice)
          FROM {s}.orders WHERE o_custkey < 300`,
  },
  // ---- NaN and infinity compare as DuckDB orders them
  {
    name: 'NaN equals NaN and is greater than every number, in filters, CASE and greatest',
    sql: `SELECT n_nationkey, x, x = 'nan'::DOUBLE AS is_nan, x > 1e308 AS huge, x < 'inf'::DOUBLE AS below_inf,
                 greatest(x, 3.5) AS g, least(x, 3.5) AS l, x IN ('nan'::DOUBLE, 2) AS listed,
                 isnan(x), isinf(x), isfinite(x)
          FROM (SELECT n_nationkey, CASE WHEN n_nationkey % 5 = 0 THEN 'nan'::DOUBLE WHEN n_nationkey % 5 = 1 THEN '-inf'::DOUBLE
                                         ELSE n_nationkey / 2 END AS x FROM {s}.nation) t
          WHERE x >= 'nan'::DOUBLE OR x < 5 ORDER BY n_nationkey`,
  },
  // ---- DuckDB scalar functions made of other functions, and text and list functions
  {
    name: 'duckdb scalar: concat_ws, if, dayname, monthname, epoch_ms, make_timestamp, degrees, radians',
    sql: `SELECT o_orderkey, concat_ws(' | ', o_orderstatus, nullif(o_orderpriority, '1-URGENT'), o_totalprice, o_orderdate) AS line,
                 if(o_totalprice > 100000, 'big', 'small') AS size, dayname(o_orderdate), monthname(o_orderdate),
                 epoch_ms(o_orderdate) AS ms, epoch_us(o_orderdate + INTERVAL 90 MINUTE) AS us,
                 make_timestamp(year(o_orderdate), month(o_orderdate), 1, 12, o_orderkey % 60, 1.25) AS ts,
                 degrees(o_orderkey / 1000), radians(o_shippriority + 30)
          FROM {s}.orders ORDER BY o_orderkey LIMIT 30`,
  },
  {
    name: 'duckdb scalar: string_split, regexp_extract_all, regexp_split_to_array, md5, sha256',
    sql: `SELECT p_partkey, string_split(p_name, ' ') AS words, str_split(p_type, ' ')[2] AS middle, string_to_array(p_container, ' ') AS c,
                 regexp_extract_all(p_comment, '[aeiou]{2}') AS pairs, regexp_split_to_array(p_mfgr, '#') AS mfgr,
                 len(string_split(p_comment, '')) AS chars, md5(p_name), sha256(p_brand)
          FROM {s}.part ORDER BY p_partkey LIMIT 40`,
  },
  {
    name: 'duckdb list: list_sort, list_reverse_sort, list_distinct, flatten over aggregated lists',
    sql: `SELECT n_regionkey, list_sort(list(n_name)) AS names, list_sort(list(n_nationkey), 'DESC', 'NULLS FIRST') AS keys,
                 list_reverse_sort(list(nullif(n_nationkey % 3, 0))) AS residues, list_sort(list_distinct(list(n_nationkey % 3))) AS distinct_residues,
                 flatten([list(n_nationkey ORDER BY n_nationkey), [100, NULL]]) AS flat, array_sort([n_regionkey, 2, NULL]) AS small
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'duckdb scalar: levenshtein, hamming, strip_accents, unicode, ucase, lcase, weekday, yearweek, bit_length',
    sql: `SELECT c_custkey, levenshtein(c_name, 'Customer#000000001') AS d, hamming(c_phone, '25-989-741-2988') AS h,
                 strip_accents('Ångström ' || c_mktsegment) AS s, unicode(c_address), ord(c_mktsegment), ucase(c_comment) = upper(c_comment) AS u,
                 lcase(c_mktsegment), weekday(DATE '2024-01-01' + c_custkey::INTEGER), yearweek(DATE '2020-12-20' + (c_custkey * 3)::INTEGER) AS yw,
                 bit_length(c_name || 'é')
          FROM {s}.customer ORDER BY c_custkey LIMIT 40`,
  },
  {
    name: 'duckdb operator: integer division //, grouped by and inside aggregates',
    sql: `SELECT o_orderkey // 1000 AS bucket, count(*), sum(o_custkey) // count(*) AS mean_floor, min(-o_orderkey // 7),
                 max(o_totalprice // 1000) AS price_k, max(o_shippriority // 0) AS by_zero, max(o_orderkey // 3 // 2 * 2)
          FROM {s}.orders GROUP BY o_orderkey // 1000 ORDER BY bucket LIMIT 20`,
  },
  {
    name: 'output columns named alike, of different types',
    sql: `SELECT n.n_nationkey AS k, n.n_name AS k, r.r_regionkey AS id, r.r_name AS id, [n.n_nationkey] AS l, [n.n_name] AS l
          FROM {s}.nation n JOIN {s}.region r ON n.n_regionkey = r.r_regionkey ORDER BY 1`,
  },
  // ---- operator precedence of || and the bitwise operators
  {
    name: 'duckdb operator: || binds looser than arithmetic, tighter than comparison and LIKE',
    sql: `SELECT n_name || ': ' || n_nationkey * 2 + 1 AS label, 'k' || n_regionkey - 1 AS k, n_nationkey + 1 || '' AS s,
                 n_name LIKE '%' || 'AN' || '%' AS has_an, n_name NOT LIKE 'A' || '%' AS not_a, n_name ILIKE 'c' || '%' AS c,
                 n_name || 'x' = n_name || 'x' AS same, 1 + 2 || 3 * 4
          FROM {s}.nation WHERE n_name LIKE '%' || 'A' ORDER BY n_nationkey`,
  },
  {
    name: 'duckdb operator: & | << >> ~ xor over each integer width, and their precedence',
    sql: `SELECT n_nationkey & 6, n_nationkey | n_regionkey, n_nationkey << 3, -n_nationkey >> 1, ~n_regionkey,
                 xor(n_nationkey, 5), bit_count(n_nationkey), n_nationkey::TINYINT & 3::TINYINT, n_nationkey::SMALLINT | 256::SMALLINT,
                 n_nationkey::BIGINT << 40, ~n_nationkey::HUGEINT, bit_count(-n_nationkey::BIGINT),
                 1 + n_nationkey & 3 AS a, n_regionkey | 3 & 1 AS b, 2 * n_nationkey << 1 AS c, ~n_nationkey + 1 AS d,
                 ~n_regionkey & 3 AS e, n_nationkey & 1 = 1 AS odd, n_nationkey >> 40 AS far, NULL & n_nationkey AS n
          FROM {s}.nation WHERE n_nationkey & 1 = 1 OR n_regionkey | 1 = 3 ORDER BY n_nationkey`,
  },
  {
    name: 'duckdb aggregates: bit_and, bit_or, bit_xor, grouped, filtered, distinct and wide',
    sql: `SELECT o_orderstatus, bit_and(o_orderkey), bit_or(o_custkey), bit_xor(o_orderkey), bit_or(o_shippriority::TINYINT),
                 bit_xor(o_orderkey::HUGEINT * 1000000000000), bit_and(-o_orderkey::BIGINT),
                 bit_xor(o_custkey) FILTER (WHERE o_totalprice > 100000) AS rich, bit_or(DISTINCT o_custkey % 8) AS low,
                 bit_and(CASE WHEN o_orderkey < 0 THEN o_orderkey END) AS none
          FROM {s}.orders GROUP BY o_orderstatus ORDER BY 1`,
    scaleOut: true,
  },
  {
    name: 'duckdb operator: power ^ and **, above * and below unary minus, left to right',
    sql: `SELECT n_nationkey ^ 2 + 1 AS sq, 2 ** n_regionkey, -2 ^ 2, 2 * 3 ^ 2, 2 ^ 3 ^ 2, n_nationkey ^ 0.5 AS root, 1.5 ^ 2
          FROM {s}.nation ORDER BY n_nationkey LIMIT 6`,
  },
  {
    name: 'names DuckDB gives: a minus before a number folded, IS [NOT] TRUE/FALSE',
    sql: `SELECT - 2 * - 3, - - 4, + - 5, - 2.5, (n_nationkey > 3) IS TRUE, (n_regionkey = 1) IS NOT FALSE,
                 nullif(n_nationkey > 10, true) IS NOT TRUE, NULL IS FALSE
          FROM {s}.nation ORDER BY n_nationkey LIMIT 12`,
  },
  {
    name: 'a cast after CAST(…) and after a scalar subquery',
    sql: `SELECT CAST(n_nationkey * 1.5 AS DOUBLE)::INT AS a, CAST(n_name AS VARCHAR)::VARCHAR(3) AS b,
                 (SELECT max(r_regionkey) * 1.5 FROM {s}.region)::INT AS c, (SELECT n_nationkey / 4)::BIGINT AS d
          FROM {s}.nation ORDER BY n_nationkey LIMIT 6`,
  },
  {
    name: 'row values: =, <>, <, <=, >, >= and [NOT] IN lists, NULLs compared as DuckDB compares STRUCTs',
    sql: `SELECT o_orderkey, (o_custkey, o_orderstatus) = (370, 'O') AS eq, (o_custkey, o_orderpriority) < (400, '2-HIGH') AS lt,
                 (o_custkey, nullif(o_shippriority, 0)) >= (370, 1) AS ge, (o_orderstatus, o_custkey) IN (('F', 370), ('O', 781), (NULL, 1)) AS inl,
                 (nullif(o_orderstatus, 'F'), o_custkey) NOT IN (('O', 370), (NULL, 781)) AS notin, (o_custkey, o_orderkey) <> (370, 1) AS ne,
                 (o_custkey, o_orderdate) <= (781, DATE '1995-01-01') AS le, (o_custkey, o_totalprice) > (370, 100000) AS gt
          FROM {s}.orders WHERE (o_custkey, o_orderkey) >= (300, 0) AND o_custkey < 800 ORDER BY o_orderkey`,
  },
  {
    name: 'quantified comparisons: op ANY / SOME / ALL (subquery), with NULLs, no rows, correlation and a UNION',
    sql: `SELECT x, x > ALL (SELECT y FROM (VALUES (1), (NULL)) t(y)) AS a, x > ANY (SELECT y FROM (VALUES (1), (NULL)) t(y)) AS b,
                 x < ALL (SELECT 1 WHERE false) AS c, x < SOME (SELECT 1 WHERE false) AS d, x = ALL (SELECT 2) AS e,
                 x <> ANY (SELECT y FROM (VALUES (2), (2)) t(y)) AS f, x >= ALL (SELECT r_regionkey - 2 FROM {s}.region) AS g,
                 x <= ANY (SELECT r_regionkey - 3 FROM {s}.region UNION SELECT -1) AS h
          FROM (VALUES (0), (2), (NULL)) v(x) ORDER BY x NULLS LAST`,
  },
  {
    name: 'quantified comparisons against a correlated subquery',
    sql: `SELECT o_orderkey, o_totalprice >= ALL (SELECT l_extendedprice * 2 FROM {s}.lineitem l WHERE l.l_orderkey = o.o_orderkey) AS big,
                 o_totalprice / 10 < ANY (SELECT l_extendedprice FROM {s}.lineitem l WHERE l.l_orderkey = o.o_orderkey AND l_quantity > 40) AS any_big
          FROM {s}.orders o WHERE o_orderkey < 400 ORDER BY o_orderkey`,
  },
  {
    name: 'FILTER without its WHERE',
    sql: `SELECT n_regionkey, count(*) FILTER (n_nationkey > 10) AS c, sum(n_nationkey) FILTER (n_name LIKE '%A%') AS s,
                 list(n_name ORDER BY n_name) FILTER (n_nationkey % 2 = 0) AS l
          FROM {s}.nation GROUP BY n_regionkey ORDER BY n_regionkey`,
  },
  {
    name: 'row limits: OFFSET before LIMIT, OFFSET … ROWS, FETCH FIRST/NEXT … ROWS ONLY, SELECT ALL',
    sql: `SELECT * FROM (SELECT ALL n_name FROM {s}.nation ORDER BY n_name OFFSET 2 LIMIT 3) a
          UNION ALL SELECT * FROM (SELECT n_name FROM {s}.nation ORDER BY n_nationkey OFFSET 20 ROWS FETCH NEXT 2 ROWS ONLY) b
          UNION ALL SELECT * FROM (SELECT r_name FROM {s}.region ORDER BY r_name DESC FETCH FIRST ROW ONLY) c
          ORDER BY 1`,
  },
  {
    name: 'SEMI JOIN and ANTI JOIN: the left rows with (without) a match, once each, left columns only',
    sql: `SELECT * FROM {s}.customer c SEMI JOIN {s}.orders o ON o.o_custkey = c.c_custkey AND o.o_totalprice > 400000
          ANTI JOIN {s}.nation n ON n.n_nationkey = c.c_nationkey AND n.n_regionkey = 1 ORDER BY c_custkey`,
    scaleOut: true,
  },
  {
    name: 'UNION [ALL] BY NAME: columns matched by name in any case, NULL where a side lacks one',
    sql: `SELECT n_name, n_regionkey FROM {s}.nation WHERE n_nationkey < 4
          UNION ALL BY NAME SELECT r_regionkey AS N_REGIONKEY, r_name AS region FROM {s}.region
          UNION BY NAME SELECT 'x' AS region, 7 AS extra
          ORDER BY n_regionkey NULLS LAST, n_name NULLS LAST, region NULLS LAST`,
  },
  {
    name: 'NATURAL JOIN, inner, left and full, on the names both sides share',
    sql: `SELECT n_name, r_name, x.s_suppkey FROM {s}.nation NATURAL JOIN (SELECT r_regionkey AS n_regionkey, r_name FROM {s}.region) r
          NATURAL LEFT JOIN (SELECT s_nationkey AS n_nationkey, min(s_suppkey) AS s_suppkey FROM {s}.supplier WHERE s_acctbal > 9000 GROUP BY 1) x
          ORDER BY n_name`,
  },
  // ---- SELECT DISTINCT ON
  {
    name: 'DISTINCT ON: the first row of each key in ORDER BY order',
    sql: `SELECT DISTINCT ON (o_custkey) o_custkey, o_orderdate, o_totalprice FROM {s}.orders
          WHERE o_custkey < 200 ORDER BY o_custkey, o_orderdate DESC, o_orderkey`,
    scaleOut: true,
  },
  {
    name: 'DISTINCT ON: positions, expressions, keys outside the select list, a LIMIT, in a derived table',
    sql: `SELECT * FROM (
            SELECT DISTINCT ON (2, c_nationkey % 3) c_name, c_mktsegment, c_acctbal FROM {s}.customer
            ORDER BY 2, c_nationkey % 3, c_acctbal DESC, c_custkey LIMIT 12) t
          ORDER BY c_mktsegment, c_acctbal DESC`,
  },
  {
    name: 'window aggregates with FILTER',
    sql: `SELECT n_name, count(*) FILTER (WHERE n_regionkey = 1) OVER () AS c1,
                 sum(n_nationkey) FILTER (n_name LIKE '%A%') OVER (PARTITION BY n_regionkey ORDER BY n_nationkey) AS s,
                 avg(n_nationkey) FILTER (WHERE n_nationkey > 5) OVER (ORDER BY n_nationkey ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS a,
                 min(n_name) FILTER (WHERE n_nationkey % 2 = 1) OVER w AS m, count(n_comment) FILTER (WHERE n_regionkey < 3) OVER w AS c2
          FROM {s}.nation WINDOW w AS (PARTITION BY n_regionkey) ORDER BY n_nationkey`,
  },
  // ---- DuckDB window functions: nth_value, IGNORE NULLS
  {
    name: 'duckdb window: nth_value over default, sliding and whole frames',
    sql: `SELECT o_orderkey, o_custkey,
                 nth_value(o_orderkey, 2) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS n2,
                 nth_value(o_totalprice, 3) OVER (PARTITION BY o_custkey ORDER BY o_orderkey ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS n3,
                 nth_value(o_orderdate, 1) OVER (PARTITION BY o_custkey) IS NOT NULL AS has_first,
                 nth_value(o_orderkey, 0) OVER (ORDER BY o_orderkey) AS zero
          FROM {s}.orders WHERE o_custkey < 60 ORDER BY o_orderkey`,
  },
  {
    name: 'duckdb window: IGNORE NULLS for lag, lead, first_value, last_value, nth_value',
    sql: `SELECT o_orderkey, o_custkey,
                 lag(nullif(o_orderkey % 3, 0) IGNORE NULLS) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS lg,
                 lead(CASE WHEN o_orderkey % 4 = 0 THEN o_orderkey END, 2 IGNORE NULLS) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS ld,
                 first_value(CASE WHEN o_orderstatus = 'O' THEN o_orderkey END IGNORE NULLS) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS fv,
                 last_value(CASE WHEN o_orderstatus = 'F' THEN o_orderdate END IGNORE NULLS) OVER (PARTITION BY o_custkey ORDER BY o_orderkey ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) AS lv,
                 nth_value(CASE WHEN o_orderkey % 2 = 0 THEN o_clerk END, 2 IGNORE NULLS) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS nv
          FROM {s}.orders WHERE o_custkey < 60 ORDER BY o_orderkey`,
  },
];
