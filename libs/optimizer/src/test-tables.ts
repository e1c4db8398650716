import { BIGINT, DATE, VARCHAR, decimal } from '@tributary/common';
import type { TableRef } from '@tributary/plan';

/** Small TPC-H-shaped tables for plan tests. */
export const ORDERS: TableRef = {
  source: 'tpch',
  table: 'orders',
  sourceType: 'parquet',
  location: {},
  columns: [
    { name: 'o_orderkey', type: BIGINT },
    { name: 'o_custkey', type: BIGINT },
    { name: 'o_totalprice', type: decimal(15, 2) },
    { name: 'o_orderdate', type: DATE },
  ],
};

export const CUSTOMER: TableRef = {
  source: 'tpch',
  table: 'customer',
  sourceType: 'csv',
  location: {},
  columns: [
    { name: 'c_custkey', type: BIGINT },
    { name: 'c_name', type: VARCHAR },
    { name: 'c_mktsegment', type: VARCHAR },
  ],
};

export const LINEITEM: TableRef = {
  source: 'tpch',
  table: 'lineitem',
  sourceType: 'parquet',
  location: {},
  columns: [
    { name: 'l_orderkey', type: BIGINT },
    { name: 'l_partkey', type: BIGINT },
    { name: 'l_suppkey', type: BIGINT },
    { name: 'l_quantity', type: decimal(15, 2) },
    { name: 'l_shipmode', type: VARCHAR },
  ],
};

export const PART: TableRef = {
  source: 'tpch',
  table: 'part',
  sourceType: 'parquet',
  location: {},
  columns: [
    { name: 'p_partkey', type: BIGINT },
    { name: 'p_brand', type: VARCHAR },
    { name: 'p_size', type: BIGINT },
  ],
};

export const SUPPLIER: TableRef = {
  source: 'tpch',
  table: 'supplier',
  sourceType: 'parquet',
  location: {},
  columns: [
    { name: 's_suppkey', type: BIGINT },
    { name: 's_nationkey', type: BIGINT },
  ],
};

export const NATION: TableRef = {
  source: 'tpch',
  table: 'nation',
  sourceType: 'parquet',
  location: {},
  columns: [
    { name: 'n_nationkey', type: BIGINT },
    { name: 'n_name', type: VARCHAR },
  ],
};

/** The table with a known row count (TPC-H SF 1 sizes in the tests). */
export function withRows(table: TableRef, rowCount: number): TableRef {
  return { ...table, rowCount };
}
