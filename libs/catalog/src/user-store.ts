import type { Database as SqliteDatabase } from 'better-sqlite3';
import { CatalogError } from '@tributary/common';
import { dropGrantsOn } from './drop-grants-on.ts';

export type UserRole = 'admin' | 'user';

export interface UserRecord {
  readonly id: string;
  readonly name: string;
  readonly role: UserRole;
  /** scrypt parameters, salt and hash in one string (never the password). */
  readonly passwordHash: string;
  /**
   * The password's SCRAM-SHA-256 verifier as Postgres stores it,
   * `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` (base64), for the wire
   * protocol's SCRAM auth; absent for a password set before catalog version 9.
   */
  readonly scramVerifier?: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export type TokenKind = 'session' | 'pat';

export interface TokenRecord {
  readonly id: string;
  readonly userId: string;
  readonly kind: TokenKind;
  /** A personal access token's name; absent for sessions. */
  readonly label?: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export type ObjectKind = 'source' | 'space' | 'folder' | 'view';
export type Privilege = 'SELECT' | 'ALTER' | 'MANAGE';

export interface GrantRecord {
  readonly objectKind: ObjectKind;
  /** The object's full path: [source], [space], [space, ...folders, view]. */
  readonly objectPath: readonly string[];
  readonly grantee: string;
  readonly privilege: Privilege;
  readonly grantedBy?: string;
  readonly grantedAt: string;
}

export interface AuditRecord {
  readonly seq: number;
  readonly at: string;
  /** Who did it; absent when nobody was signed in (auth off, a failed login's unknown user). */
  readonly actor?: string;
  /** `login`, `token.create`, `user.delete`, `source.register`, `grant`, … */
  readonly action: string;
  readonly target?: string;
  readonly outcome: 'ok' | 'denied' | 'failed';
  readonly details?: Record<string, unknown>;
}

export type NewAuditRecord = Omit<AuditRecord, 'seq' | 'at'>;

interface UserRow {
  id: string;
  name: string;
  password_hash: string;
  scram_verifier?: string | null;
  role: UserRole;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  created_at: string;
  updated_at: string;
}

interface TokenRow {
  id: string;
  user_id: string;
  kind: TokenKind;
  label: string | null;
  created_at: string;
  expires_at: string;
}

interface GrantRow {
  object_kind: ObjectKind;
  object_path: string;
  grantee: string;
  privilege: Privilege;
  granted_by: string | null;
  granted_at: string;
}

/**
 * Users, their tokens, privilege grants and the audit log (catalog version 7). It stores only
 * hashes: a password as its scrypt hash, a token as the SHA-256 of its secret, so a copy of
 * the catalog file lets nobody sign in. Every write is one transaction on the catalog's
 * synchronous=FULL connection, so an answered change survives a crash.
 */
export class UserStore {
  constructor(private readonly db: SqliteDatabase) {}

