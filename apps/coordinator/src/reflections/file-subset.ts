import { SNAPSHOT_LOCATION_KEY } from '@tributary/connectors';
import type { TableRef } from '@tributary/plan';
import type { StoreCatalogView } from '../planning/catalog-view-of.ts';

/** A folder table read as only some of its files. */
export interface FileSubset {
  readonly source: string;
  readonly table: string;
  /** Paths as the table's location lists them. */
  readonly files: readonly string[];
}

const entryPath = (entry: unknown): string | undefined => {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    const { file, path } = entry as Record<string, unknown>;
    if (typeof file === 'string') return file;
    if (typeof path === 'string') return path;
  }
  return undefined;
};

/** The table as its listed files alone: no stored snapshot (it would not match) and no statistics of the whole. */
function subsetOf(table: TableRef, files: ReadonlySet<string>): TableRef {
  const { [SNAPSHOT_LOCATION_KEY]: _snapshot, ...location } = table.location;
  const listed = Array.isArray(location.files) ? (location.files as unknown[]) : [];
  return {
    source: table.source,
    table: table.table,
    sourceType: table.sourceType,
    columns: table.columns,
    location: { ...location, files: listed.filter((entry) => files.has(entryPath(entry) ?? '')) },
  };
}

/**
 * The catalog as a query restricted to some files of one table sees it (an incremental
 * reflection build): every other table as it is.
 */
export function withFileSubset(view: StoreCatalogView, subset: FileSubset | undefined): StoreCatalogView {
  if (!subset) return view;
  const files = new Set(subset.files);
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  return {
    ...view,
    get tablesSeen() {
      return view.tablesSeen;
    },
    findTables: (table, source) =>
      view
        .findTables(table, source)
        .map((t) => (same(t.source, subset.source) && same(t.table, subset.table) ? subsetOf(t, files) : t)),
    findView: view.findView,
    namespaceKind: view.namespaceKind,
    nameCandidates: view.nameCandidates,
    listing: view.listing,
  };
}
