/**
 * Numbered, append-only schema migrations. A catalog written by an older version is
 * migrated forward at open; a migration is never edited once released, only followed.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sources and their discovered tables',
    sql: `
      CREATE TABLE sources (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        type TEXT NOT NULL,
        path TEXT NOT NULL,
        options_json TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE source_tables (
        source TEXT NOT NULL REFERENCES sources(name) ON DELETE CASCADE,
        name TEXT NOT NULL,
        columns_json TEXT NOT NULL,
        location_json TEXT NOT NULL,
        row_count INTEGER,
        PRIMARY KEY (source, name)
      );
    `,
  },
  {
    version: 2,
    description: 'query jobs: one row per query, for the jobs API and history',
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        sql TEXT NOT NULL,
        context TEXT,
        state TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        row_count INTEGER,
        error_code TEXT,
        error_message TEXT
      );
      CREATE INDEX jobs_started_at ON jobs(started_at);
    `,
  },
  {
    version: 3,
    description: 'per-table statistics for the optimizer (row count, per column min/max, nulls, distinct)',
    sql: `
      ALTER TABLE source_tables ADD COLUMN statistics_json TEXT;
    `,
  },
  {
    version: 4,
    description:
      'snapshot identity for change detection and refresh: per table (file sizes and mtimes), per source (its folders)',
    sql: `
      ALTER TABLE source_tables ADD COLUMN snapshot_json TEXT;
      ALTER TABLE sources ADD COLUMN folder_stamps TEXT;
    `,
  },
  {
    version: 5,
    description:
      "jobs as Dremio records them: Dremio's state names, submitted/started times, user, query type, capped SQL, plan, profile, sources, spooled results",
    sql: `
      ALTER TABLE jobs RENAME COLUMN started_at TO submitted_at;
      DROP INDEX jobs_started_at;
      CREATE INDEX jobs_submitted_at ON jobs(submitted_at);
      ALTER TABLE jobs ADD COLUMN started_at TEXT;
      ALTER TABLE jobs ADD COLUMN sql_truncated INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE jobs ADD COLUMN user_name TEXT;
      ALTER TABLE jobs ADD COLUMN query_type TEXT NOT NULL DEFAULT 'REST';
      ALTER TABLE jobs ADD COLUMN planning_ms REAL;
      ALTER TABLE jobs ADD COLUMN queued_ms REAL;
      ALTER TABLE jobs ADD COLUMN bytes INTEGER;
      ALTER TABLE jobs ADD COLUMN plan TEXT;
      ALTER TABLE jobs ADD COLUMN profile_json TEXT;
      ALTER TABLE jobs ADD COLUMN sources_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE jobs ADD COLUMN reflections_json TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE jobs ADD COLUMN results_spooled INTEGER NOT NULL DEFAULT 0;
      UPDATE jobs SET state = CASE state WHEN 'cancelled' THEN 'CANCELED' ELSE upper(state) END;
      CREATE INDEX jobs_state ON jobs(state, submitted_at);
      CREATE INDEX jobs_user ON jobs(user_name, submitted_at);
    `,
  },
  {
    version: 6,
    description: 'spaces, folders and views (the semantic layer); case-insensitive look-up of tables by key',
    sql: `
      CREATE TABLE spaces (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        id TEXT NOT NULL UNIQUE,
        tag TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE folders (
        path_key TEXT PRIMARY KEY,
        space TEXT NOT NULL REFERENCES spaces(name) ON DELETE CASCADE,
        path_json TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        tag TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE views (
        path_key TEXT PRIMARY KEY,
        space TEXT NOT NULL REFERENCES spaces(name) ON DELETE CASCADE,
        path_json TEXT NOT NULL,
        id TEXT NOT NULL UNIQUE,
        sql TEXT NOT NULL,
        context_json TEXT NOT NULL,
        owner TEXT,
        columns_json TEXT NOT NULL,
        tag TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX source_tables_name_nocase ON source_tables(name COLLATE NOCASE);
      CREATE INDEX source_tables_source_name_nocase ON source_tables(source COLLATE NOCASE, name COLLATE NOCASE);
    `,
  },
  {
    version: 7,
    description: 'users, their session and personal access tokens (hashed), privilege grants, the audit log',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
        first_name TEXT,
        last_name TEXT,
        email TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE user_tokens (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('session', 'pat')),
        label TEXT,
        secret_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX user_tokens_user ON user_tokens(user_id);
      CREATE TABLE grants (
        object_kind TEXT NOT NULL CHECK (object_kind IN ('source', 'space', 'folder', 'view')),
        object_path TEXT NOT NULL COLLATE NOCASE,
        grantee TEXT NOT NULL COLLATE NOCASE,
        privilege TEXT NOT NULL CHECK (privilege IN ('SELECT', 'ALTER', 'MANAGE')),
        granted_by TEXT,
        granted_at TEXT NOT NULL,
        PRIMARY KEY (object_kind, object_path, grantee, privilege)
      );
      CREATE INDEX grants_grantee ON grants(grantee);
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT,
        action TEXT NOT NULL,
        target TEXT,
        outcome TEXT NOT NULL,
        details_json TEXT
      );
    `,
  },
  {
    version: 8,
    description:
      "sources get an id and a tag (Dremio's catalog API names them by id; the tag guards changes against lost updates)",
    sql: `
      ALTER TABLE sources ADD COLUMN id TEXT;
      ALTER TABLE sources ADD COLUMN tag TEXT;
      UPDATE sources SET id = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))), tag = lower(hex(randomblob(8)));
      CREATE UNIQUE INDEX sources_id ON sources(id);
    `,
  },
  {
    version: 9,
    description:
      "users' SCRAM-SHA-256 verifiers (salt, iterations, StoredKey, ServerKey) for the PostgreSQL wire protocol",
    sql: `ALTER TABLE users ADD COLUMN scram_verifier TEXT;`,
  },
  {
    version: 10,
    description:
      'reflections (materialized accelerations of a table or view: definition, owner, refresh policy, status) and their built copies (materializations: a Parquet folder, its table, rows, bytes, the base tables snapshot)',
    sql: `
      CREATE TABLE reflections (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        dataset_path_json TEXT NOT NULL,
        dataset_key TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('RAW', 'AGGREGATION')),
        definition_json TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        owner TEXT,
        tag TEXT NOT NULL,
        refresh_policy_json TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL CHECK (status IN ('REFRESHING', 'CAN_ACCELERATE', 'STALE', 'FAILED', 'DISABLED')),
        failure_count INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        materialization_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX reflections_dataset_name ON reflections(dataset_key, name COLLATE NOCASE);
      CREATE TABLE materializations (
        id TEXT PRIMARY KEY,
        reflection_id TEXT NOT NULL REFERENCES reflections(id) ON DELETE CASCADE,
        folder TEXT NOT NULL,
        table_json TEXT NOT NULL,
        built_at INTEGER NOT NULL,
        rows INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        snapshot_json TEXT NOT NULL,
        refresh_ms REAL,
        incremental INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
      );
      CREATE INDEX materializations_reflection ON materializations(reflection_id);
    `,
  },
  {
    version: 11,
    description:
      "jobs' acceleration records: each reflection planning considered, matched or chosen, and why not the others",
    sql: `ALTER TABLE jobs ADD COLUMN acceleration_json TEXT;`,
  },
  {
    version: 12,
    description:
      "datasets' reflection refresh method (Dremio's dataset refresh policy): INCREMENTAL by a refresh field, for the reflections on them now and later",
    sql: `
      CREATE TABLE dataset_refresh_policies (
        dataset_key TEXT PRIMARY KEY,
        dataset_path_json TEXT NOT NULL,
        refresh_field TEXT NOT NULL
      );
    `,
  },
  {
    version: 13,
    description:
      'columns a source holds that Tributary cannot read (a Parquet STRUCT or TIME, a SQLite BLOB), left out of a table and named when a query asks for one',
    sql: `ALTER TABLE source_tables ADD COLUMN unsupported_columns_json TEXT;`,
  },
];
