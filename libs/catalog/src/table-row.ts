import type { ColumnDescriptor, UnsupportedColumn } from '@tributary/common';
import type { TableRecord } from './catalog-store.ts';

/** A row of source_tables as SQLite gives it. */
export interface TableRow {
  source: string;
  name: string;
  columns_json: string;
  location_json: string;
  row_count: number | null;
  /** undefined in a catalog older than version 3. */
  statistics_json?: string | null;
  /** undefined in a catalog older than version 4. */
  snapshot_json?: string | null;
  /** undefined in a catalog older than version 13. */
  unsupported_columns_json?: string | null;
}

export function toTableRecord(row: TableRow): TableRecord {
  return {
    source: row.source,
    name: row.name,
    columns: JSON.parse(row.columns_json) as ColumnDescriptor[],
    location: JSON.parse(row.location_json) as Record<string, unknown>,
    ...(row.row_count === null ? {} : { rowCount: row.row_count }),
    ...(row.statistics_json === null || row.statistics_json === undefined
      ? {}
      : { statistics: JSON.parse(row.statistics_json) as Record<string, unknown> }),
    ...(row.snapshot_json === null || row.snapshot_json === undefined
      ? {}
      : { snapshot: JSON.parse(row.snapshot_json) as Record<string, unknown> }),
    ...(row.unsupported_columns_json === null || row.unsupported_columns_json === undefined
      ? {}
      : { unsupportedColumns: JSON.parse(row.unsupported_columns_json) as UnsupportedColumn[] }),
  };
}
