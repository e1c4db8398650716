import type { SqlCase } from './sql-cases.ts';

/**
 * Mismatches the differential fuzzer found (apps/coordinator/e2e/fuzz), kept as cases run
 * against DuckDB by fuzz.test.ts once the bug is fixed. `{s}` stands for the source. Each
 * names the seed that found it.
 */
export const FUZZ_REGRESSIONS: SqlCase[] = [
  {
    // seeds 1153, 1167: a column selected twice made Arrow IPC write a short body (executor lost) or garbage.
    name: 'the same aggregate twice',
    sql: `SELECT COUNT(*) AS a1, COUNT(*) AS a2, SUM(s_acctbal) AS a3, SUM(s_acctbal) AS a4 FROM {s}.supplier`,
  },
  {
    name: 'the same group key twice',
    sql: `SELECT n_regionkey AS a, n_regionkey AS b, COUNT(*) AS c, COUNT(DISTINCT n_name) AS d, COUNT(DISTINCT n_name) AS e
          FROM {s}.nation GROUP BY n_regionkey ORDER BY 1`,
  },
  {
    name: 'a BIGINT and a DECIMAL column selected twice',
    sql: `SELECT l_orderkey AS a, l_orderkey AS b, l_quantity AS c, l_quantity AS d FROM {s}.lineitem
          WHERE l_orderkey < 5 ORDER BY l_orderkey, l_linenumber`,
  },
  {
    // seed 1247: `NOT (x) op y` was read as `(NOT x) op y` (TYPE_MISMATCH); NOT binds looser than comparisons.
    name: 'not before a parenthesised operand of a comparison',
    sql: `SELECT COUNT(*) AS n, COUNT(CASE WHEN NOT (n_nationkey) + 1 > 10 THEN 1 END) AS m
          FROM {s}.nation WHERE NOT (- n_nationkey) != -3`,
  },
];
