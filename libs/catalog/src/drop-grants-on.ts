import type { Database as SqliteDatabase } from 'better-sqlite3';

/**
 * Deletes every grant on the object at `objectPath` and on what lies inside it (a source, a
 * space, a folder or a view that was removed), so that a later object of the same name does not
 * inherit them. The caller runs it in the transaction that removes the object: a crash between
 * the two must not leave grants on an object that is gone. A catalog without grants (older than
 * version 7) has none to drop. Returns how many were dropped.
 */
export function dropGrantsOn(db: SqliteDatabase, objectPath: readonly string[]): number {
  if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grants'").get()) return 0;
  const rows = db.prepare('SELECT rowid AS id, object_path FROM grants').all() as {
    id: number;
    object_path: string;
  }[];
  const wanted = objectPath.map((part) => part.toLowerCase());
  const remove = db.prepare('DELETE FROM grants WHERE rowid = ?');
  let dropped = 0;
  const drop = db.transaction(() => {
    for (const row of rows) {
      const path = JSON.parse(row.object_path) as string[];
      if (path.length < wanted.length || wanted.some((part, i) => part !== path[i].toLowerCase())) continue;
      dropped += remove.run(row.id).changes;
    }
  });
  drop();
  return dropped;
}
