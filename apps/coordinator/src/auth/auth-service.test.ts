import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '@tributary/catalog';
import { AuditLog } from './audit-log.ts';
import { AuthService } from './auth-service.ts';

describe('AuthService', () => {
  let dir: string;
  let catalog: CatalogStore;
  let lines: string[];
  const service = (sessionTtlMs = 60_000) =>
    new AuthService({
      store: catalog.users,
      audit: new AuditLog(catalog.users, (l) => lines.push(l)),
      sessionTtlMs,
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'auth-'));
    catalog = CatalogStore.open(join(dir, 'catalog.db'));
    lines = [];
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the configured first admin once, and then prints no setup token', async () => {
    const auth = service();
    const settings = { authEnabled: true, adminUser: 'root', adminPassword: 'root-password' };
    expect(await auth.initialize(settings)).toEqual({});
    expect(catalog.users.getUser('root')).toMatchObject({ role: 'admin' });
    expect(await auth.initialize({ ...settings, adminPassword: 'another-password' })).toEqual({});
    // A restart with another configured password keeps the one the admin may have set since.
    await auth.login('root', 'root-password');
    await expect(auth.login('root', 'another-password')).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
  });

  it('exchanges the one-time setup token for the first admin', async () => {
    const auth = service();
    expect(await service().initialize({ authEnabled: false, adminUser: '', adminPassword: '' })).toEqual({});
    const { setupToken } = await auth.initialize({ authEnabled: true, adminUser: '', adminPassword: '' });
    expect(setupToken).toMatch(/^trb_/);
    await expect(
      auth.setup('trb_wrong', { userName: 'root', password: 'root-password' }),
    ).rejects.toMatchObject({ code: 'SETUP_TOKEN_INVALID', status: 401 });
    expect(await auth.setup(setupToken, { userName: 'root', password: 'root-password' })).toMatchObject({
      name: 'root',
      role: 'admin',
    });
    await expect(
      auth.setup(setupToken, { userName: 'again', password: 'root-password' }),
    ).rejects.toMatchObject({
      code: 'SETUP_NOT_AVAILABLE',
      status: 409,
    });
  });

  it('signs in with a session token that expires, in Dremio login shape', async () => {
    const auth = service(300);
    await auth.initialize({ authEnabled: true, adminUser: 'root', adminPassword: 'root-password' });
    const answer = await auth.login('ROOT', 'root-password');
    expect(answer).toMatchObject({ userName: 'root', admin: true, token: expect.stringMatching(/^trb_/) });
    expect(answer.expires).toBeGreaterThan(Date.now());
    expect(auth.authenticate(answer.token)).toMatchObject({ user: 'root', admin: true });
    expect(() => auth.authenticate('trb_unknown')).toThrow(
      expect.objectContaining({ code: 'TOKEN_INVALID' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(() => auth.authenticate(answer.token)).toThrow(
      expect.objectContaining({ code: 'TOKEN_EXPIRED', status: 401 }),
    );
    await expect(auth.login('root', 'wrong-password')).rejects.toMatchObject({
      code: 'LOGIN_FAILED',
      status: 401,
    });
    await expect(auth.login('nobody', 'wrong-password')).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
    const logins = catalog.users.listAudit(10).filter((e) => e.action === 'login');
    expect(logins.map((e) => e.outcome)).toEqual(['failed', 'failed', 'ok']);
    expect(lines.join('\n')).not.toContain('root-password');
    expect(lines.join('\n')).not.toContain(answer.token);
  });

  it('creates, lists and revokes personal access tokens without showing their secret again', async () => {
    const auth = service();
    await auth.initialize({ authEnabled: true, adminUser: 'root', adminPassword: 'root-password' });
    const me = auth.authenticate((await auth.login('root', 'root-password')).token);
    const created = auth.createPersonalToken(me, { label: 'tableau', millisecondsToExpire: 60_000 });
    expect(auth.authenticate(created.token)).toMatchObject({ user: 'root' });
    const listed = auth.listPersonalTokens(me);
    expect(listed).toEqual([
      {
        tid: created.tid,
        uid: me.userId,
        label: 'tableau',
        createdAt: created.createdAt,
        expiresAt: created.expiresAt,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(() => auth.createPersonalToken(me, { label: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_TOKEN_REQUEST' }),
    );
    expect(() => auth.createPersonalToken(me, { label: 'x', millisecondsToExpire: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_TOKEN_REQUEST' }),
    );
    auth.revokePersonalToken(me, created.tid);
    expect(() => auth.authenticate(created.token)).toThrow(
      expect.objectContaining({ code: 'TOKEN_INVALID' }),
    );
    expect(() => auth.revokePersonalToken(me, created.tid)).toThrow(
      expect.objectContaining({ code: 'TOKEN_NOT_FOUND' }),
    );
    expect(catalog.users.listAudit(10).map((e) => e.action)).toEqual(
      expect.arrayContaining(['token.create', 'token.revoke']),
    );
  });

  it('lets admins manage users, users change their own password, and keeps the last admin', async () => {
    const auth = service();
    await auth.initialize({ authEnabled: true, adminUser: 'root', adminPassword: 'root-password' });
    const root = auth.authenticate((await auth.login('root', 'root-password')).token);
    await auth.createUser(root, { name: 'alice', password: 'alice-password' });
    await expect(auth.createUser(root, { name: 'alice', password: 'alice-password' })).rejects.toMatchObject({
      code: 'USER_EXISTS',
    });
    await expect(auth.createUser(root, { name: '../x', password: 'alice-password' })).rejects.toMatchObject({
      code: 'INVALID_USER',
    });
    await expect(auth.createUser(root, { name: 'bob', password: 'short' })).rejects.toMatchObject({
      code: 'INVALID_PASSWORD',
    });
    const aliceToken = (await auth.login('alice', 'alice-password')).token;
    const alice = auth.authenticate(aliceToken);
    await expect(auth.createUser(alice, { name: 'bob', password: 'bob-password' })).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
      status: 403,
    });
    expect(() => auth.listUsers(alice)).toThrow(expect.objectContaining({ code: 'ACCESS_DENIED' }));
    expect(auth.listUsers(root).map((u) => u.name)).toEqual(['alice', 'root']);
    expect(JSON.stringify(auth.listUsers(root))).not.toContain('scrypt');
    await expect(
      auth.changePassword(alice, 'alice', { password: 'new-password', oldPassword: 'bad' }),
    ).rejects.toMatchObject({
      code: 'INVALID_PASSWORD',
      status: 403,
    });
    await auth.changePassword(alice, 'alice', { password: 'new-password', oldPassword: 'alice-password' });
    // The sessions of a user end with a new password.
    expect(() => auth.authenticate(aliceToken)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
    await auth.login('alice', 'new-password');
    await expect(auth.changePassword(alice, 'root', { password: 'new-password' })).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    });
    expect(() => auth.deleteUser(root, 'root')).toThrow(
      expect.objectContaining({ code: 'LAST_ADMIN', status: 409 }),
    );
    auth.deleteUser(root, 'alice');
    expect(() => auth.deleteUser(root, 'alice')).toThrow(
      expect.objectContaining({ code: 'USER_NOT_FOUND', status: 404 }),
    );
  });
});
