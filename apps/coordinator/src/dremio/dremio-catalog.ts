import type {
  CatalogStore,
  FolderRecord,
  SourceRecord,
  SpaceRecord,
  TableRecord,
  ViewRecord,
} from '@tributary/catalog';
import { CatalogError } from '@tributary/common';
import { physicalDatasetId } from './dremio-catalog-entities.ts';

/** What an id or a path of Dremio's catalog API names. */
export type CatalogObject =
  | { readonly kind: 'space'; readonly path: readonly string[]; readonly space: SpaceRecord }
  | { readonly kind: 'folder'; readonly path: readonly string[]; readonly folder: FolderRecord }
  | { readonly kind: 'view'; readonly path: readonly string[]; readonly view: ViewRecord }
  | { readonly kind: 'source'; readonly path: readonly string[]; readonly source: SourceRecord }
  | {
      readonly kind: 'table';
      readonly path: readonly string[];
      readonly source: SourceRecord;
      readonly table: TableRecord;
    };

export const CATALOG_ENTITY_NOT_FOUND = 'CATALOG_ENTITY_NOT_FOUND';

/** Dremio's 404, in its words: "Could not find entity with id [x]" (or with path [[a, b]]). */
export function entityNotFound(what: { id: string } | { path: readonly string[] }): CatalogError {
  const named = 'id' in what ? `id [${what.id}]` : `path [[${what.path.join(', ')}]]`;
  return new CatalogError(CATALOG_ENTITY_NOT_FOUND, `Could not find entity with ${named}`, {
    status: 404,
    details: 'id' in what ? { id: what.id } : { path: [...what.path] },
  });
}

/**
 * Finds catalog objects by Dremio id or path. Spaces, folders, views and sources have stored
 * ids (indexed); a source's table has an id derived from its source's id and name, found among
 * the tables of the sources (few: tables per source, not per catalog, are looked through when
 * a path names the source).
 */
export class DremioCatalog {
  constructor(private readonly catalog: CatalogStore) {}

  byId(id: string): CatalogObject | undefined {
    const ns = this.catalog.namespace;
    const space = ns.getSpaceById(id);
    if (space) return { kind: 'space', path: [space.name], space };
    const folder = ns.getFolderById(id);
    if (folder) return { kind: 'folder', path: folder.path, folder };
    const view = ns.getViewById(id);
    if (view) return { kind: 'view', path: view.path, view };
    const source = this.catalog.getSourceById(id);
    if (source) return { kind: 'source', path: [source.name], source };
    for (const s of this.catalog.listSources())
      for (const table of this.catalog.listTables(s.name))
        if (physicalDatasetId(s.id, table.name) === id)
          return { kind: 'table', path: [s.name, table.name], source: s, table };
    return undefined;
  }

  /** `[source]`, `[source, table]`, `[space]`, `[space, …folders]` or `[space, …folders, view]`; names case-insensitive. */
  byPath(path: readonly string[]): CatalogObject | undefined {
    if (path.length === 0) return undefined;
    const source = this.catalog.getSource(path[0]);
    if (source) {
      if (path.length === 1) return { kind: 'source', path: [source.name], source };
      if (path.length !== 2) return undefined;
      const name = path[1].toLowerCase();
      const table = this.catalog.listTables(source.name).find((t) => t.name.toLowerCase() === name);
      return table && { kind: 'table', path: [source.name, table.name], source, table };
    }
    const ns = this.catalog.namespace;
    if (path.length === 1) {
      const space = ns.getSpace(path[0]);
      return space && { kind: 'space', path: [space.name], space };
    }
    const folder = ns.getFolder(path);
    if (folder) return { kind: 'folder', path: folder.path, folder };
    const view = ns.getView(path);
    return view && { kind: 'view', path: view.path, view };
  }

  /** The folders and views under a space or folder (all depths: the caller keeps the direct ones). */
  contentsOf(path: readonly string[]): { folders: FolderRecord[]; views: ViewRecord[] } {
    const ns = this.catalog.namespace;
    return { folders: ns.listFolders(path), views: ns.listViews(path) };
  }
}
