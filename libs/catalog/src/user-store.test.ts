import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore } from './catalog-store.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'users-'));
  dirs.push(dir);
  return join(dir, 'catalog.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const alice = { id: 'u-alice', name: 'alice', role: 'user' as const, passwordHash: 'scrypt$h1' };

describe('UserStore', () => {
  it('keeps users, tokens, grants and audit records across a reopen', () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    store.users.createUser(alice);
    store.users.createToken({
      id: 't1',
      userId: 'u-alice',
      kind: 'pat',
      label: 'bi',
      secretHash: 'hash-1',
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2999-01-01T00:00:00.000Z',
    });
    expect(store.users.grant('source', ['tpch'], 'alice', ['SELECT', 'ALTER'], 'admin')).toEqual([
      'SELECT',
      'ALTER',
    ]);
    store.users.appendAudit({ action: 'login', actor: 'alice', outcome: 'ok' });
    store.close();

    const reopened = CatalogStore.open(file);
    expect(reopened.users.getUser('ALICE')).toMatchObject({ id: 'u-alice', name: 'alice', role: 'user' });
    expect(reopened.users.findTokenByHash('hash-1')).toMatchObject({ id: 't1', kind: 'pat', label: 'bi' });
    expect(reopened.users.findTokenByHash('hash-2')).toBeUndefined();
    expect(reopened.users.listGrants({ grantee: 'alice' }).map((g) => [g.objectPath, g.privilege])).toEqual([
      [['tpch'], 'ALTER'],
      [['tpch'], 'SELECT'],
    ]);
    expect(reopened.users.listAudit(10)).toMatchObject([{ action: 'login', actor: 'alice', outcome: 'ok' }]);
    reopened.close();
  });

  it('refuses a second user of the same name in any case', () => {
    const store = CatalogStore.open(tempFile());
    store.users.createUser(alice);
    expect(() => store.users.createUser({ ...alice, id: 'other', name: 'Alice' })).toThrow(
      expect.objectContaining({ code: 'USER_EXISTS', status: 409 }),
    );
    store.close();
  });

  it('ends sessions but keeps personal tokens when the password changes; deleting a user drops all', () => {
    const store = CatalogStore.open(tempFile());
    const users = store.users;
    users.createUser(alice);
    const token = (id: string, kind: 'session' | 'pat') =>
      users.createToken({
        id,
        userId: 'u-alice',
        kind,
        secretHash: `h-${id}`,
        createdAt: new Date().toISOString(),
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
    token('s1', 'session');
    token('p1', 'pat');
    users.grant('space', ['sales'], 'alice', ['SELECT'], undefined);
    expect(users.setPassword('alice', 'scrypt$h2')).toBe(true);
    expect(users.findTokenByHash('h-s1')).toBeUndefined();
    expect(users.findTokenByHash('h-p1')).toBeDefined();
    expect(users.getUser('alice')?.passwordHash).toBe('scrypt$h2');
    expect(users.deleteUser('alice')).toBe(true);
    expect(users.findTokenByHash('h-p1')).toBeUndefined();
    expect(users.listGrants()).toEqual([]);
    expect(users.deleteUser('alice')).toBe(false);
    store.close();
  });

  it('grants once, revokes what is held, and drops grants on an object and inside it', () => {
    const store = CatalogStore.open(tempFile());
    const users = store.users;
    users.createUser(alice);
    expect(users.grant('source', ['tpch'], 'alice', ['SELECT'], 'admin')).toEqual(['SELECT']);
    expect(users.grant('source', ['tpch'], 'alice', ['SELECT', 'MANAGE'], 'admin')).toEqual(['MANAGE']);
    expect(users.revoke('source', ['tpch'], 'alice', ['SELECT', 'ALTER'])).toEqual(['SELECT']);
    users.grant('view', ['sales', 'q1'], 'alice', ['SELECT'], 'admin');
    users.grant('space', ['salesx'], 'alice', ['SELECT'], 'admin');
    expect(users.listGrants({ objectPath: ['sales', 'q1'] })).toHaveLength(1);
    expect(users.dropGrantsOn(['SALES'])).toBe(1);
    expect(users.listGrants().map((g) => g.objectPath)).toEqual([['salesx'], ['tpch']]);
    store.close();
  });

  it('prunes expired tokens and pages the audit log newest first', () => {
    const store = CatalogStore.open(tempFile());
    const users = store.users;
    users.createUser(alice);
    users.createToken({
      id: 'old',
      userId: 'u-alice',
      kind: 'session',
      secretHash: 'h-old',
      createdAt: '2020-01-01T00:00:00.000Z',
      expiresAt: '2020-01-02T00:00:00.000Z',
    });
    expect(users.pruneExpiredTokens()).toBe(1);
    for (let i = 0; i < 5; i++) users.appendAudit({ action: `a${i}`, outcome: 'ok', details: { i } });
    const first = users.listAudit(2);
    expect(first.map((e) => e.action)).toEqual(['a4', 'a3']);
    expect(users.listAudit(2, first[1].seq).map((e) => e.action)).toEqual(['a2', 'a1']);
    expect(first[0].details).toEqual({ i: 4 });
    store.close();
  });
});
