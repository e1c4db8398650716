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
