import type { CatalogListing, CatalogView } from '@tributary/plan';
import type { StoreCatalogView } from './catalog-view-of.ts';

const same = (a: string, b: string) => a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;

/** Whether `prefix` is the start of `path` (names compared as the catalog does, ignoring case). */
const startsWith = (path: readonly string[], prefix: readonly string[]) =>
  prefix.length <= path.length && prefix.every((part, i) => same(part, path[i]));

/**
 * The catalog as a user who may read only under `paths` (their SELECT grants: sources,
 * spaces, folders, views, tables) sees it. Binding against it gives that user's errors: no
 * "did you mean", ambiguity or column list names what they cannot see, and the catalog
 * tables (information_schema, sys) list only what they may read, and only their own jobs.
 * An object is visible when a grant covers it, or when it holds something a grant covers
 * (a source holding a granted table shows in SHOW SCHEMAS).
 */
export function readableCatalogView(
  view: StoreCatalogView,
  paths: readonly (readonly string[])[],
  user: string,
): StoreCatalogView {
  const readable = (path: readonly string[]) => paths.some((p) => startsWith(path, p));
  // A view's owner may read it with no grant on it (AccessControl.checkReads).
  const readableView = (v: { path: readonly string[]; owner: string | null }) =>
    readable(v.path) || (v.owner !== null && same(v.owner, user));
  const visible = (path: readonly string[]) => paths.some((p) => startsWith(path, p) || startsWith(p, path));
  let listing: CatalogListing | undefined;
  const restricted: CatalogView = {
    findTables: (table, source) =>
      view.findTables(table, source).filter((t) => readable([t.source, t.table])),
    findView: (path) => {
      const found = view.findView(path);
      return found && readableView(found) ? found : undefined;
    },
    namespaceKind: (path) => (visible(path) ? view.namespaceKind(path) : undefined),
    nameCandidates: (near) => view.nameCandidates(near).filter(readable),
    listing: () => {
      if (listing) return listing;
      const all = view.listing();
      listing = {
        sources: () => all.sources().filter((s) => visible([s.name])),
        tables: () => all.tables().filter((t) => readable([t.source, t.table])),
        spaces: () => all.spaces().filter((s) => visible([s.name])),
        folders: () => all.folders().filter(visible),
        views: () => all.views().filter(readableView),
        jobs: () => all.jobs().filter((j) => j.user !== null && same(j.user, user)),
        executors: () => all.executors(),
        // The reflections of the datasets they may read.
        reflections: () =>
          (all.reflections?.() ?? []).filter((r) => {
            const onView = all
              .views()
              .find((v) => v.path.length === r.datasetPath.length && startsWith(v.path, r.datasetPath));
            return onView ? readableView(onView) : readable(r.datasetPath);
          }),
      };
      return listing;
    },
  };
  return withTablesSeen(restricted, view);
}

function withTablesSeen(view: CatalogView, of: StoreCatalogView): StoreCatalogView {
  return {
    findTables: view.findTables,
    findView: view.findView,
    namespaceKind: view.namespaceKind,
    nameCandidates: view.nameCandidates,
    listing: view.listing,
    get tablesSeen() {
      return of.tablesSeen;
    },
  };
}

/**
 * The two catalogs a statement of a user limited to `paths` binds against. `binding`:
 * names resolve in the whole catalog, since a view reads with its owner's rights (the
 * statement's reads are checked after binding), but suggestions and the catalog tables show
 * only what the user may read. `errors`: when binding fails, it is bound again against only
 * what the user may read, so that no error tells of anything else.
 */
export function restrictedCatalogViews(
  all: StoreCatalogView,
  paths: readonly (readonly string[])[],
  user: string,
): { binding: StoreCatalogView; errors: StoreCatalogView } {
  const errors = readableCatalogView(all, paths, user);
  const binding = withTablesSeen(
    {
      findTables: all.findTables,
      findView: all.findView,
      namespaceKind: all.namespaceKind,
      nameCandidates: errors.nameCandidates,
      listing: errors.listing,
    },
    all,
  );
  return { binding, errors };
}
