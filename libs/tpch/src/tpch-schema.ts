/**
 * The eight TPC-H tables with the column types of the shared files (/work/shared/data/tpch):
 * keys BIGINT, nation/region keys and small counts INTEGER, money and quantities
 * DECIMAL(15,2), dates DATE, the rest VARCHAR.
 */
export type TpchColumnType = 'BIGINT' | 'INTEGER' | 'DECIMAL' | 'DATE' | 'VARCHAR';

export interface TpchColumn {
  readonly name: string;
  readonly type: TpchColumnType;
}

export const TPCH_TABLE_NAMES = [
  'region',
  'nation',
  'supplier',
  'customer',
  'part',
  'partsupp',
  'orders',
  'lineitem',
] as const;

export type TpchTableName = (typeof TPCH_TABLE_NAMES)[number];

function columns(spec: string): TpchColumn[] {
  return spec
    .trim()
    .split(/\s*,\s*/)
    .map((pair) => {
      const [name, type] = pair.split(/\s+/);
      return { name, type: type as TpchColumnType };
    });
}

export const TPCH_SCHEMA: Readonly<Record<TpchTableName, readonly TpchColumn[]>> = {
  region: columns('r_regionkey INTEGER, r_name VARCHAR, r_comment VARCHAR'),
  nation: columns('n_nationkey INTEGER, n_name VARCHAR, n_regionkey INTEGER, n_comment VARCHAR'),
  supplier: columns(`s_suppkey BIGINT, s_name VARCHAR, s_address VARCHAR, s_nationkey INTEGER,
    s_phone VARCHAR, s_acctbal DECIMAL, s_comment VARCHAR`),
  customer: columns(`c_custkey BIGINT, c_name VARCHAR, c_address VARCHAR, c_nationkey INTEGER,
    c_phone VARCHAR, c_acctbal DECIMAL, c_mktsegment VARCHAR, c_comment VARCHAR`),
  part: columns(`p_partkey BIGINT, p_name VARCHAR, p_mfgr VARCHAR, p_brand VARCHAR, p_type VARCHAR,
    p_size INTEGER, p_container VARCHAR, p_retailprice DECIMAL, p_comment VARCHAR`),
  partsupp: columns(
    'ps_partkey BIGINT, ps_suppkey BIGINT, ps_availqty BIGINT, ps_supplycost DECIMAL, ps_comment VARCHAR',
  ),
  orders: columns(`o_orderkey BIGINT, o_custkey BIGINT, o_orderstatus VARCHAR, o_totalprice DECIMAL,
    o_orderdate DATE, o_orderpriority VARCHAR, o_clerk VARCHAR, o_shippriority INTEGER, o_comment VARCHAR`),
  lineitem: columns(`l_orderkey BIGINT, l_partkey BIGINT, l_suppkey BIGINT, l_linenumber BIGINT,
    l_quantity DECIMAL, l_extendedprice DECIMAL, l_discount DECIMAL, l_tax DECIMAL, l_returnflag VARCHAR,
    l_linestatus VARCHAR, l_shipdate DATE, l_commitdate DATE, l_receiptdate DATE, l_shipinstruct VARCHAR,
    l_shipmode VARCHAR, l_comment VARCHAR`),
};

/** Rows of the tables whose size scales (clause 4.2.5); partsupp and lineitem follow from part and orders. */
export interface TpchCardinalities {
  readonly suppliers: number;
  readonly customers: number;
  readonly parts: number;
  readonly orders: number;
}

/**
 * SF × the base cardinalities, rounded down, at least one row each; suppliers at least 4 so
 * the four suppliers of each part (clause 4.2.3, ps_suppkey) stay distinct at tiny scales.
 */
export function tpchCardinalities(scaleFactor: number): TpchCardinalities {
  if (!Number.isFinite(scaleFactor) || scaleFactor <= 0) {
    throw new RangeError(`the scale factor must be a positive number, not ${scaleFactor}`);
  }
  const rows = (base: number) => Math.max(1, Math.floor(base * scaleFactor + 1e-9));
  return {
    suppliers: Math.max(4, rows(10_000)),
    customers: rows(150_000),
    parts: rows(200_000),
    orders: rows(1_500_000),
  };
}
