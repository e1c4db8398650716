import { describe, expect, it } from 'vitest';
import { optimize } from '@tributary/optimizer';
import { bindQuery } from '@tributary/sql';
import { TPCH_QUERIES, tpchSf1Catalog } from '@tributary/sql/testing';
import { adaptJoinDistribution, adaptiveJoinOf } from './adapt-join-distribution.ts';
import { explainDistributed } from './explain-distributed.ts';
import { fragmentPlan } from './fragment-plan.ts';
import { planPhysical } from './plan-physical.ts';

const catalog = tpchSf1Catalog;

function distribute(sql: string, broadcastRowLimit = 100_000, partitions = 4) {
  return fragmentPlan(planPhysical(optimize(bindQuery(sql, catalog, { context: ['tpch'] }))), {
    partitions,
    broadcastRowLimit,
    splitGroups: () => [[{ info: { part: 0 } }], [{ info: { part: 1 } }], [{ info: { part: 2 } }]],
  });
}

const ORDERS_BY_QUANTITY = `SELECT o_orderkey, o_totalprice, l.q FROM tpch.orders
  JOIN (SELECT l_orderkey, sum(l_quantity) AS q FROM tpch.lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 300) l
  ON l.l_orderkey = o_orderkey`;

describe('adaptJoinDistribution', () => {
  it('makes a shuffle join whose build stage proved small a broadcast join over the probe stage’s splits', () => {
    const plan = distribute(ORDERS_BY_QUANTITY);
    const join = adaptiveJoinOf(plan, 3);
    expect(join).toEqual({ stage: 3, probe: 1, build: 2, first: 'build' });
    const adapted = adaptJoinDistribution(
      plan,
      join!,
      (s) => (s === 2 ? { rows: 57, bytes: 1_368 } : undefined),
      {
        broadcastRowLimit: 100_000,
      },
    )!;
    expect(adapted.broadcast).toBe(true);
    expect(explainDistributed(adapted.plan)).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 3

      Stage 3: 3 tasks, one per split group, reads stage 2; output to the coordinator
        Adapted: broadcast join at run time: build stage 2 had 57 rows; stage 1 runs here, its rows not shuffled
        Project o_orderkey#0 AS o_orderkey, o_totalprice#1 AS o_totalprice, q#3 AS q (est. 200041 rows)
          HashJoin inner keys=[o_orderkey#0 = l_orderkey#0] (est. 200041 rows)
            Scan parquet tpch.orders [o_orderkey, o_totalprice] (est. 1500000 rows)
            Exchange broadcast from stage 2 (all 4 partitions) (est. 200041 rows)

      Stage 2: 4 tasks, one per partition, reads stage 0; output hash-partitioned by [l_orderkey#0] into 4
        FilterProject l_orderkey#0 AS l_orderkey, sum(l_quantity)#1 AS q WHERE (sum(l_quantity)#1 > 300.00) (est. 200041 rows)
          HashAggregate groupBy=[l_orderkey#0] aggs=[sum(l_quantity#1)] mode=final (est. 600122 rows)
            Exchange hash from stage 0 (est. 600122 rows)

      Stage 1: 3 tasks, one per split group; output hash-partitioned by [o_orderkey#0] into 4
        Adapted: not run: merged into stage 3 at run time
        Scan parquet tpch.orders [o_orderkey, o_totalprice] (est. 1500000 rows)

      Stage 0: 3 tasks, one per split group; output hash-partitioned by [key0#0] into 4
        HashAggregate groupBy=[l_orderkey#0] aggs=[sum(l_quantity#1)] mode=partial (est. 600122 rows)
          Scan parquet tpch.lineitem [l_orderkey, l_quantity] (est. 6001215 rows)"
    `);
  });

  it('keeps the shuffle join when the build stage proved big, and waits for its size', () => {
    const plan = distribute(ORDERS_BY_QUANTITY);
    const join = adaptiveJoinOf(plan, 3)!;
    expect(
      adaptJoinDistribution(plan, join, () => undefined, { broadcastRowLimit: 100_000 }),
    ).toBeUndefined();
    const size = { rows: 900_000, bytes: 21_600_000 };
    const kept = adaptJoinDistribution(plan, join, () => size, { broadcastRowLimit: 100_000 })!;
    expect(kept.broadcast).toBe(false);
    expect(kept.plan.stages.map((s) => s.root)).toEqual(plan.stages.map((s) => s.root));
    expect(kept.plan.stages[3].adapted).toBe(
      'kept a shuffle join: build stage 2 had 900000 rows, 21600000 bytes',
    );
    // A limit of 0 (shuffles forced) still broadcasts an empty build side.
    const empty = () => ({ rows: 0, bytes: 0 });
    expect(adaptJoinDistribution(plan, join, empty, { broadcastRowLimit: 0 })!.broadcast).toBe(true);
  });

  it('weighs a build side past the limit against the probe side’s shuffle, by rows and bytes', () => {
    // TPC-H Q9 on 2 slots: orders (1.5M rows of 12 bytes) meets lineitem ⋈ partsupp, estimated
    // at 650k rows; at SF 1 it has 325k rows of 112 bytes.
    const plan = distribute(TPCH_QUERIES.q9, 100_000, 2);
    const joins = plan.stages.map((s) => adaptiveJoinOf(plan, s.id)).filter((j) => j !== undefined);
    expect(joins.length).toBeGreaterThan(0);
    const ordersJoin = joins.find((j) =>
      explainDistributed({ ...plan, stages: [plan.stages[j.probe]] }).includes('tpch.orders'),
    )!;
    const at = (rows: number, bytesPerRow: number) =>
      adaptJoinDistribution(plan, ordersJoin, () => ({ rows, bytes: rows * bytesPerRow }), {
        broadcastRowLimit: 100_000,
      })!.broadcast;
    // Fewer rows than the cost rule allows, and narrow: broadcast.
    expect(at(325_000, 12)).toBe(true);
    // As wide as it is at SF 1: broadcasting it moves more bytes than shuffling orders.
    expect(at(325_000, 112)).toBe(false);
    // Too many rows, however narrow.
    expect(at(650_000, 12)).toBe(false);
    // Within the limit: broadcast, whatever its width.
    expect(at(90_000, 112)).toBe(true);
  });

  it('leaves alone a stage that needs its rows partitioned by key besides the join', () => {
    // The final aggregate above the join reads a shuffle of its own: nothing to adapt.
    const plan = distribute(
      `SELECT o_orderkey, count(*) FROM tpch.orders JOIN tpch.lineitem ON l_orderkey = o_orderkey GROUP BY o_orderkey`,
      0,
    );
    for (const stage of plan.stages) {
      const join = adaptiveJoinOf(plan, stage.id);
      if (!join) continue;
      // Whatever joins, the probe stage is read by this stage alone.
      expect(plan.stages.filter((s) => s.inputs.includes(join.probe)).map((s) => s.id)).toEqual([stage.id]);
    }
    const grouped = plan.stages.find((s) =>
      explainDistributed({ ...plan, stages: [s] }).includes('mode=final'),
    );
    expect(grouped && adaptiveJoinOf(plan, grouped.id)).toBeUndefined();
  });

  it('runs the probe side first when the build side is a whole table past the limit, and trades sides when it proved small', () => {
    // TPC-H Q18: the orders of big line-item totals (71 rows at SF 1) meet all of customer (150k rows).
    const plan = distribute(TPCH_QUERIES.q18, 100_000, 2);
    const options = { broadcastRowLimit: 100_000 };
    const customerJoin = plan.stages
      .map((s) => adaptiveJoinOf(plan, s.id, options))
      .find(
        (j) => j && explainDistributed({ ...plan, stages: [plan.stages[j.build]] }).includes('tpch.customer'),
      )!;
    expect(customerJoin.first).toBe('probe');
    // Without the limit to weigh against, or for a join that cannot trade sides, the build side goes first.
    expect(adaptiveJoinOf(plan, customerJoin.stage)!.first).toBe('build');
    const probeSize = (rows: number) => (s: number) =>
      s === customerJoin.probe ? { rows, bytes: rows * 36 } : undefined;
    expect(adaptJoinDistribution(plan, customerJoin, () => undefined, options)).toBeUndefined();
    const kept = adaptJoinDistribution(plan, customerJoin, probeSize(200_000), options)!;
    expect(kept.broadcast).toBe(false);
    expect(kept.plan.stages.map((s) => s.root)).toEqual(plan.stages.map((s) => s.root));
    const traded = adaptJoinDistribution(plan, customerJoin, probeSize(71), options)!;
    expect(traded.broadcast).toBe(true);
    const stages = [customerJoin.stage, customerJoin.build].map((id) => traded.plan.stages[id]);
    expect(explainDistributed({ ...traded.plan, stages })).toMatchInlineSnapshot(`
      "Coordinator: merge by o_totalprice#4 DESC NULLS LAST, o_orderdate#3 ASC NULLS LAST, limit 100 from stage 1

      Stage 3: 3 tasks, one per split group; output hash-partitioned by [c_custkey#0] into 2
        Adapted: not run: merged into stage 4 at run time
        Scan parquet tpch.customer [c_custkey, c_name] (est. 150000 rows)

      Stage 4: 3 tasks, one per split group, reads stage 2; output as one partition
        Adapted: sides traded at run time: probe stage 2 had 71 rows and is built on; stage 3 runs here, its rows not shuffled
        Project o_orderkey#0 AS o_orderkey, o_totalprice#2 AS o_totalprice, o_orderdate#3 AS o_orderdate, c_custkey#4 AS c_custkey, c_name#5 AS c_name (est. 200041 rows)
          Project o_orderkey#2 AS o_orderkey, o_custkey#3 AS o_custkey, o_totalprice#4 AS o_totalprice, o_orderdate#5 AS o_orderdate, c_custkey#0 AS c_custkey, c_name#1 AS c_name (est. 200041 rows)
            HashJoin inner keys=[c_custkey#0 = o_custkey#1] (est. 200041 rows)
              Scan parquet tpch.customer [c_custkey, c_name] (est. 150000 rows)
              Exchange broadcast from stage 2 (all 2 partitions) (est. 200041 rows)"
    `);
  });
});
