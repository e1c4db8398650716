import type { Database as SqliteDatabase } from 'better-sqlite3';

/** A dataset path as the catalog keys reflections by it: case-insensitive, as names resolve. */
export function datasetKey(path: readonly string[]): string {
  return JSON.stringify(path.map((part) => part.toLowerCase()));
}

function hasReflections(db: SqliteDatabase): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reflections'").get() !==
    undefined
  );
}

/**
 * Deletes the reflections (with their materializations' rows) on the dataset at `path` and on
 * every dataset inside it (a source's tables, a space's or folder's views), so that a later
 * dataset of the same name does not inherit them. The caller runs it in the transaction that
 * removes the dataset; the materializations' folders are deleted afterwards by whoever owns the
 * reflections folder (a folder no reflection references is swept). A catalog older than
 * version 10 has none. Returns the ids of the reflections dropped.
 */
export function dropReflectionsOn(db: SqliteDatabase, path: readonly string[]): string[] {
  return dropReflectionsWhere(db, (datasetPath) => {
    const wanted = path.map((part) => part.toLowerCase());
    return datasetPath.length >= wanted.length && wanted.every((part, i) => part === datasetPath[i]);
  });
}

/**
 * Deletes the reflections on tables of `source` that are no longer among `tables` (a refresh
 * found their files gone), in the caller's transaction.
 */
export function dropReflectionsOnMissingTables(
  db: SqliteDatabase,
  source: string,
  tables: readonly string[],
): string[] {
  const kept = new Set(tables.map((t) => t.toLowerCase()));
  const owner = source.toLowerCase();
  return dropReflectionsWhere(
    db,
    (datasetPath) => datasetPath.length === 2 && datasetPath[0] === owner && !kept.has(datasetPath[1]),
  );
}

function dropReflectionsWhere(
  db: SqliteDatabase,
  matches: (lowerPath: readonly string[]) => boolean,
): string[] {
  if (!hasReflections(db)) return [];
  // A later dataset of the same name does not inherit the refresh method either (version 12).
  const policies = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'dataset_refresh_policies'")
    .get()
    ? (db.prepare('SELECT dataset_key FROM dataset_refresh_policies').all() as { dataset_key: string }[])
    : [];
  for (const { dataset_key } of policies)
    if (matches(JSON.parse(dataset_key) as string[]))
      db.prepare('DELETE FROM dataset_refresh_policies WHERE dataset_key = ?').run(dataset_key);
  const rows = db.prepare('SELECT id, dataset_key FROM reflections').all() as {
    id: string;
    dataset_key: string;
  }[];
  const remove = db.prepare('DELETE FROM reflections WHERE id = ?');
  const dropped: string[] = [];
  db.transaction(() => {
    for (const row of rows) {
      if (!matches(JSON.parse(row.dataset_key) as string[])) continue;
      // materializations go with it: ON DELETE CASCADE (foreign_keys is on for the writer).
      db.prepare('DELETE FROM materializations WHERE reflection_id = ?').run(row.id);
      remove.run(row.id);
      dropped.push(row.id);
    }
  })();
  return dropped;
}
