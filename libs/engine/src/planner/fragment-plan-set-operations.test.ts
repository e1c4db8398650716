import { describe, expect, it } from 'vitest';
import { optimize } from '@tributary/optimizer';
import { inMemoryCatalog, type CatalogView } from '@tributary/plan';
import { bindQuery } from '@tributary/sql';
import { tpchTables } from '@tributary/sql/testing';
import { explainDistributed } from './explain-distributed.ts';
import { fragmentPlan } from './fragment-plan.ts';
import { planPhysical } from './plan-physical.ts';

const ROWS: Record<string, number> = {
  lineitem: 6_001_215,
  orders: 1_500_000,
  customer: 150_000,
  nation: 25,
  region: 5,
};

const catalog: CatalogView = inMemoryCatalog(
  tpchTables.map((t) => ({ ...t, rowCount: ROWS[t.table] ?? 1000 })),
);

function explain(sql: string, splitGroups = 2): string {
  const plan = optimize(bindQuery(sql, catalog));
  const groups = Array.from({ length: splitGroups }, (_, part) => [{ info: { part } }]);
  return explainDistributed(
    fragmentPlan(planPhysical(plan), { partitions: 4, broadcastRowLimit: 0, splitGroups: () => groups }),
  );
}

describe('fragmentPlan: set operations and grouping sets', () => {
  it('runs UNION ALL branches as stages of their own, read partition by partition', () => {
    expect(explain('SELECT o_custkey FROM tpch.orders UNION ALL SELECT c_custkey FROM tpch.customer'))
      .toMatchInlineSnapshot(`
        "Coordinator: read any from stage 2

        Stage 2: 4 tasks, one per partition, reads stage 0, 1; output to the coordinator
          Union all (2 inputs) (est. 1650000 rows)
            Exchange hash from stage 0 (est. 1500000 rows)
            Exchange hash from stage 1 (est. 150000 rows)

        Stage 1: 2 tasks, one per split group; output hash-partitioned by [o_custkey#0] into 4
          Project c_custkey#0 AS o_custkey (est. 150000 rows)
            Scan parquet tpch.customer [c_custkey] (est. 150000 rows)

        Stage 0: 2 tasks, one per split group; output hash-partitioned by [o_custkey#0] into 4
          Project o_custkey#0 AS o_custkey (est. 1500000 rows)
            Scan parquet tpch.orders [o_custkey] (est. 1500000 rows)"
      `);
  });

  it('aggregates UNION partially in each branch and finally where the branches meet', () => {
    expect(explain('SELECT o_custkey FROM tpch.orders UNION SELECT c_custkey FROM tpch.customer ORDER BY 1'))
      .toMatchInlineSnapshot(`
        "Coordinator: merge by o_custkey#0 ASC NULLS LAST from stage 2

        Stage 2: 4 tasks, one per partition, reads stage 0, 1; output to the coordinator
          Sort o_custkey#0 ASC NULLS LAST (est. 165000 rows)
            HashAggregate groupBy=[o_custkey#0] aggs=[] mode=final (est. 165000 rows)
              Union all (2 inputs)
                Exchange hash from stage 0 (est. 165000 rows)
                Exchange hash from stage 1 (est. 165000 rows)

        Stage 1: 2 tasks, one per split group; output hash-partitioned by [key0#0] into 4
          HashAggregate groupBy=[o_custkey#0] aggs=[] mode=partial (est. 165000 rows)
            Project c_custkey#0 AS o_custkey (est. 150000 rows)
              Scan parquet tpch.customer [c_custkey] (est. 150000 rows)

        Stage 0: 2 tasks, one per split group; output hash-partitioned by [key0#0] into 4
          HashAggregate groupBy=[o_custkey#0] aggs=[] mode=partial (est. 165000 rows)
            Project o_custkey#0 AS o_custkey (est. 1500000 rows)
              Scan parquet tpch.orders [o_custkey] (est. 1500000 rows)"
      `);
  });

  it('counts the sides of INTERSECT ALL partially per branch and merges the counts by row', () => {
    expect(explain('SELECT o_custkey FROM tpch.orders INTERSECT ALL SELECT c_custkey FROM tpch.customer'))
      .toMatchInlineSnapshot(`
        "Coordinator: read any from stage 2

        Stage 2: 4 tasks, one per partition, reads stage 0, 1; output to the coordinator
          Replicate count=__copies (est. 18333 rows)
            FilterProject o_custkey#0 AS o_custkey, CASE WHEN (__left_count#1 < __right_count#2) THEN __left_count#1 ELSE __right_count#2 END AS __copies WHERE ((__left_count#1 > 0) AND (__right_count#2 > 0)) (est. 18333 rows)
              HashAggregate groupBy=[o_custkey#0] aggs=[count(__left#1), count(__right#2)] mode=final (est. 165000 rows)
                Union all (2 inputs)
                  Exchange hash from stage 0 (est. 165000 rows)
                  Exchange hash from stage 1 (est. 165000 rows)

        Stage 1: 2 tasks, one per split group; output hash-partitioned by [key0#0] into 4
          HashAggregate groupBy=[o_custkey#0] aggs=[count(__left#1), count(__right#2)] mode=partial (est. 165000 rows)
            Project o_custkey#0 AS o_custkey, NULL AS __left, 1 AS __right (est. 150000 rows)
              Scan parquet tpch.customer [c_custkey] (est. 150000 rows)

        Stage 0: 2 tasks, one per split group; output hash-partitioned by [key0#0] into 4
          HashAggregate groupBy=[o_custkey#0] aggs=[count(__left#1), count(__right#2)] mode=partial (est. 165000 rows)
            Project o_custkey#0 AS o_custkey, 1 AS __left, NULL AS __right (est. 1500000 rows)
              Scan parquet tpch.orders [o_custkey] (est. 1500000 rows)"
      `);
  });

  it('keeps a union of literal rows in one task', () => {
    expect(explain('SELECT 1 AS a UNION ALL SELECT 2')).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 0

      Stage 0: 1 task; output to the coordinator
        Union all (2 inputs) (est. 2 rows)
          Project 1 AS a (est. 1 rows)
            Values () (est. 1 rows)
          Project 2#0 AS a (est. 1 rows)
            Project 2 AS 2 (est. 1 rows)
              Values () (est. 1 rows)"
    `);
  });

  it('expands grouping sets before the partial aggregate and shuffles by keys and set', () => {
    expect(
      explain(
        'SELECT l_returnflag, l_linestatus, count(*) AS n, GROUPING(l_returnflag, l_linestatus) AS g FROM tpch.lineitem GROUP BY ROLLUP (l_returnflag, l_linestatus)',
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 1

      Stage 1: 4 tasks, one per partition, reads stage 0; output to the coordinator
        Project l_returnflag#0 AS l_returnflag, l_linestatus#1 AS l_linestatus, count_star()#3 AS n, CASE WHEN (__grouping_id#2 = 0) THEN 0 WHEN (__grouping_id#2 = 1) THEN 1 WHEN (__grouping_id#2 = 2) THEN 3 END AS g (est. 18003645 rows)
          HashAggregate groupBy=[l_returnflag#2, l_linestatus#3, __grouping_id#4] aggs=[count(*)] mode=final (est. 18003645 rows)
            Exchange hash from stage 0 (est. 18003645 rows)

      Stage 0: 2 tasks, one per split group; output hash-partitioned by [key0#0, key1#1, key2#2] into 4
        HashAggregate groupBy=[l_returnflag#2, l_linestatus#3, __grouping_id#4] aggs=[count(*)] mode=partial emptySets=[2] (est. 18003645 rows)
          Expand keys=[l_returnflag#0, l_linestatus#1] sets=[(l_returnflag#0, l_linestatus#1), (l_returnflag#0), ()] (est. 18003645 rows)
            Scan parquet tpch.lineitem [l_returnflag, l_linestatus] (est. 6001215 rows)"
    `);
  });

  it('gives a scan without splits one task when an empty grouping set needs its row', () => {
    expect(explain('SELECT n_regionkey, count(*) AS n FROM tpch.nation GROUP BY ROLLUP (n_regionkey)', 0))
      .toMatchInlineSnapshot(`
        "Coordinator: read any from stage 1

        Stage 1: 4 tasks, one per partition, reads stage 0; output to the coordinator
          Project n_regionkey#0 AS n_regionkey, count_star()#2 AS n (est. 25 rows)
            HashAggregate groupBy=[n_regionkey#1, __grouping_id#2] aggs=[count(*)] mode=final (est. 25 rows)
              Exchange hash from stage 0 (est. 25 rows)

        Stage 0: 1 task, one per split group; output hash-partitioned by [key0#0, key1#1] into 4
          HashAggregate groupBy=[n_regionkey#1, __grouping_id#2] aggs=[count(*)] mode=partial emptySets=[1] (est. 25 rows)
            Expand keys=[n_regionkey#0] sets=[(n_regionkey#0), ()] (est. 50 rows)
              Scan parquet tpch.nation [n_regionkey] (est. 25 rows)"
      `);
  });
});
