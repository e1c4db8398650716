import type { TypeAllowance } from '@tributary/common/testing';
import type { FuzzFeature } from './fuzz-features.ts';
import type { FuzzFrom } from './fuzz-scope.ts';
import { ExpressionGenerator } from './generate-expression.ts';
import { generateFrom } from './generate-from.ts';
import { scalarSubquery, subqueryPredicate } from './generate-subquery.ts';
import { windowCall } from './generate-window.ts';
import { RandomSource } from './random-source.ts';
import type { ColumnKind } from './tpch-fuzz-schema.ts';

/** One generated query and how its result is compared with DuckDB's. */
export interface FuzzQuery {
  seed: number;
  sql: string;
  /** It has an ORDER BY that orders its rows totally: compare in order. */
  ordered: boolean;
  /** Known type gaps of its columns (SUM of integers), accepted column by column. */
  typeAllowances: TypeAllowance[];
  shape: 'select' | 'aggregate' | 'setop';
}

const KINDS: ColumnKind[] = ['int', 'decimal', 'string', 'date'];

function orderByAll(rng: RandomSource, positions: number): string {
  const keys = Array.from(
    { length: positions },
    (_, i) =>
      `${i + 1} ${rng.pick(['ASC', 'DESC'])}${rng.chance(0.6) ? ` NULLS ${rng.pick(['FIRST', 'LAST'])}` : ''}`,
  );
  return ` ORDER BY ${keys.join(', ')}`;
}

function limitClause(rng: RandomSource): string {
  if (!rng.chance(0.7)) return '';
  return ` LIMIT ${rng.int(1, 30)}${rng.chance(0.15) ? ` OFFSET ${rng.int(1, 10)}` : ''}`;
}

function whereClause(from: FuzzFrom & { where: string[] }, predicate: string | undefined): string {
  const parts = [...from.where, ...(predicate ? [predicate] : [])];
  return parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : '';
}

class QueryBuilder {
  constructor(
    private readonly rng: RandomSource,
    private readonly source: string,
    private readonly features: ReadonlySet<FuzzFeature>,
  ) {}

  from(maxTables: number): FuzzFrom & { where: string[] } {
    return generateFrom(this.rng, this.source, maxTables, (cols) =>
      new ExpressionGenerator(this.rng, cols).predicate(0),
    );
  }

  expressions(from: FuzzFrom): ExpressionGenerator {
    const hook = this.features.has('subqueries')
      ? () => subqueryPredicate(this.rng, this.source, from.columns)
      : undefined;
    return new ExpressionGenerator(this.rng, from.columns, hook);
  }

  /** SELECT [DISTINCT] expressions FROM joins [WHERE p] [ORDER BY every column [LIMIT n]]. */
  select(seed: number): FuzzQuery {
    const r = this.rng;
    const from = this.from(3);
    const gen = this.expressions(from);
    const items: string[] = [];
    const allowances: TypeAllowance[] = [];
    const seen = new Set<string>();
    for (let i = 0, n = r.int(1, 4); i < n; i++) {
      if (r.chance(0.4)) {
        const c = gen.column();
        if (seen.has(c.sql.split('.')[1])) continue;
        seen.add(c.sql.split('.')[1]);
        items.push(c.sql);
      } else items.push(`${gen.scalar(r.pick(KINDS)).sql} AS e${i}`);
    }
    if (this.features.has('windows') && r.chance(0.3)) {
      const w = windowCall(r, gen, 'w0');
      items.push(w.sql);
      allowances.push(...w.allowances);
    }
    if (this.features.has('subqueries') && r.chance(0.2)) {
      const s = scalarSubquery(r, this.source, from.columns);
      if (s) items.push(`${s} AS sq0`);
    }
    const distinct = r.chance(0.2) ? 'DISTINCT ' : '';
    let sql = `SELECT ${distinct}${items.join(', ')} FROM ${from.sql}${whereClause(from, r.chance(0.8) ? gen.predicate() : undefined)}`;
    const ordered = r.chance(0.6);
    if (ordered) sql += orderByAll(r, items.length) + limitClause(r);
    return { seed, sql, ordered, typeAllowances: allowances, shape: 'select' };
  }

