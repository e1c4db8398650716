/**
 * What a user may see of server internals in the catalog tables (sys.sources' paths,
 * sys.executors' addresses). The hook where auth redacts for non-admins: until users exist,
 * every request sees everything (as /health and source listings show today).
 */
export interface CatalogRedaction {
  sourcePath(path: string): string | null;
  executorUrl(url: string): string | null;
}

const NOTHING_HIDDEN: CatalogRedaction = { sourcePath: (path) => path, executorUrl: (url) => url };

/** The redaction for the user a statement runs as (undefined: no user, auth off). */
export function catalogRedactionFor(_user: string | undefined): CatalogRedaction {
  return NOTHING_HIDDEN;
}
