import { createHash } from 'node:crypto';
import { dirname, sep } from 'node:path';
import Database from 'better-sqlite3';
import { SourceError } from '@tributary/common';
import type { SourceType } from '@tributary/plan';
import { confineToRoots, resolveRoots } from './confine-path.ts';
import { statOf } from './metadata-fs.ts';

/** One file as a snapshot saw it. */
export interface FileStamp {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * What a table's data was when its metadata was read: the size and mtime of each of its files
 * (for SQLite, the database and its -wal file, which together change on every committed write)
 * and, for SQLite, a hash of the table's CREATE statement, since a database's data may change
 * under a live table without its schema changing.
 *
 * SQLite's `PRAGMA data_version` is not used: it is per connection (it only tells one open
 * connection that someone else wrote since its last look), so it cannot be stored and compared
 * later from another process. Size and mtime of the database and its -wal can.
 */
export interface TableSnapshot {
  readonly files: readonly FileStamp[];
  /**
   * A table of many files (a `files` location: a folder, subfolders included): the mtime of
   * each folder that holds them, up to the one holding them all, since a file added to or
   * removed from a folder changes that folder's mtime and no stamp of the files listed.
   */
  readonly folders?: readonly FolderStamp[];
  /** SQLite only: sha256 of the table's `sqlite_master.sql`, null when the table is gone. */
  readonly schemaHash?: string | null;
  /** A short digest of everything above, for the API and for quick equality. */
  readonly fingerprint: string;
}

/** One folder as a snapshot saw it. */
export interface FolderStamp {
  readonly path: string;
  readonly mtimeMs: number;
}

/** Under this key of a TableRef's location the planner carries the catalog's snapshot to executors. */
export const SNAPSHOT_LOCATION_KEY = 'snapshot';

/** How a table's current state differs from a stored snapshot. */
export interface SnapshotComparison {
  /** Any file added, removed, resized or touched (reflections built from it are stale). */
  readonly dataChanged: boolean;
  /**
   * The stored columns may no longer describe the table: for files any change (a file is
   * re-parsed from its header on), for SQLite a changed CREATE statement.
   */
  readonly schemaMayHaveChanged: boolean;
  /** What differs, one short line each ("orders.csv: size 10 → 12"). */
  readonly changes: readonly string[];
}

/** At most this many stat calls are in flight at once, so a folder of thousands of files queues. */
const STAT_CONCURRENCY = 32;

/**
 * The files a table's location names. Connectors keep the path of a file table under `file`
 * or, for tables of many files, under `files` (strings, or objects with a `file` or `path`);
 * a SQLite table under `database`. This is the contract a connector's location follows for
 * change detection to see its files.
 */
export function tableFiles(sourceType: SourceType, location: Readonly<Record<string, unknown>>): string[] {
  if (sourceType === 'sqlite') {
    const database = location.database;
    return typeof database === 'string' ? [database] : [];
  }
  const out: string[] = [];
  if (typeof location.file === 'string') out.push(location.file);
  if (Array.isArray(location.files)) {
    for (const entry of location.files as unknown[]) {
      if (typeof entry === 'string') out.push(entry);
      else if (entry && typeof entry === 'object') {
        const { file, path } = entry as Record<string, unknown>;
        if (typeof file === 'string') out.push(file);
        else if (typeof path === 'string') out.push(path);
      }
    }
  }
  return [...new Set(out)];
}

/**
 * The folders whose mtimes a table of many files depends on: each folder of its files and
 * every folder between it and `top` (the source's folder, when it holds them all) or else the
 * deepest folder holding them all. None for a table of one `file`: its folder also holds other
 * tables, whose changes are not this table's.
 */
export function tableFolders(location: Readonly<Record<string, unknown>>, top?: string): string[] {
  if (!Array.isArray(location.files)) return [];
  const parents = [...new Set(tableFiles('parquet', { files: location.files }).map((f) => dirname(f)))];
  if (parents.length === 0) return [];
  const inside = (path: string, folder: string) =>
    path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep);
  let common = parents[0];
  if (top !== undefined && parents.every((p) => inside(p, top))) common = top;
  else
    for (const p of parents)
      while (!inside(p, common)) {
        const up = dirname(common);
        if (up === common) break;
        common = up;
      }
  const folders = new Set<string>([common]);
  for (let p of parents)
    while (p !== common && inside(p, common)) {
      folders.add(p);
      p = dirname(p);
    }
  return [...folders].sort();
}

