import type { DuckDBConnection } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { quoteIdentifier } from './quote-sql.ts';
import { sqliteScannerType } from './sqlite-scanner-type.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

interface SqliteColumn {
  name: string;
  declared: string;
}

/**
 * Copies tables of a SQLite file into DuckDB tables `schema.table`, typed as DuckDB's
 * sqlite scanner types them (sqliteScannerType), with one deliberate refinement: a TEXT
 * column whose every non-NULL value is an ISO date (YYYY-MM-DD) becomes DATE. Tributary's
 * SQLite connector reads such columns as DATE by design (sqlite-column-type.ts), and
 * DuckDB refuses to compare a VARCHAR with a DATE, so without it no date query could run
 * on the oracle. The oracle decides from every value, not a sample, so a column that a
 * sample misjudges shows up as a difference. The sqlite extension itself cannot be
 * downloaded here, hence the copy (better-sqlite3 reads, DuckDB's appender writes).
 */
export async function loadSqliteTables(
  connection: DuckDBConnection,
  schema: string,
  file: string,
  tables?: readonly string[],
): Promise<void> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const names =
      tables ??
      (
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
          .all() as { name: string }[]
      ).map((r) => r.name);
    for (const table of names) await copyTable(connection, db, schema, table);
  } finally {
    db.close();
  }
}

async function copyTable(
  connection: DuckDBConnection,
  db: Database.Database,
  schema: string,
  table: string,
): Promise<void> {
  const columns = (
    db.prepare(`SELECT name, type FROM pragma_table_info(?)`).all(table) as { name: string; type: string }[]
  ).map((c): SqliteColumn => ({ name: c.name, declared: c.type }));
  // BIGINT values beyond 2^53 stay exact as bigints.
  const rows = db
    .prepare(`SELECT * FROM ${quoteIdentifier(table)}`)
    .raw()
    .safeIntegers()
    .all() as unknown[][];
  const types = columns.map((c, i) => {
    const type = sqliteScannerType(c.declared);
    const isDateText =
      type === 'VARCHAR' &&
      rows.some((r) => r[i] !== null) &&
      rows.every((r) => r[i] === null || (typeof r[i] === 'string' && ISO_DATE.test(r[i] as string)));
    return isDateText ? 'DATE' : type;
  });
  const target = `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
  await connection.run(
    `CREATE TABLE ${target} (${columns.map((c, i) => `${quoteIdentifier(c.name)} ${types[i]}`).join(', ')})`,
  );
  const appender = await connection.createAppender(table, schema);
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) appendValue(appender, row[i], types[i]);
    appender.endRow();
  }
  appender.closeSync();
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

/** One SQLite value into a column of `type`, converted the way the scanner converts it. */
function appendValue(appender: Appender, value: unknown, type: string): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (type) {
    case 'BIGINT':
      // An INTEGER-affinity column may still hold a REAL or TEXT value; the scanner casts.
      if (typeof value === 'bigint') return appender.appendBigInt(value);
      return appender.appendVarchar(String(value));
    case 'DOUBLE':
      return appender.appendDouble(Number(value));
    case 'BLOB':
      return value instanceof Uint8Array
        ? appender.appendBlob(value)
        : appender.appendBlob(new TextEncoder().encode(String(value)));
    default:
      // VARCHAR as is; DATE and TIMESTAMP from their text, which DuckDB casts on append.
      return appender.appendVarchar(String(value));
  }
}
