import { describe, expect, it } from 'vitest';
import { optimize } from '@tributary/optimizer';
import { inMemoryCatalog, type CatalogView } from '@tributary/plan';
import { bindQuery } from '@tributary/sql';
import { tpchTables } from '@tributary/sql/testing';
import { explainDistributed } from './explain-distributed.ts';
import { fragmentPlan } from './fragment-plan.ts';
import { planPhysical } from './plan-physical.ts';

const catalog: CatalogView = inMemoryCatalog(tpchTables.map((t) => ({ ...t, rowCount: 150_000 })));

function explain(sql: string): string {
  const plan = optimize(bindQuery(sql, catalog));
  return explainDistributed(
    fragmentPlan(planPhysical(plan), {
      partitions: 4,
      broadcastRowLimit: 0,
      splitGroups: () => [[{ info: { part: 0 } }], [{ info: { part: 1 } }]],
    }),
  );
}

describe('fragmentPlan: windows', () => {
  it('shuffles rows by the PARTITION BY keys, then sorts and computes in each task', () => {
    expect(
      explain(
        `SELECT o_orderkey, row_number() OVER (PARTITION BY o_custkey ORDER BY o_orderdate DESC) AS rn
         FROM tpch.orders`,
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 1

      Stage 1: 4 tasks, one per partition, reads stage 0; output to the coordinator
        Project o_orderkey#0 AS o_orderkey, row_number() OVER (PARTITION BY o_custkey ORDER BY o_orderdate DESC)#3 AS rn (est. 150000 rows)
          Window partitionBy=[o_custkey#1] orderBy=[o_orderdate#2 DESC NULLS LAST] calls=[row_number()] (est. 150000 rows)
            Sort o_custkey#1 ASC NULLS LAST, o_orderdate#2 DESC NULLS LAST (est. 150000 rows)
              Exchange hash from stage 0 (est. 150000 rows)

      Stage 0: 2 tasks, one per split group; output hash-partitioned by [o_custkey#1] into 4
        Scan parquet tpch.orders [o_orderkey, o_custkey, o_orderdate] (est. 150000 rows)"
    `);
  });

  it('gathers everything into one task without PARTITION BY', () => {
    expect(
      explain(
        `SELECT o_orderkey, sum(o_totalprice) OVER (ORDER BY o_orderkey ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s
         FROM tpch.orders ORDER BY o_orderkey`,
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: merge by o_orderkey#0 ASC NULLS LAST from stage 1

      Stage 1: 1 task, reads stage 0; output to the coordinator
        Sort o_orderkey#0 ASC NULLS LAST (est. 150000 rows)
          Project o_orderkey#0 AS o_orderkey, sum(o_totalprice) OVER (ORDER BY o_orderkey ROWS BETWEEN 2 PRECEDING AND CURRENT ROW)#2 AS s (est. 150000 rows)
            Window partitionBy=[] orderBy=[o_orderkey#0 ASC NULLS LAST] calls=[sum(o_totalprice#1) ROWS BETWEEN 2 PRECEDING AND CURRENT ROW] (est. 150000 rows)
              Sort o_orderkey#0 ASC NULLS LAST (est. 150000 rows)
                Exchange gather from stage 0 (est. 150000 rows)

      Stage 0: 2 tasks, one per split group; output as one partition
        Scan parquet tpch.orders [o_orderkey, o_totalprice] (est. 150000 rows)"
    `);
  });

  it('shuffles again when the rows are spread by more keys than the PARTITION BY keys', () => {
    expect(
      explain(
        `SELECT o_custkey, o_orderstatus, count(*) AS n, sum(count(*)) OVER (PARTITION BY o_custkey) AS per_customer
         FROM tpch.orders GROUP BY o_custkey, o_orderstatus`,
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 2

      Stage 2: 4 tasks, one per partition, reads stage 1; output to the coordinator
        Project o_custkey#0 AS o_custkey, o_orderstatus#1 AS o_orderstatus, count_star()#2 AS n, sum(count_star()) OVER (PARTITION BY o_custkey)#3 AS per_customer (est. 150000 rows)
          Window partitionBy=[o_custkey#0] orderBy=[] calls=[sum(count_star()#2) ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING] (est. 150000 rows)
            Sort o_custkey#0 ASC NULLS LAST (est. 150000 rows)
              Exchange hash from stage 1 (est. 150000 rows)

      Stage 1: 4 tasks, one per partition, reads stage 0; output hash-partitioned by [o_custkey#0] into 4
        HashAggregate groupBy=[o_custkey#0, o_orderstatus#1] aggs=[count(*)] mode=final (est. 150000 rows)
          Exchange hash from stage 0 (est. 150000 rows)

      Stage 0: 2 tasks, one per split group; output hash-partitioned by [key0#0, key1#1] into 4
        HashAggregate groupBy=[o_custkey#0, o_orderstatus#1] aggs=[count(*)] mode=partial (est. 150000 rows)
          Scan parquet tpch.orders [o_custkey, o_orderstatus] (est. 150000 rows)"
    `);
  });

  it('shuffles by expressions and stacks windows of different partitionings', () => {
    expect(
      explain(
        `SELECT c_custkey, rank() OVER (PARTITION BY c_nationkey % 5 ORDER BY c_acctbal) AS a,
           count(*) OVER (PARTITION BY c_mktsegment) AS b
         FROM tpch.customer`,
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 2

      Stage 2: 4 tasks, one per partition, reads stage 1; output to the coordinator
        Project c_custkey#0 AS c_custkey, rank() OVER (PARTITION BY (c_nationkey % 5) ORDER BY c_acctbal)#4 AS a, count() OVER (PARTITION BY c_mktsegment)#5 AS b (est. 150000 rows)
          Window partitionBy=[c_mktsegment#3] orderBy=[] calls=[count(*) ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING] (est. 150000 rows)
            Sort c_mktsegment#3 ASC NULLS LAST (est. 150000 rows)
              Exchange hash from stage 1 (est. 150000 rows)

      Stage 1: 4 tasks, one per partition, reads stage 0; output hash-partitioned by [c_mktsegment#3] into 4
        Window partitionBy=[(c_nationkey#1 % 5)] orderBy=[c_acctbal#2 ASC NULLS LAST] calls=[rank()] (est. 150000 rows)
          Sort (c_nationkey#1 % 5) ASC NULLS LAST, c_acctbal#2 ASC NULLS LAST (est. 150000 rows)
            Exchange hash from stage 0 (est. 150000 rows)

      Stage 0: 2 tasks, one per split group; output hash-partitioned by [(c_nationkey#1 % 5)] into 4
        Scan parquet tpch.customer [c_custkey, c_nationkey, c_acctbal, c_mktsegment] (est. 150000 rows)"
    `);
  });

  it('computes in place when the rows are already spread by the PARTITION BY keys', () => {
    expect(
      explain(
        `SELECT c_custkey, o_orderkey, rank() OVER (PARTITION BY c_custkey ORDER BY o_totalprice DESC) AS r
         FROM tpch.customer JOIN tpch.orders ON c_custkey = o_custkey`,
      ),
    ).toMatchInlineSnapshot(`
      "Coordinator: read any from stage 2

      Stage 2: 4 tasks, one per partition, reads stage 0, 1; output to the coordinator
        Project c_custkey#0 AS c_custkey, o_orderkey#1 AS o_orderkey, rank() OVER (PARTITION BY c_custkey ORDER BY o_totalprice DESC)#3 AS r (est. 150000 rows)
          Window partitionBy=[c_custkey#0] orderBy=[o_totalprice#2 DESC NULLS LAST] calls=[rank()] (est. 150000 rows)
            Sort c_custkey#0 ASC NULLS LAST, o_totalprice#2 DESC NULLS LAST (est. 150000 rows)
              Project c_custkey#0 AS c_custkey, o_orderkey#1 AS o_orderkey, o_totalprice#3 AS o_totalprice (est. 150000 rows)
                HashJoin inner keys=[c_custkey#0 = o_custkey#1] (est. 150000 rows)
                  Exchange hash from stage 0 (est. 150000 rows)
                  Exchange hash from stage 1 (est. 150000 rows)

      Stage 1: 2 tasks, one per split group; output hash-partitioned by [o_custkey#1] into 4
        Scan parquet tpch.orders [o_orderkey, o_custkey, o_totalprice] (est. 150000 rows)

      Stage 0: 2 tasks, one per split group; output hash-partitioned by [c_custkey#0] into 4
        Scan parquet tpch.customer [c_custkey] (est. 150000 rows)"
    `);
  });
});
