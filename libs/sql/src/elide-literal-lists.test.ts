import { TributaryError } from '@tributary/common';
import type { Expr, InListExpr, LogicalPlan } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { bindQuery, bindSql } from './bind-sql.ts';
import { MIN_ELIDED_LIST, elideLiteralLists } from './elide-literal-lists.ts';
import { parseSql } from './parse-sql.ts';
import { tokenizeSql } from './sql-lexer.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

function inList(plan: LogicalPlan): InListExpr {
  let node: LogicalPlan = plan;
  while (node.kind !== 'filter') node = (node as { input: LogicalPlan }).input;
  let predicate: Expr = node.predicate;
  if (predicate.kind === 'call' && predicate.fn === 'and') predicate = predicate.args[0];
  if (predicate.kind !== 'in-list') throw new Error(`not an IN list: ${predicate.kind}`);
  return predicate;
}

function failure(sql: string): TributaryError {
  try {
    bindSql(sql, tpchCatalog, { context: ['tpch'] });
  } catch (error) {
    return error as TributaryError;
  }
  throw new Error(`expected ${sql} to fail`);
}

/** Line and column of the first occurrence of `needle` in `sql`. */
function positionOf(sql: string, needle: string): { line: number; column: number } {
  const offset = sql.indexOf(needle);
  const before = sql.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

describe('elideLiteralLists', () => {
  it('cuts only long lists of plain literals out of the parser text', () => {
    const long = Array.from({ length: MIN_ELIDED_LIST }, (_, i) => i).join(', ');
    const sql = `select 1 from t where a in (${long}) and b in (1, 2) and c in (${long}, d)`;
    const elided = elideLiteralLists(sql, sql, tokenizeSql(sql));
    expect(elided.text).toBe(
      `select 1 from t where a in ('tributary__in_list__0') and b in (1, 2) and c in (${long}, d)`,
    );
    // Offsets after the cut map back onto the user's text.
    const after = elided.text.indexOf('and b');
    expect(elided.sourceOffset(after)).toBe(sql.indexOf('and b'));
    expect(elided.sourceOffset(5)).toBe(5);
  });

  it('binds every kind of literal in a long list as the grammar reads it in a short one', () => {
    const strings = ["'a''b'", "'héllo wörld'", "''", 'NULL'];
    const numbers = [
      '1',
      '-2',
      '- 3',
      '+4',
      '007',
      '-0',
      '1.50',
      '-1.50',
      '00.10',
      '.5',
      '-.5',
      '2147483648',
      '-2147483648',
      '9007199254740993',
      '99999999999999999999',
      '-99999999999999999999',
      '12345678901234567890.5',
      'null',
    ];
    // Below the threshold the grammar parses the list; padded above it, the lexer does.
    for (const [column, literals, pad] of [
      ['l_comment', strings, (i: number) => `'pad${i}'`],
      ['l_extendedprice', numbers, (i: number) => String(i)],
    ] as const) {
      const padding = Array.from({ length: MIN_ELIDED_LIST }, (_, i) => pad(i));
      const short = `select 1 from lineitem where ${column} in (${literals.join(', ')})`;
      const long = `select 1 from lineitem where ${column} in (${[...literals, ...padding].join(', ')})`;
      const a = inList(bindQuery(short, tpchCatalog, { context: ['tpch'] }));
      const b = inList(bindQuery(long, tpchCatalog, { context: ['tpch'] }));
      expect(b.list.slice(0, literals.length)).toEqual(a.list);
      expect(b.list).toHaveLength(literals.length + padding.length);
      expect(b.expr).toEqual(a.expr);
    }

    const typed = (values: string[], column: string): Expr[] =>
      inList(
        bindQuery(`select 1 from lineitem where ${column} in (${values.join(', ')})`, tpchCatalog, {
          context: ['tpch'],
        }),
      ).list.slice(0, 3);
    const dates = ["DATE '1998-09-02'", "date '1994-01-01'", "'1995-03-15'"];
    const dateFill = Array.from({ length: MIN_ELIDED_LIST }, () => "DATE '2000-01-01'");
    expect(typed([...dates, ...dateFill], 'l_shipdate')).toEqual(typed(dates, 'l_shipdate'));
    const bools = ['TRUE', 'false', 'NULL'];
    const boolFill = Array.from({ length: MIN_ELIDED_LIST }, () => 'true');
    expect(typed([...bools, ...boolFill], '(l_linenumber > 1)')).toEqual(typed(bools, '(l_linenumber > 1)'));
  });

  it('keeps lists the lexer and the grammar could read differently', () => {
    const many = (item: string): string => Array.from({ length: MIN_ELIDED_LIST }, () => item).join(', ');
    for (const list of [many("'a\\'b'"), many('1e3'), many("E'x'"), `${many('1')}, x`, many("'a' 'b'")]) {
      const sql = `select 1 from t where k in (${list})`;
      expect(elideLiteralLists(sql, sql, tokenizeSql(sql)).text).toBe(sql);
    }
  });

  it('reports errors after and inside a long list where they are written', () => {
    const items = Array.from({ length: 5000 }, (_, i) => String(i)).join(',\n  ');
    const syntax = `select count(*)\nfrom lineitem\nwhere l_orderkey in (\n  ${items}\n) and l_linenumber = = 1`;
    const error = (() => {
      try {
        parseSql(syntax);
      } catch (e) {
        return e as TributaryError;
      }
      throw new Error('expected a syntax error');
    })();
    expect(error.code).toBe('SQL_PARSE_ERROR');
    expect({ line: error.line, column: error.column }).toEqual(positionOf(syntax, '= 1'));

    const wrongType = `select count(*)\nfrom lineitem\nwhere l_orderkey in (\n  ${items.replace('4321', "'abc'")}\n)`;
    const typeError = failure(wrongType);
    expect(typeError.code).toBe('TYPE_MISMATCH');
    expect({ line: typeError.line, column: typeError.column }).toEqual(positionOf(wrongType, "'abc'"));

    const badDate = `select 1 from lineitem where l_shipdate in (${Array.from({ length: 100 }, (_, i) => `DATE '1998-01-${String((i % 28) + 1).padStart(2, '0')}'`).join(', ')}, DATE '1998-02-30')`;
    const dateError = failure(badDate);
    expect(dateError.message).toContain("'1998-02-30'");
    expect({ line: dateError.line, column: dateError.column }).toEqual(positionOf(badDate, "'1998-02-30'"));

    // A node location after the list (the binder reads it from the AST) is the user's too.
    const notBoolean = `select 1 from lineitem\nwhere l_orderkey in (\n  ${items}\n)\n  and l_linenumber + 1`;
    const boolError = failure(notBoolean);
    expect(boolError.code).toBe('TYPE_MISMATCH');
    expect({ line: boolError.line, column: boolError.column }).toEqual(
      positionOf(notBoolean, 'l_linenumber + 1'),
    );
  });

  it('binds a 100,000-item IN list of each type quickly (linear, not quadratic)', () => {
    const n = 100_000;
    const lists: [string, string][] = [
      ['l_orderkey', Array.from({ length: n }, (_, i) => String(i * 7)).join(', ')],
      ['l_comment', Array.from({ length: n }, (_, i) => `'c${i}'`).join(',')],
      ['l_extendedprice', Array.from({ length: n }, (_, i) => (i / 100).toFixed(2)).join(', ')],
      [
        'l_shipdate',
        Array.from(
          { length: n },
          (_, i) => `DATE '${new Date(i * 86_400_000).toISOString().slice(0, 10)}'`,
        ).join(', '),
      ],
    ];
    for (const [column, list] of lists) {
      const started = performance.now();
      const bound = inList(
        bindQuery(`select count(*) from lineitem where ${column} in (${list})`, tpchCatalog, {
          context: ['tpch'],
        }),
      );
      // Generous: quadratic binding took minutes; the measured figure is far below.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(bound.list).toHaveLength(n);
    }
  });
});