  countUsers(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  createUser(user: Omit<UserRecord, 'createdAt' | 'updatedAt'>): UserRecord {
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      if (this.getUser(user.name))
        throw new CatalogError('USER_EXISTS', `a user named "${user.name}" already exists`, { status: 409 });
      this.db
        .prepare(
          `INSERT INTO users (id, name, password_hash, scram_verifier, role, first_name, last_name, email, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          user.id,
          user.name,
          user.passwordHash,
          user.scramVerifier ?? null,
          user.role,
          user.firstName ?? null,
          user.lastName ?? null,
          user.email ?? null,
          now,
          now,
        );
      return { ...user, createdAt: now, updatedAt: now };
    })();
  }

  /** By name (case-insensitive, as source names are). */
  getUser(name: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as UserRow | undefined;
    return row && toUser(row);
  }

  getUserById(id: string): UserRecord | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  listUsers(): UserRecord[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as UserRow[]).map(toUser);
  }

  /** A new password ends every session of the user (their personal access tokens stay). */
  setPassword(name: string, passwordHash: string, scramVerifier?: string): boolean {
    return this.db.transaction(() => {
      const user = this.getUser(name);
      if (!user) return false;
      this.db
        .prepare('UPDATE users SET password_hash = ?, scram_verifier = ?, updated_at = ? WHERE id = ?')
        .run(passwordHash, scramVerifier ?? null, new Date().toISOString(), user.id);
      this.db.prepare("DELETE FROM user_tokens WHERE user_id = ? AND kind = 'session'").run(user.id);
      return true;
    })();
  }

  /**
   * Stores the SCRAM verifier of a user's current password (computed at a cleartext login of
   * a user whose password predates catalog version 9); false when the password changed meanwhile.
   */
  setScramVerifier(name: string, passwordHash: string, scramVerifier: string): boolean {
    return (
      this.db
        .prepare('UPDATE users SET scram_verifier = ? WHERE name = ? AND password_hash = ?')
        .run(scramVerifier, name, passwordHash).changes > 0
    );
  }

  setRole(name: string, role: UserRole): boolean {
    return (
      this.db
        .prepare('UPDATE users SET role = ?, updated_at = ? WHERE name = ?')
        .run(role, new Date().toISOString(), name).changes > 0
    );
  }

  /** Removes the user with their tokens and the grants made to them. */
  deleteUser(name: string): boolean {
    return this.db.transaction(() => {
      const user = this.getUser(name);
      if (!user) return false;
      this.db.prepare('DELETE FROM grants WHERE grantee = ?').run(user.name);
      this.db.prepare('DELETE FROM users WHERE id = ?').run(user.id);
      return true;
    })();
  }

  /** Stores a token by the hash of its secret; the secret itself is never stored. */
  createToken(token: TokenRecord & { readonly secretHash: string }): TokenRecord {
    this.db
      .prepare(
        'INSERT INTO user_tokens (id, user_id, kind, label, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        token.id,
        token.userId,
        token.kind,
        token.label ?? null,
        token.secretHash,
        token.createdAt,
        token.expiresAt,
      );
    const { secretHash: _secret, ...record } = token;
    return record;
  }

  findTokenByHash(secretHash: string): TokenRecord | undefined {
    const row = this.db
      .prepare(
        'SELECT id, user_id, kind, label, created_at, expires_at FROM user_tokens WHERE secret_hash = ?',
      )
      .get(secretHash) as TokenRow | undefined;
    return row && toToken(row);
  }

  listTokens(userId: string, kind: TokenKind): TokenRecord[] {
    return (
      this.db
        .prepare(
          'SELECT id, user_id, kind, label, created_at, expires_at FROM user_tokens WHERE user_id = ? AND kind = ? ORDER BY created_at',
        )
        .all(userId, kind) as TokenRow[]
    ).map(toToken);
  }

  /** Deletes one token of the user; false when the user has none by that id. */
  deleteToken(userId: string, tokenId: string): boolean {
    return (
      this.db.prepare('DELETE FROM user_tokens WHERE id = ? AND user_id = ?').run(tokenId, userId).changes > 0
    );
  }

  /** Removes tokens that expired before `before`; they could not be used anyway. */
  pruneExpiredTokens(before = new Date()): number {
    return this.db.prepare('DELETE FROM user_tokens WHERE expires_at < ?').run(before.toISOString()).changes;
  }

  /** Adds the privileges not granted yet; returns those that were new. */
  grant(
    objectKind: ObjectKind,
    objectPath: readonly string[],
    grantee: string,
    privileges: readonly Privilege[],
    grantedBy: string | undefined,
  ): Privilege[] {
    const now = new Date().toISOString();
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO grants (object_kind, object_path, grantee, privilege, granted_by, granted_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    return this.db.transaction(() =>
      privileges.filter(
        (p) =>
          insert.run(objectKind, JSON.stringify(objectPath), grantee, p, grantedBy ?? null, now).changes > 0,
      ),
    )();
  }

  /** Removes the privileges held; returns those that were there. */
  revoke(
    objectKind: ObjectKind,
    objectPath: readonly string[],
    grantee: string,
    privileges: readonly Privilege[],
  ): Privilege[] {
    const remove = this.db.prepare(
      'DELETE FROM grants WHERE object_kind = ? AND object_path = ? AND grantee = ? AND privilege = ?',
    );
    return this.db.transaction(() =>
      privileges.filter((p) => remove.run(objectKind, JSON.stringify(objectPath), grantee, p).changes > 0),
    )();
  }

  /** All grants, or those of one grantee, or those on one object. */
  listGrants(filter: { grantee?: string; objectPath?: readonly string[] } = {}): GrantRecord[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.grantee !== undefined) {
      where.push('grantee = ?');
      args.push(filter.grantee);
    }
    if (filter.objectPath !== undefined) {
      where.push('object_path = ?');
      args.push(JSON.stringify(filter.objectPath));
    }
    const sql = `SELECT * FROM grants ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY object_path, grantee, privilege`;
    return (this.db.prepare(sql).all(...args) as GrantRow[]).map((row) => ({
      objectKind: row.object_kind,
      objectPath: JSON.parse(row.object_path) as string[],
      grantee: row.grantee,
      privilege: row.privilege,
      ...(row.granted_by === null ? {} : { grantedBy: row.granted_by }),
      grantedAt: row.granted_at,
    }));
  }

  /**
   * Runs `change` in one transaction (nested ones become savepoints): a change and its audit
   * record are written together, so a crash cannot keep the one without the other.
   */
  atomically<T>(change: () => T): T {
    return this.db.transaction(change)();
  }

  /** Drops every grant on an object and on what lies inside it (the object was removed). */
  dropGrantsOn(objectPath: readonly string[]): number {
    return dropGrantsOn(this.db, objectPath);
  }

  appendAudit(event: NewAuditRecord): AuditRecord {
    const at = new Date().toISOString();
    const { lastInsertRowid } = this.db
      .prepare(
        'INSERT INTO audit_log (at, actor, action, target, outcome, details_json) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        at,
        event.actor ?? null,
        event.action,
        event.target ?? null,
        event.outcome,
        event.details === undefined ? null : JSON.stringify(event.details),
      );
    return { ...event, seq: Number(lastInsertRowid), at };
  }

  /** The newest `limit` audit records, newest first; `before` pages further back. */
  listAudit(limit: number, before?: number): AuditRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM audit_log ${before === undefined ? '' : 'WHERE seq < ?'} ORDER BY seq DESC LIMIT ?`,
      )
      .all(...(before === undefined ? [limit] : [before, limit])) as {
      seq: number;
      at: string;
      actor: string | null;
      action: string;
      target: string | null;
      outcome: AuditRecord['outcome'];
      details_json: string | null;
    }[];
    return rows.map((row) => ({
      seq: row.seq,
      at: row.at,
      action: row.action,
      outcome: row.outcome,
      ...(row.actor === null ? {} : { actor: row.actor }),
      ...(row.target === null ? {} : { target: row.target }),
      ...(row.details_json === null
        ? {}
        : { details: JSON.parse(row.details_json) as Record<string, unknown> }),
    }));
  }
}

function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    ...(row.scram_verifier ? { scramVerifier: row.scram_verifier } : {}),
    ...(row.first_name === null ? {} : { firstName: row.first_name }),
    ...(row.last_name === null ? {} : { lastName: row.last_name }),
    ...(row.email === null ? {} : { email: row.email }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    ...(row.label === null ? {} : { label: row.label }),
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
