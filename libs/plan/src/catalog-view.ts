import type { ColumnDescriptor } from '@tributary/common';
import type { CatalogListing } from './catalog-listing.ts';
import type { TableRef } from './logical-plan.ts';

/** A view (virtual dataset) as the binder expands it: its SQL, bound in its own context. */
export interface ViewDefinition {
  /** [space, ...folders, name], as created. */
  readonly path: readonly string[];
  readonly sql: string;
  /** The default path its SQL's bare names resolve in (the context it was created in). */
  readonly context: readonly string[];
  /** The user who created it; null until users exist (the anonymous user). */
  readonly owner: string | null;
  /** Its columns as last derived (at creation, and again whenever a use finds them changed). */
  readonly columns: readonly ColumnDescriptor[];
}

/** What a name's leading parts denote in the catalog (for CREATE VIEW's checks and errors). */
export type NamespaceKind = 'source' | 'space' | 'folder';

/**
 * What the binder needs of the catalog for one statement: look-ups by key, so that binding
 * costs the same whatever the size of the catalog. Names are matched case-insensitively here;
 * the binder then prefers an exact match for quoted names (matchNames).
 */
export interface CatalogView {
  /** Tables named `table` in the source named `source`, or in any source when it is absent. */
  findTables(table: string, source?: string): readonly TableRef[];
  /** The view at `path`, if there is one. */
  findView(path: readonly string[]): ViewDefinition | undefined;
  /** What `path` names among sources, spaces and folders, if anything. */
  namespaceKind(path: readonly string[]): NamespaceKind | undefined;
  /**
   * Paths ([source, table], [space, ...folders, view]) to suggest for a name not found, those
   * under `near` (a source or space) first. Read only after a miss: it may be the whole catalog.
   */
  nameCandidates(near?: string): readonly (readonly string[])[];
  /** The whole catalog, read only by statements that query information_schema or sys tables. */
  listing(): CatalogListing;
}
