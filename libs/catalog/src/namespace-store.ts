import { randomUUID } from 'node:crypto';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { CatalogError, type ColumnDescriptor } from '@tributary/common';
import { pathKey, pathKeyPrefix } from './catalog-path.ts';
import { dropGrantsOn } from './drop-grants-on.ts';
import { dropReflectionsOn } from './drop-reflections-on.ts';

/** A space: a top-level namespace of views and folders, named apart from every source. */
export interface SpaceRecord {
  readonly id: string;
  readonly name: string;
  /** Changes at every change of the record (optimistic concurrency, Dremio's `tag`). */
  readonly tag: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface FolderRecord {
  readonly id: string;
  /** [space, ...folders] */
  readonly path: readonly string[];
  readonly tag: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ViewRecord {
  readonly id: string;
  /** [space, ...folders, name] */
  readonly path: readonly string[];
  readonly sql: string;
  /** The default path its SQL's bare names resolve in. */
  readonly context: readonly string[];
  /** The user who created it; null when created without a user (auth off): the anonymous user. */
  readonly owner: string | null;
  /** Its columns as last derived: at creation, and again when a use found them changed. */
  readonly columns: readonly ColumnDescriptor[];
  readonly tag: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ViewInput {
  readonly path: readonly string[];
  readonly sql: string;
  readonly context: readonly string[];
  readonly owner: string | null;
  readonly columns: readonly ColumnDescriptor[];
}

interface SpaceRow {
  name: string;
  id: string;
  tag: string;
  created_at: string;
  updated_at: string;
}

interface FolderRow {
  path_json: string;
  id: string;
  tag: string;
  created_at: string;
  updated_at: string;
}

export interface ViewRow {
  path_json: string;
  id: string;
  sql: string;
  context_json: string;
  owner: string | null;
  columns_json: string;
  tag: string;
  created_at: string;
  updated_at: string;
}

const toSpace = (r: SpaceRow): SpaceRecord => ({
  id: r.id,
  name: r.name,
  tag: r.tag,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toFolder = (r: FolderRow): FolderRecord => ({
  id: r.id,
  path: JSON.parse(r.path_json) as string[],
  tag: r.tag,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export function toView(r: ViewRow): ViewRecord {
  return {
    id: r.id,
    path: JSON.parse(r.path_json) as string[],
    sql: r.sql,
    context: JSON.parse(r.context_json) as string[],
    owner: r.owner,
    columns: JSON.parse(r.columns_json) as ColumnDescriptor[],
    tag: r.tag,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const newTag = (): string => randomUUID().replace(/-/g, '').slice(0, 16);

/** The schemas of the catalog tables (information_schema, sys): they resolve before any space. */
const RESERVED_SPACES = new Set(['information_schema', 'sys']);

/** Names Dremio refuses in a path part (they delimit paths in its REST API). */
const FORBIDDEN = /[/:[\]]/;

function checkName(name: string, what: string): void {
  if (name.trim() === '' || FORBIDDEN.test(name) || name.includes('\u001f'))
    throw new CatalogError(
      'INVALID_PATH',
      `"${name}" is not a valid ${what} name (it must not be empty or hold / : [ ])`,
      { status: 400 },
    );
}

/**
 * Spaces, folders and views (catalog version 6). Each write is one transaction on the
 * catalog's synchronous=FULL connection, so an answered change survives a crash; a removal
 * takes the grants on what it removes with it, in the same transaction. Names are
 * case-insensitive: a path is stored as written and found by its lower-cased key.
 */
export class NamespaceStore {
  constructor(private readonly db: SqliteDatabase) {}

  createSpace(name: string): SpaceRecord {
    checkName(name, 'space');
    if (RESERVED_SPACES.has(name.toLowerCase()))
      throw new CatalogError(
        'NAME_RESERVED',
        `"${name}" names the catalog tables; a space needs another name`,
        {
          status: 409,
        },
      );
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const existing = this.getSpace(name);
      if (existing)
        throw new CatalogError('SPACE_EXISTS', `a space named "${existing.name}" already exists`, {
          status: 409,
        });
      if (this.db.prepare('SELECT 1 FROM sources WHERE name = ?').get(name))
        throw new CatalogError(
          'NAME_TAKEN',
          `"${name}" is the name of a source; a space needs a name of its own`,
          { status: 409 },
        );
      const row: SpaceRow = { name, id: randomUUID(), tag: newTag(), created_at: now, updated_at: now };
      this.db
        .prepare('INSERT INTO spaces (name, id, tag, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
        .run(row.name, row.id, row.tag, row.created_at, row.updated_at);
      return toSpace(row);
    })();
  }

  getSpace(name: string): SpaceRecord | undefined {
    const row = this.db.prepare('SELECT * FROM spaces WHERE name = ?').get(name) as SpaceRow | undefined;
    return row && toSpace(row);
  }

  getSpaceById(id: string): SpaceRecord | undefined {
    const row = this.db.prepare('SELECT * FROM spaces WHERE id = ?').get(id) as SpaceRow | undefined;
    return row && toSpace(row);
  }

  listSpaces(): SpaceRecord[] {
    return (this.db.prepare('SELECT * FROM spaces ORDER BY name').all() as SpaceRow[]).map(toSpace);
  }

  /**
   * Drops a space; one that holds folders or views only when `force` (they go with it). With
   * `expectedTag`, TAG_MISMATCH (409) when the space changed since, in the same transaction.
   */
  deleteSpace(name: string, force: boolean, expectedTag?: string): SpaceRecord {
    return this.db.transaction(() => {
      const space = this.getSpace(name);
      if (!space) throw spaceNotFound(name);
      if (expectedTag !== undefined && space.tag !== expectedTag) throw tagMismatch([space.name], space.tag);
      if (!force) {
        const held = this.countUnder([space.name]);
        if (held > 0)
          throw new CatalogError(
            'SPACE_NOT_EMPTY',
            `space "${space.name}" holds ${held} folders and views; drop them first, or force it (?force=true, DROP SPACE ... CASCADE)`,
            { status: 409 },
          );
      }
      this.db.prepare('DELETE FROM spaces WHERE name = ?').run(space.name);
      dropGrantsOn(this.db, [space.name]);
      dropReflectionsOn(this.db, [space.name]);
      return space;
    })();
  }

  private countUnder(path: readonly string[]): number {
    const prefix = pathKeyPrefix(path);
    const count = (table: string) =>
      (
        this.db
          .prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE substr(path_key, 1, ?) = ?`)
          .get(prefix.length, prefix) as { n: number }
      ).n;
    return count('folders') + count('views');
  }

  /**
   * The space and folders a new folder or view goes in must exist; returns its path as they
   * spell it, ending in the new name as given.
   */
  private checkParent(path: readonly string[]): string[] {
    const space = this.getSpace(path[0]);
    if (!space) throw spaceNotFound(path[0]);
    let parent: readonly string[] = [space.name];
    for (let i = 2; i < path.length; i++) {
      const folder = this.getFolder(path.slice(0, i));
      if (!folder)
        throw new CatalogError('FOLDER_NOT_FOUND', `no folder ${path.slice(0, i).join('.')}`, {
          status: 404,
        });
      parent = folder.path;
    }
    return [...parent, path[path.length - 1]];
  }

  private checkFree(path: readonly string[], except?: 'view'): void {
    const key = pathKey(path);
    if (this.db.prepare('SELECT 1 FROM folders WHERE path_key = ?').get(key))
      throw new CatalogError('PATH_TAKEN', `${path.join('.')} is a folder`, { status: 409 });
    if (except !== 'view' && this.db.prepare('SELECT 1 FROM views WHERE path_key = ?').get(key))
      throw new CatalogError('PATH_TAKEN', `${path.join('.')} is a view`, { status: 409 });
  }

  createFolder(path: readonly string[]): FolderRecord {
    if (path.length < 2)
      throw new CatalogError('INVALID_PATH', 'a folder path starts with its space: space.folder', {
        status: 400,
      });
    path.forEach((p) => checkName(p, 'folder'));
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const stored = this.checkParent(path);
      const space = stored[0];
      const existing = this.getFolder(path);
      if (existing)
        throw new CatalogError('FOLDER_EXISTS', `folder ${existing.path.join('.')} already exists`, {
          status: 409,
        });
      this.checkFree(path);
      const row: FolderRow = {
        path_json: JSON.stringify(stored),
        id: randomUUID(),
        tag: newTag(),
        created_at: now,
        updated_at: now,
      };
      this.db
        .prepare(
          'INSERT INTO folders (path_key, space, path_json, id, tag, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(pathKey(path), space, row.path_json, row.id, row.tag, now, now);
      return toFolder(row);
    })();
  }

  getFolder(path: readonly string[]): FolderRecord | undefined {
    const row = this.db.prepare('SELECT * FROM folders WHERE path_key = ?').get(pathKey(path)) as
      FolderRow | undefined;
    return row && toFolder(row);
  }

  getFolderById(id: string): FolderRecord | undefined {
    const row = this.db.prepare('SELECT * FROM folders WHERE id = ?').get(id) as FolderRow | undefined;
    return row && toFolder(row);
  }

  /**
   * Drops a folder; one that holds anything only when `force` (what it holds goes with it).
   * With `expectedTag`, TAG_MISMATCH (409) when the folder changed since, in the same transaction.
   */
  deleteFolder(path: readonly string[], force: boolean, expectedTag?: string): FolderRecord {
    return this.db.transaction(() => {
      const folder = this.getFolder(path);
      if (!folder) throw new CatalogError('FOLDER_NOT_FOUND', `no folder ${path.join('.')}`, { status: 404 });
      if (expectedTag !== undefined && folder.tag !== expectedTag) throw tagMismatch(folder.path, folder.tag);
      const held = this.countUnder(path);
      if (held > 0 && !force)
        throw new CatalogError(
          'FOLDER_NOT_EMPTY',
          `folder ${folder.path.join('.')} holds ${held} folders and views; drop them first, or force it (CASCADE)`,
          { status: 409 },
        );
      const prefix = pathKeyPrefix(path);
      for (const table of ['folders', 'views'])
        this.db.prepare(`DELETE FROM ${table} WHERE substr(path_key, 1, ?) = ?`).run(prefix.length, prefix);
      this.db.prepare('DELETE FROM folders WHERE path_key = ?').run(pathKey(path));
      dropGrantsOn(this.db, folder.path);
      dropReflectionsOn(this.db, folder.path);
      return folder;
    })();
  }

  /**
   * Creates a view, or replaces one when `replace` (keeping its id and creation time, with a
   * new tag). With `expectedTag`, a replace of a view whose tag differs fails (409 TAG_MISMATCH).
   */
  putView(input: ViewInput, options: { replace: boolean; expectedTag?: string }): ViewRecord {
    if (input.path.length < 2)
      throw new CatalogError('INVALID_PATH', 'a view path starts with its space: space.name', {
        status: 400,
      });
    input.path.forEach((p) => checkName(p, 'view'));
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      const stored = this.checkParent(input.path);
      const space = stored[0];
      this.checkFree(input.path, 'view');
      const existing = this.getView(input.path);
      if (existing && !options.replace)
        throw new CatalogError(
          'VIEW_EXISTS',
          `view ${existing.path.join('.')} already exists; use CREATE OR REPLACE VIEW`,
          { status: 409 },
        );
      if (options.expectedTag !== undefined && existing?.tag !== options.expectedTag)
        throw tagMismatch(input.path, existing?.tag);
      const row: ViewRow = {
        path_json: JSON.stringify(existing ? existing.path : stored),
        id: existing?.id ?? randomUUID(),
        sql: input.sql,
        context_json: JSON.stringify(input.context),
        // A replaced view keeps its owner: its rights are what readers of it rely on.
        owner: existing ? existing.owner : input.owner,
        columns_json: JSON.stringify(input.columns),
        tag: newTag(),
        created_at: existing?.createdAt ?? now,
        updated_at: now,
      };
      this.db
        .prepare(
          `INSERT INTO views (path_key, space, path_json, id, sql, context_json, owner, columns_json, tag, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(path_key) DO UPDATE SET sql = excluded.sql, context_json = excluded.context_json,
             columns_json = excluded.columns_json, tag = excluded.tag, updated_at = excluded.updated_at`,
        )
        .run(
          pathKey(input.path),
          space,
          row.path_json,
          row.id,
          row.sql,
          row.context_json,
          row.owner,
          row.columns_json,
          row.tag,
          row.created_at,
          row.updated_at,
        );
      return toView(row);
    })();
  }

  getView(path: readonly string[]): ViewRecord | undefined {
    const row = this.db.prepare('SELECT * FROM views WHERE path_key = ?').get(pathKey(path)) as
      ViewRow | undefined;
    return row && toView(row);
  }

  getViewById(id: string): ViewRecord | undefined {
    const row = this.db.prepare('SELECT * FROM views WHERE id = ?').get(id) as ViewRow | undefined;
    return row && toView(row);
  }

  /** Views and folders directly or indirectly under `path` (a space or folder), or all. */
  listViews(under?: readonly string[]): ViewRecord[] {
    const rows = (
      under === undefined
        ? this.db.prepare('SELECT * FROM views ORDER BY path_key').all()
        : this.db
            .prepare('SELECT * FROM views WHERE substr(path_key, 1, ?) = ? ORDER BY path_key')
            .all(pathKeyPrefix(under).length, pathKeyPrefix(under))
    ) as ViewRow[];
    return rows.map(toView);
  }

  listFolders(under?: readonly string[]): FolderRecord[] {
    const rows = (
      under === undefined
        ? this.db.prepare('SELECT * FROM folders ORDER BY path_key').all()
        : this.db
            .prepare('SELECT * FROM folders WHERE substr(path_key, 1, ?) = ? ORDER BY path_key')
            .all(pathKeyPrefix(under).length, pathKeyPrefix(under))
    ) as FolderRow[];
    return rows.map(toFolder);
  }

  deleteView(path: readonly string[], expectedTag?: string): ViewRecord {
    return this.db.transaction(() => {
      const view = this.getView(path);
      if (!view) throw new CatalogError('VIEW_NOT_FOUND', `no view ${path.join('.')}`, { status: 404 });
      if (expectedTag !== undefined && view.tag !== expectedTag) throw tagMismatch(path, view.tag);
      this.db.prepare('DELETE FROM views WHERE path_key = ?').run(pathKey(path));
      dropGrantsOn(this.db, view.path);
      dropReflectionsOn(this.db, view.path);
      return view;
    })();
  }

  /**
   * Records a view's columns derived again at a use (its inputs changed). Only when its SQL is
   * still the one they were derived from: a view replaced meanwhile keeps its new columns.
   */
  updateViewColumns(path: readonly string[], sql: string, columns: readonly ColumnDescriptor[]): boolean {
    return (
      this.db
        .prepare('UPDATE views SET columns_json = ?, tag = ?, updated_at = ? WHERE path_key = ? AND sql = ?')
        .run(JSON.stringify(columns), newTag(), new Date().toISOString(), pathKey(path), sql).changes > 0
    );
  }
}

function spaceNotFound(name: string): CatalogError {
  return new CatalogError(
    'SPACE_NOT_FOUND',
    `no space named "${name}"; create it first (CREATE SPACE "${name}", or POST /api/v1/spaces)`,
    { status: 404 },
  );
}

/** A write that names a tag the object no longer has (409): someone changed it meanwhile. */
export function tagMismatch(path: readonly string[], tag: string | undefined): CatalogError {
  return new CatalogError(
    'TAG_MISMATCH',
    `${path.join('.')} was changed meanwhile (its tag is now ${tag ?? 'gone'}); read it again`,
    { status: 409, details: { tag: tag ?? null } },
  );
}
