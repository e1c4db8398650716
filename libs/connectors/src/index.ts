export * from './connector.ts';
export * from './confine-path.ts';
export { scanRealRoots } from './confine-scan-path.ts';
export * from './check-option-names.ts';
export * from './connector-registry.ts';
export * from './column-predicate.ts';
export { CsvConnector, csvRanges } from './csv/csv-connector.ts';
export type { CsvLocation } from './csv/csv-location.ts';
export { ParquetConnector, type ParquetLocation } from './parquet/parquet-connector.ts';
export { discardParquetWasmAfterTrap } from './parquet/parquet-wasm-instance.ts';
export { readParquetFooter, type ParquetFooter } from './parquet/read-parquet-footer.ts';
export { SqliteConnector, SQLITE_OPTIONS } from './sqlite/sqlite-connector.ts';
export {
  checkSqliteIntegrity,
  INTEGRITY_CHECK_MAX_BYTES,
  openSqliteDatabase,
  sqliteSourceError,
} from './sqlite/open-sqlite-database.ts';
export { buildSqliteScan, type SqliteScanSql } from './sqlite/build-sqlite-scan.ts';
export { sqliteFilterSql, type SqlFragment } from './sqlite/sqlite-filter-sql.ts';
export { quoteIdentifier, type SqliteLocation, type SqliteAffinity } from './sqlite/sqlite-location.ts';
export { combineTableStatistics } from './statistics/combine-table-statistics.ts';
export * from './table-snapshot.ts';
export * from './check-table-unchanged.ts';
export { folderStamps } from './folder-stamps.ts';
