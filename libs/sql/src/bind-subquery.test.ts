import { describe, expect, it } from 'vitest';
import { BindError } from '@tributary/common';
import { printPlan } from '@tributary/plan';
import { bindQuery, bindSql } from './bind-sql.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

/** The printed plan with scans shortened to their table (every column is read before pruning). */
function plan(sql: string): string {
  return printPlan(bindQuery(sql, tpchCatalog, { context: ['tpch'] }))
    .split('\n')
    .map((line) => line.replace(/Scan tpch\.(\w+)( AS \w+)? \[.*\]$/, 'Scan $1$2'))
    .join('\n');
}

function bindError(sql: string): BindError {
  try {
    bindSql(sql, tpchCatalog, { context: ['tpch'] });
  } catch (error) {
    if (error instanceof BindError) return error;
    throw error;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('bindSql: uncorrelated subqueries', () => {
  it('cross joins an aggregate without GROUP BY, which has exactly one row', () => {
    expect(plan('select n_name from nation where n_regionkey = (select max(r_regionkey) from region)')).toBe(
      [
        'Project n_name#1 AS n_name',
        '  Filter (n_regionkey#2 = max(r_regionkey)#4)',
        '    Join cross',
        '      Scan nation',
        '      Project max(r_regionkey)#0 AS max(r_regionkey)',
        '        Aggregate groupBy=[] aggs=[max(r_regionkey#0)]',
        '          Scan region',
      ].join('\n'),
    );
  });

  it('single joins any other scalar subquery, so that a second row fails at run time', () => {
    expect(plan("select (select r_regionkey from region where r_name = 'ASIA') as k from nation")).toBe(
      [
        'Project r_regionkey#4 AS k',
        '  Join single',
        '    Scan nation',
        '    Project r_regionkey#0 AS r_regionkey',
        "      Filter (r_name#1 = 'ASIA')",
        '        Scan region',
      ].join('\n'),
    );
  });

  it('answers NOT IN outside a WHERE conjunct with three mark joins: match, any row, a NULL', () => {
    expect(plan('select n_name, n_regionkey not in (select r_regionkey from region) as x from nation')).toBe(
      [
        'Project n_name#1 AS n_name, NOT CASE WHEN mark#4 THEN true WHEN ((n_regionkey#2 IS NULL AND mark#5) OR mark#6) THEN NULL ELSE false END AS x',
        '  Join mark',
        '    Join mark',
        '      Join mark on (n_regionkey#2 = r_regionkey#4)',
        '        Scan nation',
        '        Project r_regionkey#0 AS r_regionkey',
        '          Scan region',
        '      Project r_regionkey#0 AS r_regionkey',
        '        Scan region',
        '    Filter r_regionkey#0 IS NULL',
        '      Project r_regionkey#0 AS r_regionkey',
        '        Scan region',
      ].join('\n'),
    );
  });
});

describe('bindSql: correlated subqueries are decorrelated into joins', () => {
  it('groups a correlated aggregate by its correlation key and left joins it back (Q17)', () => {
    expect(
      plan(
        'select p_partkey from part where p_size > (select avg(ps_availqty) from partsupp where ps_partkey = p_partkey)',
      ),
    ).toBe(
      [
        'Project p_partkey#0 AS p_partkey',
        '  Filter (CAST(p_size#5 AS DOUBLE) > avg(ps_availqty)#10)',
        '    Join left on (p_partkey#0 = __correlation_0#9)',
        '      Scan part',
        '      Project __correlation_0#0 AS __correlation_0, avg(ps_availqty)#1 AS avg(ps_availqty), true AS __having',
        '        Aggregate groupBy=[ps_partkey#0] aggs=[avg(ps_availqty#2)]',
        '          Scan partsupp',
      ].join('\n'),
    );
  });

  it('gives COUNT 0, not NULL, to an outer row whose key has no rows (the COUNT bug)', () => {
    expect(
      plan('select r_name, (select count(*) from nation where n_regionkey = r_regionkey) as c from region'),
    ).toBe(
      [
        'Project r_name#1 AS r_name, CASE WHEN __correlation_0#3 IS NOT NULL THEN count_star()#4 ELSE 0 END AS c',
        '  Join left on (r_regionkey#0 = __correlation_0#3)',
        '    Scan region',
        '    Project __correlation_0#0 AS __correlation_0, count_star()#1 AS count_star(), true AS __having',
        '      Aggregate groupBy=[n_regionkey#2] aggs=[count(*)]',
        '        Scan nation',
      ].join('\n'),
    );
  });

  it('aggregates over the domain of outer values when the correlation is not an equality', () => {
    expect(
      plan('select n_name, (select count(*) from region where r_regionkey < n_regionkey) as c from nation'),
    ).toBe(
      [
        'Project n_name#1 AS n_name, CASE WHEN __having#6 IS NOT NULL THEN count_star()#5 ELSE 0 END AS c',
        '  Join left on ((coalesce(n_regionkey#2, 0) = coalesce(__correlation_0#4, 0)) AND (n_regionkey#2 IS NULL = __correlation_0#4 IS NULL))',
        '    Scan nation',
        '    Project __correlation_0#0 AS __correlation_0, count_star()#1 AS count_star(), true AS __having',
        '      Aggregate groupBy=[__outer_0#3] aggs=[count(*)]',
        '        Filter (r_regionkey#0 < __outer_0#3)',
        '          Join cross',
        '            Scan region',
        '            Aggregate groupBy=[n_regionkey#2] aggs=[]',
        '              Scan nation',
      ].join('\n'),
    );
  });

  it('joins a correlated lookup with a single join on the correlated conjuncts', () => {
    expect(
      plan('select n_name, (select r_name from region where r_regionkey = n_regionkey) as r from nation'),
    ).toBe(
      [
        'Project n_name#1 AS n_name, r_name#5 AS r',
        '  Join single on (r_regionkey#4 = n_regionkey#2)',
        '    Scan nation',
        '    Scan region',
      ].join('\n'),
    );
  });

  it('makes EXISTS under OR a mark join whose column the filter reads', () => {
    expect(
      plan(
        'select n_name from nation where n_regionkey = 1 or exists (select 1 from region where r_regionkey = n_regionkey and r_name < n_name)',
      ),
    ).toBe(
      [
        'Project n_name#1 AS n_name',
        '  Filter ((n_regionkey#2 = CAST(1 AS BIGINT)) OR mark#4)',
        '    Join mark on ((r_regionkey#4 = n_regionkey#2) AND (r_name#5 < n_name#1))',
        '      Scan nation',
        '      Scan region',
      ].join('\n'),
    );
  });

  it('lets a correlated EXISTS have a LIMIT, which cannot change whether a row exists', () => {
    expect(
      plan(
        'select r_name from region where exists (select 1 from nation where n_regionkey = r_regionkey limit 1)',
      ),
    ).toContain('Join semi on (n_regionkey#5 = r_regionkey#0)');
    expect(
      plan(
        'select r_name from region where exists (select 1 from nation where n_regionkey = r_regionkey limit 1 offset 2)',
      ),
    ).toContain('Filter ((__row_number#2 > 2) AND (__row_number#2 <= 3))');
  });

  it('binds a subquery in HAVING against the group keys', () => {
    const printed = plan(
      'select n_regionkey, count(*) as c from nation n1 group by n_regionkey having count(*) > (select count(*) from nation n2 where n2.n_regionkey = n1.n_regionkey and n2.n_nationkey > 10)',
    );
    expect(printed).toContain('Join left on (n_regionkey#0 = __correlation_0#2)');
    expect(printed).toContain('Aggregate groupBy=[n_regionkey#2] aggs=[count(*)]');
  });

  it('refuses an outer column that is not grouped', () => {
    expect(
      bindError(
        'select n_regionkey from nation group by n_regionkey having 1 = (select count(*) from region where r_name = n_name)',
      ).code,
    ).toBe('GROUP_BY_REQUIRED');
  });
});

describe('bindSql: correlated LIMIT/OFFSET keeps the first rows per correlation key', () => {
  it('numbers the rows per key in the subquery order and keeps offset < n <= offset + limit', () => {
    expect(
      plan(
        'select n_name, (select s_name from supplier where s_nationkey = n_nationkey order by s_acctbal desc, s_suppkey limit 2 offset 1) as x from nation',
      ),
    ).toBe(
      [
        'Project n_name#1 AS n_name, s_name#5 AS x',
        '  Join single on (n_nationkey#0 = __correlation_0#4)',
        '    Scan nation',
        '    Project __correlation_0#0 AS __correlation_0, s_name#1 AS s_name',
        '      Filter ((__row_number#4 > 1) AND (__row_number#4 <= 3))',
        '        Window partitionBy=[__correlation_0#0] orderBy=[__sort_0#2 DESC, __sort_1#3 ASC] calls=[row_number()]',
        '          Project s_nationkey#3 AS __correlation_0, s_name#1 AS s_name, s_acctbal#5 AS __sort_0, s_suppkey#0 AS __sort_1',
        '            Scan supplier',
      ].join('\n'),
    );
  });

  it('semi joins IN over the kept rows on the key and the value', () => {
    const printed = plan(
      'select s_suppkey from supplier s1 where s_suppkey in (select s2.s_suppkey from supplier s2 where s2.s_nationkey = s1.s_nationkey order by s2.s_acctbal limit 3)',
    );
    expect(printed).toContain(
      'Join semi on ((s_nationkey#3 = __correlation_0#7) AND (s_suppkey#0 = s_suppkey#8))',
    );
    expect(printed).toContain('Filter (__row_number#3 <= 3)');
  });

  it('numbers groups after grouping by the key too, and DISTINCT rows after DISTINCT', () => {
    const grouped = plan(
      'select c_custkey, (select o_orderpriority from orders where o_custkey = c_custkey group by o_orderpriority order by count(*) desc limit 1) as p from customer',
    );
    expect(grouped).toContain(
      'Window partitionBy=[__correlation_0#0] orderBy=[__sort_0#2 DESC] calls=[row_number()]',
    );
    expect(grouped).toContain('Aggregate groupBy=[o_orderpriority#5, o_custkey#1] aggs=[count(*)]');
    const distinct = plan(
      'select c_custkey, (select distinct o_orderpriority from orders where o_custkey = c_custkey order by 1 limit 1 offset 1) as p from customer',
    ).split('\n');
    const windowAt = distinct.findIndex((l) => l.includes('Window'));
    expect(distinct[windowAt + 1]).toContain(
      'Aggregate groupBy=[__correlation_0#0, o_orderpriority#1] aggs=[]',
    );
  });

  it('partitions by the domain of outer values when the correlation is not an equality', () => {
    const printed = plan(
      'select n_name, (select r_name from region where r_regionkey < n_regionkey order by r_regionkey desc limit 1) as p from nation',
    );
    // The domain holds NULL too: the join back compares NULL-safely.
    expect(printed).toContain(
      'Join single on ((coalesce(n_regionkey#2, 0) = coalesce(__correlation_0#4, 0)) AND (n_regionkey#2 IS NULL = __correlation_0#4 IS NULL))',
    );
    expect(printed).toContain('Filter (r_regionkey#0 < __outer_0#3)');
    expect(printed).toContain('Aggregate groupBy=[n_regionkey#2] aggs=[]');
  });

  it('leaves an aggregate without GROUP BY alone under LIMIT 1, and empty under LIMIT 0 or an OFFSET', () => {
    expect(
      plan(
        'select n_name, (select count(*) from supplier where s_nationkey = n_nationkey limit 1) as c from nation',
      ),
    ).toBe(
      plan('select n_name, (select count(*) from supplier where s_nationkey = n_nationkey) as c from nation'),
    );
    expect(
      plan(
        'select n_name, (select count(*) from supplier where s_nationkey = n_nationkey offset 1) as c from nation',
      ),
    ).toContain('Values 0 row(s) [count_star(): BIGINT]');
  });
});

describe('bindSql: subqueries in JOIN ON', () => {
  it("joins an inner join's IN conjunct as a semi join above the join on the other conjuncts", () => {
    expect(
      plan(
        'select n_name, r_name from nation n join region r on n_regionkey = r_regionkey and r_regionkey in (select n_regionkey from nation where n_nationkey > 20)',
      ),
    ).toBe(
      [
        'Project n_name#1 AS n_name, r_name#5 AS r_name',
        '  Join semi on (r_regionkey#4 = n_regionkey#7)',
        '    Join inner on (n_regionkey#2 = r_regionkey#4)',
        '      Scan nation AS n',
        '      Scan region AS r',
        '    Project n_regionkey#2 AS n_regionkey',
        '      Filter (n_nationkey#0 > CAST(20 AS BIGINT))',
        '        Scan nation',
      ].join('\n'),
    );
  });

  it('joins a subquery reading one side to that side, keeping an equality with it a join key', () => {
    const printed = plan(
      'select n_name from nation n join region r on r_regionkey = (select max(n_regionkey) from nation n2 where n2.n_nationkey = n.n_nationkey)',
    ).split('\n');
    expect(printed[2]).toBe('    Join inner on (r_regionkey#7 = max(n_regionkey)#5)');
    expect(printed[3]).toBe('      Join left on (n_nationkey#0 = __correlation_0#4)');
  });

  it("marks a LEFT JOIN's nullable side by EXISTS before the join and matches on the mark", () => {
    expect(
      plan(
        'select n_name, r_name from nation n left join region r on n_regionkey = r_regionkey and exists (select 1 from nation n2 where n2.n_regionkey = r.r_regionkey and n2.n_nationkey > 22)',
      ),
    ).toBe(
      [
        'Project n_name#1 AS n_name, r_name#5 AS r_name',
        '  Join left on ((n_regionkey#2 = r_regionkey#4) AND mark#7)',
        '    Scan nation AS n',
        '    Join mark on (n_regionkey#5 = r_regionkey#0)',
        '      Scan region AS r',
        '      Filter (n_nationkey#0 > CAST(22 AS BIGINT))',
        '        Scan nation AS n2',
      ].join('\n'),
    );
  });

  it('marks the preserved side of a LEFT JOIN by IN and drops the mark columns after the join', () => {
    const printed = plan(
      'select * from nation n left join region r on n_regionkey = r_regionkey and n_nationkey in (select s_nationkey from supplier)',
    ).split('\n');
    expect(printed[1]).toBe(
      '  Project n_nationkey#0 AS n_nationkey, n_name#1 AS n_name, n_regionkey#2 AS n_regionkey, n_comment#3 AS n_comment, r_regionkey#7 AS r_regionkey, r_name#8 AS r_name, r_comment#9 AS r_comment',
    );
    expect(printed[2]).toContain(
      'Join left on ((n_regionkey#2 = r_regionkey#7) AND CASE WHEN mark#4 THEN true',
    );
  });

  it('refuses a subquery in an outer join ON that reads both sides, where it is written', () => {
    const error = bindError(
      'select * from nation n left join region r on r_regionkey = (select count(*) from supplier where s_nationkey = n_nationkey + r_regionkey)',
    );
    expect(error.code).toBe('UNSUPPORTED_FEATURE');
    expect([error.line, error.column]).toEqual([1, 60]);
  });
});

describe('bindSql: LATERAL derived tables', () => {
  it('decorrelates a LATERAL with LIMIT and inner joins it on the correlation key', () => {
    expect(
      plan(
        'select n_name, x.s_name from nation n, lateral (select s_name from supplier s where s.s_nationkey = n.n_nationkey order by s_acctbal desc limit 2) x',
      ),
    ).toBe(
      [
        'Project n_name#1 AS n_name, s_name#4 AS s_name',
        '  Project n_nationkey#0 AS n_nationkey, n_name#1 AS n_name, n_regionkey#2 AS n_regionkey, n_comment#3 AS n_comment, s_name#5 AS s_name',
        '    Join inner on (n_nationkey#0 = __correlation_0#4)',
        '      Scan nation AS n',
        '      Project __correlation_0#0 AS __correlation_0, s_name#1 AS s_name',
        '        Filter (__row_number#3 <= 2)',
        '          Window partitionBy=[__correlation_0#0] orderBy=[__sort_0#2 DESC] calls=[row_number()]',
        '            Project s_nationkey#3 AS __correlation_0, s_name#1 AS s_name, s_acctbal#5 AS __sort_0',
        '              Scan supplier AS s',
      ].join('\n'),
    );
  });

  it('left joins LEFT JOIN LATERAL, its ON over the subquery columns', () => {
    const printed = plan(
      'select n_name, x.c from nation n left join lateral (select count(*) as c from supplier s where s.s_nationkey = n.n_nationkey) x on x.c > 0',
    );
    expect(printed).toContain('Join left on (n_nationkey#0 = __correlation_0#4)');
    expect(printed).toContain(
      'CASE WHEN (CASE WHEN __correlation_0#4 IS NOT NULL THEN c#5 ELSE 0 END > CAST(0 AS BIGINT))',
    );
  });

  it('refuses RIGHT JOIN LATERAL where LATERAL is written', () => {
    const error = bindError(
      'select n_name from nation n right join lateral (select s_name from supplier s where s.s_nationkey = n.n_nationkey) x on true',
    );
    expect([error.code, error.line, error.column]).toEqual(['UNSUPPORTED_FEATURE', 1, 40]);
  });

  it('refuses what a correlated subquery cannot read in its FROM precisely, not as a missing table', () => {
    for (const sql of [
      'select n_name from nation n where exists (select 1 from region r join supplier s on s.s_nationkey = n.n_nationkey)',
      'select n_name, (select max(cnt) from (select 1 as one) t, lateral (select count(*) as cnt from supplier s where s.s_nationkey = n.n_nationkey) x) as m from nation n',
    ])
      expect(bindError(sql).code, sql).toBe('UNSUPPORTED_FEATURE');
  });

  it('names an outer table that lacks the column a correlated name asks for', () => {
    const error = bindError(
      'select n_name from nation n, lateral (select s_name from supplier s where s.s_nationkey = n.n_nationky) x',
    );
    expect([error.code, error.line, error.column]).toEqual(['COLUMN_NOT_FOUND', 1, 91]);
    expect(error.message).toContain('did you mean "n_nationkey"');
  });
});

describe('bindSql: correlation across query levels', () => {
  it('binds the middle subquery over the domain of its outer columns, which the innermost reads as its own', () => {
    expect(
      plan(
        'select r_name from region r where exists (select 1 from nation n where n.n_regionkey = r.r_regionkey and exists (select 1 from supplier s where s.s_nationkey = n.n_nationkey and s.s_acctbal > r.r_regionkey * 1000))',
      ),
    ).toBe(
      [
        'Project r_name#1 AS r_name',
        '  Join semi on ((coalesce(r_regionkey#0, 0) = coalesce(__correlation_0#3, 0)) AND (r_regionkey#0 IS NULL = __correlation_0#3 IS NULL))',
        '    Scan region AS r',
        '    Project __outer_0#4 AS __correlation_0, 1 AS 1',
        '      Filter (n_regionkey#2 = __outer_0#4)',
        '        Join semi on ((s_nationkey#8 = n_nationkey#0) AND (CAST(s_acctbal#10 AS DECIMAL(21,2)) > CAST((__outer_0#4 * CAST(1000 AS BIGINT)) AS DECIMAL(21,2))))',
        '          Join cross',
        '            Scan nation AS n',
        '            Aggregate groupBy=[r_regionkey#0] aggs=[]',
        '              Scan region AS r',
        '          Scan supplier AS s',
      ].join('\n'),
    );
  });

  it('groups an aggregating middle subquery by the domain too, its empty group counting 0', () => {
    const printed = plan(
      'select r_name, (select count(*) from nation n where n.n_regionkey = r.r_regionkey and exists (select 1 from supplier s where s.s_nationkey = n.n_nationkey and s.s_acctbal > r.r_regionkey * 1000)) as c from region r',
    );
    expect(printed.split('\n')[0]).toBe(
      'Project r_name#1 AS r_name, CASE WHEN __having#5 IS NOT NULL THEN count_star()#4 ELSE 0 END AS c',
    );
    expect(printed).toContain('Aggregate groupBy=[__outer_0#4] aggs=[count(*)]');
  });

  it('carries the outermost column down three levels', () => {
    const printed = plan(
      'select r_name from region r where exists (select 1 from nation n where n.n_regionkey = r.r_regionkey and exists (select 1 from supplier s where s.s_nationkey = n.n_nationkey and exists (select 1 from customer c where c.c_nationkey = s.s_nationkey and c.c_acctbal > r.r_regionkey)))',
    );
    expect(printed.split('\n')[1]).toContain(
      'Join semi on ((coalesce(r_regionkey#0, 0) = coalesce(__correlation_0#3, 0))',
    );
  });
});

describe('bindSql: WITH and derived tables', () => {
  it('renames a CTE by its column list and binds it wherever it is used', () => {
    const sql =
      'with r (k, name) as (select r_regionkey, r_name from region) select a.name from r a, r b where a.k = b.k and b.name = (select max(name) from r)';
    expect(bindQuery(sql, tpchCatalog, { context: ['tpch'] }).schema.map((f) => f.name)).toEqual(['name']);
    expect(plan(sql).match(/Scan region/g)).toHaveLength(3);
    expect(bindError('with r (a, b, c) as (select r_regionkey from region) select * from r').code).toBe(
      'INVALID_ARGUMENT',
    );
  });

  it("names a derived table's columns by its alias list", () => {
    const bound = bindQuery(
      'select t.a, b from (select n_nationkey, n_name from nation) as t (a, b)',
      tpchCatalog,
      {
        context: ['tpch'],
      },
    );
    expect(bound.schema.map((f) => f.name)).toEqual(['a', 'b']);
  });
});

describe('bindSql: subquery errors', () => {
  it('reports an unknown column inside a subquery with its position and a suggestion', () => {
    const error = bindError('select n_name from nation where n_regionkey in (select r_regionky from region)');
    expect(error.code).toBe('COLUMN_NOT_FOUND');
    expect({ line: error.line, column: error.column }).toEqual({ line: 1, column: 56 });
    expect(error.suggestions).toContain('r_regionkey');
  });

  it('suggests the closest name of the subquery or of the query around it', () => {
    const error = bindError(
      'select r_name from region where exists (select 1 from nation where n_regionkey = r_regionky)',
    );
    expect(error.code).toBe('COLUMN_NOT_FOUND');
    expect(error.message).toContain('did you mean "r_regionkey"?');
    expect({ line: error.line, column: error.column }).toEqual({ line: 1, column: 82 });
  });

  it('reports a subquery of several columns where one value is needed', () => {
    const error = bindError(
      'select n_name from nation where n_regionkey = (select r_regionkey, r_name from region)',
    );
    expect(error.code).toBe('SUBQUERY_COLUMNS');
    expect({ line: error.line, column: error.column }).toEqual({ line: 1, column: 47 });
    expect(
      bindError('select * from nation where (n_regionkey, n_name) in (select r_regionkey from region)').code,
    ).toBe('SUBQUERY_COLUMNS');
  });
});
