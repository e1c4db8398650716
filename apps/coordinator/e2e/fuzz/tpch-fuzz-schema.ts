/**
 * What the fuzzer knows of the TPC-H schema: column kinds, literal pools drawn from the
 * data's real domains (so predicates select some rows, not none or all), the foreign keys
 * joins follow, and how to keep each table small enough for hundreds of queries a minute.
 */

/** int: INTEGER/BIGINT; decimal: DECIMAL(15,2) (DOUBLE in CSV/SQLite); string; date. */
export type ColumnKind = 'int' | 'decimal' | 'string' | 'date';

export interface FuzzColumn {
  name: string;
  kind: ColumnKind;
  /** Literals a predicate may compare it with (SQL text). */
  literals: readonly string[];
  /** Few distinct values: a good GROUP BY key. */
  groupable?: boolean;
}

export interface FuzzTable {
  name: string;
  /** Alias prefix; the n-th use of the table in a query is `${alias}${n}`. */
  alias: string;
  columns: readonly FuzzColumn[];
  /**
   * A predicate over the table's own columns that keeps it small (a few hundred rows at
   * most at SF 0.01), with `{low}`/`{high}` placeholders, or none for small tables.
   */
  restriction?: { column: string; low: number; high: number };
}

const ints = (...values: number[]): string[] => values.map(String);
const strings = (...values: string[]): string[] => values.map((v) => `'${v.replace(/'/g, "''")}'`);
const dates = (...values: string[]): string[] => values.map((v) => `DATE '${v}'`);

const NATION_NAMES = strings(
  'ALGERIA',
  'BRAZIL',
  'CANADA',
  'FRANCE',
  'GERMANY',
  'JAPAN',
  'PERU',
  'UNITED STATES',
);
const MONEY = ['0', '-100.50', '1000.00', '2500.25', '5000', '7500.75', '9000.00'];
const DATES = dates(
  '1992-06-30',
  '1993-01-01',
  '1994-07-15',
  '1995-03-15',
  '1996-12-31',
  '1997-08-01',
  '1998-06-01',
);

