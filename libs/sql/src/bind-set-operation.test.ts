import { typeToString, type TributaryError } from '@tributary/common';
import { printPlan } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { bindQuery } from './bind-sql.ts';
import { parseSql } from './parse-sql.ts';
import type { AstSelect } from './sql-ast.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const bind = (sql: string) => bindQuery(sql, tpchCatalog, { context: ['tpch'] });
const plan = (sql: string) => printPlan(bind(sql));
const schema = (sql: string) => bind(sql).schema.map((f) => `${f.name}: ${typeToString(f.type)}`);

function failure(sql: string): TributaryError {
  try {
    bind(sql);
  } catch (error) {
    return error as TributaryError;
  }
  throw new Error(`expected ${sql} to fail`);
}

/** The set-operation tree of a statement as text: leaves are their first select item. */
function tree(ast: AstSelect): string {
  const op = ast.set_operation;
  if (!op) {
    const first = typeof ast.columns === 'string' ? '*' : ast.columns[0].expr;
    return String((first as { value?: unknown }).value ?? JSON.stringify(first));
  }
  return `(${tree(op.left)} ${op.op}${op.all ? ' all' : ''} ${tree(op.right)})`;
}

describe('parseSetOperations', () => {
  it('gives INTERSECT precedence and reads the rest left to right', () => {
    const ast = parseSql(
      'select 1 union select 2 intersect select 3 except all select 4 intersect all select 5',
    ).ast;
    expect(tree(ast)).toBe('((1 union (2 intersect 3)) except all (4 intersect all 5))');
  });

  it('reads parenthesized operands, nested, with their own ORDER BY and LIMIT', () => {
    const ast = parseSql(
      '((select 1) union (select 2 order by 1 limit 1)) intersect (select 3) order by 1 limit 2',
    ).ast;
    expect(tree(ast)).toBe('((1 union 2) intersect 3)');
    expect(ast.limit?.value).toHaveLength(1);
    expect(ast.set_operation?.left.set_operation?.right.limit?.value).toHaveLength(1);
  });

  it('replaces set operations nested in a SELECT and keeps error positions in the user text', () => {
    const error = (() => {
      try {
        parseSql('select * from nation\nwhere n_nationkey in (select 1 union select from)');
      } catch (e) {
        return e as TributaryError;
      }
      throw new Error('expected a syntax error');
    })();
    expect([error.code, error.line, error.column]).toEqual(['SQL_PARSE_ERROR', 2, 49]);
    // A bind error in a later branch points into that branch.
    const unknown = failure('select n_name from nation union all\n select r_namex from region');
    expect([unknown.code, unknown.line, unknown.column]).toEqual(['COLUMN_NOT_FOUND', 2, 9]);
  });
});

describe('bindSetOperation', () => {
  it('binds UNION as an aggregate over a union of branches cast to the unified types', () => {
    expect(plan('select n_nationkey, n_name from nation union select 1, r_name from region')).toBe(
      [
        'Aggregate groupBy=[n_nationkey#0, n_name#1] aggs=[]',
        '  Union all (2 inputs)',
        '    Project n_nationkey#0 AS n_nationkey, n_name#1 AS n_name',
        '      Scan tpch.nation [n_nationkey, n_name, n_regionkey, n_comment]',
        '    Project CAST(1#0 AS BIGINT) AS n_nationkey, r_name#1 AS n_name',
        '      Project 1 AS 1, r_name#1 AS r_name',
        '        Scan tpch.region [r_regionkey, r_name, r_comment]',
      ].join('\n'),
    );
  });

  it('flattens UNION ALL chains and sorts and limits the whole', () => {
    expect(
      plan(
        'select n_name from nation union all select r_name from region union all select n_comment from nation order by 1 desc limit 2',
      ),
    ).toBe(
      [
        'Limit 2',
        '  Sort n_name#0 DESC',
        '    Union all (3 inputs)',
        '      Project n_name#1 AS n_name',
        '        Scan tpch.nation [n_nationkey, n_name, n_regionkey, n_comment]',
        '      Project r_name#0 AS n_name',
        '        Project r_name#1 AS r_name',
        '          Scan tpch.region [r_regionkey, r_name, r_comment]',
        '      Project n_comment#0 AS n_name',
        '        Project n_comment#3 AS n_comment',
        '          Scan tpch.nation [n_nationkey, n_name, n_regionkey, n_comment]',
      ].join('\n'),
    );
  });

  it('binds EXCEPT ALL as tagged counts and a Replicate of the difference', () => {
    expect(plan('select n_name from nation except all select r_name from region')).toBe(
      [
        'Replicate count=__copies',
        '  Project n_name#0 AS n_name, (__left_count#1 - __right_count#2) AS __copies',
        '    Filter (__left_count#1 > __right_count#2)',
        '      Aggregate groupBy=[n_name#0] aggs=[count(__left#1), count(__right#2)]',
        '        Union all (2 inputs)',
        '          Project n_name#0 AS n_name, 1 AS __left, NULL AS __right',
        '            Project n_name#1 AS n_name',
        '              Scan tpch.nation [n_nationkey, n_name, n_regionkey, n_comment]',
        '          Project n_name#0 AS n_name, NULL AS __left, 1 AS __right',
        '            Project r_name#0 AS n_name',
        '              Project r_name#1 AS r_name',
        '                Scan tpch.region [r_regionkey, r_name, r_comment]',
      ].join('\n'),
    );
  });

  it('unifies column types as DuckDB does, names from the left', () => {
    expect(
      schema(
        "select l_linenumber a, l_extendedprice b, l_discount c, l_shipdate d, 'x' e from lineitem union all select l_orderkey, l_linenumber, 0.5::double, timestamp '2020-01-01 00:00:00', l_quantity from lineitem",
      ),
    ).toEqual(['a: BIGINT', 'b: DECIMAL(15,2)', 'c: DOUBLE', 'd: TIMESTAMP', 'e: VARCHAR']);
    expect(schema('select null x union select null')).toEqual(['x: INTEGER']);
  });

  it('matches UNION BY NAME columns by name, in any case, the left first, NULL where a side lacks one', () => {
    expect(
      schema(
        'select n_name, n_regionkey from nation union all by name select r_regionkey as N_REGIONKEY, r_comment from region',
      ),
    ).toEqual(['n_name: VARCHAR', 'n_regionkey: BIGINT', 'r_comment: VARCHAR']);
    expect(plan('select 1 as a union by name select 2 as b')).toContain('Project a#0 AS a, NULL AS b');
  });

  it('fails typed, at the operator, on column counts and types that do not match', () => {
    const count = failure('select n_name, n_nationkey from nation\n  intersect select r_name from region');
    expect([count.code, count.line, count.column]).toEqual(['SET_OPERATION_COLUMN_COUNT', 2, 3]);
    const types = failure('select l_shipdate from lineitem except select l_orderkey from lineitem');
    expect([types.code, types.line, types.column]).toEqual(['TYPE_MISMATCH', 1, 33]);
  });

  it('orders a set operation by output name or position only', () => {
    const error = failure(
      'select n_name from nation union select r_name from region order by length(n_name)',
    );
    expect([error.code, error.line, error.column]).toEqual(['INVALID_ORDER_BY', 1, 68]);
    expect(failure('select n_name from nation union select r_name from region order by r_name').code).toBe(
      'COLUMN_NOT_FOUND',
    );
  });
});

