import type { FuzzFrom, ScopeColumn } from './fuzz-scope.ts';
import type { RandomSource } from './random-source.ts';
import { TPCH_FOREIGN_KEYS, TPCH_FUZZ_TABLES, fuzzTable, type FuzzTable } from './tpch-fuzz-schema.ts';

type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

/**
 * A table reference: small tables as they are, large ones through a derived table cut to a
 * key range, so that outer joins still see unmatched rows of a whole (small) table.
 */
export function tableReference(rng: RandomSource, source: string, table: FuzzTable, alias: string): string {
  const r = table.restriction;
  if (!r) return `${source}.${table.name} ${alias}`;
  return `(SELECT * FROM ${source}.${table.name} WHERE ${r.column} <= ${rng.int(r.low, r.high)}) ${alias}`;
}

export function scopeColumns(table: FuzzTable, alias: string, nullable: boolean): ScopeColumn[] {
  return table.columns.map((c) => ({
    sql: `${alias}.${c.name}`,
    kind: c.kind,
    literals: c.literals,
    groupable: c.groupable === true,
    nullable,
    table: table.name,
    alias,
  }));
}

/**
 * A FROM clause of 1 to `maxTables` tables joined along TPC-H foreign keys with random join
 * types (inner, left, right, full), sometimes with an extra condition on the ON clause so
 * outer joins keep rows the condition rejects, and sometimes as a comma join with the key
 * equality in `where` (returned separately: the caller ANDs it into its WHERE).
 */
export function generateFrom(
  rng: RandomSource,
  source: string,
  maxTables: number,
  extraOn: (columns: ScopeColumn[]) => string,
): FuzzFrom & { where: string[] } {
  const first = rng.pick(TPCH_FUZZ_TABLES);
  const used = new Set([first.name]);
  const aliases = [{ table: first.name, alias: `${first.alias}1` }];
  let columns = scopeColumns(first, `${first.alias}1`, false);
  let sql = tableReference(rng, source, first, `${first.alias}1`);
  const where: string[] = [];
  const count = rng.int(1, maxTables);
  const comma = rng.chance(0.1);
  for (let i = 1; i < count; i++) {
    const edges = TPCH_FOREIGN_KEYS.filter(
      (k) => (used.has(k.from) && !used.has(k.to)) || (used.has(k.to) && !used.has(k.from)),
    );
    if (edges.length === 0) break;
    const edge = rng.pick(edges);
    const newName = used.has(edge.from) ? edge.to : edge.from;
    const table = fuzzTable(newName);
    const alias = `${table.alias}1`;
    const old = aliases.find((a) => a.table === (newName === edge.from ? edge.to : edge.from))!;
    const condition =
      newName === edge.from
        ? `${alias}.${edge.fromColumn} = ${old.alias}.${edge.toColumn}`
        : `${old.alias}.${edge.fromColumn} = ${alias}.${edge.toColumn}`;
    const reference = tableReference(rng, source, table, alias);
    const added = scopeColumns(table, alias, false);
    used.add(newName);
    aliases.push({ table: newName, alias });
    if (comma) {
      sql += `, ${reference}`;
      where.push(condition);
      columns = [...columns, ...added];
      continue;
    }
    const type: JoinType = rng.pick(['INNER', 'INNER', 'LEFT', 'LEFT', 'RIGHT', 'FULL']);
    const on = rng.chance(0.25) ? `${condition} AND ${extraOn(added)}` : condition;
    sql += ` ${type} JOIN ${reference} ON ${on}`;
    const leftNullable = type === 'RIGHT' || type === 'FULL';
    const rightNullable = type === 'LEFT' || type === 'FULL';
    columns = [
      ...columns.map((c) => (leftNullable ? { ...c, nullable: true } : c)),
      ...added.map((c) => (rightNullable ? { ...c, nullable: true } : c)),
    ];
  }
  return { sql, columns, aliases, where };
}
