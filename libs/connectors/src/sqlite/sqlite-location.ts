/** SQLite's column affinities, from declared types (sqlite.org/datatype3.html §3.1). */
export type SqliteAffinity = 'INTEGER' | 'TEXT' | 'BLOB' | 'REAL' | 'NUMERIC';

/** What an executor needs to scan one SQLite table or view (TableRef.location of sqlite tables). */
export interface SqliteLocation {
  readonly database: string;
  readonly table: string;
  /** Views and WITHOUT ROWID tables have no rowid: no rowid-range splits. */
  readonly hasRowid: boolean;
  /** Per table column, from its declared type. */
  readonly affinities: readonly SqliteAffinity[];
}

export function sqliteLocation(location: Readonly<Record<string, unknown>>): SqliteLocation {
  return location as unknown as SqliteLocation;
}

export function sqliteAffinity(declared: string): SqliteAffinity {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t === '' || t.includes('BLOB')) return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

/** A quoted SQLite identifier: "name" with inner quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
