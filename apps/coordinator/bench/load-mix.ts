import { TPCH_Q1, TPCH_Q6, forSource, hasOrderBy } from '../e2e/sql-cases.ts';

/** Short queries should answer in well under a second even while long ones run. */
export type QueryClass = 'short' | 'long';

export interface LoadQuery {
  name: string;
  class: QueryClass;
  sql: string;
  /** The SQL orders its rows (totally), so answers are compared row by row in order. */
  ordered: boolean;
}

function query(queryClass: QueryClass, name: string, sql: string): LoadQuery {
  return { name, class: queryClass, sql, ordered: hasOrderBy(sql) };
}

// Every ORDER BY below is total (ties broken by a key), so repeated answers can be compared in order.
// Float sums are avoided where partial aggregates merge in arrival order (SQLite REAL money), since
// their last bits would then differ from run to run.

/** Point lookups and small aggregates over SF 0.01 (at most 60K rows scanned). */
export const SHORT_QUERIES: readonly LoadQuery[] = [
  query(
    'short',
    'region lookup (csv)',
    `SELECT r_regionkey, r_name FROM load_csv.region WHERE r_regionkey = 3`,
  ),
  query(
    'short',
    'nation lookup (parquet)',
    `SELECT n_nationkey, n_name, n_regionkey FROM load_pq.nation WHERE n_name = 'GERMANY'`,
  ),
  query(
    'short',
    'selective count on orders',
    `SELECT COUNT(*) AS n FROM load_pq.orders
     WHERE o_orderdate >= DATE '1995-03-01' AND o_orderdate < DATE '1995-03-08' AND o_orderpriority = '1-URGENT'`,
  ),
  query(
    'short',
    'top-10 customers',
    `SELECT c_custkey, c_name, c_acctbal FROM load_pq.customer
     ORDER BY c_acctbal DESC, c_custkey LIMIT 10`,
  ),
  query(
    'short',
    'small group by (sqlite)',
    `SELECT s_nationkey, COUNT(*) AS suppliers, MAX(s_acctbal) AS top_balance FROM load_sqlite.supplier
     GROUP BY s_nationkey ORDER BY s_nationkey`,
  ),
  query(
    'short',
    'supplier lookup (sqlite)',
    `SELECT s_suppkey, s_name, s_phone FROM load_sqlite.supplier WHERE s_suppkey = 42`,
  ),
  query(
    'short',
    'nation ⋈ region',
    `SELECT n.n_name, r.r_name FROM load_csv.nation n JOIN load_csv.region r ON n.n_regionkey = r.r_regionkey
     WHERE r.r_name = 'ASIA' ORDER BY n.n_name`,
  ),
];

/** Scans and joins of SF 0.1 Parquet (600K lineitem rows), whole-file CSV and cross-source joins. */
export const LONG_QUERIES: readonly LoadQuery[] = [
  query('long', 'tpch q1 (sf0.1)', forSource(TPCH_Q1, 'load_pq1')),
  query('long', 'tpch q6 (sf0.1)', forSource(TPCH_Q6, 'load_pq1')),
  query(
    'long',
    'orders ⋈ lineitem group by (sf0.1)',
    `SELECT o_orderpriority, COUNT(*) AS lines, SUM(l_extendedprice * (1 - l_discount)) AS revenue
     FROM load_pq1.orders JOIN load_pq1.lineitem ON l_orderkey = o_orderkey
     WHERE o_orderdate >= DATE '1995-01-01' AND o_orderdate < DATE '1996-01-01'
     GROUP BY o_orderpriority ORDER BY o_orderpriority`,
  ),
  query(
    'long',
    'lineitem aggregate (csv)',
    `SELECT l_shipmode, COUNT(*) AS lines, SUM(l_quantity) AS qty, SUM(l_extendedprice) AS price
     FROM load_csv.lineitem GROUP BY l_shipmode ORDER BY l_shipmode`,
  ),
  query(
    'long',
    'csv ⋈ parquet ⋈ sqlite',
    `SELECT c.c_mktsegment, COUNT(*) AS lines, SUM(l.l_extendedprice) AS total, MIN(o.o_orderdate) AS first_order
     FROM load_csv.orders o
     JOIN load_sqlite.customer c ON o.o_custkey = c.c_custkey
     JOIN load_pq.lineitem l ON l.l_orderkey = o.o_orderkey
     WHERE o.o_orderdate < DATE '1994-01-01'
     GROUP BY c.c_mktsegment ORDER BY c.c_mktsegment`,
  ),
  query(
    'long',
    'big order by … limit (sf0.1)',
    `SELECT l_orderkey, l_linenumber, l_extendedprice, l_shipdate FROM load_pq1.lineitem
     ORDER BY l_extendedprice DESC, l_orderkey, l_linenumber LIMIT 100`,
  ),
];

/** mulberry32: a small, fast 32-bit PRNG; the same seed always gives the same sequence in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MixOptions {
  count: number;
  /** Probability that a draw is a long query, 0..1. */
  longShare: number;
  seed: number;
  short?: readonly LoadQuery[];
  long?: readonly LoadQuery[];
}

/**
 * The whole sequence of queries of a run, drawn up front: each draw is long with probability
 * `longShare`, then a query of its class uniformly. Clients take the next one as they free
 * up, so the set of queries (not their interleaving) is fixed by the seed.
 */
export function drawMix(options: MixOptions): LoadQuery[] {
  const short = options.short ?? SHORT_QUERIES;
  const long = options.long ?? LONG_QUERIES;
  if (!(options.longShare >= 0 && options.longShare <= 1)) {
    throw new RangeError(`long share must be between 0 and 1, not ${options.longShare}`);
  }
  const random = seededRandom(options.seed);
  const mix: LoadQuery[] = [];
  for (let i = 0; i < options.count; i++) {
    const pool = random() < options.longShare ? long : short;
    mix.push(pool[Math.floor(random() * pool.length)]);
  }
  return mix;
}
