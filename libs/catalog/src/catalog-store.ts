import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';
import { CatalogError, type ColumnDescriptor, type UnsupportedColumn } from '@tributary/common';
import { dropGrantsOn } from './drop-grants-on.ts';
import { dropReflectionsOn, dropReflectionsOnMissingTables } from './drop-reflections-on.ts';
import { JobStore } from './job-store.ts';
import { CatalogLookup, listJobs, type ListedJobRow } from './catalog-lookup.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import { NamespaceStore, tagMismatch } from './namespace-store.ts';
import { toTableRecord, type TableRow } from './table-row.ts';
import { UserStore } from './user-store.ts';
import { BACKSTOP_PAGES, WalCheckpointer } from './wal-checkpointer.ts';

export interface SourceRecord {
  /** Stable across restarts and changes (catalog version 8); Dremio's catalog API names a source by it. */
  readonly id: string;
  readonly name: string;
  /** Changes at every change of the source: registration, refresh, new options (Dremio's `tag`). */
  readonly tag: string;
  readonly type: string;
  readonly path: string;
  readonly options: Record<string, unknown>;
  readonly createdAt: string;
  /** When its metadata was last written: registration, refresh or a change of options. */
  readonly updatedAt: string;
  /**
   * A digest of its folders' mtimes when it was last discovered (libs/connectors folderStamps),
   * so a background refresh can skip an unchanged source; absent when unknown.
   */
  readonly folderStamps?: string;
}

export interface TableRecord {
  readonly source: string;
  readonly name: string;
  readonly columns: ColumnDescriptor[];
  readonly location: Record<string, unknown>;
  readonly rowCount?: number;
  /**
   * What the connector computed of the table's data at registration (libs/plan
   * TableStatistics, kept as JSON: the catalog does not interpret it); absent in tables
   * registered before catalog version 3, which have none until registered again.
   */
  readonly statistics?: Record<string, unknown>;
  /**
   * The table's snapshot identity when its metadata was read (libs/connectors TableSnapshot:
   * file sizes and mtimes, a fingerprint), kept as JSON; absent before catalog version 4.
   */
  readonly snapshot?: Record<string, unknown>;
  /** Columns the source holds that Tributary cannot read (libs/common UnsupportedColumn); version 13 on. */
  readonly unsupportedColumns?: readonly UnsupportedColumn[];
}

interface SourceRow {
  id: string;
  tag: string;
  name: string;
  type: string;
  path: string;
  options_json: string;
  created_at: string;
  updated_at: string;
  /** undefined in a catalog older than version 4. */
  folder_stamps?: string | null;
}

/**
 * The metadata catalog: one SQLite file in WAL mode with synchronous=FULL, so that an
 * acknowledged registration survives a crash. Writes that belong together are one transaction.
 * Job history is the exception: it is written behind, in batches (JobStore, JobJournal).
 */
export class CatalogStore {
  private readonly db: SqliteDatabase;

  private constructor(
    db: SqliteDatabase,
    private readonly file: string,
  ) {
    this.db = db;
  }

  static open(file: string, migrations: readonly Migration[] = MIGRATIONS): CatalogStore {
    let db: SqliteDatabase;
    try {
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
    } catch (error) {
      throw new CatalogError(
        'CATALOG_UNAVAILABLE',
        `cannot open catalog ${file}: ${(error as Error).message}`,
        {
          status: 500,
          cause: error,
        },
      );
    }
    const store = new CatalogStore(db, file);
    store.migrate(migrations);
    store.countChanges();
    return store;
  }

  /**
   * Tables whose writes do not change what a statement means or reads: the history of jobs,
   * the audit log, sessions and tokens. Every other table is definitions (sources, tables,
   * spaces, views, users, grants, and whatever later migrations add).
   */
  private static readonly NOT_DEFINITIONS = new Set([
    'jobs',
    'audit_log',
    'user_tokens',
    'schema_migrations',
  ]);

