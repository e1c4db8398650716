import type { CatalogListing, ListedView } from './catalog-listing.ts';
import type { CatalogView, NamespaceKind, ViewDefinition } from './catalog-view.ts';
import type { TableRef } from './logical-plan.ts';

const key = (parts: readonly string[]): string => parts.map((p) => p.toLowerCase()).join('\u001f');

/**
 * A CatalogView over tables and views held in memory (tests, tools): the same look-up
 * semantics as the catalog store's, without a database.
 */
export function inMemoryCatalog(
  tables: readonly TableRef[],
  views: readonly ViewDefinition[] = [],
  spaces: readonly string[] = [],
): CatalogView {
  const viewsByKey = new Map(views.map((v) => [key(v.path), v]));
  const listedViews: ListedView[] = views.map((v) => ({ ...v, createdAt: '', updatedAt: '' }));
  const folders = new Set<string>();
  for (const v of views) for (let i = 2; i < v.path.length; i++) folders.add(key(v.path.slice(0, i)));
  const spaceNames = new Set([...spaces, ...views.map((v) => v.path[0])].map((s) => s.toLowerCase()));
  const listing: CatalogListing = {
    sources: () =>
      [...new Set(tables.map((t) => t.source))].map((name) => ({
        name,
        type: tables.find((t) => t.source === name)!.sourceType,
        path: null,
        createdAt: '',
        updatedAt: '',
      })),
    tables: () => tables,
    spaces: () => [...spaceNames].map((name) => ({ name, createdAt: '' })),
    folders: () => [...folders].map((f) => f.split('\u001f')),
    views: () => listedViews,
    jobs: () => [],
    executors: () => [],
  };
  return {
    findTables: (table, source) =>
      tables.filter(
        (t) =>
          t.table.toLowerCase() === table.toLowerCase() &&
          (source === undefined || t.source.toLowerCase() === source.toLowerCase()),
      ),
    findView: (path) => viewsByKey.get(key(path)),
    namespaceKind: (path): NamespaceKind | undefined => {
      if (path.length === 1 && tables.some((t) => t.source.toLowerCase() === path[0].toLowerCase()))
        return 'source';
      if (path.length === 1 && spaceNames.has(path[0].toLowerCase())) return 'space';
      return folders.has(key(path)) ? 'folder' : undefined;
    },
    nameCandidates: (near) => {
      const all = [...tables.map((t) => [t.source, t.table]), ...views.map((v) => v.path)];
      if (near === undefined) return all;
      const under = (path: readonly string[]) => path[0].toLowerCase() === near.toLowerCase();
      return [...all.filter(under), ...all.filter((p) => !under(p))];
    },
    listing: () => listing,
  };
}
