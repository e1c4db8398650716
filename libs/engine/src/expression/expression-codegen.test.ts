import { describe, expect, it } from 'vitest';
import {
  ColumnBuilder,
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  INTEGER,
  PlanError,
  TIMESTAMP,
  VARCHAR,
  decimal,
  isValid,
  makeRecordBatch,
  type ColumnBuffers,
  type SqlType,
} from '@tributary/common';
import { call, column, literal, type Expr, type Field, type LiteralValue } from '@tributary/plan';
import { compileExpression } from './compile-expression.ts';
import { compilePredicate } from './compile-predicate.ts';

/** A deterministic pseudo-random sequence (tests must not flake). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Value = number | string | boolean | null;

function batchOf(
  type: SqlType,
  values: readonly Value[],
  extra?: { type: SqlType; values: readonly Value[] },
) {
  const build = (t: SqlType, vs: readonly Value[]): ColumnBuffers => {
    const b = new ColumnBuilder(t);
    for (const v of vs) {
      if (v === null) b.appendNull();
      else if (typeof v === 'string') b.appendString(v);
      else if (typeof v === 'boolean') b.appendBoolean(v);
      else b.appendNumber(v);
    }
    return b.finish();
  };
  const fields: Field[] = [{ name: 'x', type, nullable: true }];
  const columns = [build(type, values)];
  if (extra) {
    fields.push({ name: 'y', type: extra.type, nullable: true });
    columns.push(build(extra.type, extra.values));
  }
  return { batch: makeRecordBatch(fields, columns, values.length), fields };
}

/** The BOOLEAN column as values (null for NULL). */
function booleans(c: ColumnBuffers): (boolean | null)[] {
  const bits = c.values as Uint8Array;
  return Array.from({ length: c.length }, (_, i) =>
    isValid(c.validity, i) ? ((bits[i >> 3] >> (i & 7)) & 1) === 1 : null,
  );
}

/** SQL's x [NOT] IN (items), evaluated the plain way: NULL unless a match decides. */
function naiveIn(x: Value, items: readonly Value[], negated: boolean): boolean | null {
  if (x === null) return null;
  if (items.some((i) => i !== null && i === x)) return !negated;
  return items.some((i) => i === null) ? null : negated;
}

function inList(x: Expr, items: readonly Expr[], negated: boolean): Expr {
  return { kind: 'in-list', expr: x, list: items, negated, type: BOOLEAN };
}

const DEC = decimal(15, 2);

/** For each type: a generator of values from a domain the lists overlap with. */
const domains: [string, SqlType, (r: () => number) => Value][] = [
  ['INTEGER', INTEGER, (r) => Math.floor(r() * 4000) - 2000],
  ['BIGINT', BIGINT, (r) => (Math.floor(r() * 4000) - 2000) * 4_000_000_007],
  ['DOUBLE', DOUBLE, (r) => (Math.floor(r() * 4000) - 2000) / 8],
  ['DECIMAL', DEC, (r) => Math.floor(r() * 4000) - 2000],
  ['DATE', DATE, (r) => 9000 + Math.floor(r() * 4000)],
  ['TIMESTAMP', TIMESTAMP, (r) => (9000 + Math.floor(r() * 4000)) * 86_400_000_000 + 1],
  [
    'VARCHAR',
    VARCHAR,
    (r) => ['', 'a', 'ä', 'Straße', '日本', 'x'][Math.floor(r() * 6)] + Math.floor(r() * 700),
  ],
  ['BOOLEAN', BOOLEAN, (r) => r() < 0.5],
];

describe('IN lists', () => {
  for (const [name, type, draw] of domains) {
    it(`match a naive evaluation for ${name}, small and long lists, with NULLs, IN and NOT IN`, () => {
      const r = random(name.length * 7919);
      const rows = Array.from({ length: 3000 }, () => (r() < 0.1 ? null : draw(r)));
      const { batch, fields } = batchOf(type, rows);
      const x = column(0, 'x', type);
      for (const size of [3, 40, 5000]) {
        for (const withNull of [false, true]) {
          const items: Value[] = Array.from({ length: size }, () => draw(r));
          if (withNull) items.splice(size >> 1, 0, null);
          const exprs = items.map((v) => literal(v as LiteralValue, type));
          for (const negated of [false, true]) {
            const got = booleans(compileExpression(inList(x, exprs, negated), fields)(batch));
            expect(got).toEqual(rows.map((v) => naiveIn(v, items, negated)));
          }
        }
      }
    });
  }

  it('match a naive evaluation when items mix literals with other expressions', () => {
    const r = random(17);
    const xs = Array.from({ length: 2000 }, () => (r() < 0.1 ? null : Math.floor(r() * 300)));
    const ys = Array.from({ length: 2000 }, () => (r() < 0.1 ? null : Math.floor(r() * 300)));
    const { batch, fields } = batchOf(INTEGER, xs, { type: INTEGER, values: ys });
    const items = Array.from({ length: 50 }, (_, i) => i * 3);
    const list: Expr[] = [
      ...items.map((v) => literal(v, INTEGER)),
      column(1, 'y', INTEGER),
      call('add', [column(1, 'y', INTEGER), literal(1, INTEGER)], INTEGER),
    ];
    for (const negated of [false, true]) {
      const got = booleans(compileExpression(inList(column(0, 'x', INTEGER), list, negated), fields)(batch));
      const want = xs.map((x, i) => {
        const y = ys[i];
        return naiveIn(x, [...items, y, y === null ? null : y + 1], negated);
      });
      expect(got).toEqual(want);
    }
  });

  it('finds NaN, as = does in DuckDB, and -0 as 0, in short lists and in sets', () => {
    const { batch, fields } = batchOf(DOUBLE, [NaN, 0, -0, 1.5, 2]);
    for (const more of [0, 20]) {
      const list = [NaN, -0, 1.5, ...Array.from({ length: more }, (_, i) => i + 10)].map((v) =>
        literal(v, DOUBLE),
      );
      const got = booleans(compileExpression(inList(column(0, 'x', DOUBLE), list, false), fields)(batch));
      expect(got).toEqual([true, true, true, true, false]);
    }
  });

  it('compiles a 100,000-item list into one lookup per row', () => {
    const rows = Array.from({ length: 65_536 }, (_, i) => `k${i * 3}`);
    const { batch, fields } = batchOf(VARCHAR, rows);
    const list = Array.from({ length: 100_000 }, (_, i) => literal(`k${i}`, VARCHAR));
    const started = performance.now();
    const predicate = compilePredicate(inList(column(0, 'x', VARCHAR), list, false), fields);
    const { count } = predicate(batch);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(count).toBe(Math.ceil(100_000 / 3));
  });
});

