import { describe, expect, it } from 'vitest';
import { optimize } from '@tributary/optimizer';
import { taskCount } from '@tributary/protocol';
import { bindQuery } from '@tributary/sql';
import { tpchSf1Catalog } from '@tributary/sql/testing';
import { explainDistributed } from './explain-distributed.ts';
import { fragmentPlan } from './fragment-plan.ts';
import { planPhysical } from './plan-physical.ts';

const catalog = tpchSf1Catalog;

function distribute(sql: string, broadcastRowLimit = 100_000) {
  const plan = optimize(bindQuery(sql, catalog));
  return fragmentPlan(planPhysical(plan), {
    partitions: 4,
    broadcastRowLimit,
    // Three split groups for every scan: enough to see the tasks a stage gets.
    splitGroups: () => [[{ info: { part: 0 } }], [{ info: { part: 1 } }], [{ info: { part: 2 } }]],
  });
}

const explain = (sql: string, broadcastRowLimit?: number) =>
  explainDistributed(distribute(sql, broadcastRowLimit));

describe('fragmentPlan', () => {
  it('leaves a scan with its filters and projections as one stage streamed in file order', () => {
    expect(explain('SELECT n_name FROM tpch.nation WHERE n_regionkey = 1 LIMIT 3')).toMatchInlineSnapshot(`
      "Coordinator: read in-order, limit 3 from stage 0

      Stage 0: 3 tasks, one per split group; output to the coordinator
        Limit limit=3 (est. 3 rows)
          Project n_name#0 AS n_name (est. 3 rows)
            Scan parquet tpch.nation [n_name] filters=[(n_regionkey#2 = 1)] limit=3 (est. 3 rows)"
    `);
  });

  it('aggregates in two phases with a shuffle by group key between them', () => {
    expect(
      explain(
        'SELECT l_returnflag, sum(l_quantity) AS q FROM tpch.lineitem GROUP BY l_returnflag ORDER BY 1',
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: merge by l_returnflag#0 ASC NULLS LAST from stage 1

      Stage 1: 4 tasks, one per partition, reads stage 0; output to the coordinator
        Sort l_returnflag#0 ASC NULLS LAST (est. 600122 rows)
          Project l_returnflag#0 AS l_returnflag, sum(l_quantity)#1 AS q (est. 600122 rows)
            HashAggregate groupBy=[l_returnflag#1] aggs=[sum(l_quantity#0)] mode=final (est. 600122 rows)
              Exchange hash from stage 0 (est. 600122 rows)

      Stage 0: 3 tasks, one per split group; output hash-partitioned by [key0#0] into 4
        HashAggregate groupBy=[l_returnflag#1] aggs=[sum(l_quantity#0)] mode=partial (est. 600122 rows)
          Scan parquet tpch.lineitem [l_quantity, l_returnflag] (est. 6001215 rows)"
    `);
  });

  it('gathers a global aggregate to one task', () => {
    expect(explain('SELECT count(*) AS n, max(l_tax) AS t FROM tpch.lineitem')).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 1

      Stage 1: 1 task, reads stage 0; output to the coordinator
        Project count_star()#0 AS n, max(l_tax)#1 AS t (est. 1 rows)
          HashAggregate groupBy=[] aggs=[count(*), max(l_tax#0)] mode=final (est. 1 rows)
            Exchange gather from stage 0 (est. 1 rows)

      Stage 0: 3 tasks, one per split group; output as one partition
        HashAggregate groupBy=[] aggs=[count(*), max(l_tax#0)] mode=partial (est. 1 rows)
          Scan parquet tpch.lineitem [l_tax] (est. 6001215 rows)"
    `);
  });

  it('broadcasts a small build side and shuffles two big ones by key', () => {
    expect(explain('SELECT n_name, c_name FROM tpch.customer JOIN tpch.nation ON c_nationkey = n_nationkey'))
      .toMatchInlineSnapshot(`
        "Coordinator: read any from stage 1

        Stage 1: 3 tasks, one per split group, reads stage 0; output to the coordinator
          Project n_name#3 AS n_name, c_name#0 AS c_name (est. 150000 rows)
            HashJoin inner keys=[c_nationkey#1 = n_nationkey#0] (est. 150000 rows)
              Scan parquet tpch.customer [c_name, c_nationkey] (est. 150000 rows)
              Exchange broadcast from stage 0 (est. 25 rows)

        Stage 0: 3 tasks, one per split group; output as one partition
          Scan parquet tpch.nation [n_nationkey, n_name] (est. 25 rows)"
      `);
    expect(explain('SELECT count(*) AS n FROM tpch.orders JOIN tpch.lineitem ON l_orderkey = o_orderkey'))
      .toMatchInlineSnapshot(`
        "Coordinator: read any from stage 3

        Stage 3: 1 task, reads stage 2; output to the coordinator
          Project count_star()#0 AS n (est. 1 rows)
            HashAggregate groupBy=[] aggs=[count(*)] mode=final (est. 1 rows)
              Exchange gather from stage 2 (est. 1 rows)

        Stage 2: 4 tasks, one per partition, reads stage 0, 1; output as one partition
          HashAggregate groupBy=[] aggs=[count(*)] mode=partial (est. 1 rows)
            Project (est. 6001215 rows)
              HashJoin inner keys=[l_orderkey#0 = o_orderkey#0] (est. 6001215 rows)
                Exchange hash from stage 0 (est. 6001215 rows)
                Exchange hash from stage 1 (est. 1500000 rows)

        Stage 1: 3 tasks, one per split group; output hash-partitioned by [o_orderkey#0] into 4
          Scan parquet tpch.orders [o_orderkey] (est. 1500000 rows)

        Stage 0: 3 tasks, one per split group; output hash-partitioned by [l_orderkey#0] into 4
          Scan parquet tpch.lineitem [l_orderkey] (est. 6001215 rows)"
      `);
  });

  it('broadcasts a build side past the row limit when that moves far fewer rows than a shuffle', () => {
    // 4 task slots: orders of one year (~228K rows) sent 4 times is 0.9M rows against a
    // 6M-row lineitem shuffle; past 10× the limit, or against a small probe side, it shuffles.
    const sql = `SELECT count(*) AS n FROM tpch.lineitem JOIN tpch.orders ON l_orderkey = o_orderkey
                 WHERE o_orderdate >= DATE '1994-01-01' AND o_orderdate < DATE '1995-01-01'`;
    const exchanges = (text: string) =>
      text.split('\n').filter((l) => l.includes('Exchange ') && !l.includes('gather'));
    const broadcast = explain(sql);
    expect(exchanges(broadcast).map((l) => l.trim().split(' (')[0])).toEqual([
      'Exchange broadcast from stage 0',
    ]);
    expect(exchanges(explain(sql, 5_000)).every((l) => l.includes('Exchange hash'))).toBe(true);
    const smallProbe = explain(
      sql.replace('tpch.lineitem JOIN', 'tpch.customer JOIN').replace('l_orderkey', 'c_custkey'),
    );
    expect(
      exchanges(smallProbe).every((l) => l.includes('Exchange hash')),
      smallProbe,
    ).toBe(true);
  });

  it('does not shuffle again what is already partitioned by the join key', () => {
    const plan = distribute(
      `SELECT o_orderkey, o_totalprice, l.q FROM tpch.orders
       JOIN (SELECT l_orderkey, sum(l_quantity) AS q FROM tpch.lineitem GROUP BY l_orderkey) l
       ON l.l_orderkey = o_orderkey`,
    );
    const hashStages = plan.stages.filter((s) => s.output.kind === 'hash');
    // lineitem's partial aggregate and orders are shuffled once each; the final aggregate is
    // not shuffled again, but (the build side, estimated small enough that it may prove
    // broadcastable) is a stage of its own writing partitions it already is in, so it runs
    // before orders is shuffled (adapt-join-distribution.ts).
    expect(hashStages).toHaveLength(3);
    const finalAggregate = plan.stages.find((s) => s.root.kind === 'project')!;
    expect(finalAggregate.tasks).toEqual({ kind: 'partitions', count: 4 });
    expect(explainDistributed(plan)).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 3

      Stage 3: 4 tasks, one per partition, reads stage 1, 2; output to the coordinator
        Project o_orderkey#0 AS o_orderkey, o_totalprice#1 AS o_totalprice, q#3 AS q (est. 600122 rows)
          HashJoin inner keys=[o_orderkey#0 = l_orderkey#0] (est. 600122 rows)
            Exchange hash from stage 1 (est. 1500000 rows)
            Exchange hash from stage 2 (est. 600122 rows)

      Stage 2: 4 tasks, one per partition, reads stage 0; output hash-partitioned by [l_orderkey#0] into 4
        Project l_orderkey#0 AS l_orderkey, sum(l_quantity)#1 AS q (est. 600122 rows)
          HashAggregate groupBy=[l_orderkey#0] aggs=[sum(l_quantity#1)] mode=final (est. 600122 rows)
            Exchange hash from stage 0 (est. 600122 rows)

      Stage 1: 3 tasks, one per split group; output hash-partitioned by [o_orderkey#0] into 4
        Scan parquet tpch.orders [o_orderkey, o_totalprice] (est. 1500000 rows)

      Stage 0: 3 tasks, one per split group; output hash-partitioned by [key0#0] into 4
        HashAggregate groupBy=[l_orderkey#0] aggs=[sum(l_quantity#1)] mode=partial (est. 600122 rows)
          Scan parquet tpch.lineitem [l_orderkey, l_quantity] (est. 6001215 rows)"
    `);
  });

  it('shuffles an aggregate partitioned by some of its keys before a join on all of them', () => {
    const plan = distribute(
      `SELECT a.o_custkey, a.o_orderstatus, a.n, b.m FROM
       (SELECT o_custkey, o_orderstatus, count(*) AS n FROM tpch.orders JOIN tpch.customer ON c_custkey = o_custkey GROUP BY o_custkey, o_orderstatus) a
       JOIN (SELECT o_custkey, o_orderstatus, max(o_totalprice) AS m FROM tpch.orders GROUP BY o_custkey, o_orderstatus) b
       ON a.o_custkey = b.o_custkey AND a.o_orderstatus = b.o_orderstatus`,
      0,
    );
    // The first aggregate runs where the join by o_custkey left its rows: hashed by o_custkey
    // alone, so its output must be shuffled by both join keys, as the other side is.
    const local = plan.stages.find((s) =>
      explainDistributed({ ...plan, stages: [s] }).includes('aggs=[count(*)]'),
    );
    expect(local?.output).toMatchObject({ kind: 'hash' });
    expect(local?.output.kind === 'hash' && local.output.keys).toHaveLength(2);
  });

  it('rewrites a DISTINCT aggregate into two levels that both shuffle', () => {
    expect(explain('SELECT o_orderpriority, count(DISTINCT o_custkey) AS c FROM tpch.orders GROUP BY 1'))
      .toMatchInlineSnapshot(`
        "Coordinator: read any from stage 2

        Stage 2: 4 tasks, one per partition, reads stage 1; output to the coordinator
          Project o_orderpriority#0 AS o_orderpriority, count(DISTINCT o_custkey)#1 AS c (est. 150000 rows)
            HashAggregate groupBy=[o_orderpriority#0] aggs=[count(distinct_arg#1)] mode=final
              Exchange hash from stage 1

        Stage 1: 4 tasks, one per partition, reads stage 0; output hash-partitioned by [key0#0] into 4
          HashAggregate groupBy=[o_orderpriority#0] aggs=[count(distinct_arg#1)] mode=partial
            HashAggregate groupBy=[o_orderpriority#1, o_custkey#0] aggs=[] mode=final
              Exchange hash from stage 0

        Stage 0: 3 tasks, one per split group; output hash-partitioned by [key0#0, key1#1] into 4
          HashAggregate groupBy=[o_orderpriority#1, o_custkey#0] aggs=[] mode=partial
            Scan parquet tpch.orders [o_custkey, o_orderpriority] (est. 1500000 rows)"
      `);
  });

  it('keeps mixed DISTINCT aggregates whole, shuffling rows by group key', () => {
    expect(
      explain(
        'SELECT o_orderpriority, count(DISTINCT o_custkey) AS c, sum(o_totalprice) AS s FROM tpch.orders GROUP BY 1',
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 1

      Stage 1: 4 tasks, one per partition, reads stage 0; output to the coordinator
        Project o_orderpriority#0 AS o_orderpriority, count(DISTINCT o_custkey)#1 AS c, sum(o_totalprice)#2 AS s (est. 150000 rows)
          HashAggregate groupBy=[o_orderpriority#2] aggs=[count(DISTINCT o_custkey#0), sum(o_totalprice#1)] (est. 150000 rows)
            Exchange hash from stage 0 (est. 1500000 rows)

      Stage 0: 3 tasks, one per split group; output hash-partitioned by [o_orderpriority#2] into 4
        Scan parquet tpch.orders [o_custkey, o_totalprice, o_orderpriority] (est. 1500000 rows)"
    `);
  });

  it('sorts locally and merges on the coordinator, with top-N pushed into the tasks', () => {
    const plan = distribute('SELECT o_orderkey FROM tpch.orders ORDER BY o_totalprice DESC LIMIT 5 OFFSET 2');
    expect(plan.result).toMatchObject({ read: 'merge', limit: 5, offset: 2, columns: [0] });
    expect(explainDistributed(plan)).toMatchInlineSnapshot(`
      "Coordinator: merge by __sort_0#1 DESC NULLS LAST, offset 2, limit 5 from stage 0

      Stage 0: 3 tasks, one per split group; output to the coordinator
        TopN __sort_0#1 DESC NULLS LAST limit=7 (est. 5 rows)
          Project o_orderkey#0 AS o_orderkey, o_totalprice#1 AS __sort_0 (est. 1500000 rows)
            Scan parquet tpch.orders [o_orderkey, o_totalprice] (est. 1500000 rows)"
    `);
  });

  it('sorts and limits in every task when the limit is too big for a top-N', () => {
    const plan = distribute('SELECT o_orderkey FROM tpch.orders ORDER BY o_totalprice LIMIT 200000 OFFSET 5');
    expect(plan.result).toMatchObject({ read: 'merge', limit: 200_000, offset: 5, columns: [0] });
    expect(explainDistributed(plan)).toMatchInlineSnapshot(`
      "Coordinator: merge by __sort_0#1 ASC NULLS LAST, offset 5, limit 200000 from stage 0

      Stage 0: 3 tasks, one per split group; output to the coordinator
        Limit limit=200005 (est. 200000 rows)
          Sort __sort_0#1 ASC NULLS LAST (est. 1500000 rows)
            Project o_orderkey#0 AS o_orderkey, o_totalprice#1 AS __sort_0 (est. 1500000 rows)
              Scan parquet tpch.orders [o_orderkey, o_totalprice] (est. 1500000 rows)"
    `);
  });

  it('joins without keys by broadcasting the build side, and right joins by gathering both', () => {
    expect(
      explain('SELECT count(*) AS n FROM tpch.orders o, tpch.customer c WHERE o.o_totalprice > c.c_acctbal'),
    ).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 2

      Stage 2: 1 task, reads stage 1; output to the coordinator
        Project count_star()#0 AS n (est. 1 rows)
          HashAggregate groupBy=[] aggs=[count(*)] mode=final (est. 1 rows)
            Exchange gather from stage 1 (est. 1 rows)

      Stage 1: 3 tasks, one per split group, reads stage 0; output as one partition
        HashAggregate groupBy=[] aggs=[count(*)] mode=partial (est. 1 rows)
          HashJoin inner keys=[] residual=(o_totalprice#0 > c_acctbal#1) (est. 75000000000 rows)
            Scan parquet tpch.orders [o_totalprice] (est. 1500000 rows)
            Exchange broadcast from stage 0 (est. 150000 rows)

      Stage 0: 3 tasks, one per split group; output as one partition
        Scan parquet tpch.customer [c_acctbal] (est. 150000 rows)"
    `);
    expect(
      explain(
        'SELECT count(*) AS n FROM tpch.nation n RIGHT JOIN tpch.region r ON n.n_regionkey < r.r_regionkey',
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 2

      Stage 2: 1 task, reads stage 0, 1; output to the coordinator
        Project count_star()#0 AS n (est. 1 rows)
          HashAggregate groupBy=[] aggs=[count(*)] (est. 1 rows)
            HashJoin right keys=[] residual=(n_regionkey#0 < r_regionkey#1) (est. 42 rows)
              Exchange gather from stage 0 (est. 25 rows)
              Exchange gather from stage 1 (est. 5 rows)

      Stage 1: 3 tasks, one per split group; output as one partition
        Scan parquet tpch.region [r_regionkey] (est. 5 rows)

      Stage 0: 3 tasks, one per split group; output as one partition
        Scan parquet tpch.nation [n_regionkey] (est. 25 rows)"
    `);
  });

  it('gives every stage as many tasks as its distribution says', () => {
    const plan = distribute('SELECT c_mktsegment, count(*) AS n FROM tpch.customer GROUP BY 1');
    expect(plan.stages.map((s) => [s.tasks.kind, taskCount(s.tasks), s.output.kind])).toEqual([
      ['splits', 3, 'hash'],
      ['partitions', 4, 'result'],
    ]);
  });

  it('broadcasts the build side of a mark join (EXISTS under OR) or shuffles both sides by key', () => {
    const sql =
      'SELECT o_orderkey FROM tpch.orders WHERE o_totalprice > 500000 OR EXISTS (SELECT 1 FROM tpch.customer WHERE c_custkey = o_custkey AND c_acctbal < 0)';
    expect(explain(sql, 10_000_000)).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 1

      Stage 1: 3 tasks, one per split group, reads stage 0; output to the coordinator
        FilterProject o_orderkey#0 AS o_orderkey WHERE ((o_totalprice#1 > 500000.00) OR mark#2) (est. 750000 rows)
          Project o_orderkey#0 AS o_orderkey, o_totalprice#2 AS o_totalprice, mark#3 AS mark (est. 1500000 rows)
            HashJoin mark keys=[o_custkey#1 = c_custkey#0] (est. 1500000 rows)
              Scan parquet tpch.orders [o_orderkey, o_custkey, o_totalprice] (est. 1500000 rows)
              Exchange broadcast from stage 0 (est. 50000 rows)

      Stage 0: 3 tasks, one per split group; output as one partition
        Scan parquet tpch.customer [c_custkey] filters=[(c_acctbal#5 < 0.00)] (est. 50000 rows)"
    `);
    expect(explain(sql, 0)).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 2

      Stage 2: 4 tasks, one per partition, reads stage 0, 1; output to the coordinator
        FilterProject o_orderkey#0 AS o_orderkey WHERE ((o_totalprice#1 > 500000.00) OR mark#2) (est. 750000 rows)
          Project o_orderkey#0 AS o_orderkey, o_totalprice#2 AS o_totalprice, mark#3 AS mark (est. 1500000 rows)
            HashJoin mark keys=[o_custkey#1 = c_custkey#0] (est. 1500000 rows)
              Exchange hash from stage 0 (est. 1500000 rows)
              Exchange hash from stage 1 (est. 50000 rows)

      Stage 1: 3 tasks, one per split group; output hash-partitioned by [c_custkey#0] into 4
        Scan parquet tpch.customer [c_custkey] filters=[(c_acctbal#5 < 0.00)] (est. 50000 rows)

      Stage 0: 3 tasks, one per split group; output hash-partitioned by [o_custkey#1] into 4
        Scan parquet tpch.orders [o_orderkey, o_custkey, o_totalprice] (est. 1500000 rows)"
    `);
  });

  it('runs the single join of a correlated scalar subquery partitioned by its key', () => {
    expect(
      explain(
        'SELECT o_orderkey, (SELECT c_name FROM tpch.customer WHERE c_custkey = o_custkey) AS name FROM tpch.orders',
        0,
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 2

      Stage 2: 4 tasks, one per partition, reads stage 0, 1; output to the coordinator
        Project o_orderkey#0 AS o_orderkey, c_name#3 AS name (est. 1500000 rows)
          HashJoin single keys=[o_custkey#1 = c_custkey#0] (est. 1500000 rows)
            Exchange hash from stage 0 (est. 1500000 rows)
            Exchange hash from stage 1 (est. 150000 rows)

      Stage 1: 3 tasks, one per split group; output hash-partitioned by [c_custkey#0] into 4
        Scan parquet tpch.customer [c_custkey, c_name] (est. 150000 rows)

      Stage 0: 3 tasks, one per split group; output hash-partitioned by [o_custkey#1] into 4
        Scan parquet tpch.orders [o_orderkey, o_custkey] (est. 1500000 rows)"
    `);
  });
});
