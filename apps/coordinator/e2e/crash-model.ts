import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * What the crash test expects of the catalog, as facts: a key (`source:x`, `space:x`,
 * `folder:x/f`, `view:x/f/v`, `grant:kind:path:grantee:privilege`, `job:id`) and the value it
 * holds (absent: no such object). Keys are lower-cased (names are case-insensitive).
 */
export type Facts = Map<string, string>;

export interface FactChange {
  readonly key: string;
  /** undefined: the object is gone. */
  readonly value: string | undefined;
}

/** A change whose request got no answer (the coordinator was killed meanwhile). */
export interface UnansweredChange {
  readonly what: string;
  readonly changes: readonly FactChange[];
  /** The values its keys had before. */
  readonly before: readonly (string | undefined)[];
}

export const sourceKey = (name: string) => `source:${name.toLowerCase()}`;
export const spaceKey = (name: string) => `space:${name.toLowerCase()}`;
export const folderKey = (p: readonly string[]) => `folder:${p.join('/').toLowerCase()}`;
export const viewKey = (p: readonly string[]) => `view:${p.join('/').toLowerCase()}`;
export const grantKey = (kind: string, p: readonly string[], grantee: string, privilege: string) =>
  `grant:${kind}:${p.join('/').toLowerCase()}:${grantee.toLowerCase()}:${privilege}`;
export const jobKey = (id: string) => `job:${id}`;
/** A view's value: its SQL and the names of its columns (re-derived with it). */
export const viewValue = (sql: string, columns: readonly string[]) => `${sql.trim()} -> ${columns.join(',')}`;

export interface CatalogReading {
  readonly integrity: string;
  /** Rows that reference a missing parent (PRAGMA foreign_key_check). */
  readonly orphanRows: number;
  /** Jobs still PLANNING, QUEUED or RUNNING. */
  readonly activeJobs: number;
  readonly facts: Facts;
}

/**
 * Reads the catalog file the way a second process would (read-only, beside the running
 * coordinator): its integrity, and every fact about sources, spaces, folders, views, grants,
 * and the states of the jobs in `jobIds`.
 */
export function readCatalog(dataDir: string, jobIds: readonly string[]): CatalogReading {
  const db = new Database(path.join(dataDir, 'catalog.db'), { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join('; ');
    const orphanRows = (db.pragma('foreign_key_check') as unknown[]).length;
    const facts: Facts = new Map();
    const sources = db
      .prepare(
        'SELECT s.name, COUNT(t.name) AS n FROM sources s LEFT JOIN source_tables t ON t.source = s.name GROUP BY s.name',
      )
      .all() as { name: string; n: number }[];
    for (const s of sources) facts.set(sourceKey(s.name), `${s.n} tables`);
    for (const s of db.prepare('SELECT name FROM spaces').all() as { name: string }[])
      facts.set(spaceKey(s.name), 'space');
    for (const f of db.prepare('SELECT path_json FROM folders').all() as { path_json: string }[])
      facts.set(folderKey(JSON.parse(f.path_json) as string[]), 'folder');
    const views = db.prepare('SELECT path_json, sql, columns_json FROM views').all() as {
      path_json: string;
      sql: string;
      columns_json: string;
    }[];
    for (const v of views) {
      const columns = (JSON.parse(v.columns_json) as { name: string }[]).map((c) => c.name);
      facts.set(viewKey(JSON.parse(v.path_json) as string[]), viewValue(v.sql, columns));
    }
    const grants = db.prepare('SELECT object_kind, object_path, grantee, privilege FROM grants').all() as {
      object_kind: string;
      object_path: string;
      grantee: string;
      privilege: string;
    }[];
    for (const g of grants)
      facts.set(
        grantKey(g.object_kind, JSON.parse(g.object_path) as string[], g.grantee, g.privilege),
        'granted',
      );
    const state = db.prepare('SELECT state FROM jobs WHERE id = ?');
    for (const id of jobIds) {
      const row = state.get(id) as { state: string } | undefined;
      if (row) facts.set(jobKey(id), row.state);
    }
    const activeJobs = (
      db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE state IN ('PLANNING', 'QUEUED', 'RUNNING')").get() as {
        n: number;
      }
    ).n;
    return { integrity, orphanRows, activeJobs, facts };
  } finally {
    db.close();
  }
}

/**
 * Compares what the catalog holds after a restart with what the clients were told: every
 * answered change is there (a removal: gone); an unanswered one is there wholly or not at all;
 * a grant is on an object that exists. Returns the problems found, and the facts to expect
 * from now on (the outcome of the unanswered changes settled as observed).
 */
export function compareWithModel(
  expected: Facts,
  unanswered: readonly UnansweredChange[],
  observed: Facts,
): { problems: string[]; settled: Facts } {
  const problems: string[] = [];
  const settled: Facts = new Map(expected);
  const undecided = new Set<string>();
  for (const change of unanswered) {
    const seen = change.changes.map((c) => observed.get(c.key));
    const allBefore = seen.every((v, i) => v === change.before[i]);
    const allAfter = seen.every((v, i) => v === change.changes[i].value);
    if (!allBefore && !allAfter)
      problems.push(
        `unanswered "${change.what}" is half there: ${change.changes
          .map(
            (c, i) =>
              `${c.key} = ${seen[i] ?? '(absent)'} (before ${change.before[i] ?? '(absent)'}, after ${c.value ?? '(absent)'})`,
          )
          .join('; ')}`,
      );
    for (const c of change.changes) undecided.add(c.key);
  }
  const keys = new Set([...expected.keys(), ...[...observed.keys()].filter((k) => !k.startsWith('job:'))]);
  for (const key of keys) {
    const seen = observed.get(key);
    if (undecided.has(key)) {
      if (seen === undefined) settled.delete(key);
      else settled.set(key, seen);
      continue;
    }
    const want = expected.get(key);
    if (seen !== want) problems.push(`${key}: expected ${want ?? '(absent)'}, found ${seen ?? '(absent)'}`);
  }
  for (const key of observed.keys()) {
    if (!key.startsWith('grant:')) continue;
    const [, kind, objectPath] = key.split(':');
    const objectKey = `${kind}:${objectPath}`;
    if (!observed.has(objectKey)) problems.push(`${key} is a grant on ${objectKey}, which does not exist`);
  }
  return { problems, settled };
}
