import type { TypeAllowance } from '@tributary/common/testing';
import type { ExpressionGenerator } from './generate-expression.ts';
import type { RandomSource } from './random-source.ts';

/**
 * A window function call whose result does not depend on how ties are broken (switched on
 * by the `windows` feature): RANK and DENSE_RANK, and aggregates over whole partitions or
 * over the default RANGE frame (which takes peers together).
 */
export function windowCall(
  rng: RandomSource,
  gen: ExpressionGenerator,
  alias: string,
): { sql: string; allowances: TypeAllowance[] } {
  const partition = rng.chance(0.7) ? `PARTITION BY ${gen.column().sql}` : '';
  const orderColumn = gen.column();
  const order = `ORDER BY ${orderColumn.sql} ${rng.pick(['ASC', 'DESC'])} NULLS ${rng.pick(['FIRST', 'LAST'])}`;
  const over = (ordered: boolean): string =>
    `OVER (${[partition, ordered ? order : ''].filter((x) => x).join(' ')})`;
  switch (rng.int(0, 4)) {
    case 0:
      return { sql: `RANK() ${over(true)} AS ${alias}`, allowances: [] };
    case 1:
      return { sql: `DENSE_RANK() ${over(true)} AS ${alias}`, allowances: [] };
    case 2:
      return { sql: `COUNT(*) ${over(rng.chance(0.5))} AS ${alias}`, allowances: [] };
    case 3: {
      const value = gen.scalar(rng.pick(['int', 'decimal']), 1);
      // DuckDB sums integers into HUGEINT; Tributary's BIGINT is a known gap (types work).
      const allowances =
        value.kind === 'int' ? [{ column: alias, actual: 'BIGINT', expected: 'HUGEINT' }] : [];
      return { sql: `SUM(${value.sql}) ${over(rng.chance(0.5))} AS ${alias}`, allowances };
    }
    default:
      return {
        sql: `${rng.pick(['MIN', 'MAX'])}(${gen.column().sql}) ${over(rng.chance(0.5))} AS ${alias}`,
        allowances: [],
      };
  }
}