export const TPCH_FUZZ_TABLES: readonly FuzzTable[] = [
  {
    name: 'region',
    alias: 'r',
    columns: [
      { name: 'r_regionkey', kind: 'int', literals: ints(0, 1, 2, 3, 4), groupable: true },
      {
        name: 'r_name',
        kind: 'string',
        literals: strings('AFRICA', 'AMERICA', 'ASIA', 'EUROPE'),
        groupable: true,
      },
    ],
  },
  {
    name: 'nation',
    alias: 'n',
    columns: [
      { name: 'n_nationkey', kind: 'int', literals: ints(0, 3, 7, 12, 20, 24) },
      { name: 'n_name', kind: 'string', literals: NATION_NAMES, groupable: true },
      { name: 'n_regionkey', kind: 'int', literals: ints(0, 1, 2, 3, 4), groupable: true },
    ],
  },
  {
    name: 'supplier',
    alias: 's',
    columns: [
      { name: 's_suppkey', kind: 'int', literals: ints(1, 10, 25, 50, 75, 100) },
      { name: 's_name', kind: 'string', literals: strings('Supplier#000000010', 'Supplier#000000050') },
      { name: 's_nationkey', kind: 'int', literals: ints(0, 5, 10, 15, 20), groupable: true },
      { name: 's_acctbal', kind: 'decimal', literals: MONEY },
    ],
  },
  {
    name: 'customer',
    alias: 'c',
    restriction: { column: 'c_custkey', low: 50, high: 400 },
    columns: [
      { name: 'c_custkey', kind: 'int', literals: ints(1, 20, 100, 150, 300) },
      { name: 'c_name', kind: 'string', literals: strings('Customer#000000100', 'Customer#000000025') },
      { name: 'c_nationkey', kind: 'int', literals: ints(0, 5, 10, 15, 20), groupable: true },
      { name: 'c_acctbal', kind: 'decimal', literals: MONEY },
      {
        name: 'c_mktsegment',
        kind: 'string',
        literals: strings('BUILDING', 'AUTOMOBILE', 'MACHINERY', 'FURNITURE', 'HOUSEHOLD'),
        groupable: true,
      },
    ],
  },
  {
    name: 'part',
    alias: 'p',
    restriction: { column: 'p_partkey', low: 50, high: 400 },
    columns: [
      { name: 'p_partkey', kind: 'int', literals: ints(1, 50, 100, 200, 350) },
      {
        name: 'p_brand',
        kind: 'string',
        literals: strings('Brand#12', 'Brand#23', 'Brand#34', 'Brand#55'),
        groupable: true,
      },
      { name: 'p_type', kind: 'string', literals: strings('PROMO BURNISHED COPPER', 'LARGE BRUSHED BRASS') },
      { name: 'p_size', kind: 'int', literals: ints(1, 10, 15, 25, 49, 50) },
      {
        name: 'p_container',
        kind: 'string',
        literals: strings('JUMBO PKG', 'LG CASE', 'SM BOX', 'WRAP CASE'),
      },
      { name: 'p_retailprice', kind: 'decimal', literals: ['900.00', '1000.50', '1500', '2000.99'] },
    ],
  },
  {
    name: 'partsupp',
    alias: 'ps',
    restriction: { column: 'ps_partkey', low: 20, high: 150 },
    columns: [
      { name: 'ps_partkey', kind: 'int', literals: ints(1, 20, 50, 100) },
      { name: 'ps_suppkey', kind: 'int', literals: ints(1, 10, 50, 90) },
      { name: 'ps_availqty', kind: 'int', literals: ints(3, 1000, 5000, 9998) },
      { name: 'ps_supplycost', kind: 'decimal', literals: ['1.05', '100.00', '500.50', '999.99'] },
    ],
  },
  {
    name: 'orders',
    alias: 'o',
    restriction: { column: 'o_orderkey', low: 100, high: 1500 },
    columns: [
      { name: 'o_orderkey', kind: 'int', literals: ints(1, 35, 100, 500, 1000) },
      { name: 'o_custkey', kind: 'int', literals: ints(1, 100, 370, 700, 1000) },
      { name: 'o_orderstatus', kind: 'string', literals: strings('F', 'O', 'P'), groupable: true },
      { name: 'o_totalprice', kind: 'decimal', literals: ['1000.00', '50000', '150000.50', '300000.99'] },
      { name: 'o_orderdate', kind: 'date', literals: DATES },
      {
        name: 'o_orderpriority',
        kind: 'string',
        literals: strings('1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'),
        groupable: true,
      },
      { name: 'o_shippriority', kind: 'int', literals: ints(0, 1) },
    ],
  },
  {
    name: 'lineitem',
    alias: 'l',
    restriction: { column: 'l_orderkey', low: 20, high: 400 },
    columns: [
      { name: 'l_orderkey', kind: 'int', literals: ints(1, 7, 35, 100, 300) },
      { name: 'l_partkey', kind: 'int', literals: ints(1, 100, 500, 1000, 1999) },
      { name: 'l_suppkey', kind: 'int', literals: ints(1, 25, 50, 99) },
      { name: 'l_linenumber', kind: 'int', literals: ints(1, 2, 3, 4, 7), groupable: true },
      { name: 'l_quantity', kind: 'decimal', literals: ['1', '10.00', '24', '25.50', '50'] },
      { name: 'l_extendedprice', kind: 'decimal', literals: ['1000.00', '20000', '45000.50', '90000'] },
      { name: 'l_discount', kind: 'decimal', literals: ['0.00', '0.05', '0.06', '0.07', '0.10'] },
      { name: 'l_tax', kind: 'decimal', literals: ['0.00', '0.02', '0.04', '0.08'] },
      { name: 'l_returnflag', kind: 'string', literals: strings('A', 'N', 'R'), groupable: true },
      { name: 'l_linestatus', kind: 'string', literals: strings('F', 'O'), groupable: true },
      { name: 'l_shipdate', kind: 'date', literals: DATES },
      { name: 'l_commitdate', kind: 'date', literals: DATES },
      {
        name: 'l_shipmode',
        kind: 'string',
        literals: strings('AIR', 'MAIL', 'RAIL', 'SHIP', 'TRUCK'),
        groupable: true,
      },
      {
        name: 'l_shipinstruct',
        kind: 'string',
        literals: strings('DELIVER IN PERSON', 'TAKE BACK RETURN', 'NONE', 'COLLECT COD'),
        groupable: true,
      },
    ],
  },
];

/** A foreign key: `from.fromColumn` references `to.toColumn`. */
export interface ForeignKey {
  from: string;
  fromColumn: string;
  to: string;
  toColumn: string;
}

export const TPCH_FOREIGN_KEYS: readonly ForeignKey[] = [
  { from: 'nation', fromColumn: 'n_regionkey', to: 'region', toColumn: 'r_regionkey' },
  { from: 'supplier', fromColumn: 's_nationkey', to: 'nation', toColumn: 'n_nationkey' },
  { from: 'customer', fromColumn: 'c_nationkey', to: 'nation', toColumn: 'n_nationkey' },
  { from: 'partsupp', fromColumn: 'ps_partkey', to: 'part', toColumn: 'p_partkey' },
  { from: 'partsupp', fromColumn: 'ps_suppkey', to: 'supplier', toColumn: 's_suppkey' },
  { from: 'orders', fromColumn: 'o_custkey', to: 'customer', toColumn: 'c_custkey' },
  { from: 'lineitem', fromColumn: 'l_orderkey', to: 'orders', toColumn: 'o_orderkey' },
  { from: 'lineitem', fromColumn: 'l_partkey', to: 'part', toColumn: 'p_partkey' },
  { from: 'lineitem', fromColumn: 'l_suppkey', to: 'supplier', toColumn: 's_suppkey' },
];

export function fuzzTable(name: string): FuzzTable {
  const table = TPCH_FUZZ_TABLES.find((t) => t.name === name);
  if (!table) throw new Error(`no fuzz table ${name}`);
  return table;
}