describe('AND / OR', () => {
  const r = random(99);
  const xs = Array.from({ length: 3000 }, () => (r() < 0.1 ? null : Math.floor(r() * 20_000)));
  const { batch, fields } = batchOf(INTEGER, xs);
  const x = column(0, 'x', INTEGER);
  const eq = (v: number | null): Expr => call('eq', [x, literal(v, INTEGER)], BOOLEAN);
  const neq = (v: number): Expr => call('neq', [x, literal(v, INTEGER)], BOOLEAN);

  it('evaluate 10,000 OR-ed and AND-ed terms with three-valued logic', () => {
    // Unmerged (or_to_in_list would make the OR an IN list), so a few rows suffice.
    const few = xs.slice(0, 500);
    const small = batchOf(INTEGER, few);
    const values = Array.from({ length: 10_000 }, (_, i) => i * 2);
    const or = call('or', [...values.map(eq), eq(null)], BOOLEAN);
    expect(booleans(compileExpression(or, small.fields)(small.batch))).toEqual(
      few.map((v) => (v === null ? null : values.includes(v) ? true : null)),
    );
    const and = call('and', values.map(neq), BOOLEAN);
    expect(booleans(compileExpression(and, small.fields)(small.batch))).toEqual(
      few.map((v) => (v === null ? null : !values.includes(v))),
    );
  });

  it('evaluate a left-deep chain of binary ORs', () => {
    let chain = eq(0);
    for (let i = 1; i < 300; i++) chain = call('or', [chain, eq(i * 7)], BOOLEAN);
    expect(compilePredicate(chain, fields)(batch).count).toBe(
      xs.filter((v) => v !== null && v % 7 === 0 && v < 2100).length,
    );
  });

  it('fail an expression too deep to compile with EXPRESSION_TOO_DEEP', () => {
    let deep: Expr = eq(1);
    for (let i = 0; i < 100_000; i++) deep = call('not', [deep], BOOLEAN);
    const run = compilePredicate(deep, fields);
    expect(() => run(batch)).toThrow(PlanError);
    try {
      run(batch);
    } catch (error) {
      expect((error as PlanError).code).toBe('EXPRESSION_TOO_DEEP');
    }
  });
});

describe('OR-ed LIKEs', () => {
  const r = random(5);
  const words = ['alpha', 'beta', 'gamma', 'δέλτα', 'straße', 'x1', 'x12', 'x_y', '%'];
  const rows = Array.from({ length: 4000 }, () =>
    r() < 0.05
      ? null
      : Array.from({ length: 1 + Math.floor(r() * 5) }, () => words[Math.floor(r() * words.length)]).join(
          ' ',
        ),
  );
  const { batch, fields } = batchOf(VARCHAR, rows);
  const x = column(0, 'x', VARCHAR);
  const like = (pattern: string, caseInsensitive = false, negated = false): Expr => ({
    kind: 'like',
    expr: x,
    pattern: literal(pattern, VARCHAR),
    negated,
    caseInsensitive,
    type: BOOLEAN,
  });
  /** LIKE as a regular expression, the plain way. */
  const regex = (pattern: string, caseInsensitive: boolean): RegExp =>
    new RegExp(
      `^${[...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`,
      caseInsensitive ? 'isu' : 'su',
    );

  it('match each pattern tested alone, for 400 patterns of every shape', () => {
    const shapes = (w: string, i: number): string =>
      [`%${w}%`, `${w}%`, `%${w}`, `%${w}_%`, `_${w}%`, `%a%${w}%`, w, `%${w}%${i % 3}%`][i % 8];
    const patterns = Array.from({ length: 400 }, (_, i) =>
      shapes(words[i % words.length] + (i % 5 ? '' : 'a'), i),
    );
    const terms = patterns.map((p) => like(p));
    // Mixed with terms that are not grouped: ILIKE, NOT LIKE, a comparison.
    terms.push(
      like('%GAMMA%', true),
      like('%beta%', false, true),
      call('eq', [x, literal('x1', VARCHAR)], BOOLEAN),
    );
    const got = booleans(compileExpression(call('or', terms, BOOLEAN), fields)(batch));
    const want = rows.map((v) => {
      if (v === null) return null;
      return (
        patterns.some((p) => regex(p, false).test(v)) ||
        regex('%GAMMA%', true).test(v) ||
        !regex('%beta%', false).test(v) ||
        v === 'x1'
      );
    });
    expect(got).toEqual(want);
  });
});
