import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimize } from '@tributary/optimizer';
import {
  inMemoryCatalog,
  printPlan,
  type CatalogView,
  type LogicalPlan,
  type ViewDefinition,
} from '@tributary/plan';
import { bindQuery } from '@tributary/sql';
import { tpchTables } from '@tributary/sql/testing';
import type { ReflectionCandidate, ReflectionDefinition } from './reflection-definition.ts';
import { substituteReflections, type SubstitutionContext } from './substitute-reflections.ts';
import { TestMaterializations } from './test-materializations.ts';

const VIEWS: [string, string, string][] = [
  [
    'sales',
    'order_lines',
    'SELECT o_orderdate, o_orderpriority, l_returnflag, l_quantity, l_extendedprice FROM tpch.lineitem JOIN tpch.orders ON l_orderkey = o_orderkey',
  ],
  ['sales', 'all_lines', 'SELECT * FROM tpch.lineitem JOIN tpch.orders ON l_orderkey = o_orderkey'],
  [
    'sales',
    'big_lines',
    'SELECT o_orderkey, o_custkey, o_orderdate, l_quantity, l_returnflag FROM tpch.orders JOIN tpch.lineitem ON o_orderkey = l_orderkey WHERE l_quantity > 45',
  ],
];

function catalogWithViews(): CatalogView {
  const base = inMemoryCatalog(tpchTables);
  const views: ViewDefinition[] = VIEWS.map(([space, name, sql]) => ({
    path: [space, name],
    sql,
    context: [],
    owner: null,
    columns: bindQuery(sql, base).schema.map((f) => ({ name: f.name, type: f.type })),
  }));
  return inMemoryCatalog(tpchTables, views);
}

const catalog = catalogWithViews();

function definition(
  over: Partial<ReflectionDefinition> & Pick<ReflectionDefinition, 'id'>,
): ReflectionDefinition {
  return {
    name: over.id,
    datasetPath: ['tpch', 'lineitem'],
    type: 'AGGREGATION',
    enabled: true,
    displayColumns: [],
    dimensions: [],
    measures: [],
    partitionBy: [],
    localSortBy: [],
    ...over,
  };
}

const datasetPlan = (c: ReflectionCandidate): LogicalPlan =>
  bindQuery(`SELECT * FROM ${c.definition.datasetPath.map((p) => `"${p}"`).join('.')}`, catalog);

function substitute(
  sql: string,
  candidates: readonly ReflectionCandidate[],
  context: Partial<SubstitutionContext> = {},
) {
  const result = substituteReflections(bindQuery(sql, catalog), candidates, {
    datasetPlan,
    stalenessMs: () => 0,
    ...context,
  });
  return { ...result, printed: printPlan(result.plan), optimized: printPlan(optimize(result.plan)) };
}

let m: TestMaterializations;
let rawLineitem: ReflectionCandidate;
let aggByDay: ReflectionCandidate;
let aggByMonth: ReflectionCandidate;
let aggByFlag: ReflectionCandidate;
let aggOnView: ReflectionCandidate;
let rawOnView: ReflectionCandidate;
let rawBigLines: ReflectionCandidate;
let rawAllLines: ReflectionCandidate;
let rawCustomer: ReflectionCandidate;

