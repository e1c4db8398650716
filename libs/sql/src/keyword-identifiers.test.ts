import { describe, expect, it } from 'vitest';
import { parseSql } from './parse-sql.ts';

function columnsOf(sql: string): unknown[] {
  return parseSql(sql).ast.columns as unknown as unknown[];
}

describe('names spelled like keywords', () => {
  it('reads a source named nulls, an alias AS order and t.left', () => {
    const parsed = parseSql('select nulls.left as order from nulls.t as nulls order by 1 nulls first');
    expect(parsed.ast.from?.[0]).toMatchObject({ db: 'nulls', table: 't', as: 'nulls' });
    expect(columnsOf(parsed.sql)[0]).toMatchObject({
      as: 'order',
      expr: { type: 'column_ref', table: 'nulls', column: { expr: { value: 'left' } } },
    });
    expect(parsed.ast.orderby?.[0]).toMatchObject({ nulls: 'nulls first' });
  });

  it('keeps keywords where they are keywords', () => {
    const parsed = parseSql('select a from t order by a nulls last limit 1');
    expect(parsed.ast.orderby?.[0]).toMatchObject({ nulls: 'nulls last' });
  });

  it('points errors into the user text, not at placeholders', () => {
    expect(() => parseSql('select nulls.a from nulls.t where')).toThrow(/end of input/);
  });
});

describe('quoted names with doubled quotes', () => {
  it('reads "a""b" as one name a"b, not as "a" AS "b"', () => {
    expect(columnsOf('select "a""b", 1 as """x""" from t')).toMatchObject([
      { expr: { column: { expr: { value: 'a"b' } } }, as: null },
      { as: '"x"' },
    ]);
  });
});

describe('IS [NOT] DISTINCT FROM', () => {
  it('becomes IS NOT / IS with the second operand kept', () => {
    const [a, b] = columnsOf('select x is distinct from y + 1, x is not distinct from null from t') as {
      expr: { operator: string; right: { type: string } };
    }[];
    expect(a.expr).toMatchObject({ operator: 'IS NOT', right: { type: 'binary_expr' } });
    expect(b.expr).toMatchObject({ operator: 'IS', right: { type: 'null' } });
  });
});

describe('FILTER and DISTINCT on aggregates the grammar reads as functions', () => {
  it('moves the filter condition to node.filter and marks DISTINCT', () => {
    const [m] = columnsOf('select median(distinct x) filter (where y > 1 and (z < 2)) from t') as {
      expr: { args: { distinct: string; value: unknown[] }; filter: { where: { operator: string } } };
    }[];
    expect(m.expr.args.distinct).toBe('DISTINCT');
    expect(m.expr.args.value).toHaveLength(1);
    expect(m.expr.filter.where.operator).toBe('AND');
  });

  it('reports a syntax error where the user wrote it', () => {
    expect(() => parseSql('select stddev(x) filter (where) from t')).toThrow();
  });
});

describe('EXTRACT fields the grammar lacks', () => {
  it('reads EXTRACT(millisecond FROM x) as date_part', () => {
    const [e] = columnsOf('select extract(millisecond from ts) from t') as {
      expr: { type: string; args: { value: { value: unknown }[] } };
    }[];
    expect(e.expr.type).toBe('function');
    expect(e.expr.args.value[0].value).toBe('millisecond');
  });
});
