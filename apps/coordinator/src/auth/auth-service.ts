import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { TokenKind, TokenRecord, UserRecord, UserRole, UserStore } from '@tributary/catalog';
import { RequestError } from '@tributary/common';
import { hashToken, newTokenSecret } from './access-token.ts';
import type { AuditLog } from './audit-log.ts';
import { AUTH_CODES, adminRequired, loginFailed, tokenExpired, tokenInvalid } from './auth-errors.ts';
import { decoyHash, hashPassword, verifyPassword } from './password-hash.ts';
import { scramVerifier } from './scram-verifier.ts';
import type { Principal } from './principal.ts';

const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,127}$/;
const MIN_PASSWORD = 8;
/** scrypt reads the whole password: a bound keeps one request from costing much. */
const MAX_PASSWORD = 1024;
const DAY = 24 * 60 * 60 * 1000;
/** A personal access token lives 30 days unless asked otherwise, at most a year. */
const PAT_DEFAULT_MS = 30 * DAY;
const PAT_MAX_MS = 365 * DAY;

export interface AuthServiceOptions {
  readonly store: UserStore;
  readonly audit: AuditLog;
  /** How long a login's session token lives (config sessionTtlMs). */
  readonly sessionTtlMs: number;
}

/** What POST /apiv2/login answers, in Dremio's shape. */
export interface LoginAnswer {
  readonly token: string;
  readonly userName: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  /** Milliseconds since the epoch, as Dremio gives it. */
  readonly expires: number;
  readonly userId: string;
  readonly admin: boolean;
  readonly userCreatedAt: number;
  readonly permissions: { readonly canUploadProfiles: boolean; readonly canDownloadProfiles: boolean };
}

/** What the API shows of a user: never the password hash. */
export interface UserView {
  readonly id: string;
  readonly name: string;
  readonly role: UserRole;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly email?: string;
  readonly createdAt: string;
}

/** A personal access token as listed, in Dremio's shape: never the secret. */
export interface TokenView {
  readonly tid: string;
  readonly uid: string;
  readonly label: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface NewUserRequest {
  readonly name?: unknown;
  readonly userName?: unknown;
  readonly password?: unknown;
  readonly role?: unknown;
  readonly firstName?: unknown;
  readonly lastName?: unknown;
  readonly email?: unknown;
}

export function userView(user: UserRecord): UserView {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    ...(user.firstName === undefined ? {} : { firstName: user.firstName }),
    ...(user.lastName === undefined ? {} : { lastName: user.lastName }),
    ...(user.email === undefined ? {} : { email: user.email }),
    createdAt: user.createdAt,
  };
}

function tokenView(token: TokenRecord): TokenView {
  return {
    tid: token.id,
    uid: token.userId,
    label: token.label ?? '',
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
  };
}

function checkPassword(password: unknown): string {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD || password.length > MAX_PASSWORD)
    throw new RequestError(
      AUTH_CODES.invalidPassword,
      `"password" must be a string of ${MIN_PASSWORD} to ${MAX_PASSWORD} characters`,
    );
  return password;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > 256)
    throw new RequestError(AUTH_CODES.invalidUser, `"${field}" must be a string of at most 256 characters`);
  return value;
}

/**
 * Users, logins and tokens. A token is a random 256-bit secret the client keeps; the catalog
 * keeps its SHA-256 only, with its kind (a login's session, or a personal access token), its
 * user and its expiry. Checking a token is one hash and one indexed read: no scrypt per
 * request. Passwords are scrypt-hashed off the event loop (password-hash.ts).
 */
export class AuthService {
  /** The hash of the one-time setup token while no user exists (it is never stored). */
  private setupTokenHash: string | undefined;

  constructor(private readonly options: AuthServiceOptions) {}

  private get store(): UserStore {
    return this.options.store;
  }