beforeAll(async () => {
  m = await TestMaterializations.open(VIEWS);
  rawLineitem = await m.candidate(
    definition({
      id: 'raw_li',
      type: 'RAW',
      displayColumns: ['l_orderkey', 'l_quantity', 'l_shipdate', 'l_returnflag'],
      localSortBy: ['l_shipdate'],
    }),
    ['l_shipdate'],
  );
  const measures = [
    { column: 'l_quantity', functions: ['SUM', 'COUNT'] as const },
    { column: 'l_extendedprice', functions: ['SUM', 'MIN', 'MAX'] as const },
  ];
  aggByDay = await m.candidate(
    definition({
      id: 'agg_day',
      dimensions: [{ column: 'l_returnflag' }, { column: 'l_linestatus' }, { column: 'l_shipdate' }],
      measures,
    }),
  );
  aggByMonth = await m.candidate(
    definition({
      id: 'agg_month',
      dimensions: [{ column: 'l_returnflag' }, { column: 'l_shipdate', granularity: 'month' }],
      measures,
    }),
  );
  aggByFlag = await m.candidate(
    definition({ id: 'agg_flag', dimensions: [{ column: 'l_returnflag' }], measures }),
  );
  aggOnView = await m.candidate(
    definition({
      id: 'agg_view',
      datasetPath: ['sales', 'order_lines'],
      dimensions: [{ column: 'o_orderpriority' }, { column: 'o_orderdate', granularity: 'month' }],
      measures: [{ column: 'l_extendedprice', functions: ['SUM', 'COUNT'] }],
    }),
  );
  rawOnView = await m.candidate(
    definition({
      id: 'raw_view',
      type: 'RAW',
      datasetPath: ['sales', 'order_lines'],
      displayColumns: ['o_orderdate', 'l_returnflag', 'l_quantity'],
    }),
  );
  rawBigLines = await m.candidate(
    definition({
      id: 'raw_big',
      type: 'RAW',
      datasetPath: ['sales', 'big_lines'],
      displayColumns: ['o_orderkey', 'o_custkey', 'o_orderdate', 'l_quantity'],
    }),
  );
  rawAllLines = await m.candidate(
    definition({
      id: 'raw_all',
      type: 'RAW',
      datasetPath: ['sales', 'all_lines'],
      displayColumns: [
        'l_orderkey',
        'l_extendedprice',
        'l_discount',
        'l_shipdate',
        'o_custkey',
        'o_orderdate',
        'o_shippriority',
      ],
    }),
  );
  rawCustomer = await m.candidate(
    definition({
      id: 'raw_cust',
      type: 'RAW',
      datasetPath: ['tpch', 'customer'],
      displayColumns: ['c_custkey', 'c_mktsegment'],
      localSortBy: ['c_mktsegment'],
    }),
    ['c_mktsegment'],
  );
}, 60_000);

afterAll(() => m?.close());

describe('raw reflections', () => {
  it('serve a query reading only their columns, its filter pushed into their sorted files', () => {
    const r = substitute(
      "SELECT l_orderkey, l_quantity FROM tpch.lineitem WHERE l_shipdate < DATE '1992-03-01'",
      [rawLineitem],
    );
    expect(r.considered.map((c) => [c.reflectionName, c.relationship])).toEqual([['raw_li', 'CHOSEN']]);
    expect(r.optimized).toMatchInlineSnapshot(`
      "Project l_orderkey#0 AS l_orderkey, l_quantity#1 AS l_quantity
        Scan __reflections.raw_li AS reflection raw_li [l_orderkey, l_quantity] filters=[(l_shipdate#2 < DATE '1992-03-01')]"
    `);
  });

  it('are not used when the query needs a column they do not hold', () => {
    const r = substitute('SELECT l_orderkey, l_comment FROM tpch.lineitem', [rawLineitem]);
    expect(r.printed).toContain('Scan tpch.lineitem');
    expect(r.considered).toMatchObject([{ relationship: 'CONSIDERED', reason: 'needs column l_comment' }]);
  });
});

