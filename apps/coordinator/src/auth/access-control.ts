import type { GrantRecord, Privilege, UserStore } from '@tributary/catalog';
import type { CatalogRead } from '@tributary/plan';
import { accessDenied } from './auth-errors.ts';
import type { Principal } from './principal.ts';
import { displayPath, grantCovers, holdsPrivilege } from './privileges.ts';

/**
 * Decides what a principal may do with catalog objects: admins (and everyone when auth is
 * off) may do anything; a user what their grants give (privileges.ts: a grant on a source or
 * space covers what it holds). Grants are read from the catalog at each check (one indexed
 * query per user), so a GRANT or REVOKE counts from the next request on.
 */
export class AccessControl {
  constructor(private readonly store: UserStore) {}

  private grantsOf(user: string): GrantRecord[] {
    return this.store.listGrants({ grantee: user });
  }

  allows(principal: Principal, privilege: Privilege, path: readonly string[]): boolean {
    if (principal.admin) return true;
    if (principal.user === undefined) return false;
    return holdsPrivilege(this.grantsOf(principal.user), privilege, path);
  }

  /** ACCESS_DENIED (403) naming the object and the privilege it needs, unless allowed. */
  require(principal: Principal, privilege: Privilege, kind: string, path: readonly string[]): void {
    if (this.allows(principal, privilege, path)) return;
    const who = principal.user === undefined ? 'an anonymous request' : `user "${principal.user}"`;
    throw accessDenied(
      `${who} may not ${VERBS[privilege]} ${kind} "${displayPath(path)}": that needs the ${privilege} privilege on it, or on what holds it`,
      { object: displayPath(path), privilege },
    );
  }

  /**
   * Checks every object a statement reads: what it names itself against the principal, what
   * it reads through a view against the view's owner (a view runs with its owner's rights).
   * The first refused read fails the statement with ACCESS_DENIED naming it.
   */
  checkReads(principal: Principal, reads: readonly CatalogRead[]): void {
    if (principal.admin) return;
    const owners = new Map<string, Principal>();
    // One read of the user's grants for the whole statement.
    const own = principal.user === undefined ? [] : this.grantsOf(principal.user);
    for (const read of reads) {
      if (read.via === undefined) {
        if (!holdsPrivilege(own, 'SELECT', read.path) && !ownedBy(read, principal.user))
          this.require(principal, 'SELECT', read.kind, read.path);
        continue;
      }
      const ownerName = read.viaOwner ?? '';
      if (ownedBy(read, ownerName)) continue;
      let owner = owners.get(ownerName.toLowerCase());
      if (!owner) {
        const record = ownerName === '' ? undefined : this.store.getUser(ownerName);
        owner = record ? { user: record.name, admin: record.role === 'admin' } : { admin: false };
        owners.set(ownerName.toLowerCase(), owner);
      }
      if (!this.allows(owner, 'SELECT', read.path)) {
        throw accessDenied(
          `view "${displayPath(read.via)}" reads ${read.kind} "${displayPath(read.path)}", which its owner ` +
            `${record(ownerName)} may not read (a view runs with its owner's rights)`,
          { object: displayPath(read.path), via: displayPath(read.via), privilege: 'SELECT' },
        );
      }
    }
  }

  /**
   * Whether the principal may know of the object at `path`: they hold some privilege on it,
   * on what holds it, or on something inside it. Others are told it does not exist.
   */
  maySee(principal: Principal, path: readonly string[]): boolean {
    if (principal.admin) return true;
    if (principal.user === undefined) return false;
    return this.grantsOf(principal.user).some(
      (g) => grantCovers(g.objectPath, path) || grantCovers(path, g.objectPath),
    );
  }

  /**
   * The paths under which the principal may read, to keep names they may not see out of
   * "did you mean" suggestions; undefined when they may read everything.
   */
  readablePaths(principal: Principal): string[][] | undefined {
    if (principal.admin) return undefined;
    if (principal.user === undefined) return [];
    return this.grantsOf(principal.user)
      .filter((g) => g.privilege === 'SELECT')
      .map((g) => [...g.objectPath]);
  }
}

const VERBS: Record<Privilege, string> = { SELECT: 'read', ALTER: 'alter', MANAGE: 'manage' };

/** A view read by its own owner: owners may read their views with no grant on them. */
function ownedBy(read: CatalogRead, user: string | undefined): boolean {
  return (
    read.kind === 'view' &&
    typeof read.owner === 'string' &&
    user !== undefined &&
    read.owner.localeCompare(user, undefined, { sensitivity: 'accent' }) === 0
  );
}

function record(owner: string): string {
  return owner === '' ? '(unknown)' : `"${owner}"`;
}