describe('grouping sets', () => {
  it('binds ROLLUP as an Expand and one Aggregate over keys and set index, GROUPING() over the index', () => {
    expect(
      plan(
        'select n_regionkey, n_name, count(*) n, grouping(n_regionkey, n_name) g from nation group by rollup (n_regionkey, n_name) having grouping(n_name) = 1',
      ),
    ).toBe(
      [
        'Project n_regionkey#0 AS n_regionkey, n_name#1 AS n_name, count_star()#3 AS n, CASE WHEN (__grouping_id#2 = 0) THEN 0 WHEN (__grouping_id#2 = 1) THEN 1 WHEN (__grouping_id#2 = 2) THEN 3 END AS g',
        '  Filter (CASE WHEN (__grouping_id#2 = 0) THEN 0 WHEN (__grouping_id#2 = 1) THEN 1 WHEN (__grouping_id#2 = 2) THEN 1 END = CAST(1 AS BIGINT))',
        '    Aggregate groupBy=[n_regionkey#4, n_name#5, __grouping_id#6] aggs=[count(*)]',
        '      Expand keys=[n_regionkey#2, n_name#1] sets=[(n_regionkey#2, n_name#1), (n_regionkey#2), ()]',
        '        Scan tpch.nation [n_nationkey, n_name, n_regionkey, n_comment]',
      ].join('\n'),
    );
  });

  it('crosses plain keys, CUBE and GROUPING SETS with empty and composite sets', () => {
    const expandLine = (sql: string) =>
      plan(sql)
        .split('\n')
        .find((l) => l.includes('Expand'))!
        .trim();
    expect(expandLine('select 1 from nation group by n_regionkey, cube (n_name, n_comment)')).toBe(
      'Expand keys=[n_regionkey#2, n_name#1, n_comment#3] sets=[(n_regionkey#2, n_name#1, n_comment#3), (n_regionkey#2, n_name#1), (n_regionkey#2, n_comment#3), (n_regionkey#2)]',
    );
    expect(
      expandLine(
        'select n_regionkey, n_name, n_comment from nation group by grouping sets ((n_regionkey, n_name), (), rollup ((n_name, n_comment)), 1)',
      ),
    ).toBe(
      'Expand keys=[n_regionkey#2, n_name#1, n_comment#3] sets=[(n_regionkey#2, n_name#1), (), (n_name#1, n_comment#3), (), (n_regionkey#2)]',
    );
  });

  it('names GROUPING and GROUPING_ID calls as DuckDB does and resolves select aliases in them', () => {
    expect(
      schema('select n_regionkey r, grouping(r), grouping_id(n_regionkey) from nation group by cube (r)'),
    ).toEqual(['r: BIGINT', 'GROUPING(r): BIGINT', 'GROUPING(n_regionkey): BIGINT']);
  });

  it('reads GROUP BY () as a global aggregate', () => {
    expect(plan('select count(*) n from nation group by ()')).toBe(
      [
        'Project count_star()#0 AS n',
        '  Aggregate groupBy=[] aggs=[count(*)]',
        '    Scan tpch.nation [n_nationkey, n_name, n_regionkey, n_comment]',
      ].join('\n'),
    );
  });

  it('refuses GROUPING() of a non-key', () => {
    const error = failure('select grouping(n_name) from nation group by rollup (n_regionkey)');
    expect([error.code, error.line, error.column]).toEqual(['INVALID_GROUPING', 1, 17]);
  });
});