describe('aggregation reflections', () => {
  it('re-aggregate by a subset of the dimensions with SUM, COUNT, COUNT(*), MIN, MAX and AVG derived', () => {
    const r = substitute(
      `SELECT l_returnflag, sum(l_quantity) AS q, count(*) AS n, count(l_quantity) AS c, avg(l_quantity) AS a,
         min(l_extendedprice) AS lo, max(l_extendedprice) AS hi
       FROM tpch.lineitem WHERE l_linestatus = 'F' GROUP BY l_returnflag`,
      [aggByDay],
    );
    expect(r.considered.map((c) => c.relationship)).toEqual(['CHOSEN']);
    expect(r.printed).toMatchInlineSnapshot(`
      "Project l_returnflag#0 AS l_returnflag, sum(l_quantity)#1 AS q, count_star()#2 AS n, count(l_quantity)#3 AS c, avg(l_quantity)#4 AS a, min(l_extendedprice)#5 AS lo, max(l_extendedprice)#6 AS hi
        Project key0#0 AS l_returnflag, agg0#1 AS sum(l_quantity), coalesce(CAST(agg1#2 AS BIGINT), 0) AS count_star(), coalesce(CAST(agg2#3 AS BIGINT), 0) AS count(l_quantity), (CAST(agg0#1 AS DOUBLE) / CAST(agg2#3 AS DOUBLE)) AS avg(l_quantity), agg3#4 AS min(l_extendedprice), agg4#5 AS max(l_extendedprice)
          Aggregate groupBy=[l_returnflag#0] aggs=[sum(__sum__l_quantity#3), sum(__count_star__#8), sum(__count__l_quantity#4), min(__min__l_extendedprice#6), max(__max__l_extendedprice#7)]
            Filter (l_linestatus#1 = 'F')
              Scan __reflections.agg_day AS reflection agg_day [l_returnflag, l_linestatus, l_shipdate, __sum__l_quantity, __count__l_quantity, __sum__l_extendedprice, __min__l_extendedprice, __max__l_extendedprice, __count_star__]"
    `);
  });

  it('roll dates up from a month-truncated dimension to months and years', () => {
    const r = substitute(
      `SELECT date_trunc('month', l_shipdate) AS m, year(l_shipdate) AS y, extract(year FROM l_shipdate) AS y2,
         sum(l_extendedprice) AS s
       FROM tpch.lineitem WHERE year(l_shipdate) = 1995 GROUP BY 1, 2, 3`,
      [aggByMonth],
    );
    expect(r.considered.map((c) => c.relationship)).toEqual(['CHOSEN']);
    expect(r.printed).toMatchInlineSnapshot(`
      "Project date_trunc('month', l_shipdate)#0 AS m, "year"(l_shipdate)#1 AS y, "year"(l_shipdate)#1 AS y2, sum(l_extendedprice)#2 AS s
        Project key0#0 AS date_trunc('month', l_shipdate), key1#1 AS "year"(l_shipdate), agg0#2 AS sum(l_extendedprice)
          Aggregate groupBy=[l_shipdate#1, extract_year(l_shipdate#1)] aggs=[sum(__sum__l_extendedprice#4)]
            Filter (extract_year(l_shipdate#1) = CAST(1995 AS BIGINT))
              Scan __reflections.agg_month AS reflection agg_month [l_returnflag, l_shipdate, __sum__l_quantity, __count__l_quantity, __sum__l_extendedprice, __min__l_extendedprice, __max__l_extendedprice, __count_star__]"
    `);
  });

  it('serve a grand total: COUNT(*) of no rows is 0, SUM is NULL', () => {
    const r = substitute("SELECT count(*), sum(l_quantity) FROM tpch.lineitem WHERE l_returnflag = 'X'", [
      aggByFlag,
    ]);
    expect(r.printed).toMatchInlineSnapshot(`
      "Project count_star()#0 AS count_star(), sum(l_quantity)#1 AS sum(l_quantity)
        Project coalesce(CAST(agg0#0 AS BIGINT), 0) AS count_star(), agg1#1 AS sum(l_quantity)
          Aggregate groupBy=[] aggs=[sum(__count_star__#6), sum(__sum__l_quantity#1)]
            Filter (l_returnflag#0 = 'X')
              Scan __reflections.agg_flag AS reflection agg_flag [l_returnflag, __sum__l_quantity, __count__l_quantity, __sum__l_extendedprice, __min__l_extendedprice, __max__l_extendedprice, __count_star__]"
    `);
  });

  it('serve COUNT(DISTINCT) of a dimension but never of a measure', () => {
    expect(
      substitute('SELECT count(DISTINCT l_returnflag) FROM tpch.lineitem', [aggByFlag]).considered[0]
        .relationship,
    ).toBe('CHOSEN');
    expect(
      substitute('SELECT count(DISTINCT l_quantity) FROM tpch.lineitem', [aggByFlag]).considered,
    ).toMatchObject([
      {
        relationship: 'CONSIDERED',
        reason: 'count(DISTINCT l_quantity) is not derivable from the reflection',
      },
    ]);
  });

  it('say why a finer grouping, a filter on a non-dimension or below the grain does not match', () => {
    const reason = (sql: string, c: ReflectionCandidate) => substitute(sql, [c]).considered[0].reason;
    expect(reason('SELECT l_suppkey, sum(l_quantity) FROM tpch.lineitem GROUP BY 1', aggByFlag)).toBe(
      'grouping by l_suppkey is finer than the reflection',
    );
    expect(reason('SELECT sum(l_quantity) FROM tpch.lineitem WHERE l_tax > 0', aggByFlag)).toBe(
      'filters on l_tax, which is not a dimension of the reflection',
    );
    expect(
      reason("SELECT sum(l_quantity) FROM tpch.lineitem WHERE l_shipdate >= DATE '1995-01-15'", aggByMonth),
    ).toBe("filtering on l_shipdate needs a finer grain than the reflection's month");
    expect(reason('SELECT l_shipdate, sum(l_quantity) FROM tpch.lineitem GROUP BY 1', aggByMonth)).toBe(
      "grouping by l_shipdate needs a finer grain than the reflection's month",
    );
    expect(reason('SELECT l_returnflag, sum(l_tax) FROM tpch.lineitem GROUP BY 1', aggByFlag)).toBe(
      'sum(l_tax) needs a SUM measure on it',
    );
  });

  it('serve an aggregate over a view that joins tables', () => {
    const r = substitute(
      `SELECT o_orderpriority, year(o_orderdate) AS y, sum(l_extendedprice) AS s, avg(l_extendedprice) AS a
       FROM sales.order_lines GROUP BY 1, 2`,
      [aggOnView],
    );
    expect(r.considered.map((c) => c.relationship)).toEqual(['CHOSEN']);
    expect(r.printed).toMatchInlineSnapshot(`
      "Project o_orderpriority#0 AS o_orderpriority, "year"(o_orderdate)#1 AS y, sum(l_extendedprice)#2 AS s, avg(l_extendedprice)#3 AS a
        Project key0#0 AS o_orderpriority, key1#1 AS "year"(o_orderdate), agg0#2 AS sum(l_extendedprice), (CAST(agg0#2 AS DOUBLE) / CAST(agg1#3 AS DOUBLE)) AS avg(l_extendedprice)
          Aggregate groupBy=[o_orderpriority#0, extract_year(o_orderdate#1)] aggs=[sum(__sum__l_extendedprice#2), sum(__count__l_extendedprice#3)]
            Scan __reflections.agg_view AS reflection agg_view [o_orderpriority, o_orderdate, __sum__l_extendedprice, __count__l_extendedprice, __count_star__]"
    `);
  });

  it("serve the view's join written directly on the tables, through the view's columns", () => {
    const join = 'FROM tpch.lineitem JOIN tpch.orders ON l_orderkey = o_orderkey';
    const agg = substitute(`SELECT o_orderpriority, sum(l_extendedprice) AS s ${join} GROUP BY 1`, [
      aggOnView,
    ]);
    expect(agg.considered.map((c) => c.relationship)).toEqual(['CHOSEN']);
    expect(agg.printed).toContain('Scan __reflections.agg_view');
    const raw = substitute(`SELECT o_orderdate, l_quantity ${join} WHERE l_returnflag = 'R'`, [rawOnView]);
    expect(raw.considered.map((c) => c.relationship)).toEqual(['CHOSEN']);
    expect(raw.optimized).toMatchInlineSnapshot(`
      "Project o_orderdate#0 AS o_orderdate, l_quantity#1 AS l_quantity
        Scan __reflections.raw_view AS reflection raw_view [o_orderdate, l_quantity] filters=[(l_returnflag#1 = 'R')]"
    `);
    expect(substitute(`SELECT o_clerk, l_quantity ${join}`, [rawOnView]).considered).toMatchObject([
      { relationship: 'CONSIDERED', reason: 'needs column o_clerk' },
    ]);
    expect(substitute(`SELECT o_clerk, count(*) ${join} GROUP BY 1`, [aggOnView]).considered).toMatchObject([
      { relationship: 'CONSIDERED', reason: 'needs column o_clerk, which the view does not give' },
    ]);
    // Another join of the same tables is another dataset.
    const other = 'FROM tpch.lineitem JOIN tpch.orders ON l_suppkey = o_custkey';
    expect(
      substitute(`SELECT o_orderpriority, sum(l_extendedprice) ${other} GROUP BY 1`, [aggOnView]).chosen,
    ).toEqual([]);
  });

  it('choose the one reading the fewest rows; the others matched', () => {
    const r = substitute('SELECT l_returnflag, sum(l_quantity) FROM tpch.lineitem GROUP BY 1', [
      aggByDay,
      aggByMonth,
      aggByFlag,
      rawLineitem,
    ]);
    expect(r.considered.map((c) => [c.reflectionName, c.relationship, c.reason])).toEqual([
      ['agg_day', 'MATCHED', 'agg_flag reads fewer rows'],
      ['agg_month', 'MATCHED', 'agg_flag reads fewer rows'],
      ['agg_flag', 'CHOSEN', undefined],
      ['raw_li', 'MATCHED', 'agg_flag reads fewer rows'],
    ]);
    expect(r.chosen.map((c) => c.reflectionId)).toEqual(['agg_flag']);
  });
});

