import { BIGINT, DATE, decimal, INTEGER, VARCHAR, type SqlType } from '@tributary/common';
import { inMemoryCatalog, type CatalogView, type TableRef } from '@tributary/plan';

const MONEY = decimal(15, 2);

/** TPC-H columns as the CSV headers name them; keys BIGINT, money DECIMAL(15,2), dates DATE. */
const TPCH: Record<string, [string, SqlType][]> = {
  customer: [
    ['c_custkey', BIGINT],
    ['c_name', VARCHAR],
    ['c_address', VARCHAR],
    ['c_nationkey', BIGINT],
    ['c_phone', VARCHAR],
    ['c_acctbal', MONEY],
    ['c_mktsegment', VARCHAR],
    ['c_comment', VARCHAR],
  ],
  lineitem: [
    ['l_orderkey', BIGINT],
    ['l_partkey', BIGINT],
    ['l_suppkey', BIGINT],
    ['l_linenumber', INTEGER],
    ['l_quantity', MONEY],
    ['l_extendedprice', MONEY],
    ['l_discount', MONEY],
    ['l_tax', MONEY],
    ['l_returnflag', VARCHAR],
    ['l_linestatus', VARCHAR],
    ['l_shipdate', DATE],
    ['l_commitdate', DATE],
    ['l_receiptdate', DATE],
    ['l_shipinstruct', VARCHAR],
    ['l_shipmode', VARCHAR],
    ['l_comment', VARCHAR],
  ],
  nation: [
    ['n_nationkey', BIGINT],
    ['n_name', VARCHAR],
    ['n_regionkey', BIGINT],
    ['n_comment', VARCHAR],
  ],
  orders: [
    ['o_orderkey', BIGINT],
    ['o_custkey', BIGINT],
    ['o_orderstatus', VARCHAR],
    ['o_totalprice', MONEY],
    ['o_orderdate', DATE],
    ['o_orderpriority', VARCHAR],
    ['o_clerk', VARCHAR],
    ['o_shippriority', INTEGER],
    ['o_comment', VARCHAR],
  ],
  part: [
    ['p_partkey', BIGINT],
    ['p_name', VARCHAR],
    ['p_mfgr', VARCHAR],
    ['p_brand', VARCHAR],
    ['p_type', VARCHAR],
    ['p_size', INTEGER],
    ['p_container', VARCHAR],
    ['p_retailprice', MONEY],
    ['p_comment', VARCHAR],
  ],
  partsupp: [
    ['ps_partkey', BIGINT],
    ['ps_suppkey', BIGINT],
    ['ps_availqty', INTEGER],
    ['ps_supplycost', MONEY],
    ['ps_comment', VARCHAR],
  ],
  region: [
    ['r_regionkey', BIGINT],
    ['r_name', VARCHAR],
    ['r_comment', VARCHAR],
  ],
  supplier: [
    ['s_suppkey', BIGINT],
    ['s_name', VARCHAR],
    ['s_address', VARCHAR],
    ['s_nationkey', BIGINT],
    ['s_phone', VARCHAR],
    ['s_acctbal', MONEY],
    ['s_comment', VARCHAR],
  ],
};

function tables(source: string, sourceType: TableRef['sourceType']): TableRef[] {
  return Object.entries(TPCH).map(([table, columns]) => ({
    source,
    table,
    sourceType,
    columns: columns.map(([name, type]) => ({ name, type })),
    location: { path: `/work/shared/data/tpch/sf0.01/${sourceType}/${table}` },
  }));
}

/** Source `tpch` (parquet) plus source `lite` (sqlite) holding only `nation`, and a mixed-case table. */
export const tpchTables: readonly TableRef[] = [
  ...tables('tpch', 'parquet'),
  ...tables('lite', 'sqlite').filter((t) => t.table === 'nation'),
  {
    source: 'files',
    table: 'Events',
    sourceType: 'csv',
    columns: [
      { name: 'Id', type: BIGINT },
      { name: 'kind', type: VARCHAR },
    ],
    location: {},
  },
];

export const tpchCatalog: CatalogView = inMemoryCatalog(tpchTables);

/** TPC-H's row counts at scale factor 1, so that join sides have sizes in planning tests. */
export const TPCH_SF1_ROWS: Readonly<Record<string, number>> = {
  lineitem: 6_001_215,
  orders: 1_500_000,
  customer: 150_000,
  part: 200_000,
  partsupp: 800_000,
  supplier: 10_000,
  nation: 25,
  region: 5,
};

/** The same tables with their row counts at scale factor 1. */
export const tpchSf1Catalog: CatalogView = inMemoryCatalog(
  tpchTables.map((t) => ({ ...t, rowCount: TPCH_SF1_ROWS[t.table] })),
);
