import { ExpressionGenerator } from './generate-expression.ts';
import { scopeColumns, tableReference } from './generate-from.ts';
import type { ScopeColumn } from './fuzz-scope.ts';
import type { RandomSource } from './random-source.ts';
import { TPCH_FOREIGN_KEYS, fuzzTable } from './tpch-fuzz-schema.ts';

/** An inner table correlated with an outer column along a foreign key, under alias `x1`. */
function correlatedTable(rng: RandomSource, source: string, outer: readonly ScopeColumn[]) {
  const links = TPCH_FOREIGN_KEYS.flatMap((k) =>
    outer
      .filter((c) => c.table === k.from || c.table === k.to)
      .filter((c) => c.sql.endsWith(`.${c.table === k.from ? k.fromColumn : k.toColumn}`))
      .map((c) => ({
        outer: c,
        inner: c.table === k.from ? k.to : k.from,
        innerColumn: c.table === k.from ? k.toColumn : k.fromColumn,
      })),
  );
  if (links.length === 0) return undefined;
  const link = rng.pick(links);
  const table = fuzzTable(link.inner);
  const alias = `x${table.alias}`;
  return {
    reference: tableReference(rng, source, table, alias),
    columns: scopeColumns(table, alias, false),
    correlation: `${alias}.${link.innerColumn} = ${link.outer.sql}`,
  };
}

/**
 * Subquery predicates (switched on by the `subqueries` feature): [NOT] EXISTS correlated
 * along a foreign key, [NOT] IN over a key of another table, and comparison with an
 * uncorrelated scalar aggregate.
 */
export function subqueryPredicate(
  rng: RandomSource,
  source: string,
  outer: readonly ScopeColumn[],
): string | undefined {
  const inner = correlatedTable(rng, source, outer);
  if (!inner) return undefined;
  const gen = new ExpressionGenerator(rng, inner.columns);
  const not = rng.chance(0.3) ? 'NOT ' : '';
  switch (rng.int(0, 2)) {
    case 0:
      return `${not}EXISTS (SELECT 1 FROM ${inner.reference} WHERE ${inner.correlation} AND ${gen.predicate(1)})`;
    case 1: {
      const [left, right] = inner.correlation.split(' = ');
      return `${right} ${not}IN (SELECT ${left} FROM ${inner.reference} WHERE ${gen.predicate(1)})`;
    }
    default: {
      const numeric = inner.columns.filter((c) => c.kind === 'int' || c.kind === 'decimal');
      const target = rng.pick(numeric.length > 0 ? numeric : inner.columns);
      const outerSame = outer.filter((c) => c.kind === target.kind);
      if (outerSame.length === 0) return undefined;
      const agg = rng.pick(['MIN', 'MAX']);
      return `${rng.pick(outerSame).sql} ${rng.pick(['<', '>=', '='])} (SELECT ${agg}(${target.sql}) FROM ${inner.reference} WHERE ${gen.predicate(1)})`;
    }
  }
}

/** A correlated scalar subquery for the select list: a count or an extreme of the related rows. */
export function scalarSubquery(
  rng: RandomSource,
  source: string,
  outer: readonly ScopeColumn[],
): string | undefined {
  const inner = correlatedTable(rng, source, outer);
  if (!inner) return undefined;
  const numeric = inner.columns.filter((c) => c.kind === 'int' || c.kind === 'decimal');
  const value = rng.chance(0.5) || numeric.length === 0 ? 'COUNT(*)' : `MAX(${rng.pick(numeric).sql})`;
  return `(SELECT ${value} FROM ${inner.reference} WHERE ${inner.correlation})`;
}
