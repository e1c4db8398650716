/**
 * A column a source holds but Tributary cannot read (a Parquet STRUCT or TIME, a SQLite BLOB).
 * It is left out of the table's columns, so that the rest stays queryable (as Trino's Hive
 * connector does), and kept by name, so that a query naming it is told why (UNSUPPORTED_TYPE)
 * rather than that it does not exist.
 */
export interface UnsupportedColumn {
  readonly name: string;
  /** Its type as the source names it: STRUCT, TIME, BLOB… */
  readonly type: string;
  /** What would make it readable, when something would (a source option). */
  readonly hint?: string;
}

/** The error message for a query that names `column` of `table`. */
export function unsupportedColumnMessage(column: UnsupportedColumn, table: string): string {
  return `column "${column.name}" of ${table} has type ${column.type}, which Tributary does not support${column.hint ? `; ${column.hint}` : ''}`;
}
