import { describe, expect, it } from 'vitest';
import { bindQuery } from './bind-sql.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';
import { exprToString } from '@tributary/plan';

/** The bound WHERE predicate of a query over nation, as text. */
function where(predicate: string): string {
  const plan = bindQuery(`SELECT n_name FROM nation WHERE ${predicate}`, tpchCatalog, {
    context: ['tpch'],
  });
  let node: unknown = plan;
  while (node && (node as { kind: string }).kind !== 'filter') node = (node as { input?: unknown }).input;
  return exprToString((node as { predicate: Parameters<typeof exprToString>[0] }).predicate);
}

describe('NOT binds looser than comparisons and arithmetic', () => {
  it('reads NOT (x) op y as NOT ((x) op y), as DuckDB does', () => {
    expect(where('NOT (- n_nationkey) != 3')).toBe(where('NOT ((- n_nationkey) != 3)'));
    expect(where('NOT (n_nationkey) + 1 > 3')).toBe(where('NOT (n_nationkey + 1 > 3)'));
    expect(where("NOT (n_name) LIKE 'A%'")).toBe(where("NOT (n_name LIKE 'A%')"));
    expect(where('NOT (n_nationkey) = 3 AND n_regionkey = 1')).toBe(
      where('(NOT (n_nationkey = 3)) AND n_regionkey = 1'),
    );
  });

  it('leaves a parenthesised NOT where it stands', () => {
    expect(where('(NOT (n_nationkey > 3)) = true')).not.toBe(where('NOT (n_nationkey > 3 = true)'));
    expect(where('NOT (NOT (n_nationkey > 3)) = true')).toBe(where('NOT ((NOT (n_nationkey > 3)) = true)'));
    expect(where('NOT (n_nationkey > 3)')).toMatch(/^NOT \(/);
  });
});
