import type { ScopeColumn } from './fuzz-scope.ts';
import type { RandomSource } from './random-source.ts';
import type { ColumnKind } from './tpch-fuzz-schema.ts';

/** A generated scalar expression and the kind of value it gives. */
export interface FuzzExpr {
  sql: string;
  kind: ColumnKind;
}

/** Extra predicate makers plugged in by switched-on features (subqueries). */
export type PredicateHook = (depth: number) => string | undefined;

/** The kind of a mix of two numeric values (or the first kind otherwise). */
function mergeKinds(a: ColumnKind, b: ColumnKind): ColumnKind {
  const numeric = (k: ColumnKind): boolean => k === 'int' || k === 'decimal';
  if (numeric(a) && numeric(b)) return a === 'decimal' || b === 'decimal' ? 'decimal' : 'int';
  return a;
}

const LIKE_PATTERNS = [
  '%A%',
  'B%',
  '%E',
  '_R%',
  '%IN%',
  'Customer#0000001%',
  'Brand#2_',
  '%BRASS',
  '%#%',
  'M_IL',
];
const COMPARISONS = ['=', '<>', '<', '<=', '>', '>=', '!='];

/**
 * Random scalar expressions and predicates over the columns in scope: arithmetic on
 * integers and decimals, CASE, NULLIF and COALESCE (which make NULLs), comparisons, IN
 * lists, BETWEEN, LIKE, IS [NOT] NULL and AND/OR/NOT, typed so that DuckDB accepts them.
 */
export class ExpressionGenerator {
  constructor(
    private readonly rng: RandomSource,
    private readonly columns: readonly ScopeColumn[],
    private readonly predicateHook?: PredicateHook,
  ) {}

  /** A column of `kind` (an int one for a decimal when there is none), else any column. */
  column(kind?: ColumnKind): ScopeColumn {
    let fitting = kind ? this.columns.filter((c) => c.kind === kind) : this.columns;
    if (fitting.length === 0 && kind === 'decimal') fitting = this.columns.filter((c) => c.kind === 'int');
    return this.rng.pick(fitting.length > 0 ? fitting : this.columns);
  }

  hasKind(kind: ColumnKind): boolean {
    return this.columns.some((c) => c.kind === kind);
  }

  /** A literal of `kind`, from a column's pool when one of that kind is in scope. */
  literal(kind: ColumnKind, near?: ScopeColumn): string {
    if (near && near.kind === kind) return this.rng.pick(near.literals);
    const pool = this.columns.filter((c) => c.kind === kind);
    if (pool.length > 0) return this.rng.pick(this.rng.pick(pool).literals);
    switch (kind) {
      case 'int':
        return String(this.rng.int(-5, 100));
      case 'decimal':
        return `${this.rng.int(0, 999)}.${this.rng.int(0, 99)}`;
      case 'string':
        return `'${this.rng.pick(['A', 'MAIL', 'x'])}'`;
      case 'date':
        return "DATE '1995-06-17'";
    }
  }

