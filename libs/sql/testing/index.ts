/** Fixtures for other libraries' tests (not part of the runtime API). */
export { tpchCatalog, tpchTables } from './tpch-catalog.ts';
export { TPCH_QUERIES } from './tpch-queries.ts';