async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      out[index] = await fn(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Stats `path` after confining it to the roots (so a file swapped for a symlink that leads
 * outside them is PATH_NOT_ALLOWED, never stat'ed); undefined when it is gone.
 */
async function stampOf(
  path: string,
  realRoots: readonly string[],
  inPlace?: boolean,
): Promise<FileStamp | undefined> {
  let real: string;
  try {
    real = await confineToRoots(path, realRoots, path, inPlace);
  } catch (error) {
    if (error instanceof SourceError && error.code === 'PATH_NOT_FOUND') return undefined;
    throw error;
  }
  try {
    const info = await statOf(real, inPlace);
    return { path, size: info.size, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SourceError('SOURCE_FILE_INVALID', `file "${path}" cannot be read`, { cause: error });
  }
}

/** A folder's mtime, its path confined like a file's; undefined when it is gone. */
async function folderStampOf(
  path: string,
  realRoots: readonly string[],
  inPlace?: boolean,
): Promise<FolderStamp | undefined> {
  const stamp = await stampOf(path, realRoots, inPlace);
  return stamp && { path, mtimeMs: stamp.mtimeMs };
}

/** sha256 of the table's CREATE statement, null when the database has no such table. */
function sqliteSchemaHash(database: string, table: string): string | null {
  const db = new Database(database, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare("SELECT sql FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')")
      .get(table) as { sql: string | null } | undefined;
    return row
      ? createHash('sha256')
          .update(row.sql ?? '')
          .digest('hex')
          .slice(0, 16)
      : null;
  } finally {
    db.close();
  }
}

function fingerprintOf(
  files: readonly FileStamp[],
  folders: readonly FolderStamp[],
  schemaHash: string | null | undefined,
): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.path}\0${f.size}\0${f.mtimeMs}\n`);
  for (const f of folders) hash.update(`folder\0${f.path}\0${f.mtimeMs}\n`);
  if (schemaHash !== undefined) hash.update(`schema\0${schemaHash ?? ''}`);
  return hash.digest('hex').slice(0, 16);
}

export function makeTableSnapshot(
  files: readonly FileStamp[],
  schemaHash?: string | null,
  folders: readonly FolderStamp[] = [],
): TableSnapshot {
  const byPath = <T extends { path: string }>(a: T, b: T) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  const sorted = [...files].sort(byPath);
  const sortedFolders = [...folders].sort(byPath);
  return {
    files: sorted,
    ...(sortedFolders.length === 0 ? {} : { folders: sortedFolders }),
    ...(schemaHash === undefined ? {} : { schemaHash }),
    fingerprint: fingerprintOf(sorted, sortedFolders, schemaHash),
  };
}

/**
 * The current snapshot of a table: a stat of each of its files (confined to `roots` first),
 * for SQLite also of the -wal beside the database and the table's CREATE statement. Missing
 * files are left out, so a vanished file shows as a change. Opens no data file but a SQLite
 * database's schema page; run it off the coordinator's event loop (a planner thread).
 */
export async function takeTableSnapshot(
  sourceType: SourceType,
  location: Readonly<Record<string, unknown>>,
  roots: readonly string[],
  options: {
    /** false: file stamps only, no SQLite opened (its schemaHash is left out). */
    readonly schema?: boolean;
    /** The source's folder, up to which a table of many files has its folders stamped. */
    readonly top?: string;
    /** The folders to stamp, as a stored snapshot lists them (instead of finding them anew). */
    readonly folders?: readonly string[];
    /** `roots` already resolved (resolveRoots) by a caller that checks often. */
    readonly realRoots?: readonly string[];
    /**
     * Stat synchronously even on a main thread (metadata-fs.ts): for a caller checking a few
     * files, where a round trip through libuv's pool per file costs more than the stats.
     */
    readonly inPlace?: boolean;
  } = {},
): Promise<TableSnapshot> {
  const realRoots = options.realRoots ?? (await resolveRoots(roots));
  const paths = tableFiles(sourceType, location);
  if (sourceType === 'sqlite') paths.push(...paths.map((p) => `${p}-wal`));
  const stamps = (
    await mapLimited(paths, STAT_CONCURRENCY, (p) => stampOf(p, realRoots, options.inPlace))
  ).filter((s): s is FileStamp => s !== undefined);
  if (sourceType !== 'sqlite') {
    const wanted = options.folders ?? tableFolders(location, options.top);
    const folders = await mapLimited(wanted, STAT_CONCURRENCY, (p) =>
      folderStampOf(p, realRoots, options.inPlace),
    );
    return makeTableSnapshot(
      stamps,
      undefined,
      folders.filter((f): f is FolderStamp => f !== undefined),
    );
  }
  if (options.schema === false) return makeTableSnapshot(stamps);
  const database = String(location.database);
  const table = String(location.table);
  let schemaHash: string | null = null;
  if (stamps.some((s) => s.path === database)) {
    try {
      schemaHash = sqliteSchemaHash(await confineToRoots(database, realRoots), table);
    } catch (error) {
      if (error instanceof SourceError) throw error;
      throw new SourceError(
        'SOURCE_FILE_INVALID',
        `file "${database}" is not a readable SQLite database: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return makeTableSnapshot(stamps, schemaHash);
}

/** How `current` differs from `stored` (see SnapshotComparison). */
export function compareTableSnapshots(stored: TableSnapshot, current: TableSnapshot): SnapshotComparison {
  const changes: string[] = [];
  const now = new Map(current.files.map((f) => [f.path, f]));
  const before = new Map(stored.files.map((f) => [f.path, f]));
  for (const old of stored.files) {
    const f = now.get(old.path);
    if (!f) changes.push(`${old.path}: removed`);
    else if (f.size !== old.size) changes.push(`${old.path}: size ${old.size} → ${f.size}`);
    else if (f.mtimeMs !== old.mtimeMs) changes.push(`${old.path}: modified`);
  }
  for (const f of current.files) if (!before.has(f.path)) changes.push(`${f.path}: added`);
  const foldersNow = new Map((current.folders ?? []).map((f) => [f.path, f.mtimeMs]));
  for (const folder of stored.folders ?? [])
    if (foldersNow.get(folder.path) !== folder.mtimeMs)
      changes.push(`${folder.path}: files added or removed`);
  const dataChanged = changes.length > 0;
  const isSqlite = stored.schemaHash !== undefined || current.schemaHash !== undefined;
  const schemaChanged = isSqlite && stored.schemaHash !== current.schemaHash;
  if (schemaChanged) changes.push('table definition changed');
  return {
    dataChanged: dataChanged || schemaChanged,
    schemaMayHaveChanged: isSqlite ? schemaChanged : dataChanged,
    changes,
  };
}

/**
 * How a table differs now from the snapshot stored with it (in the catalog's TableRecord or
 * a reflection): the one call for staleness checks. Run it off the coordinator's event loop.
 */
export async function compareWithCurrentSnapshot(
  sourceType: SourceType,
  location: Readonly<Record<string, unknown>>,
  stored: TableSnapshot,
  roots: readonly string[],
): Promise<SnapshotComparison> {
  const folders = (stored.folders ?? []).map((f) => f.path);
  const current = await takeTableSnapshot(sourceType, location, roots, { folders });
  if (current.fingerprint === stored.fingerprint)
    return { dataChanged: false, schemaMayHaveChanged: false, changes: [] };
  return compareTableSnapshots(stored, current);
}

/** A stored snapshot read back from JSON (the catalog, a location), or undefined if it is not one. */
export function asTableSnapshot(value: unknown): TableSnapshot | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  if (!Array.isArray(v.files) || typeof v.fingerprint !== 'string') return undefined;
  return value as TableSnapshot;
}