  /**
   * At start: drops tokens expired long ago; creates the configured first admin when missing; and when
   * auth is on and still no user exists, returns a one-time setup token (for the operator, on
   * stderr) that POST /api/v1/setup exchanges for the first admin.
   */
  async initialize(settings: {
    readonly authEnabled: boolean;
    readonly adminUser: string;
    readonly adminPassword: string;
  }): Promise<{ setupToken?: string }> {
    // Tokens expired a week ago go; younger ones still answer TOKEN_EXPIRED rather than TOKEN_INVALID.
    this.store.pruneExpiredTokens(new Date(Date.now() - 7 * DAY));
    if (settings.adminUser !== '' && !this.store.getUser(settings.adminUser)) {
      const user = this.store.createUser({
        id: randomUUID(),
        name: checkUserName(settings.adminUser),
        role: 'admin',
        passwordHash: await hashPassword(checkPassword(settings.adminPassword)),
        scramVerifier: await scramVerifier(settings.adminPassword),
      });
      this.options.audit.record({
        action: 'user.create',
        target: user.name,
        outcome: 'ok',
        details: { role: 'admin', from: 'TRIBUTARY_ADMIN_USER' },
      });
    }
    if (!settings.authEnabled || this.store.countUsers() > 0) return {};
    const setupToken = newTokenSecret();
    this.setupTokenHash = hashToken(setupToken);
    return { setupToken };
  }

  /** Exchanges the setup token for the first admin; refused once any user exists. */
  async setup(token: unknown, request: NewUserRequest): Promise<UserView> {
    if (this.setupTokenHash === undefined || this.store.countUsers() > 0)
      throw new RequestError(
        AUTH_CODES.setupNotAvailable,
        'setup is over: the first admin exists; sign in with POST /apiv2/login',
        { status: 409 },
      );
    const given = Buffer.from(hashToken(typeof token === 'string' ? token : ''), 'hex');
    if (!timingSafeEqual(given, Buffer.from(this.setupTokenHash, 'hex'))) {
      this.options.audit.record({ action: 'setup', outcome: 'denied' });
      throw new RequestError(
        AUTH_CODES.setupTokenInvalid,
        'the setup token is not the one printed at start (look for "setupToken" in the coordinator\'s log)',
        { status: 401 },
      );
    }
    const user = await this.newUser({ ...request, role: 'admin' });
    this.setupTokenHash = undefined;
    this.options.audit.record({ action: 'setup', actor: user.name, target: user.name, outcome: 'ok' });
    return userView(user);
  }

  /** Signs a user in: a new session token, valid sessionTtlMs. */
  async login(userName: unknown, password: unknown): Promise<LoginAnswer> {
    const name = typeof userName === 'string' ? userName : '';
    const user = name === '' ? undefined : this.store.getUser(name);
    const secret = typeof password === 'string' && password.length <= MAX_PASSWORD ? password : '';
    // An unknown user costs a scrypt too, so timing does not tell names apart.
    const ok = await verifyPassword(secret, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok) {
      // An unknown name is not recorded: it may be a password typed into the wrong field.
      this.options.audit.record({
        action: 'login',
        outcome: 'failed',
        ...(user ? { actor: user.name, target: user.name } : { details: { reason: 'unknown user' } }),
      });
      throw loginFailed();
    }
    const { secret: token, record } = this.issue(user, 'session', undefined, this.options.sessionTtlMs);
    this.options.audit.record({ action: 'login', actor: user.name, target: user.name, outcome: 'ok' });
    return {
      token,
      userName: user.name,
      ...(user.firstName === undefined ? {} : { firstName: user.firstName }),
      ...(user.lastName === undefined ? {} : { lastName: user.lastName }),
      ...(user.email === undefined ? {} : { email: user.email }),
      expires: Date.parse(record.expiresAt),
      userId: user.id,
      admin: user.role === 'admin',
      userCreatedAt: Date.parse(user.createdAt),
      permissions: { canUploadProfiles: true, canDownloadProfiles: true },
    };
  }

