/**
 * One catalog object a statement reads: a source's table, or a view. Access control checks
 * each against the user who runs the statement, or, for what a view reads, against the
 * view's owner (a view runs with its owner's rights, as in Dremio).
 */
export interface CatalogRead {
  /** The object's full path: [source, table] or [space, ...folders, view]. */
  readonly path: readonly string[];
  readonly kind: 'table' | 'view';
  /**
   * The view through which it is read, innermost first; absent when the statement names it
   * itself. Its rights are those of `viaOwner`.
   */
  readonly via?: readonly string[];
  /** The owner of the view named in `via`. */
  readonly viaOwner?: string;
  /** A view's own owner, who may read it with no grant on it (as in Dremio). */
  readonly owner?: string | null;
}