  /**
   * Counts every committed write to the definition tables (temp triggers on this, the one
   * writing connection: all writes pass through it), so that what was derived from the
   * definitions (a cached plan) can tell it is still current by comparing one number.
   */
  private countChanges(): void {
    this.db.exec(
      'CREATE TEMP TABLE definition_changes (n INTEGER NOT NULL); INSERT INTO definition_changes VALUES (0);',
    );
    const tables = this.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    for (const { name } of tables) {
      if (CatalogStore.NOT_DEFINITIONS.has(name)) continue;
      for (const event of ['INSERT', 'UPDATE', 'DELETE'])
        this.db.exec(
          `CREATE TEMP TRIGGER "count_${event.toLowerCase()}_${name}" AFTER ${event} ON main."${name}" ` +
            'BEGIN UPDATE definition_changes SET n = n + 1; END;',
        );
    }
    this.changeCount = this.db.prepare('SELECT n FROM temp.definition_changes').pluck();
  }

  private changeCount: Statement | undefined;

  /**
   * A number that changes with every write to the catalog's definitions (not jobs or the audit
   * log), made on this connection; constant on a read-only one.
   */
  definitionVersion(): number {
    return (this.changeCount?.get() as number | undefined) ?? 0;
  }

  /**
   * A read-only connection for readers beside the writer (the coordinator's planner threads):
   * WAL lets them read committed state while the writer works. It never migrates.
   */
  static openReadOnly(file: string): CatalogStore {
    try {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      return new CatalogStore(db, file);
    } catch (error) {
      throw new CatalogError(
        'CATALOG_UNAVAILABLE',
        `cannot read catalog ${file}: ${(error as Error).message}`,
        {
          status: 500,
          cause: error,
        },
      );
    }
  }

