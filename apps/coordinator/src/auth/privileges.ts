import type { GrantRecord, Privilege } from '@tributary/catalog';

/** Catalog names compare without case (sources are COLLATE NOCASE in the catalog). */
function samePart(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

/**
 * Whether a grant on `granted` covers the object at `path`: a grant on a source or a space
 * covers everything inside it, a grant on a folder what lies below it, a grant on a view
 * that view.
 */
export function grantCovers(granted: readonly string[], path: readonly string[]): boolean {
  return granted.length <= path.length && granted.every((part, i) => samePart(part, path[i]));
}

/** Whether `grants` (one user's) give `privilege` on the object at `path`. */
export function holdsPrivilege(
  grants: readonly Pick<GrantRecord, 'objectPath' | 'privilege'>[],
  privilege: Privilege,
  path: readonly string[],
): boolean {
  return grants.some((g) => g.privilege === privilege && grantCovers(g.objectPath, path));
}

/** A path as users write it: parts joined by dots, a part with a dot or a quote in double quotes. */
export function displayPath(path: readonly string[]): string {
  return path.map((p) => (/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(p) ? p : `"${p.replace(/"/g, '""')}"`)).join('.');
}
