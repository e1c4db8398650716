import type { ObjectKind, UserStore } from '@tributary/catalog';
import type { AccessControl } from './access-control.ts';
import type { AuditLog } from './audit-log.ts';
import type { AuthService } from './auth-service.ts';

/** Authentication, access control and audit, as the HTTP routes use them (wired in main.ts). */
export interface Security {
  /** TRIBUTARY_AUTH: off, every request acts as the local operator (LOCAL_OPERATOR). */
  readonly enabled: boolean;
  readonly auth: AuthService;
  readonly access: AccessControl;
  readonly audit: AuditLog;
  /** The catalog's users, tokens and grants. */
  readonly users: UserStore;
  /** Requests a user (before sign-in: an address) may make per minute with auth on; 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** The folders sources may read: named to admins when a path is refused. */
  readonly sourceRoots: readonly string[];
  /** The longest statement deadline a user who is not an admin may ask for (queryTimeoutMs; 0: any). */
  readonly maxQueryTimeoutMs: number;
  /** A grantable object's path as the catalog spells it; undefined when there is none (apply-grant.ts). */
  readonly resolveObject: (kind: ObjectKind, path: readonly string[]) => readonly string[] | undefined;
}
