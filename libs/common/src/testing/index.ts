// Test support shared by every layer's tests (`@tributary/common/testing`): the DuckDB
// oracle and the comparison of results. Never imported by production code.
export {
  canonicalNumber,
  canonicalTimestamp,
  compareColumns,
  compareResults,
  type ComparableResult,
  type CompareOptions,
  type TypeAllowance,
} from './compare-results.ts';
export {
  DuckDbOracle,
  TPCH_TABLES,
  sharedDuckDbOracle,
  type OracleColumn,
  type OracleResult,
  type OracleSchema,
} from './duckdb-oracle.ts';
export { loadSqliteTables } from './load-sqlite-tables.ts';
export { sqliteScannerType } from './sqlite-scanner-type.ts';
export { tributaryTypeName } from './tributary-type-name.ts';
