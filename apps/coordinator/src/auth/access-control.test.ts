import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '@tributary/catalog';
import { AccessControl } from './access-control.ts';
import { grantCovers, holdsPrivilege } from './privileges.ts';

describe('privilege resolution', () => {
  it('lets a grant on a source or space cover what is inside it, without case', () => {
    expect(grantCovers(['tpch'], ['tpch', 'nation'])).toBe(true);
    expect(grantCovers(['TPCH'], ['tpch', 'nation'])).toBe(true);
    expect(grantCovers(['tpch', 'nation'], ['tpch', 'nation'])).toBe(true);
    expect(grantCovers(['tpch', 'nation'], ['tpch', 'region'])).toBe(false);
    expect(grantCovers(['tpch', 'nation'], ['tpch'])).toBe(false);
    expect(grantCovers(['tp'], ['tpch', 'nation'])).toBe(false);
    const grants = [{ objectPath: ['sales'], privilege: 'SELECT' as const }];
    expect(holdsPrivilege(grants, 'SELECT', ['sales', 'eu', 'q1'])).toBe(true);
    expect(holdsPrivilege(grants, 'MANAGE', ['sales', 'eu', 'q1'])).toBe(false);
  });
});

describe('AccessControl', () => {
  let dir: string;
  let catalog: CatalogStore;
  let access: AccessControl;
  const alice = { user: 'alice', userId: 'u-a', admin: false };
  const admin = { user: 'root', userId: 'u-r', admin: true };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'access-'));
    catalog = CatalogStore.open(join(dir, 'catalog.db'));
    const users = catalog.users;
    users.createUser({ id: 'u-a', name: 'alice', role: 'user', passwordHash: 'x' });
    users.createUser({ id: 'u-b', name: 'bob', role: 'user', passwordHash: 'x' });
    users.createUser({ id: 'u-r', name: 'root', role: 'admin', passwordHash: 'x' });
    users.grant('source', ['tpch'], 'alice', ['SELECT'], 'root');
    users.grant('view', ['sales', 'q1'], 'alice', ['SELECT'], 'root');
    users.grant('source', ['secret'], 'bob', ['SELECT'], 'root');
    access = new AccessControl(users);
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives admins everything and users what they were granted', () => {
    expect(access.allows(admin, 'MANAGE', ['anything'])).toBe(true);
    expect(access.allows(alice, 'SELECT', ['tpch', 'nation'])).toBe(true);
    expect(access.allows(alice, 'ALTER', ['tpch'])).toBe(false);
    expect(access.allows(alice, 'SELECT', ['secret', 't'])).toBe(false);
    expect(access.allows({ admin: false }, 'SELECT', ['tpch'])).toBe(false);
    expect(() => access.require(alice, 'MANAGE', 'source', ['tpch'])).toThrow(
      expect.objectContaining({
        code: 'ACCESS_DENIED',
        status: 403,
        details: { object: 'tpch', privilege: 'MANAGE' },
      }),
    );
  });

  it("checks direct reads against the user and reads through a view against the view's owner", () => {
    access.checkReads(alice, [{ path: ['tpch', 'nation'], kind: 'table' }]);
    access.checkReads(alice, [{ path: ['sales', 'q1'], kind: 'view' }]);
    expect(() => access.checkReads(alice, [{ path: ['secret', 't'], kind: 'table' }])).toThrow(
      expect.objectContaining({ code: 'ACCESS_DENIED', message: expect.stringContaining('"secret.t"') }),
    );
    // Alice may not read secret.t herself, but a view owned by bob, who may, reads it for her.
    access.checkReads(alice, [
      { path: ['sales', 'q1'], kind: 'view' },
      { path: ['secret', 't'], kind: 'table', via: ['sales', 'q1'], viaOwner: 'bob' },
    ]);
    // A view owned by an admin reads anything; one whose owner may not read fails.
    access.checkReads(alice, [{ path: ['x', 'y'], kind: 'table', via: ['sales', 'q1'], viaOwner: 'root' }]);
    expect(() =>
      access.checkReads(alice, [{ path: ['x', 'y'], kind: 'table', via: ['sales', 'q1'], viaOwner: 'bob' }]),
    ).toThrow(
      expect.objectContaining({ code: 'ACCESS_DENIED', message: expect.stringContaining('its owner "bob"') }),
    );
    expect(() =>
      access.checkReads(alice, [{ path: ['x', 'y'], kind: 'table', via: ['sales', 'q1'], viaOwner: 'gone' }]),
    ).toThrow(expect.objectContaining({ code: 'ACCESS_DENIED' }));
  });

  it('lets the owner of a view read it with no grant on it, and nobody else', () => {
    const own = { path: ['x', 'mine'], kind: 'view', owner: 'Alice' } as const;
    access.checkReads(alice, [own]);
    expect(() => access.checkReads({ user: 'bob', admin: false }, [own])).toThrow(
      expect.objectContaining({ code: 'ACCESS_DENIED' }),
    );
    // Read through bob's view, alice's view needs bob's rights, not hers.
    expect(() => access.checkReads(alice, [{ ...own, via: ['sales', 'q1'], viaOwner: 'bob' }])).toThrow(
      expect.objectContaining({ code: 'ACCESS_DENIED' }),
    );
    access.checkReads({ user: 'bob', admin: false }, [
      { ...own, owner: 'bob', via: ['y', 'v'], viaOwner: 'bob' },
    ]);
    expect(() => access.checkReads(alice, [{ path: ['x', 'y'], kind: 'table', owner: 'alice' }])).toThrow(
      expect.objectContaining({ code: 'ACCESS_DENIED' }),
    );
  });

  it('tells what a user may know of and read under', () => {
    expect(access.maySee(alice, ['tpch'])).toBe(true);
    expect(access.maySee(alice, ['sales'])).toBe(true);
    expect(access.maySee(alice, ['secret'])).toBe(false);
    expect(access.readablePaths(alice)).toEqual([['sales', 'q1'], ['tpch']]);
    expect(access.readablePaths(admin)).toBeUndefined();
    expect(access.readablePaths({ admin: false })).toEqual([]);
  });
});