  /** Ends the session the principal signed in with (a personal access token stays). */
  logout(principal: Principal): void {
    if (principal.userId === undefined || principal.tokenId === undefined) return;
    this.store.deleteToken(principal.userId, principal.tokenId);
    this.options.audit.record({ action: 'logout', actor: principal.user, outcome: 'ok' });
  }

  /** The principal of a token: TOKEN_INVALID when unknown, TOKEN_EXPIRED when past its expiry. */
  authenticate(token: string): Principal {
    const record = token.length > 512 ? undefined : this.store.findTokenByHash(hashToken(token));
    if (!record) throw tokenInvalid();
    if (Date.parse(record.expiresAt) <= Date.now()) throw tokenExpired();
    const user = this.store.getUserById(record.userId);
    if (!user) throw tokenInvalid();
    return { user: user.name, userId: user.id, admin: user.role === 'admin', tokenId: record.id };
  }

  private issue(
    user: UserRecord,
    kind: TokenKind,
    label: string | undefined,
    lifetimeMs: number,
  ): { secret: string; record: TokenRecord } {
    const secret = newTokenSecret();
    const now = Date.now();
    const record = this.store.createToken({
      id: randomUUID(),
      userId: user.id,
      kind,
      ...(label === undefined ? {} : { label }),
      secretHash: hashToken(secret),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + lifetimeMs).toISOString(),
    });
    return { secret, record };
  }

  /** A personal access token (Dremio: label, millisecondsToExpire); the secret is shown this once. */
  createPersonalToken(
    principal: Principal,
    request: { label?: unknown; millisecondsToExpire?: unknown },
  ): TokenView & { token: string } {
    const user = this.currentUser(principal);
    const { label, millisecondsToExpire } = request;
    if (typeof label !== 'string' || label.trim() === '' || label.length > 128)
      throw new RequestError(
        AUTH_CODES.invalidTokenRequest,
        '"label" must name the token (a non-empty string of at most 128 characters)',
      );
    const lifetime = millisecondsToExpire ?? PAT_DEFAULT_MS;
    if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 1 || lifetime > PAT_MAX_MS)
      throw new RequestError(
        AUTH_CODES.invalidTokenRequest,
        `"millisecondsToExpire" must be a whole number from 1 to ${PAT_MAX_MS} (a year)`,
      );
    const { secret, record } = this.issue(user, 'pat', label, lifetime);
    this.options.audit.record({
      action: 'token.create',
      actor: user.name,
      target: record.id,
      outcome: 'ok',
      details: { label, expiresAt: record.expiresAt },
    });
    return { ...tokenView(record), token: secret };
  }

  listPersonalTokens(principal: Principal): TokenView[] {
    const user = this.currentUser(principal);
    return this.store.listTokens(user.id, 'pat').map(tokenView);
  }

  revokePersonalToken(principal: Principal, tokenId: string): void {
    const user = this.currentUser(principal);
    if (!this.store.deleteToken(user.id, tokenId))
      throw new RequestError(AUTH_CODES.tokenNotFound, `you have no token with id "${tokenId}"`, {
        status: 404,
      });
    this.options.audit.record({ action: 'token.revoke', actor: user.name, target: tokenId, outcome: 'ok' });
  }

  me(principal: Principal): UserView {
    return userView(this.currentUser(principal));
  }

  private currentUser(principal: Principal): UserRecord {
    const user = principal.userId === undefined ? undefined : this.store.getUserById(principal.userId);
    if (!user)
      throw new RequestError(
        AUTH_CODES.userNotFound,
        'this request acts for no user (auth is off): there are no personal tokens or profile to show',
        { status: 404 },
      );
    return user;
  }

  listUsers(principal: Principal): UserView[] {
    if (!principal.admin) throw adminRequired('listing users');
    return this.store.listUsers().map(userView);
  }

  getUser(principal: Principal, name: string): UserView {
    if (!principal.admin && principal.user?.toLowerCase() !== name.toLowerCase())
      throw adminRequired("reading another user's profile");
    return userView(this.requireUser(name));
  }

  async createUser(principal: Principal, request: NewUserRequest): Promise<UserView> {
    if (!principal.admin) throw adminRequired('creating users');
    const user = await this.newUser(request);
    this.options.audit.record({
      action: 'user.create',
      actor: principal.user,
      target: user.name,
      outcome: 'ok',
      details: { role: user.role },
    });
    return userView(user);
  }

  private async newUser(request: NewUserRequest): Promise<UserRecord> {
    const name = checkUserName(request.name ?? request.userName);
    const role = request.role ?? 'user';
    if (role !== 'admin' && role !== 'user')
      throw new RequestError(AUTH_CODES.invalidUser, '"role" must be "admin" or "user"');
    const password = checkPassword(request.password);
    const firstName = optionalText(request.firstName, 'firstName');
    const lastName = optionalText(request.lastName, 'lastName');
    const email = optionalText(request.email, 'email');
    if (this.store.getUser(name))
      throw new RequestError('USER_EXISTS', `a user named "${name}" already exists`, { status: 409 });
    return this.store.createUser({
      id: randomUUID(),
      name,
      role,
      passwordHash: await hashPassword(password),
      scramVerifier: await scramVerifier(password),
      ...(firstName === undefined ? {} : { firstName }),
      ...(lastName === undefined ? {} : { lastName }),
      ...(email === undefined ? {} : { email }),
    });
  }

  /**
   * Changes a password: a user their own (giving the old one), an admin anyone's. Ends the
   * user's sessions; their personal access tokens stay.
   */
  async changePassword(
    principal: Principal,
    name: string,
    request: { password?: unknown; oldPassword?: unknown },
  ): Promise<void> {
    const user = this.requireUser(name);
    const self = principal.userId === user.id;
    if (!principal.admin && !self) throw adminRequired("changing another user's password");
    const password = checkPassword(request.password);
    if (!principal.admin) {
      const old = typeof request.oldPassword === 'string' ? request.oldPassword : '';
      if (!(await verifyPassword(old.slice(0, MAX_PASSWORD), user.passwordHash))) {
        this.options.audit.record({
          action: 'user.password',
          actor: principal.user,
          target: user.name,
          outcome: 'denied',
        });
        throw new RequestError(AUTH_CODES.invalidPassword, '"oldPassword" is not the current password', {
          status: 403,
        });
      }
    }
    this.store.setPassword(user.name, await hashPassword(password), await scramVerifier(password));
    this.options.audit.record({
      action: 'user.password',
      actor: principal.user,
      target: user.name,
      outcome: 'ok',
    });
  }

  /** Removes a user, their tokens and grants; the last admin stays. */
  deleteUser(principal: Principal, name: string): void {
    if (!principal.admin) throw adminRequired('deleting users');
    const user = this.requireUser(name);
    if (user.role === 'admin' && this.store.listUsers().filter((u) => u.role === 'admin').length === 1)
      throw new RequestError(AUTH_CODES.lastAdmin, `"${user.name}" is the last admin and cannot be removed`, {
        status: 409,
      });
    this.store.deleteUser(user.name);
    this.options.audit.record({
      action: 'user.delete',
      actor: principal.user,
      target: user.name,
      outcome: 'ok',
    });
  }

  requireUser(name: string): UserRecord {
    const user = this.store.getUser(name);
    if (!user)
      throw new RequestError(AUTH_CODES.userNotFound, `no user named "${name}"`, {
        status: 404,
      });
    return user;
  }
}

function checkUserName(name: unknown): string {
  if (typeof name !== 'string' || !USER_NAME.test(name))
    throw new RequestError(
      AUTH_CODES.invalidUser,
      'a user "name" must be 1-128 letters, digits, _ . @ or -, not starting with . @ or -',
    );
  return name;
}
