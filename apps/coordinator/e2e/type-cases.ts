import type { SqlCase } from './sql-cases.ts';

/**
 * Queries on exact numbers and DuckDB's types, run on Tributary and on DuckDB (`{s}` is the
 * source). Values are compared exactly (DOUBLE columns within 1e-9), column types through
 * tributaryTypeName. A case with `error` must fail on both: DuckDB with that error
 * class, Tributary with one of the codes ERROR_CODES gives for it.
 */
export interface TypeCase extends SqlCase {
  error?: DuckDbErrorClass;
}

export type DuckDbErrorClass = 'Out of Range Error' | 'Conversion Error';

/** Tributary's error codes for each DuckDB error class. */
export const ERROR_CODES: Record<DuckDbErrorClass, readonly string[]> = {
  'Out of Range Error': ['NUMERIC_OVERFLOW'],
  'Conversion Error': ['CAST_INVALID', 'NUMERIC_OVERFLOW', 'TYPE_MISMATCH'],
};

export const TYPE_CASES: TypeCase[] = [
  // ---- literals
  {
    name: 'integer literals: INTEGER, then BIGINT by magnitude',
    sql: 'SELECT 1 AS a, 2147483647 AS b, 2147483648 AS c, -2147483648 AS d, -2147483647 AS e',
  },
  {
    name: 'integer literals beyond 2^53 stay exact BIGINT',
    sql: 'SELECT 9007199254740993 AS a, -9223372036854775808 AS b, 9223372036854775807 AS c, 9007199254740992 AS d',
  },
  {
    name: 'integer literals beyond 64 bits are HUGEINT',
    sql: 'SELECT 99999999999999999999 AS a, 170141183460469231731687303715884105727 AS b, -9223372036854775809 AS c',
  },
  {
    name: 'decimal literals keep the digits as written',
    sql: 'SELECT 1.50 AS a, 00.50 AS b, 0.001 AS c, 99999999999999999999.99 AS d, 1234567890123456789012345678901234567.8 AS e',
  },
  { name: 'exponent literals are DOUBLE', sql: 'SELECT 1e3 AS a, 1.5e-3 AS b, 2E2 AS c' },
  // ---- casts
  {
    name: 'cast text to DECIMAL(38,2) exactly',
    sql: "SELECT CAST('99999999999999999999.99' AS DECIMAL(38,2)) AS a, CAST('-12345678901234567890123456.78' AS DECIMAL(38,2)) AS b",
  },
  {
    name: 'cast text to numbers rounds as DuckDB does',
    sql: "SELECT CAST('12.345' AS DECIMAL(10,2)) AS a, CAST('-0.005' AS DECIMAL(3,2)) AS b, CAST('1.005' AS DECIMAL(4,2)) AS c, CAST(' 7 ' AS INTEGER) AS d, CAST('2.5' AS INTEGER) AS e, CAST('-2.5' AS INTEGER) AS f, CAST('1e2' AS BIGINT) AS g",
  },
  {
    name: 'cast decimals and doubles to integers',
    sql: 'SELECT CAST(2.5 AS INTEGER) AS a, CAST(-2.5 AS INTEGER) AS b, CAST(2.5::DOUBLE AS INTEGER) AS c, CAST(3.5::DOUBLE AS BIGINT) AS d, CAST(-2.5::DOUBLE AS INTEGER) AS e',
  },
  {
    name: 'cast between decimals rounds half away from zero',
    sql: 'SELECT CAST(123.456 AS DECIMAL(6,1)) AS a, CAST(2.449 AS DECIMAL(3,1)) AS b, CAST(1.005::DOUBLE AS DECIMAL(4,2)) AS c, CAST(12 AS DECIMAL(5,2)) AS d, CAST(-0.05 AS DECIMAL(2,1)) AS e',
  },
  {
    name: 'cast exact numbers to VARCHAR',
    sql: 'SELECT CAST(9007199254740993 AS VARCHAR) AS a, CAST(1.50 AS VARCHAR) AS b, CAST(12.5::DECIMAL(10,3) AS VARCHAR) AS c, CAST(99999999999999999999 AS VARCHAR) AS d, CAST(-0.05 AS VARCHAR) AS e',
  },
  {
    name: 'cast exact numbers to DOUBLE',
    sql: 'SELECT CAST(9007199254740993 AS DOUBLE) AS a, CAST(99999999999999999999.99 AS DOUBLE) AS b, CAST(1.25 AS DOUBLE) AS c',
  },
  {
    name: 'cast integers to wide decimals',
    sql: 'SELECT CAST(99999999999999999999 AS DECIMAL(38,0)) AS a, CAST(12345678901234567 AS DECIMAL(20,2)) AS b, CAST(9223372036854775807 AS HUGEINT) AS c',
  },
  {
    name: 'cast columns between numeric types',
    sql: 'SELECT l_orderkey, l_linenumber, CAST(l_quantity AS INTEGER) AS a, CAST(l_extendedprice AS BIGINT) AS b, CAST(l_discount AS DOUBLE) AS c, CAST(l_orderkey AS DECIMAL(20,2)) AS d, CAST(l_extendedprice AS DECIMAL(38,4)) AS e FROM {s}.lineitem WHERE l_orderkey < 20',
  },
  {
    name: 'wide decimal column arithmetic beyond 2^53',
    sql: 'SELECT l_orderkey, l_linenumber, CAST(l_extendedprice AS DECIMAL(38,4)) * 1000000000000 AS a, l_extendedprice * 100000000000000 AS b FROM {s}.lineitem WHERE l_orderkey < 20',
  },
  {
    name: 'cast columns to VARCHAR',
    sql: 'SELECT o_orderkey, CAST(o_totalprice AS VARCHAR) AS a, CAST(o_orderkey AS VARCHAR) AS b, CAST(o_shippriority AS VARCHAR) AS c FROM {s}.orders WHERE o_orderkey < 100',
  },
  {
    name: 'cast booleans',
    sql: "SELECT CAST('true' AS BOOLEAN) AS a, CAST('f' AS BOOLEAN) AS b, CAST(1 AS BOOLEAN) AS c, CAST(TRUE AS INTEGER) AS d, CAST(0 AS BOOLEAN) AS e",
  },
  {
    name: 'cast dates and timestamps',
    sql: "SELECT CAST('2024-02-29' AS DATE) AS a, CAST(DATE '2024-02-29' AS TIMESTAMP) AS b, CAST(TIMESTAMP '2024-02-29 13:14:15' AS DATE) AS c, CAST(DATE '2024-02-29' AS VARCHAR) AS d",
  },
  {
    name: 'cast text with a zone: TIMESTAMP WITH TIME ZONE reads the instant, TIMESTAMP the time as written',
    sql: "SELECT CAST('2024-02-29 23:30:00.25-05:30' AS TIMESTAMPTZ) AS a, CAST('2024-02-29 23:30:00+02' AS TIMESTAMP) AS b, CAST(TIMESTAMPTZ '2024-01-01 00:00:00+01' AS DATE) AS c, CAST(TIMESTAMPTZ '2024-01-01 00:00:00.5+01' AS VARCHAR) AS d, CAST(CAST('2024-01-01 10:00:00Z' AS TIMESTAMPTZ) AS TIMESTAMP) AS e",
  },
  {
    name: 'cast date columns to TIMESTAMP WITH TIME ZONE and back',
    sql: "SELECT o_orderkey, CAST(o_orderdate AS TIMESTAMPTZ) AS a, CAST(CAST(o_orderdate AS TIMESTAMPTZ) AS DATE) AS b, CAST(CAST(o_orderdate AS VARCHAR) || ' 12:00:00-12' AS TIMESTAMPTZ) AS c FROM {s}.orders WHERE o_orderkey < 200",
  },
  {
    name: 'cast text columns to numbers',
    sql: "SELECT o_orderkey, CAST(CAST(o_totalprice AS VARCHAR) AS DECIMAL(15,2)) AS a, CAST(CAST(o_orderkey AS VARCHAR) || '000000000000' AS BIGINT) AS b FROM {s}.orders WHERE o_orderkey < 100",
  },
  // ---- TRY_CAST
  {
    name: 'TRY_CAST of literals gives NULL where CAST fails',
    sql: "SELECT TRY_CAST('abc' AS INTEGER) AS a, TRY_CAST('99999999999' AS INTEGER) AS b, TRY_CAST('12' AS INTEGER) AS c, TRY_CAST('2024-13-01' AS DATE) AS d, TRY_CAST('1.5' AS DECIMAL(2,1)) AS e",
  },
  {
    name: 'TRY_CAST of values out of range',
    sql: 'SELECT TRY_CAST(1e300 AS BIGINT) AS a, TRY_CAST(12345.678 AS DECIMAL(4,1)) AS b, TRY_CAST(2147483648 AS INTEGER) AS c, TRY_CAST(99.99 AS DECIMAL(3,1)) AS d',
  },
  {
    name: 'TRY_CAST of columns, row by row',
    sql: 'SELECT o_orderkey, TRY_CAST(o_orderkey * 100000 AS INTEGER) AS a, TRY_CAST(o_comment AS INTEGER) AS b, TRY_CAST(o_totalprice AS DECIMAL(7,2)) AS c FROM {s}.orders WHERE o_orderkey < 30000 AND o_orderkey % 97 = 0',
  },
  // ---- arithmetic on each numeric pair
  {
    name: 'INTEGER, BIGINT, DECIMAL and DOUBLE literal pairs',
    sql: 'SELECT 1 + 1 AS a, 1 + 2147483648 AS b, 2147483648 + 1.5 AS c, 1.5 + 1.25 AS d, 1 + 1e0 AS e, 3 * 1.5 AS f, 2147483648 * 2.5 AS g',
  },
  {
    name: 'INTEGER and BIGINT columns',
    sql: 'SELECT o_orderkey, o_shippriority + o_orderkey AS a, o_orderkey * 2 AS b, o_orderkey - 1.5 AS c, o_orderkey * 0.5 AS d, o_orderkey / 3 AS e, o_orderkey % 7 AS f, o_shippriority * 2 AS g FROM {s}.orders WHERE o_orderkey < 50',
  },
  {
    name: 'DECIMAL columns',
    sql: 'SELECT l_orderkey, l_linenumber, l_quantity + l_discount AS a, l_extendedprice * l_discount AS b, l_extendedprice * (1 - l_discount) * (1 + l_tax) AS c, l_quantity / l_tax AS d, l_quantity % 7 AS e, l_quantity - 1 AS f, l_quantity * 2.5::DOUBLE AS g FROM {s}.lineitem WHERE l_orderkey < 10',
  },
  {
    name: 'HUGEINT arithmetic',
    sql: 'SELECT 99999999999999999999 + 1 AS a, 99999999999999999999 * 2 AS b, 99999999999999999999 - 1.5 AS c, 99999999999999999999 % 7 AS d, -99999999999999999999 AS e, CAST(9223372036854775807 AS HUGEINT) + 1 AS f',
  },
  {
    name: 'wide DECIMAL arithmetic',
    sql: 'SELECT 99999999999999999999.99 * 2 AS a, 99999999999999999999.99 + 0.01 AS b, 12345678901234567.89 * 1000 AS c, CAST(1 AS DECIMAL(38,10)) / 3 AS d, 12345678901234567.89 - 0.001 AS e',
  },
  {
    name: 'DECIMAL result precision and scale rules',
    sql: 'SELECT CAST(3 AS DECIMAL(18,2)) * CAST(4 AS DECIMAL(18,2)) AS a, CAST(3 AS DECIMAL(38,2)) * CAST(4 AS DECIMAL(18,2)) AS b, CAST(5 AS DECIMAL(10,2)) + CAST(7 AS DECIMAL(12,3)) AS c, CAST(1 AS DECIMAL(18,2)) + CAST(1 AS DECIMAL(38,2)) AS d, CAST(1 AS DECIMAL(18,2)) + CAST(1 AS DECIMAL(18,2)) AS e, CAST(1 AS BIGINT) * 1.5 AS f, CAST(1 AS INTEGER) + 1.5 AS g',
  },
  {
    name: 'BIGINT literal arithmetic beyond 2^53',
    sql: 'SELECT 9007199254740993 + 1 AS a, 9007199254740993 * 3 AS b, 9007199254740993 - 9007199254740992 AS c, 9007199254740993 = 9007199254740992 AS d, 9007199254740993 > 9007199254740992 AS e, -9007199254740993 AS f',
  },
  {
    name: 'BIGINT column arithmetic beyond 2^53',
    sql: 'SELECT o_orderkey, o_orderkey + 9007199254740000 AS a, (o_orderkey + 9007199254740000) * 2 AS b, o_orderkey * 100000000000 AS c, (o_orderkey + 9007199254740000) % 1000 AS d FROM {s}.orders WHERE o_orderkey < 20',
  },
  {
    name: 'comparisons of BIGINT columns beyond 2^53',
    sql: 'SELECT o_orderkey FROM {s}.orders WHERE o_orderkey + 9007199254740000 = 9007199254740001 OR o_orderkey * 1000000000000 > 59990000000000000 ORDER BY o_orderkey',
  },
  {
    name: 'DOUBLE arithmetic',
    sql: 'SELECT 1.5::DOUBLE * 2 AS a, 0.1::DOUBLE + 0.2 AS b, 10::DOUBLE / 4 AS c, 7.5::DOUBLE % 2 AS d, -0.5::DOUBLE AS e',
  },
  {
    name: 'negation of every numeric type',
    sql: 'SELECT l_orderkey, l_linenumber, -l_orderkey AS a, -l_quantity AS b, -(-9223372036854775807) AS c, -CAST(l_tax AS DOUBLE) AS d, -CAST(l_linenumber AS INTEGER) AS e FROM {s}.lineitem WHERE l_orderkey < 5',
  },
  {
    name: 'abs of every exact type beyond 2^53',
    sql: 'SELECT abs(-9007199254740993) AS a, abs(-2147483648) AS b, abs(-1.5) AS c, abs(-99999999999999999999) AS d, abs(-99999999999999999999.99) AS e',
  },
  // ---- overflow: a typed error on both engines
  {
    name: 'abs overflow of the smallest BIGINT',
    sql: 'SELECT abs(-9223372036854775807 - 1)',
    error: 'Out of Range Error',
  },
  { name: 'BIGINT addition overflow', sql: 'SELECT 9223372036854775807 + 1', error: 'Out of Range Error' },
  { name: 'INTEGER addition overflow', sql: 'SELECT 2147483647 + 1', error: 'Out of Range Error' },
  {
    name: 'BIGINT multiplication overflow',
    sql: 'SELECT 4611686018427387904 * 2',
    error: 'Out of Range Error',
  },
  {
    name: 'BIGINT column multiplication overflow',
    sql: 'SELECT CAST(3037000500 AS BIGINT) * CAST(3037000500 AS BIGINT)',
    error: 'Out of Range Error',
  },
  {
    name: 'HUGEINT addition overflow',
    sql: 'SELECT 170141183460469231731687303715884105727 + 1',
    error: 'Out of Range Error',
  },
  {
    name: 'HUGEINT multiplication overflow',
    sql: 'SELECT 99999999999999999999999999999999999999 * 10',
    error: 'Out of Range Error',
  },
  {
    name: 'DECIMAL(38) multiplication overflow',
    sql: 'SELECT CAST(99999999999999999999999999999999999999 AS DECIMAL(38,0)) * 10',
    error: 'Out of Range Error',
  },
  {
    name: 'INTEGER column overflow',
    sql: 'SELECT CAST(o_orderkey AS INTEGER) * 1000000 FROM {s}.orders',
    error: 'Out of Range Error',
  },
  {
    name: 'BIGINT column overflow past 2^63',
    sql: 'SELECT o_orderkey * 922337203685477580 FROM {s}.orders',
    error: 'Out of Range Error',
  },
  {
    name: 'BIGINT negation overflow',
    sql: 'SELECT -CAST(-9223372036854775808 AS BIGINT)',
    error: 'Out of Range Error',
  },
  { name: 'cast DOUBLE out of BIGINT range', sql: 'SELECT CAST(1e300 AS BIGINT)', error: 'Conversion Error' },
  { name: 'cast bad text to INTEGER', sql: "SELECT CAST('abc' AS INTEGER)", error: 'Conversion Error' },
  {
    name: 'cast bad text to TIMESTAMP WITH TIME ZONE',
    sql: "SELECT CAST('2024-02-30 10:00:00+02' AS TIMESTAMPTZ)",
    error: 'Conversion Error',
  },
  {
    name: 'cast decimal that rounds out of range',
    sql: 'SELECT CAST(99.99 AS DECIMAL(3,1))',
    error: 'Conversion Error',
  },
  {
    name: 'cast of a 19-digit decimal to DECIMAL(18,2)',
    sql: 'SELECT CAST(99999999999999999.99 AS DECIMAL(18,2)) * 100',
    error: 'Conversion Error',
  },
  {
    name: 'cast column out of DECIMAL range',
    sql: 'SELECT CAST(o_orderkey AS DECIMAL(3,0)) FROM {s}.orders',
    error: 'Conversion Error',
  },
  {
    name: 'cast BIGINT out of INTEGER range',
    sql: 'SELECT CAST(2147483648 AS INTEGER)',
    error: 'Conversion Error',
  },
  {
    name: 'cast column out of INTEGER range',
    sql: 'SELECT CAST(o_orderkey * 100000 AS INTEGER) FROM {s}.orders',
    error: 'Conversion Error',
  },
  // ---- sums and averages
  {
    name: 'SUM widens integers to HUGEINT and decimals to DECIMAL(38,s)',
    sql: 'SELECT SUM(o_shippriority) AS a, SUM(o_orderkey) AS b, SUM(o_totalprice) AS c, SUM(CAST(o_totalprice AS DOUBLE)) AS d, COUNT(*) AS e, SUM(CAST(o_orderkey AS HUGEINT)) AS f FROM {s}.orders',
  },
  {
    name: 'TPC-H Q12 sums of CASE are HUGEINT',
    sql: `SELECT l_shipmode,
  SUM(CASE WHEN o_orderpriority = '1-URGENT' OR o_orderpriority = '2-HIGH' THEN 1 ELSE 0 END) AS high_line_count,
  SUM(CASE WHEN o_orderpriority <> '1-URGENT' AND o_orderpriority <> '2-HIGH' THEN 1 ELSE 0 END) AS low_line_count
FROM {s}.orders, {s}.lineitem
WHERE o_orderkey = l_orderkey AND l_shipmode IN ('MAIL', 'SHIP') AND l_commitdate < l_receiptdate
  AND l_shipdate < l_commitdate AND l_receiptdate >= DATE '1994-01-01' AND l_receiptdate < DATE '1995-01-01'
GROUP BY l_shipmode ORDER BY l_shipmode`,
  },
  {
    name: 'AVG of every numeric type is DOUBLE',
    sql: 'SELECT AVG(o_shippriority) AS a, AVG(o_orderkey) AS b, AVG(o_totalprice) AS c, AVG(CAST(o_totalprice AS DOUBLE)) AS d, AVG(CAST(o_orderkey AS HUGEINT)) AS e FROM {s}.orders',
  },
  {
    name: 'grouped sums beyond 64 bits',
    sql: 'SELECT o_orderstatus, SUM(o_orderkey * 1000000000000) AS s, SUM(CAST(o_totalprice AS DECIMAL(38,2)) * 1000000000000000) AS t, COUNT(*) AS n FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus',
  },
  {
    name: 'ORDER BY a HUGEINT sum',
    sql: 'SELECT o_custkey, SUM(o_shippriority + o_orderkey) AS s FROM {s}.orders GROUP BY o_custkey ORDER BY s DESC, o_custkey LIMIT 10',
  },
  {
    name: 'MIN and MAX of BIGINT beyond 2^53',
    sql: 'SELECT MIN(o_orderkey * 1000000000000) AS a, MAX(o_orderkey * 1000000000000) AS b, MIN(o_totalprice) AS c, MAX(o_totalprice) AS d FROM {s}.orders',
  },
  {
    name: 'SUM of a HUGEINT',
    sql: 'SELECT SUM(s) AS total, MAX(s) AS biggest FROM (SELECT SUM(o_orderkey) AS s FROM {s}.orders GROUP BY o_custkey) t',
  },
  {
    name: 'HUGEINT sums compared and joined',
    sql: 'SELECT o_custkey, SUM(o_orderkey) AS s FROM {s}.orders GROUP BY o_custkey HAVING SUM(o_orderkey) > 400000 ORDER BY o_custkey',
  },
  // ---- division by zero
  {
    name: 'division by zero on literals',
    sql: 'SELECT 1/0 AS a, 1.0/0 AS b, 1 % 0 AS c, 1.0 % 0 AS d, -1/0 AS e, 0/0 AS f',
  },
  {
    name: 'division by zero on columns',
    sql: 'SELECT l_orderkey, l_linenumber, l_quantity / 0 AS a, l_quantity % 0 AS b, l_orderkey % 0 AS c, l_orderkey / 0 AS d FROM {s}.lineitem WHERE l_orderkey < 3',
  },
  {
    name: 'modulo signs and DOUBLE modulo by zero',
    sql: 'SELECT 5.0::DOUBLE % 0 AS a, -7 % 2 AS b, 7 % -3 AS c, -5.5 % 2 AS d, -7 / 2 AS e',
  },
  // ---- implicit casts
  {
    name: 'VARCHAR literals against numbers and dates',
    sql: "SELECT '10' > 9 AS a, 10 = '10' AS b, '1.5' = 1.5 AS c, DATE '2024-01-01' = TIMESTAMP '2024-01-01 00:00:00' AS d, DATE '2024-01-01' < '2024-01-02' AS e, 1 = 1.0 AS f, 0.1::DOUBLE = 0.1 AS g",
  },
  {
    name: 'VARCHAR literals against columns',
    sql: "SELECT COUNT(*) AS n FROM {s}.orders WHERE o_orderkey > '7' AND o_totalprice > '100000.5' AND o_orderdate < '1995-01-01'",
  },
  {
    name: 'integer and decimal literals against columns',
    sql: 'SELECT COUNT(*) AS n FROM {s}.lineitem WHERE l_quantity = 5 AND l_discount = 0.05 AND l_orderkey > 1.5',
  },
  {
    name: 'DATE against TIMESTAMP columns',
    sql: "SELECT COUNT(*) AS n FROM {s}.orders WHERE o_orderdate >= TIMESTAMP '1995-01-01 12:00:00' AND CAST(o_orderdate AS TIMESTAMP) < DATE '1996-01-01'",
  },
  {
    name: 'IN lists with exact BIGINT values',
    sql: 'SELECT 9007199254740993 IN (9007199254740992, 1) AS a, 9007199254740993 IN (9007199254740993) AS b, 5 IN (1, 5.0) AS c',
  },
  {
    name: 'IN lists over a BIGINT column beyond 2^53',
    sql: 'SELECT o_orderkey FROM {s}.orders WHERE o_orderkey + 9007199254740000 IN (9007199254740001, 9007199254740003, 9007199254740007) ORDER BY o_orderkey',
  },
  // ---- three-valued logic
  {
    name: 'AND, OR, NOT, comparisons and IN with NULL',
    sql: 'SELECT NULL AND FALSE AS a, NULL AND TRUE AS b, NULL OR TRUE AS c, NULL OR FALSE AS d, NOT NULL AS e, NULL = NULL AS f, 1 IN (1, NULL) AS g, 2 IN (1, NULL) AS h, 2 NOT IN (1, NULL) AS i, NULL IN (1) AS j',
  },
  {
    name: 'NULL in filters: unknown is not true',
    sql: 'SELECT COUNT(*) AS n FROM {s}.orders WHERE NOT (o_orderkey > 100 AND NULL) OR (o_orderkey < 10 OR NULL)',
  },
  {
    name: 'NULLs from columns through comparisons and CASE',
    sql: "SELECT o_orderkey, NULLIF(o_orderkey % 3, 0) = 1 AS a, CASE WHEN NULLIF(o_orderkey % 2, 0) = 1 THEN 'odd' END AS b, NOT (NULLIF(o_orderkey % 3, 0) > 1) AS c, NULLIF(o_orderkey % 3, 0) IN (1, NULL) AS d FROM {s}.orders WHERE o_orderkey < 40",
  },
  {
    name: 'aggregates of NULL have DuckDB types',
    sql: 'SELECT SUM(NULL) AS a, MIN(NULL) AS b, MAX(NULL) AS c, AVG(NULL) AS d, COUNT(NULL) AS e, SUM(NULL) FILTER (WHERE o_orderkey > 3) AS f FROM {s}.orders',
  },
  {
    name: 'grouped aggregates of NULL have DuckDB types',
    sql: 'SELECT o_orderstatus, SUM(NULL) AS a, MIN(NULL) AS b FROM {s}.orders GROUP BY o_orderstatus ORDER BY o_orderstatus',
  },
  // ---- JSON encoding
  {
    name: 'one JSON encoding per type',
    sql: "SELECT CAST(1 AS BIGINT) AS a, CAST(1 AS HUGEINT) AS b, CAST(1.5 AS DECIMAL(4,2)) AS c, 1 AS d, 1.5::DOUBLE AS e, TRUE AS f, DATE '2024-01-02' AS g, 'x' AS h, CAST(NULL AS INTEGER) AS i, CAST(12.3 AS DECIMAL(38,5)) AS j",
  },
];
