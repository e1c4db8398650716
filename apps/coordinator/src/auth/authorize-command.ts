import type { CatalogCommand } from '@tributary/sql';
import type { AccessControl } from './access-control.ts';
import { adminRequired } from './auth-errors.ts';
import type { Principal } from './principal.ts';

/**
 * Whether a principal may change the catalog as `command` would (ACCESS_DENIED, 403, if not):
 * creating a space is for admins; creating or replacing a view or folder needs ALTER on it
 * (a grant on the space or folder that holds it covers it); dropping one needs MANAGE on it.
 * Reflection statements need ALTER on their dataset, as in Dremio.
 * SQL and REST ask the same question here (GRANT and REVOKE: applyGrant).
 */
export function authorizeCommand(command: CatalogCommand, principal: Principal, access: AccessControl): void {
  if (principal.admin) return;
  switch (command.kind) {
    case 'create_space':
      throw adminRequired('creating a space');
    case 'drop_space':
      return access.require(principal, 'MANAGE', 'space', [command.name]);
    case 'create_folder':
      return access.require(principal, 'ALTER', 'folder', command.path);
    case 'drop_folder':
      return access.require(principal, 'MANAGE', 'folder', command.path);
    case 'create_view':
      return access.require(principal, 'ALTER', 'view', command.path);
    case 'drop_view':
      return access.require(principal, 'MANAGE', 'view', command.path);
    case 'create_reflection':
    case 'drop_reflection':
    case 'refresh_reflections':
    case 'refresh_method':
    case 'enable_reflections':
      // As Dremio: ALTER on the dataset (a table's is its source's).
      return command.dataset.kind === 'table'
        ? access.require(principal, 'ALTER', 'source', [command.dataset.path[0]])
        : access.require(principal, 'ALTER', 'view', command.dataset.path);
    case 'change_privileges':
      // applyGrant asks for MANAGE on the object itself, before it looks the object up.
      return;
  }
}
