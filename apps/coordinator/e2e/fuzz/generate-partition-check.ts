import type { TypeAllowance } from '@tributary/common/testing';
import type { FuzzFeature } from './fuzz-features.ts';
import { ExpressionGenerator } from './generate-expression.ts';
import { generateFrom } from './generate-from.ts';
import { subqueryPredicate } from './generate-subquery.ts';
import { RandomSource } from './random-source.ts';

/**
 * A ternary logic partition check (SQLancer's TLP): for a predicate p, the rows of
 * `WHERE p`, `WHERE NOT p` and `WHERE (p) IS NULL` together are exactly the unfiltered rows.
 * The aggregate variant checks COUNT(*), SUM, MIN and MAX the same way, combining the three
 * partial answers (count and sum add up, min and max of the parts).
 */
export interface PartitionCheck {
  seed: number;
  /** The unfiltered query. */
  whole: string;
  /** The three partitions, in the order p, NOT p, p IS NULL. */
  parts: [string, string, string];
  /** Aggregate variant: columns n (count), s (sum), lo (min), hi (max). */
  aggregate: boolean;
  /** Known type gaps of the whole query's columns against DuckDB (SUM of integers). */
  typeAllowances: TypeAllowance[];
}

export function generatePartitionCheck(
  seed: number,
  source: string,
  features: ReadonlySet<FuzzFeature>,
): PartitionCheck {
  const rng = new RandomSource(seed);
  const from = generateFrom(rng, source, 3, (cols) => new ExpressionGenerator(rng, cols).predicate(0));
  const hook = features.has('subqueries') ? () => subqueryPredicate(rng, source, from.columns) : undefined;
  const gen = new ExpressionGenerator(rng, from.columns, hook);
  const p = gen.predicate(3);
  const aggregate = rng.chance(0.4);
  let select: string;
  const typeAllowances: TypeAllowance[] = [];
  if (aggregate) {
    const numeric = from.columns.filter((c) => c.kind === 'int' || c.kind === 'decimal');
    const summed = numeric.length > 0 ? gen.scalar(rng.pick(numeric).kind, 1) : { sql: '1', kind: 'int' };
    const extreme = gen.column().sql;
    select = `SELECT COUNT(*) AS n, SUM(${summed.sql}) AS s, MIN(${extreme}) AS lo, MAX(${extreme}) AS hi`;
  } else {
    const columns = rng.sample(from.columns, rng.int(1, 4)).map((c) => c.sql);
    select = `SELECT ${columns.join(', ')}`;
  }
  const filtered = (condition: string | undefined): string => {
    const parts = [...from.where, ...(condition ? [condition] : [])];
    return `${select} FROM ${from.sql}${parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : ''}`;
  };
  return {
    seed,
    whole: filtered(undefined),
    parts: [filtered(`(${p})`), filtered(`NOT (${p})`), filtered(`(${p}) IS NULL`)],
    aggregate,
    typeAllowances,
  };
}
