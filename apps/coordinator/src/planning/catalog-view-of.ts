import type { CatalogStore } from '@tributary/catalog';
import { listReflections } from '../reflections/list-reflections.ts';
import { SNAPSHOT_LOCATION_KEY } from '@tributary/connectors';
import type {
  CatalogListing,
  CatalogView,
  ListedExecutor,
  SourceType,
  TableRef,
  TableStatistics,
  ViewDefinition,
} from '@tributary/plan';
import type { CatalogRedaction } from './catalog-redaction.ts';

interface TableLike {
  readonly source: string;
  readonly name: string;
  readonly columns: TableRef['columns'];
  readonly location: Record<string, unknown>;
  readonly rowCount?: number;
  readonly statistics?: Record<string, unknown>;
  readonly snapshot?: Record<string, unknown>;
  readonly unsupportedColumns?: TableRef['unsupportedColumns'];
}

/**
 * A catalog table as the binder sees it. The optimizer's cardinality estimator reads
 * `rowCount` and the `statistics` the connector computed at registration; the stored snapshot
 * rides in the location to the checks at planning and in executors' scans.
 */
function tableRef(t: TableLike, sourceType: string): TableRef {
  return {
    source: t.source,
    table: t.name,
    sourceType: sourceType as SourceType,
    columns: t.columns,
    location: t.snapshot === undefined ? t.location : { ...t.location, [SNAPSHOT_LOCATION_KEY]: t.snapshot },
    ...(t.rowCount === undefined ? {} : { rowCount: t.rowCount }),
    ...(t.statistics === undefined ? {} : { statistics: t.statistics as TableStatistics }),
    ...(t.unsupportedColumns === undefined ? {} : { unsupportedColumns: t.unsupportedColumns }),
  };
}

export interface StoreCatalogView extends CatalogView {
  /** The tables look-ups returned so far (a failed bind checks whether one changed on disk). */
  readonly tablesSeen: readonly TableRef[];
}

/**
 * The binder's view of the catalog for one statement: names looked up by key through the
 * store's prepared statements; the whole catalog is read only for "did you mean" after a miss
 * and for the catalog tables (information_schema, sys), whose executors part is the snapshot
 * the coordinator sent with the request.
 */
export function catalogViewOf(
  catalog: CatalogStore,
  executors: readonly ListedExecutor[],
  redaction: CatalogRedaction,
): StoreCatalogView {
  const lookup = catalog.lookup;
  const seen: TableRef[] = [];
  const view = (v: {
    path: readonly string[];
    sql: string;
    context: readonly string[];
    owner: string | null;
    columns: ViewDefinition['columns'];
  }): ViewDefinition => ({
    path: v.path,
    sql: v.sql,
    context: v.context,
    owner: v.owner,
    columns: v.columns,
  });
  let listing: CatalogListing | undefined;
  const listAll = (): CatalogListing => {
    const sources = catalog.listSources();
    const types = new Map(sources.map((s) => [s.name, s.type]));
    const once = <T>(read: () => T): (() => T) => {
      let value: T | undefined;
      return () => (value ??= read());
    };
    return {
      sources: once(() =>
        sources.map((s) => ({
          name: s.name,
          type: s.type,
          path: redaction.sourcePath(s.path),
          createdAt: s.createdAt,
          updatedAt: s.updatedAt,
        })),
      ),
      tables: once(() => catalog.listTables().map((t) => tableRef(t, types.get(t.source) ?? 'csv'))),
      spaces: once(() =>
        catalog.namespace.listSpaces().map((s) => ({ name: s.name, createdAt: s.createdAt })),
      ),
      folders: once(() => catalog.namespace.listFolders().map((f) => f.path)),
      views: once(() =>
        catalog.namespace
          .listViews()
          .map((v) => ({ ...view(v), createdAt: v.createdAt, updatedAt: v.updatedAt })),
      ),
      jobs: once(() => catalog.listJobs()),
      reflections: once(() => listReflections(catalog)),
      executors: () =>
        executors.map((e) => ({ ...e, url: e.url === null ? null : redaction.executorUrl(e.url) })),
    };
  };
  return {
    tablesSeen: seen,
    findTables: (table, source) => {
      const found = lookup.findTables(table, source).map((t) => tableRef(t, t.sourceType));
      seen.push(...found);
      return found;
    },
    findView: (path) => {
      const found = lookup.findView(path);
      return found && view(found);
    },
    namespaceKind: (path) => lookup.namespaceKind(path),
    nameCandidates: (near) => {
      const all = lookup.allPaths();
      if (near === undefined) return all;
      const under = (path: readonly string[]) => path[0].toLowerCase() === near.toLowerCase();
      return [...all.filter(under), ...all.filter((p) => !under(p))];
    },
    listing: () => (listing ??= listAll()),
  };
}