describe('staleness and availability', () => {
  const sql = 'SELECT l_returnflag, sum(l_quantity) FROM tpch.lineitem GROUP BY 1';

  it('never uses a stale reflection unless the query accepts data that old', () => {
    const stale = { stalenessMs: () => 5 * 60_000 };
    const refused = substitute(sql, [aggByFlag], stale);
    expect(refused.printed).toContain('Scan tpch.lineitem');
    expect(refused.considered).toMatchObject([{ relationship: 'CONSIDERED', reason: 'stale by 5 min' }]);
    expect(substitute(sql, [aggByFlag], { ...stale, maxStalenessMs: 4 * 60_000 }).chosen).toEqual([]);
    const allowed = substitute(sql, [aggByFlag], { ...stale, maxStalenessMs: 10 * 60_000 });
    expect(allowed.chosen).toMatchObject([{ reflectionId: 'agg_flag', stalenessMs: 5 * 60_000 }]);
  });

  it('says when a reflection is disabled or not built yet, and ignores those on other datasets', () => {
    const disabled = { ...aggByFlag, definition: { ...aggByFlag.definition, enabled: false } };
    const unbuilt = { ...aggByDay, materialization: null, status: 'REFRESHING' as const };
    const r = substitute(sql, [disabled, unbuilt, aggOnView]);
    expect(r.considered.map((c) => [c.reflectionName, c.relationship, c.reason])).toEqual([
      ['agg_flag', 'CONSIDERED', 'disabled'],
      ['agg_day', 'CONSIDERED', 'not built yet'],
    ]);
  });
});

