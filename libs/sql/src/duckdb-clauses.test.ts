import { BindError, ParseError, TributaryError, typeToString } from '@tributary/common';
import { printPlan } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { bindQuery, bindSql } from './bind-sql.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

function plan(sql: string): string {
  return printPlan(bindQuery(sql, tpchCatalog, { context: ['tpch'] }));
}

function schema(sql: string): string[] {
  return bindQuery(sql, tpchCatalog, { context: ['tpch'] }).schema.map(
    (f) => `${f.name}: ${typeToString(f.type)}`,
  );
}

function failure(sql: string): TributaryError {
  try {
    bindSql(sql, tpchCatalog, { context: ['tpch'] });
  } catch (error) {
    return error as TributaryError;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('GROUP BY ALL', () => {
  it('groups by every select item without an aggregate', () => {
    expect(plan('select n_regionkey, n_name, count(*) from nation group by all')).toBe(
      plan('select n_regionkey, n_name, count(*) from nation group by n_regionkey, n_name'),
    );
    expect(plan('select n_regionkey + 1 as r, sum(n_nationkey) s from nation group by all')).toBe(
      plan('select n_regionkey + 1 as r, sum(n_nationkey) s from nation group by n_regionkey + 1'),
    );
  });

  it('with only aggregates is a global aggregate', () => {
    expect(schema('select count(*) as n from nation group by all')).toEqual(['n: BIGINT']);
  });

  it('groups by the columns of a star', () => {
    expect(schema('select *, count(*) as n from region group by all')).toEqual([
      'r_regionkey: BIGINT',
      'r_name: VARCHAR',
      'r_comment: VARCHAR',
      'n: BIGINT',
    ]);
  });

  it('leaves a column named all alone', () => {
    expect(plan('select n_name from nation group by n_name')).toContain('Aggregate');
  });

  it('cannot be combined with other keys', () => {
    const error = failure('select n_regionkey, n_name, count(*) from nation\ngroup by all, n_name');
    expect(error).toBeInstanceOf(BindError);
    expect(error.code).toBe('INVALID_GROUP_BY');
    expect([error.line, error.column]).toEqual([2, 10]);
    const overUnion = failure(
      'select n_name from nation union all\nselect r_name from region order by all, 1',
    );
    expect(overUnion.code).toBe('INVALID_ORDER_BY');
    expect([overUnion.line, overUnion.column]).toEqual([2, 36]);
  });
});

describe('ORDER BY ALL', () => {
  it('sorts by every result column, left to right, in its direction', () => {
    expect(plan('select n_regionkey, n_name from nation order by all')).toBe(
      plan('select n_regionkey, n_name from nation order by 1, 2'),
    );
    expect(plan('select n_regionkey, n_name from nation order by all desc nulls first limit 3')).toBe(
      plan('select n_regionkey, n_name from nation order by 1 desc nulls first, 2 desc nulls first limit 3'),
    );
  });

  it('sorts by the columns of a star and over aggregates', () => {
    expect(plan('select * from region order by all')).toBe(plan('select * from region order by 1, 2, 3'));
    expect(plan('select n_regionkey, count(*) as n from nation group by all order by all')).toBe(
      plan('select n_regionkey, count(*) as n from nation group by n_regionkey order by 1, 2'),
    );
  });

  it('sorts a set operation by all its columns', () => {
    expect(
      plan(
        'select n_name, n_regionkey from nation union all select r_name, r_regionkey from region order by all desc',
      ),
    ).toBe(
      plan(
        'select n_name, n_regionkey from nation union all select r_name, r_regionkey from region order by 1 desc, 2 desc',
      ),
    );
  });

  it('cannot be combined with other keys, and says where', () => {
    const error = failure('select n_name from nation\norder by all, n_name');
    expect(error).toBeInstanceOf(BindError);
    expect(error.code).toBe('INVALID_ORDER_BY');
    expect(error.message).toContain('ORDER BY ALL');
    expect([error.line, error.column]).toEqual([2, 10]);
  });
});

describe('SELECT * EXCLUDE / REPLACE', () => {
  it('leaves the excluded columns out', () => {
    expect(schema('select * exclude (r_comment) from region')).toEqual([
      'r_regionkey: BIGINT',
      'r_name: VARCHAR',
    ]);
    expect(schema('select * EXCLUDE r_comment from region')).toEqual([
      'r_regionkey: BIGINT',
      'r_name: VARCHAR',
    ]);
    expect(schema('select r.* exclude (r.r_name, "r_comment"), 1 as one from region r')).toEqual([
      'r_regionkey: BIGINT',
      'one: INTEGER',
    ]);
  });

  it('computes replaced columns under their own names and places', () => {
    expect(
      schema('select * replace (upper(r_name) as r_name, r_regionkey * 2 as r_regionkey) from region'),
    ).toEqual(['r_regionkey: BIGINT', 'r_name: VARCHAR', 'r_comment: VARCHAR']);
    expect(
      schema('select * exclude (r_comment) replace (r_regionkey + 0.5 as r_regionkey) from region'),
    ).toEqual(['r_regionkey: DECIMAL(21,1)', 'r_name: VARCHAR']);
  });

  it('joins: t.* EXCLUDE takes only t columns', () => {
    expect(
      schema(
        'select n.* exclude (n_comment, n_regionkey), r.r_name from nation n join region r on n.n_regionkey = r.r_regionkey',
      ),
    ).toEqual(['n_nationkey: BIGINT', 'n_name: VARCHAR', 'r_name: VARCHAR']);
  });

  it('an unknown EXCLUDE column is a typed error with position and did-you-mean', () => {
    const error = failure('select * exclude (r_nme) from region');
    expect(error).toBeInstanceOf(BindError);
    expect({ code: error.code, line: error.line, column: error.column }).toEqual({
      code: 'COLUMN_NOT_FOUND',
      line: 1,
      column: 19,
    });
    expect(error.suggestions).toEqual(['r_name']);
    expect(error.message).toContain('did you mean "r_name"');
  });

  it('an unknown REPLACE column is a typed error', () => {
    const error = failure('select *\n  replace (1 as r_nam) from region');
    expect(error.code).toBe('COLUMN_NOT_FOUND');
    expect(error.line).toBe(2);
    expect(error.suggestions).toEqual(['r_name']);
  });

  it('REPLACE without AS is a parse error', () => {
    expect(failure('select * replace (1) from region')).toBeInstanceOf(ParseError);
  });

  it('REPLACE takes window calls', () => {
    expect(
      schema('select * replace (row_number() over (order by r_name) as r_regionkey) from region'),
    ).toEqual(['r_regionkey: BIGINT', 'r_name: VARCHAR', 'r_comment: VARCHAR']);
  });

  it('the function replace() is untouched', () => {
    expect(schema("select replace(r_name, 'A', 'B') as x from region")).toEqual(['x: VARCHAR']);
  });
});

describe('QUALIFY', () => {
  it('filters after the window functions', () => {
    const text = plan(
      'select n_name, row_number() over (partition by n_regionkey order by n_name) as rn from nation qualify rn = 1 order by n_name',
    );
    const lines = text.split('\n').map((l) => l.trim());
    const filter = lines.findIndex((l) => l.startsWith('Filter'));
    const window = lines.findIndex((l) => l.startsWith('Window'));
    expect(filter).toBeGreaterThan(-1);
    expect(window).toBeGreaterThan(filter);
  });

  it('takes window calls written in the condition itself', () => {
    expect(
      schema(
        'select n_name from nation qualify rank() over (order by n_regionkey desc) <= 5 order by n_name limit 3',
      ),
    ).toEqual(['n_name: VARCHAR']);
  });

  it('works in a derived table and after WINDOW', () => {
    expect(
      schema(
        'select count(*) as c from (select n_name, n_regionkey from nation window w as (partition by n_regionkey order by n_name) qualify row_number() over w = 1) t',
      ),
    ).toEqual(['c: BIGINT']);
  });

  it('keeps ORDER BY and LIMIT after it', () => {
    const text = plan(
      'select n_name from nation qualify row_number() over (order by n_name) > 2 order by n_name limit 3',
    );
    expect(text.split('\n')[0]).toMatch(/^Limit/);
    expect(text).toContain('Sort');
  });

  it('after HAVING, keeps the HAVING condition whole', () => {
    expect(
      plan(
        'select n_regionkey, count(*) as c from nation group by n_regionkey having count(*) > 4 or n_regionkey = 0 qualify rank() over (order by c) = 1',
      ),
    ).toContain('Filter ((count_star()#1 > CAST(4 AS BIGINT)) OR (n_regionkey#0 = CAST(0 AS BIGINT)))');
  });

  it('an unknown name in QUALIFY is a typed error at its position', () => {
    const error = failure('select n_name from nation\nqualify row_number() over (order by n_nme) = 1');
    expect(error.code).toBe('COLUMN_NOT_FOUND');
    expect({ line: error.line, column: error.column }).toEqual({ line: 2, column: 37 });
  });

  it('leaves names spelled qualify alone', () => {
    expect(schema('select qualify from (select n_name as qualify from nation) t')).toEqual([
      'qualify: VARCHAR',
    ]);
  });

  it('without a condition is a parse error', () => {
    expect(failure('select n_name from nation qualify order by n_name')).toBeInstanceOf(ParseError);
  });
});

describe('window functions: nth_value and IGNORE NULLS', () => {
  it('names them as DuckDB does', () => {
    expect(
      schema(
        'select nth_value(n_name, 2) over (order by n_nationkey), lag(n_regionkey, 2 ignore nulls) over (order by n_nationkey) from nation',
      ),
    ).toEqual([
      'nth_value(n_name, 2) OVER (ORDER BY n_nationkey): VARCHAR',
      'lag(n_regionkey, 2 IGNORE NULLS) OVER (ORDER BY n_nationkey): BIGINT',
    ]);
  });

  it('IGNORE NULLS where it means nothing is a typed error', () => {
    const error = failure('select sum(n_nationkey ignore nulls) over () from nation');
    expect(error.code).toBe('UNSUPPORTED_FEATURE');
  });

  it('nth_value needs an integer position', () => {
    expect(failure("select nth_value(n_name, 'a') over () from nation").code).toBe('TYPE_MISMATCH');
  });
});