  /**
   * A value expression of `kind`; numeric kinds may mix (an int where a decimal was asked),
   * and the kind returned is the one the expression really has.
   */
  scalar(kind: ColumnKind, depth = 2): FuzzExpr {
    const r = this.rng;
    const numeric = kind === 'int' || kind === 'decimal';
    if (!this.hasKind(kind) && !(kind === 'decimal' && this.hasKind('int')))
      return { sql: this.literal(kind), kind };
    const leaf = (): FuzzExpr => {
      if (kind === 'decimal' && !this.hasKind('decimal')) return { sql: this.column('int').sql, kind: 'int' };
      return { sql: this.column(kind).sql, kind };
    };
    if (depth <= 0 || r.chance(0.45)) return leaf();
    const choice = r.int(0, 9);
    if (numeric && choice <= 3) {
      const op = r.pick(['+', '-', '*']);
      const left = this.scalar(kind, depth - 1);
      // Multiplying by small literals keeps decimal precision within DECIMAL(38).
      const right: FuzzExpr =
        op === '*'
          ? (({ sql }) => ({ sql, kind: sql.includes('.') ? 'decimal' : 'int' }) as FuzzExpr)({
              sql: r.pick(['2', '3', '-1', '0.5', '1.25', '10']),
            })
          : this.scalar(r.chance(0.5) ? kind : 'int', depth - 1);
      return { sql: `(${left.sql} ${op} ${right.sql})`, kind: mergeKinds(left.kind, right.kind) };
    }
    if (numeric && choice === 4) {
      const inner = this.scalar(kind, depth - 1);
      return { sql: `(- ${inner.sql})`, kind: inner.kind };
    }
    if (choice <= 6) {
      const then = this.scalar(kind, depth - 1);
      const otherwise = r.chance(0.3) ? undefined : this.scalar(kind, depth - 1);
      return {
        sql: `CASE WHEN ${this.predicate(depth - 1)} THEN ${then.sql} ELSE ${otherwise?.sql ?? 'NULL'} END`,
        kind: otherwise ? mergeKinds(then.kind, otherwise.kind) : then.kind,
      };
    }
    if (choice === 7) {
      const c = this.column(kind);
      return { sql: `NULLIF(${c.sql}, ${this.literal(c.kind, c)})`, kind: c.kind };
    }
    if (choice === 8) {
      const inner = this.scalar(kind, depth - 1);
      return { sql: `COALESCE(${inner.sql}, ${this.literal(inner.kind)})`, kind: inner.kind };
    }
    return leaf();
  }

  /** A predicate; NULL-producing parts (NULLIF, CASE without ELSE, outer-join columns) give three-valued logic. */
  predicate(depth = 2): string {
    const r = this.rng;
    if (depth > 0 && this.predicateHook && r.chance(0.15)) {
      const hooked = this.predicateHook(depth);
      if (hooked) return hooked;
    }
    if (depth > 0 && r.chance(0.3)) {
      const form = r.int(0, 2);
      if (form === 0) return `(${this.predicate(depth - 1)} AND ${this.predicate(depth - 1)})`;
      if (form === 1) return `(${this.predicate(depth - 1)} OR ${this.predicate(depth - 1)})`;
      // Bare `NOT p` too: NOT binds looser than the comparison inside p (found by seed 1247).
      return r.chance(0.5) ? `(NOT (${this.predicate(depth - 1)}))` : `(NOT ${this.predicate(depth - 1)})`;
    }
    const c = this.column();
    const not = r.chance(0.2) ? 'NOT ' : '';
    const value = (): string => (r.chance(0.7) ? c.sql : this.scalar(c.kind, 1).sql);
    switch (r.int(0, 6)) {
      case 0:
      case 1: {
        const other = r.chance(0.3) ? this.columns.filter((x) => x.kind === c.kind && x.sql !== c.sql) : [];
        const right = other.length > 0 ? r.pick(other).sql : this.literal(c.kind, c);
        return `${value()} ${r.pick(COMPARISONS)} ${right}`;
      }
      case 2: {
        const [a, b] = [this.literal(c.kind, c), this.literal(c.kind, c)];
        return `${value()} ${not}BETWEEN ${a} AND ${b}`;
      }
      case 3: {
        const items = Array.from({ length: r.int(1, 4) }, () =>
          r.chance(0.1) ? 'NULL' : this.literal(c.kind, c),
        );
        return `${value()} ${not}IN (${items.join(', ')})`;
      }
      case 4: {
        const s = this.column('string');
        if (s.kind !== 'string') return `${value()} IS ${not}NULL`;
        return `${s.sql} ${not}LIKE '${r.pick(LIKE_PATTERNS)}'`;
      }
      case 5: {
        const nullable = this.columns.filter((x) => x.nullable);
        const target =
          nullable.length > 0 && r.chance(0.7) ? r.pick(nullable).sql : this.scalar(c.kind, 1).sql;
        return `${target} IS ${not}NULL`;
      }
      default:
        return `${value()} ${r.pick(COMPARISONS)} ${this.literal(c.kind, c)}`;
    }
  }
}
