import type { ObjectKind, UserStore } from '@tributary/catalog';
import { RequestError } from '@tributary/common';
import type { GrantStatement } from '@tributary/sql';
import type { AccessControl } from './access-control.ts';
import type { AuditLog } from './audit-log.ts';
import { AUTH_CODES } from './auth-errors.ts';
import type { Principal } from './principal.ts';
import { displayPath } from './privileges.ts';

export interface GrantContext {
  readonly store: UserStore;
  readonly access: AccessControl;
  readonly audit: AuditLog;
  /**
   * The object's path as the catalog spells it, or undefined when there is none. Sources are
   * looked up in the catalog; spaces, folders and views come with the semantic layer.
   */
  readonly resolveObject: (kind: ObjectKind, path: readonly string[]) => readonly string[] | undefined;
}

/** What a catalog command answers (Dremio's one-row result of a DDL statement). */
export interface CommandResult {
  readonly ok: boolean;
  readonly summary: string;
}

/**
 * Applies a GRANT or REVOKE (from SQL, parse-grant.ts, or REST): the principal needs MANAGE on
 * the object (admins have it everywhere), checked before the object is looked up, so that a
 * user cannot probe for objects they may not manage; then the grantee must exist. Granting what
 * is held already, or revoking what is not, changes nothing and says so.
 */
export function applyGrant(
  statement: GrantStatement,
  principal: Principal,
  context: GrantContext,
): CommandResult {
  const { kind: objectKind, path: given } = statement.object;
  context.access.require(principal, 'MANAGE', objectKind, given);
  const path = context.resolveObject(objectKind, given);
  if (!path)
    throw new RequestError(AUTH_CODES.objectNotFound, `no ${objectKind} "${displayPath(given)}"`, {
      status: 404,
    });
  const grantee = context.store.getUser(statement.grantee.name);
  if (!grantee)
    throw new RequestError(AUTH_CODES.userNotFound, `no user named "${statement.grantee.name}"`, {
      status: 404,
    });
  const object = `${objectKind} ${displayPath(path)}`;
  // The privileges and their audit record in one transaction: a crash keeps both or neither.
  const changed = context.store.atomically(() => {
    const changed =
      statement.kind === 'grant'
        ? context.store.grant(objectKind, path, grantee.name, statement.privileges, principal.user)
        : context.store.revoke(objectKind, path, grantee.name, statement.privileges);
    context.audit.record({
      action: statement.kind,
      actor: principal.user,
      target: object,
      outcome: 'ok',
      details: { grantee: grantee.name, privileges: [...statement.privileges], changed },
    });
    return changed;
  });
  const verb = statement.kind === 'grant' ? 'granted' : 'revoked';
  const preposition = statement.kind === 'grant' ? 'to' : 'from';
  if (changed.length === 0)
    return {
      ok: true,
      summary: `nothing changed: user ${grantee.name} ${statement.kind === 'grant' ? 'already holds' : 'holds none of'} ${statement.privileges.join(', ')} on ${object}`,
    };
  return {
    ok: true,
    summary: `${verb} ${changed.join(', ')} on ${object} ${preposition} user ${grantee.name}`,
  };
}
