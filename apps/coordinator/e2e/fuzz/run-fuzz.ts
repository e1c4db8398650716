import { compareResults, type ComparableResult, type DuckDbOracle } from '@tributary/common/testing';
import { combineAggregatePartitions } from './combine-partitions.ts';
import type { FuzzFeature } from './fuzz-features.ts';
import { generatePartitionCheck } from './generate-partition-check.ts';
import { generateQuery } from './generate-query.ts';
import { RandomSource } from './random-source.ts';

/** One disagreement: reproduce it with its seed (`npm run fuzz -- --seed <seed> --n 1`). */
export interface FuzzMismatch {
  seed: number;
  check: 'duckdb' | 'partition';
  sql: string;
  problems: string[];
}

export interface FuzzRunOptions {
  /** Runs SQL on Tributary; throws when Tributary answers with an error. */
  tributary: (sql: string) => Promise<ComparableResult>;
  oracle: DuckDbOracle;
  /** The schema name both sides know the TPC-H tables under. */
  source: string;
  seed: number;
  count: number;
  features: ReadonlySet<FuzzFeature>;
  /** Share of cases that are partition checks (default 0.2). */
  partitionShare?: number;
  onMismatch?: (mismatch: FuzzMismatch) => void;
}

export interface FuzzRunStats {
  cases: number;
  queries: number;
  partitionChecks: number;
  /** Generated queries DuckDB refused: generator bugs, to be kept near zero. */
  oracleRejected: { seed: number; sql: string; error: string }[];
  mismatches: FuzzMismatch[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `count` seeded cases, seeds `seed`, `seed + 1`, …: each is either a query run on
 * Tributary and DuckDB and compared (values, column names and types, order when ordered), or
 * a partition check run on Tributary alone (its whole query also compared with DuckDB).
 */
export async function runFuzz(options: FuzzRunOptions): Promise<FuzzRunStats> {
  const stats: FuzzRunStats = {
    cases: 0,
    queries: 0,
    partitionChecks: 0,
    oracleRejected: [],
    mismatches: [],
  };
  const report = (m: FuzzMismatch): void => {
    stats.mismatches.push(m);
    options.onMismatch?.(m);
  };
  const differential = async (
    seed: number,
    sql: string,
    compare: Parameters<typeof compareResults>[2],
  ): Promise<ComparableResult | undefined> => {
    stats.queries++;
    let expected: ComparableResult;
    try {
      expected = await options.oracle.query(sql);
    } catch (error) {
      stats.oracleRejected.push({ seed, sql, error: message(error) });
      return undefined;
    }
    let actual: ComparableResult;
    try {
      actual = await options.tributary(sql);
    } catch (error) {
      report({ seed, check: 'duckdb', sql, problems: [`Tributary failed: ${message(error).slice(0, 600)}`] });
      return undefined;
    }
    const problems = compareResults(actual, expected, compare);
    if (problems.length > 0) report({ seed, check: 'duckdb', sql, problems });
    return actual;
  };

  for (let i = 0; i < options.count; i++) {
    const seed = options.seed + i;
    stats.cases++;
    if (new RandomSource(seed ^ 0x5bd1e995).chance(options.partitionShare ?? 0.2)) {
      stats.partitionChecks++;
      const check = generatePartitionCheck(seed, options.source, options.features);
      const whole = await differential(seed, check.whole, { typeAllowances: check.typeAllowances });
      if (!whole) continue;
      const parts: ComparableResult[] = [];
      try {
        for (const sql of check.parts) parts.push(await options.tributary(sql));
      } catch (error) {
        report({
          seed,
          check: 'partition',
          sql: check.parts.join(';\n'),
          problems: [`Tributary failed: ${message(error).slice(0, 600)}`],
        });
        continue;
      }
      const combined = check.aggregate
        ? combineAggregatePartitions(parts)
        : { columns: parts[0].columns, rows: parts.flatMap((p) => p.rows) };
      const problems = compareResults(combined, whole, {});
      if (problems.length > 0)
        report({ seed, check: 'partition', sql: [check.whole, ...check.parts].join(';\n'), problems });
      continue;
    }
    const query = generateQuery(seed, options.source, options.features);
    await differential(seed, query.sql, { ordered: query.ordered, typeAllowances: query.typeAllowances });
  }
  return stats;
}

/** A mismatch as printed by the fuzzer: seed, SQL and what differed. */
export function formatMismatch(m: FuzzMismatch): string {
  return `--- mismatch (${m.check}) seed=${m.seed}\n${m.sql};\n${m.problems.map((p) => `  ${p}`).join('\n')}`;
}