  /** Applies the migrations newer than the file's version, each in its own transaction. */
  private migrate(migrations: readonly Migration[]): void {
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const current =
      (this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ??
      0;
    const known = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (current > known) {
      throw new CatalogError(
        'CATALOG_TOO_NEW',
        `catalog schema version ${current} is newer than this Tributary (${known}); refusing to touch it`,
        { status: 500 },
      );
    }
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      this.db.transaction(() => {
        this.db.exec(migration.sql);
        this.db
          .prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)')
          .run(migration.version, migration.description, new Date().toISOString());
      })();
    }
  }

  private hasTable(name: string): boolean {
    return (
      this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined
    );
  }

  schemaVersion(): number {
    return (this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v;
  }

  private namespaceOf: NamespaceStore | undefined;
  private lookupOf: CatalogLookup | undefined;

  /** Spaces, folders and views (namespace-store.ts). */
  get namespace(): NamespaceStore {
    this.namespaceOf ??= new NamespaceStore(this.db);
    return this.namespaceOf;
  }

  /**
   * The SQLite connection itself, for the stores of libraries above the catalog whose tables
   * the catalog's migrations create (libs/reflections ReflectionStore): they share its
   * transactions, its definitionVersion counting and, on a planner thread, its read-only mode.
   */
  get database(): SqliteDatabase {
    return this.db;
  }

  /** Name look-ups by key for planning (catalog-lookup.ts). */
  get lookup(): CatalogLookup {
    this.lookupOf ??= new CatalogLookup(this.db);
    return this.lookupOf;
  }

  /** Registers a source and all its tables, or nothing; it gets a new id and tag. */
  createSource(
    source: Omit<SourceRecord, 'createdAt' | 'updatedAt' | 'id' | 'tag'>,
    tables: readonly Omit<TableRecord, 'source'>[],
  ): SourceRecord {
    const now = new Date().toISOString();
    const id = randomUUID();
    const tag = newSourceTag();
    this.db.transaction(() => {
      if (this.getSource(source.name)) {
        throw new CatalogError('SOURCE_EXISTS', `a source named "${source.name}" already exists`, {
          status: 409,
        });
      }
      if (this.hasTable('spaces') && this.namespace.getSpace(source.name))
        throw new CatalogError(
          'NAME_TAKEN',
          `"${source.name}" is the name of a space; a source needs its own`,
          {
            status: 409,
          },
        );
      this.db
        .prepare(
          'INSERT INTO sources (name, type, path, options_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(source.name, source.type, source.path, JSON.stringify(source.options), now, now);
      if (this.sourceColumns().has('id'))
        this.db.prepare('UPDATE sources SET id = ?, tag = ? WHERE name = ?').run(id, tag, source.name);
      this.setFolderStamps(source.name, source.folderStamps);
      this.insertTables(source.name, tables);
    })();
    return { ...source, id, tag, createdAt: now, updatedAt: now };
  }

  /**
   * Replaces a source's path, options and whole table list in one transaction (a refresh, a
   * change of options): a reader sees the old metadata or the new, never a mix, and a failure
   * leaves the old. SOURCE_NOT_FOUND when the source was removed meanwhile; with
   * `expectedTag`, TAG_MISMATCH (409) when the source changed since that tag was read, checked
   * in the same transaction as the write.
   */
  replaceSource(
    name: string,
    source: Pick<SourceRecord, 'path' | 'options' | 'folderStamps'>,
    tables: readonly Omit<TableRecord, 'source'>[],
    expectedTag?: string,
  ): SourceRecord {
    const now = new Date().toISOString();
    const tag = newSourceTag();
    return this.db.transaction(() => {
      const existing = this.getSource(name);
      if (!existing) {
        throw new CatalogError('SOURCE_NOT_FOUND', `no source named "${name}"`, { status: 404 });
      }
      if (expectedTag !== undefined && existing.tag !== expectedTag)
        throw tagMismatch([existing.name], existing.tag);
      this.db
        .prepare('UPDATE sources SET path = ?, options_json = ?, updated_at = ? WHERE name = ?')
        .run(source.path, JSON.stringify(source.options), now, existing.name);
      if (this.sourceColumns().has('tag'))
        this.db.prepare('UPDATE sources SET tag = ? WHERE name = ?').run(tag, existing.name);
      this.setFolderStamps(existing.name, source.folderStamps);
      this.db.prepare('DELETE FROM source_tables WHERE source = ?').run(existing.name);
      this.insertTables(existing.name, tables);
      dropReflectionsOnMissingTables(
        this.db,
        existing.name,
        tables.map((t) => t.name),
      );
      const { folderStamps: _old, ...rest } = existing;
      return {
        ...rest,
        tag,
        path: source.path,
        options: source.options,
        updatedAt: now,
        ...(source.folderStamps === undefined ? {} : { folderStamps: source.folderStamps }),
      };
    })();
  }

  private sourceColumnsOf: Set<string> | undefined;

  /** The columns of `sources`: a store opened with fewer migrations (tests of upgrades) lacks the later ones. */
  private sourceColumns(): Set<string> {
    this.sourceColumnsOf ??= new Set(
      (this.db.prepare('PRAGMA table_info(sources)').all() as { name: string }[]).map((c) => c.name),
    );
    return this.sourceColumnsOf;
  }

  /** Stores a source's folder digest, where the catalog has the column (version 4 on). */
  private setFolderStamps(name: string, stamps: string | undefined): void {
    if (!this.sourceColumns().has('folder_stamps')) return;
    this.db.prepare('UPDATE sources SET folder_stamps = ? WHERE name = ?').run(stamps ?? null, name);
  }

  private insertTables(source: string, tables: readonly Omit<TableRecord, 'source'>[]): void {
    // A store opened with fewer migrations (tests of upgrades) lacks the later columns.
    const present = new Set(
      (this.db.prepare('PRAGMA table_info(source_tables)').all() as { name: string }[]).map((c) => c.name),
    );
    const optional = (['statistics_json', 'snapshot_json', 'unsupported_columns_json'] as const).filter((c) =>
      present.has(c),
    );
    const names = ['source', 'name', 'columns_json', 'location_json', 'row_count', ...optional];
    const insert = this.db.prepare(
      `INSERT INTO source_tables (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
    );
    for (const table of tables) {
      const values: (string | number | null)[] = [
        source,
        table.name,
        JSON.stringify(table.columns),
        JSON.stringify(table.location),
        table.rowCount ?? null,
      ];
      const valueOf = {
        statistics_json: table.statistics,
        snapshot_json: table.snapshot,
        unsupported_columns_json: table.unsupportedColumns?.length ? table.unsupportedColumns : undefined,
      };
      for (const column of optional) {
        const value = valueOf[column];
        values.push(value === undefined ? null : JSON.stringify(value));
      }
      insert.run(...values);
    }
  }

  getSource(name: string): SourceRecord | undefined {
    const row = this.db.prepare('SELECT * FROM sources WHERE name = ?').get(name) as SourceRow | undefined;
    return row && toSource(row);
  }

  getSourceById(id: string): SourceRecord | undefined {
    const row = this.db.prepare('SELECT * FROM sources WHERE id = ?').get(id) as SourceRow | undefined;
    return row && toSource(row);
  }

  listSources(): SourceRecord[] {
    return (this.db.prepare('SELECT * FROM sources ORDER BY name').all() as SourceRow[]).map(toSource);
  }

  /**
   * Removes a source with its tables and the grants on it; false when there is none. With
   * `expectedTag`, TAG_MISMATCH (409) when it changed since that tag was read, checked in the
   * same transaction as the delete.
   */
  deleteSource(name: string, expectedTag?: string): boolean {
    return this.db.transaction(() => {
      const existing = this.getSource(name);
      if (!existing) return false;
      if (expectedTag !== undefined && existing.tag !== expectedTag)
        throw tagMismatch([existing.name], existing.tag);
      this.db.prepare('DELETE FROM sources WHERE name = ?').run(existing.name);
      dropGrantsOn(this.db, [existing.name]);
      dropReflectionsOn(this.db, [existing.name]);
      return true;
    })();
  }

  listTables(source?: string): TableRecord[] {
    const rows = (
      source === undefined
        ? this.db
            .prepare(
              'SELECT t.* FROM source_tables t JOIN sources s ON s.name = t.source ORDER BY t.source, t.name',
            )
            .all()
        : this.db.prepare('SELECT * FROM source_tables WHERE source = ? ORDER BY name').all(source)
    ) as TableRow[];
    return rows.map(toTableRecord);
  }

  private jobStore: JobStore | undefined;

  /** The job history (job-store.ts), written behind in batches. */
  get jobs(): JobStore {
    this.jobStore ??= new JobStore(this.db);
    return this.jobStore;
  }

  /** How many jobs sys.jobs shows at most (the newest). */
  static readonly SYS_JOBS_SHOWN = 10_000;

  /** The most recent jobs, newest first, for sys.jobs. */
  listJobs(limit = CatalogStore.SYS_JOBS_SHOWN): ListedJobRow[] {
    this.jobStore?.flush();
    return listJobs(this.db, limit);
  }

  private usersOf: UserStore | undefined;

  /** Users, tokens, grants and the audit log (user-store.ts). */
  get users(): UserStore {
    this.usersOf ??= new UserStore(this.db);
    return this.usersOf;
  }

  /**
   * Leaves checkpoints of the write-ahead log to a thread of their own (WalCheckpointer): this
   * connection, on the event loop, checkpoints only past BACKSTOP_PAGES. Stop it before close().
   */
  checkpointInBackground(log: (message: string) => void, intervalMs?: number): WalCheckpointer {
    const checkpointer = WalCheckpointer.start(this.file, log, intervalMs);
    this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    return checkpointer;
  }

  close(): void {
    this.jobStore?.flush();
    this.db.close();
  }
}

const newSourceTag = (): string => randomUUID().replace(/-/g, '').slice(0, 16);

function toSource(row: SourceRow): SourceRecord {
  return {
    id: row.id,
    tag: row.tag,
    name: row.name,
    type: row.type,
    path: row.path,
    options: JSON.parse(row.options_json) as Record<string, unknown>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(typeof row.folder_stamps === 'string' ? { folderStamps: row.folder_stamps } : {}),
  };
}
