import { SourceError } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import { confineToRoots, resolveRoots } from './confine-path.ts';
import { statOf } from './metadata-fs.ts';
import {
  SNAPSHOT_LOCATION_KEY,
  asTableSnapshot,
  compareWithCurrentSnapshot,
  type TableSnapshot,
} from './table-snapshot.ts';

/** The snapshot the planner put into a table's location, if the catalog had one. */
export function snapshotInLocation(table: TableRef): TableSnapshot | undefined {
  return asTableSnapshot(table.location[SNAPSHOT_LOCATION_KEY]);
}

/** SOURCE_CHANGED for `table`, naming what changed and the refresh that fixes it. */
export function sourceChanged(table: TableRef, changes: readonly string[]): SourceError {
  const shown =
    changes.slice(0, 3).join('; ') + (changes.length > 3 ? `; and ${changes.length - 3} more` : '');
  return new SourceError(
    'SOURCE_CHANGED',
    `table ${table.source}.${table.table} changed since its metadata was read (${shown}); ` +
      `refresh it with POST /api/v1/sources/${encodeURIComponent(table.source)}/refresh`,
    { status: 409, details: { source: table.source, table: table.table, changes: changes.slice(0, 20) } },
  );
}

/**
 * Planning's check: compares the table's current snapshot with the one the catalog stored
 * (carried in its location) and fails with SOURCE_CHANGED when the stored columns may no
 * longer describe it: any file of a CSV/Parquet table added, removed, resized or touched, or a
 * SQLite table's CREATE statement changed (a SQLite table's rows may change freely: they are
 * read live). A table without a stored snapshot (registered before snapshots) is not checked.
 */
export async function checkTableUnchanged(table: TableRef, roots: readonly string[]): Promise<void> {
  const stored = snapshotInLocation(table);
  if (!stored) return;
  const comparison = await compareWithCurrentSnapshot(table.sourceType, table.location, stored, roots);
  if (comparison.schemaMayHaveChanged) throw sourceChanged(table, comparison.changes);
}

/** File paths a split's info names (`file`, `files`, `path`), for a check of those files only. */
export function filesOfSplitInfo(info: Readonly<Record<string, unknown>>): string[] {
  const out: string[] = [];
  for (const key of ['file', 'path']) if (typeof info[key] === 'string') out.push(info[key]);
  if (Array.isArray(info.files))
    for (const f of info.files as unknown[]) if (typeof f === 'string') out.push(f);
  return out;
}

/**
 * An executor's check as a scan opens a file table: the size and mtime of each file it will
 * read (those its splits name, else all the table's) against the snapshot the planner carried.
 * Catches a file changed between planning and the scan; a change after this stat, while the
 * file is read, is not seen here (the window is the scan itself). SQLite tables are not
 * checked here: their rows are read live and planning checked their schema.
 */
export async function checkScanFilesUnchanged(
  table: TableRef,
  roots: readonly string[],
  files: readonly string[],
  /** The roots already resolved by the scan (scanRealRoots): a realpath per root less per task. */
  realRoots?: readonly string[],
): Promise<void> {
  if (table.sourceType === 'sqlite') return;
  const stored = snapshotInLocation(table);
  if (!stored) return;
  const wanted = files.length > 0 ? new Set(files) : undefined;
  const stamps = stored.files.filter((f) => wanted === undefined || wanted.has(f.path));
  if (stamps.length === 0) return;
  const resolved = realRoots ?? (await resolveRoots(roots));
  const changes: string[] = [];
  for (const stamp of stamps) {
    let real: string;
    try {
      real = await confineToRoots(stamp.path, resolved);
    } catch (error) {
      if (error instanceof SourceError && error.code === 'PATH_NOT_FOUND') {
        changes.push(`${stamp.path}: removed`);
        continue;
      }
      throw error;
    }
    const info = await statOf(real).catch(() => undefined);
    if (!info) changes.push(`${stamp.path}: removed`);
    else if (info.size !== stamp.size) changes.push(`${stamp.path}: size ${stamp.size} → ${info.size}`);
    else if (info.mtimeMs !== stamp.mtimeMs) changes.push(`${stamp.path}: modified`);
  }
  if (changes.length > 0) throw sourceChanged(table, changes);
}
