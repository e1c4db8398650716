/** Fixtures for other libraries' tests (not part of the runtime API). */
export { TPCH_SF1_ROWS, tpchCatalog, tpchSf1Catalog, tpchTables } from './tpch-catalog.ts';
export { TPCH_QUERIES } from './tpch-queries.ts';