  /** SELECT keys, aggregates FROM joins [WHERE p] [GROUP BY keys [HAVING q]] [ORDER BY keys [LIMIT n]]. */
  aggregate(seed: number): FuzzQuery {
    const r = this.rng;
    const from = this.from(3);
    const gen = this.expressions(from);
    const groupable = from.columns.filter((c) => c.groupable);
    const keys = r.sample(groupable, r.int(0, Math.min(2, groupable.length))).map((c) => c.sql);
    const allowances: TypeAllowance[] = [];
    const aggregates: string[] = [];
    const aggregate = (): string => {
      const kind = r.pick(['int', 'decimal', 'string', 'date'] as const);
      switch (r.int(0, 6)) {
        case 0:
          return 'COUNT(*)';
        case 1:
          return `COUNT(${gen.scalar(kind, 1).sql})`;
        case 2:
          return `COUNT(DISTINCT ${gen.column().sql})`;
        case 3:
        case 4: {
          const value = gen.scalar(r.pick(['int', 'decimal']), 1);
          return `SUM(${value.sql})`;
        }
        case 5:
          return `${r.pick(['MIN', 'MAX'])}(${gen.scalar(kind, 1).sql})`;
        default:
          return `AVG(${gen.scalar(r.pick(['int', 'decimal']), 1).sql})`;
      }
    };
    for (let i = 0, n = r.int(1, 3); i < n; i++) aggregates.push(`${aggregate()} AS a${i}`);
    let sql = `SELECT ${[...keys, ...aggregates].join(', ')} FROM ${from.sql}${whereClause(from, r.chance(0.7) ? gen.predicate() : undefined)}`;
    if (keys.length > 0) {
      sql += ` GROUP BY ${keys.join(', ')}`;
      if (r.chance(0.3)) {
        const having = r.pick([
          `COUNT(*) > ${r.int(0, 5)}`,
          gen.hasKind('decimal')
            ? `SUM(${gen.column('decimal').sql}) > ${gen.literal('decimal')}`
            : 'COUNT(*) < 3',
          gen.hasKind('int') ? `MIN(${gen.column('int').sql}) < ${r.int(0, 200)}` : 'COUNT(*) >= 2',
          `MAX(${gen.column().sql}) IS NOT NULL`,
        ]);
        sql += ` HAVING ${having}`;
      }
    }
    // Group keys identify a row, so ordering by all of them orders totally.
    const ordered = keys.length > 0 && r.chance(0.6);
    if (ordered) sql += orderByAll(r, keys.length) + limitClause(r);
    return { seed, sql, ordered, typeAllowances: allowances, shape: 'aggregate' };
  }

  /** Two selects over one FROM with different predicates, joined by UNION [ALL], INTERSECT or EXCEPT. */
  setOperation(seed: number): FuzzQuery {
    const r = this.rng;
    const from = this.from(2);
    const gen = this.expressions(from);
    const columns = r.sample(from.columns, r.int(1, 3)).map((c) => c.sql);
    const side = (): string =>
      `SELECT ${columns.join(', ')} FROM ${from.sql}${whereClause(from, gen.predicate())}`;
    const op = r.pick(['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT', 'INTERSECT ALL', 'EXCEPT ALL']);
    let sql = `${side()} ${op} ${side()}`;
    const ordered = r.chance(0.5);
    if (ordered) sql += orderByAll(r, columns.length) + limitClause(r);
    return { seed, sql, ordered, typeAllowances: [], shape: 'setop' };
  }
}

/** The query of one seed: the same seed, source and features always give the same SQL. */
export function generateQuery(seed: number, source: string, features: ReadonlySet<FuzzFeature>): FuzzQuery {
  const rng = new RandomSource(seed);
  const builder = new QueryBuilder(rng, source, features);
  if (features.has('setops') && rng.chance(0.2)) return builder.setOperation(seed);
  return rng.chance(0.5) ? builder.select(seed) : builder.aggregate(seed);
}
