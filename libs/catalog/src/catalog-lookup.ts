import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { pathKey } from './catalog-path.ts';
import type { SourceRecord, TableRecord } from './catalog-store.ts';
import { toView, type ViewRecord, type ViewRow } from './namespace-store.ts';
import { toTableRecord, type TableRow } from './table-row.ts';

export type NamespaceKind = 'source' | 'space' | 'folder';

/** A table found by key, with its source's type. */
export interface FoundTable extends TableRecord {
  readonly sourceType: string;
}

/**
 * Look-ups by key for name resolution on the planner threads: each a prepared statement over
 * an index, case-insensitive (COLLATE NOCASE, lower-cased path keys), so that resolving a
 * name costs the same whatever the size of the catalog. `rowsRead` counts the rows the
 * look-ups returned, so tests can assert it stays bounded.
 */
export class CatalogLookup {
  rowsRead = 0;
  private readonly tablesAnywhere: Statement;
  private readonly tablesInSource: Statement;
  private readonly viewByKey: Statement;
  private readonly sourceByName: Statement;
  private readonly spaceByName: Statement;
  private readonly folderByKey: Statement;

  constructor(private readonly db: SqliteDatabase) {
    const tables =
      'SELECT t.*, s.type AS source_type FROM source_tables t JOIN sources s ON s.name = t.source WHERE t.name = ? COLLATE NOCASE';
    this.tablesAnywhere = db.prepare(tables);
    this.tablesInSource = db.prepare(`${tables} AND t.source = ? COLLATE NOCASE`);
    this.viewByKey = db.prepare('SELECT * FROM views WHERE path_key = ?');
    this.sourceByName = db.prepare('SELECT name FROM sources WHERE name = ?');
    this.spaceByName = db.prepare('SELECT name FROM spaces WHERE name = ?');
    this.folderByKey = db.prepare('SELECT path_key FROM folders WHERE path_key = ?');
  }

  /** Tables named `table` (case-insensitively) in the source named `source`, or in any. */
  findTables(table: string, source?: string): FoundTable[] {
    const rows = (
      source === undefined ? this.tablesAnywhere.all(table) : this.tablesInSource.all(table, source)
    ) as (TableRow & { source_type: string })[];
    this.rowsRead += rows.length;
    return rows.map((row) => ({ ...toTableRecord(row), sourceType: row.source_type }));
  }

  findView(path: readonly string[]): ViewRecord | undefined {
    const row = this.viewByKey.get(pathKey(path)) as ViewRow | undefined;
    if (row) this.rowsRead++;
    return row && toView(row);
  }

  /** Every table's and view's path, for "did you mean" after a miss (names only, no metadata). */
  allPaths(): string[][] {
    const tables = this.db.prepare('SELECT source, name FROM source_tables').raw().all() as string[][];
    const views = (this.db.prepare('SELECT path_json FROM views').raw().all() as string[][]).map(
      ([json]) => JSON.parse(json) as string[],
    );
    return [...tables, ...views];
  }

  namespaceKind(path: readonly string[]): NamespaceKind | undefined {
    this.rowsRead++;
    if (path.length === 1) {
      if (this.sourceByName.get(path[0])) return 'source';
      if (this.spaceByName.get(path[0])) return 'space';
      return undefined;
    }
    return this.folderByKey.get(pathKey(path)) ? 'folder' : undefined;
  }
}

/** A job row as sys.jobs shows it. */
export interface ListedJobRow {
  readonly id: string;
  readonly sql: string;
  readonly context: string | null;
  readonly state: string;
  readonly user: string | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly rowCount: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** It read at least one reflection. */
  readonly accelerated: boolean;
}

/** The most recent jobs, newest first (sys.jobs); columns other parts add later are read when present. */
export function listJobs(db: SqliteDatabase, limit: number): ListedJobRow[] {
  const rows = db.prepare('SELECT * FROM jobs ORDER BY submitted_at DESC LIMIT ?').all(limit) as Record<
    string,
    string | number | null
  >[];
  const text = (v: string | number | null | undefined) => (v === null || v === undefined ? null : String(v));
  return rows.map((r) => ({
    id: String(r.id),
    sql: String(r.sql),
    context: text(r.context),
    state: String(r.state),
    user: text(r.user ?? r.user_name),
    // When it was submitted (job-store.ts keeps started_at for when it began to run).
    startedAt: String(r.submitted_at),
    finishedAt: text(r.finished_at),
    rowCount: r.row_count === null || r.row_count === undefined ? null : Number(r.row_count),
    errorCode: text(r.error_code),
    errorMessage: text(r.error_message),
    accelerated: typeof r.reflections_json === 'string' && r.reflections_json !== '[]',
  }));
}

export type { SourceRecord };