describe('joins matched as sets', () => {
  const relationships = (r: ReturnType<typeof substitute>) =>
    r.considered.map((c) => [c.reflectionName, c.relationship, c.reason]);

  it('serve a comma join with the condition in WHERE, written the other way round, and an extra filter', () => {
    const r = substitute(
      "SELECT o_orderdate, l_quantity FROM tpch.orders, tpch.lineitem WHERE o_orderkey = l_orderkey AND l_returnflag = 'R'",
      [rawOnView],
    );
    expect(relationships(r)).toEqual([['raw_view', 'CHOSEN', undefined]]);
    expect(r.optimized).toMatchInlineSnapshot(`
      "Project o_orderdate#0 AS o_orderdate, l_quantity#1 AS l_quantity
        Scan __reflections.raw_view AS reflection raw_view [o_orderdate, l_quantity] filters=[(l_returnflag#1 = 'R')]"
    `);
  });

  it('serve joins written in another order', () => {
    const r = substitute(
      "SELECT date_trunc('month', o_orderdate) AS m, sum(l_extendedprice) FROM tpch.orders JOIN tpch.lineitem ON o_orderkey = l_orderkey GROUP BY 1",
      [aggOnView],
    );
    expect(relationships(r)).toEqual([['agg_view', 'CHOSEN', undefined]]);
    expect(r.printed).toMatchInlineSnapshot(`
      "Project date_trunc('month', o_orderdate)#0 AS m, sum(l_extendedprice)#1 AS sum(l_extendedprice)
        Project key0#0 AS date_trunc('month', o_orderdate), agg0#1 AS sum(l_extendedprice)
          Aggregate groupBy=[o_orderdate#1] aggs=[sum(__sum__l_extendedprice#2)]
            Scan __reflections.agg_view AS reflection agg_view [o_orderpriority, o_orderdate, __sum__l_extendedprice, __count__l_extendedprice, __count_star__]"
    `);
  });

  it('serve an aggregate over a comma join filtered on a dimension, and say what it lacks', () => {
    const r = substitute(
      "SELECT o_orderpriority, count(*) AS n FROM tpch.orders, tpch.lineitem WHERE l_orderkey = o_orderkey AND o_orderpriority <> '5-LOW' GROUP BY 1",
      [aggOnView],
    );
    expect(relationships(r)).toEqual([['agg_view', 'CHOSEN', undefined]]);
    expect(r.printed).toMatchInlineSnapshot(`
      "Project o_orderpriority#0 AS o_orderpriority, count_star()#1 AS n
        Project key0#0 AS o_orderpriority, coalesce(CAST(agg0#1 AS BIGINT), 0) AS count_star()
          Aggregate groupBy=[o_orderpriority#0] aggs=[sum(__count_star__#4)]
            Filter (o_orderpriority#0 <> '5-LOW')
              Scan __reflections.agg_view AS reflection agg_view [o_orderpriority, o_orderdate, __sum__l_extendedprice, __count__l_extendedprice, __count_star__]"
    `);
    const lacking = substitute(
      'SELECT o_clerk, count(*) FROM tpch.orders, tpch.lineitem WHERE l_orderkey = o_orderkey GROUP BY 1',
      [aggOnView],
    );
    expect(relationships(lacking)).toEqual([
      ['agg_view', 'CONSIDERED', 'needs column o_clerk, which the view does not give'],
    ]);
  });

  it('serve the part of a larger join they cover, joining the other relations on top', () => {
    const r = substitute(
      `SELECT c_name, o_orderdate, l_quantity FROM tpch.lineitem, tpch.customer, tpch.orders
       WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_quantity > 45 AND c_mktsegment = 'BUILDING'`,
      [rawBigLines],
    );
    expect(relationships(r)).toEqual([['raw_big', 'CHOSEN', undefined]]);
    expect(r.optimized).toMatchInlineSnapshot(`
      "Project c_name#1 AS c_name, o_orderdate#3 AS o_orderdate, l_quantity#4 AS l_quantity
        Join inner on (c_custkey#0 = o_custkey#2)
          Scan tpch.customer [c_custkey, c_name] filters=[(c_mktsegment#6 = 'BUILDING')]
          Scan __reflections.raw_big AS reflection raw_big [o_custkey, o_orderdate, l_quantity]"
    `);
    // The view does not give o_custkey: the extra join cannot be made on it.
    const lacking = substitute(
      'SELECT c_name, l_quantity FROM tpch.customer JOIN tpch.orders ON c_custkey = o_custkey JOIN tpch.lineitem ON l_orderkey = o_orderkey',
      [rawOnView],
    );
    expect(relationships(lacking)).toEqual([['raw_view', 'CONSIDERED', 'needs column o_custkey']]);
  });

  it('serve TPC-H Q3 from a SELECT * view of two of its three relations', () => {
    const r = substitute(
      `SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority
       FROM tpch.customer, tpch.orders, tpch.lineitem
       WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey
         AND o_orderdate < DATE '1995-03-15' AND l_shipdate > DATE '1995-03-15'
       GROUP BY l_orderkey, o_orderdate, o_shippriority ORDER BY revenue DESC, o_orderdate LIMIT 10`,
      [rawAllLines],
    );
    expect(relationships(r)).toEqual([['raw_all', 'CHOSEN', undefined]]);
    expect(r.optimized).toContain('Scan __reflections.raw_all');
    expect(r.optimized).toContain('Scan tpch.customer');
  });

  it('have the relations joined on top served by their own reflections', () => {
    const r = substitute(
      `SELECT o_orderdate, sum(l_extendedprice) AS s FROM tpch.customer, tpch.orders, tpch.lineitem
       WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey GROUP BY 1`,
      [rawAllLines, rawCustomer],
    );
    expect(relationships(r)).toEqual([
      ['raw_all', 'CHOSEN', undefined],
      ['raw_cust', 'CHOSEN', undefined],
    ]);
    expect(r.chosen.map((c) => c.reflectionId).sort()).toEqual(['raw_all', 'raw_cust']);
    expect(r.optimized).toMatchInlineSnapshot(`
      "Project o_orderdate#0 AS o_orderdate, sum(l_extendedprice)#1 AS s
        Aggregate groupBy=[o_orderdate#0] aggs=[sum(l_extendedprice#1)]
          Project o_orderdate#2 AS o_orderdate, l_extendedprice#0 AS l_extendedprice
            Join inner on (c_custkey#3 = o_custkey#1)
              Scan __reflections.raw_all AS reflection raw_all [l_extendedprice, o_custkey, o_orderdate]
              Project c_custkey#0 AS c_custkey
                Scan __reflections.raw_cust AS reflection raw_cust [c_custkey] filters=[(c_mktsegment#1 = 'BUILDING')]"
    `);
  });

  it("read a key the view gives through the view's own equi-condition", () => {
    const r = substitute(
      'SELECT l_orderkey, l_quantity FROM tpch.lineitem JOIN tpch.orders ON o_orderkey = l_orderkey WHERE l_quantity > 45',
      [rawBigLines],
    );
    expect(relationships(r)).toEqual([['raw_big', 'CHOSEN', undefined]]);
    expect(r.optimized).toContain('Scan __reflections.raw_big');
  });

  it("never serve a query that lacks the view's conditions or joins on other columns", () => {
    const none = (sql: string, c: ReflectionCandidate) => substitute(sql, [c]).chosen;
    expect(
      none(
        'SELECT o_orderdate, l_quantity FROM tpch.orders, tpch.lineitem WHERE o_orderkey = l_orderkey',
        rawBigLines,
      ),
    ).toEqual([]);
    expect(
      none(
        'SELECT o_orderdate, l_quantity FROM tpch.orders, tpch.lineitem WHERE o_orderkey = l_orderkey AND l_quantity > 44',
        rawBigLines,
      ),
    ).toEqual([]);
    expect(
      none(
        'SELECT o_orderdate, l_quantity FROM tpch.orders, tpch.lineitem WHERE o_custkey = l_orderkey',
        rawOnView,
      ),
    ).toEqual([]);
    expect(
      none(
        'SELECT o_orderdate, l_quantity FROM tpch.orders LEFT JOIN tpch.lineitem ON o_orderkey = l_orderkey',
        rawOnView,
      ),
    ).toEqual([]);
  });
});
