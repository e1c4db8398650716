/**
 * What a user may see of server internals in the catalog tables (sys.sources' paths,
 * sys.executors' addresses): everything with auth off and for admins, neither for other
 * users (as /health and the source listings answer them).
 */
export interface CatalogRedaction {
  sourcePath(path: string): string | null;
  executorUrl(url: string): string | null;
}

const NOTHING_HIDDEN: CatalogRedaction = { sourcePath: (path) => path, executorUrl: (url) => url };

const INTERNALS_HIDDEN: CatalogRedaction = { sourcePath: () => null, executorUrl: () => null };

/** The redaction for a statement: `restricted` when its user is not an admin (auth on). */
export function catalogRedactionFor(restricted: boolean): CatalogRedaction {
  return restricted ? INTERNALS_HIDDEN : NOTHING_HIDDEN;
}
