import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { SourceError, TributaryError } from '@tributary/common';
import { isInsideRoots, pathNotAllowed } from '../confine-path.ts';

/**
 * SQLite result codes that mean the file itself is damaged or is not a database: the user
 * must repair or replace it, so they become SOURCE_FILE_INVALID (4xx), never INTERNAL_ERROR.
 */
const DAMAGED_CODES = /^SQLITE_(CORRUPT|NOTADB|IOERR|CANTOPEN|FORMAT|RANGE|MISMATCH|TOOBIG|SCHEMA)/;

/** better-sqlite3's SqliteError carries SQLite's extended result code as `code`. */
function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Any error of SQLite while reading `database` (as the table named it) as a typed
 * SourceError naming the database (and the table, when there is one): a damaged file is
 * SOURCE_FILE_INVALID, a database locked by a writer SQLITE_BUSY (503: retry later),
 * a table or column gone from the schema since registration SOURCE_CHANGED, anything else
 * SQLite refuses SQLITE_READ_FAILED. Typed errors pass.
 */
export function sqliteSourceError(error: unknown, database: string, table?: string): TributaryError {
  if (error instanceof TributaryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = sqliteCode(error);
  const what =
    table === undefined
      ? `SQLite database "${database}"`
      : `SQLite table "${table}" of database "${database}"`;
  const details = {
    database,
    ...(table === undefined ? {} : { table }),
    ...(code ? { sqliteCode: code } : {}),
  };
  // Another process holds a write lock: worth retrying later, not the user's fault.
  if (code?.startsWith('SQLITE_BUSY') || code?.startsWith('SQLITE_LOCKED'))
    return new SourceError('SQLITE_BUSY', `${what} is locked by a writer: ${message}`, {
      cause: error,
      details,
      status: 503,
    });
  if (code === undefined || DAMAGED_CODES.test(code))
    return new SourceError(
      'SOURCE_FILE_INVALID',
      `${what} cannot be read (damaged or not a database): ${message}`,
      {
        cause: error,
        details,
      },
    );
  // The statement names what was registered: a schema without it changed (or was damaged).
  if (code === 'SQLITE_ERROR' && /^no such (table|column)/.test(message))
    return new SourceError(
      'SOURCE_CHANGED',
      `${what} no longer matches what was registered (${message}); refresh the source`,
      { cause: error, details },
    );
  return new SourceError('SQLITE_READ_FAILED', `${what} cannot be read: ${message}`, {
    cause: error,
    details,
  });
}

/**
 * The settings every connection gets before it reads a byte of user data:
 * - trusted_schema=OFF: views and triggers in the file may not call functions with side
 *   effects (the file is untrusted input);
 * - mmap_size=0: a truncated or concurrently shrunk file gives SQLITE_IOERR, not SIGBUS;
 * - query_only: no statement may write, whatever it is;
 * - temp_store=FILE: the sorts, groups and automatic indexes of pushed work spill to
 *   temporary files rather than grow the executor's heap.
 * better-sqlite3 is built with DQS=0, so a quoted identifier never silently becomes a string.
 * ATTACH is impossible: every statement goes through prepareSelect, which admits one
 * read-only SELECT (better-sqlite3 refuses a second statement in one string).
 */
function applySafeSettings(db: Database.Database): void {
  db.pragma('trusted_schema = OFF');
  db.pragma('mmap_size = 0');
  db.pragma('query_only = ON');
  db.pragma('cell_size_check = ON');
  db.pragma('temp_store = FILE');
}

/**
 * Opens the real path `file` read-only with safe settings; errors name `shown`, the path as
 * the table gave it. With `roots`, the file SQLite reports having opened (it resolves
 * symlinks itself) must lie inside them before a byte of it is read.
 */
export function openSqliteDatabase(file: string, shown = file, roots?: readonly string[]): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    applySafeSettings(db);
    if (roots) {
      const main = (db.pragma('database_list') as { name: string; file: string }[]).find(
        (d) => d.name === 'main',
      );
      if (!main || !isInsideRoots(main.file, roots)) throw pathNotAllowed(shown);
    }
    db.prepare('SELECT count(*) FROM sqlite_master').get(); // fails fast on a non-database file
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof SourceError) throw error;
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `file "${shown}" is not a readable SQLite database: ${(error as Error).message}`,
      { cause: error, details: { file: shown, database: shown } },
    );
  }
}

/**
 * Prepares the one statement a read needs, refusing anything but a single read-only query
 * (so no ATTACH, no PRAGMA writes, no second statement can ever run on a user's file).
 */
export function prepareSelect(db: Database.Database, sql: string): Database.Statement {
  if (!/^\s*(SELECT|WITH)\b/i.test(sql))
    throw new SourceError('SQLITE_STATEMENT_REFUSED', 'only a single SELECT is run on a SQLite database');
  const statement = db.prepare(sql);
  if (!statement.reader || !statement.readonly)
    throw new SourceError(
      'SQLITE_STATEMENT_REFUSED',
      'only a single read-only SELECT is run on a SQLite database',
    );
  return statement;
}

/** Files up to this size get a full `PRAGMA quick_check`; larger ones a check of their schema pages. */
export const INTEGRITY_CHECK_MAX_BYTES = 2 * 1024 ** 3;

/**
 * The quick integrity check registration and refresh run on a SQLite file: `PRAGMA
 * quick_check` (b-tree structure, page and cell bounds: linear in the file's size, without
 * the index cross-checks of integrity_check). A file above `maxBytes` gets its schema and
 * the first page of every table read instead, so registration stays bounded in time.
 * Refuses a damaged database with SOURCE_FILE_INVALID naming it and what SQLite found.
 */
export function checkSqliteIntegrity(
  file: string,
  options: { readonly shown?: string; readonly maxBytes?: number } = {},
): void {
  const shown = options.shown ?? file;
  const db = openSqliteDatabase(file, shown);
  try {
    const size = statSync(file).size;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    // A file cut short keeps its header's page count: the pages it promises are missing. In
    // WAL mode the count includes pages still only in the -wal file, until a checkpoint.
    const walBytes = statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    if (walBytes === 0 && pageSize * pageCount > size)
      throw new SourceError(
        'SOURCE_FILE_INVALID',
        `SQLite database "${shown}" is truncated: its header promises ${pageSize * pageCount} bytes, the file has ${size}`,
        { details: { database: shown } },
      );
    if (size <= (options.maxBytes ?? INTEGRITY_CHECK_MAX_BYTES)) {
      const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
      if (problems.length !== 1 || problems[0] !== 'ok')
        throw new SourceError(
          'SOURCE_FILE_INVALID',
          `SQLite database "${shown}" is damaged (PRAGMA quick_check): ${problems.join('; ')}`,
          { details: { database: shown, problems } },
        );
    } else {
      const names = prepareSelect(
        db,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      )
        .pluck()
        .all() as string[];
      for (const name of names)
        prepareSelect(db, `SELECT * FROM "${name.replace(/"/g, '""')}" LIMIT 1`).all();
    }
  } catch (error) {
    throw sqliteSourceError(error, shown);
  } finally {
    db.close();
  }
}
