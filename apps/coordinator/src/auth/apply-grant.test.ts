import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '@tributary/catalog';
import { parseGrant } from '@tributary/sql';
import { AccessControl } from './access-control.ts';
import { applyGrant, type GrantContext } from './apply-grant.ts';
import { AuditLog } from './audit-log.ts';

describe('applyGrant', () => {
  let dir: string;
  let catalog: CatalogStore;
  let context: GrantContext;
  const root = { user: 'root', admin: true };
  const carol = { user: 'carol', admin: false };
  const run = (sql: string, principal: { user: string; admin: boolean }) =>
    applyGrant(parseGrant(sql)!, principal, context);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'grant-'));
    catalog = CatalogStore.open(join(dir, 'catalog.db'));
    for (const name of ['root', 'alice', 'carol'])
      catalog.users.createUser({
        id: name,
        name,
        role: name === 'root' ? 'admin' : 'user',
        passwordHash: 'x',
      });
    const sources = ['tpch', 'Sales'];
    context = {
      store: catalog.users,
      access: new AccessControl(catalog.users),
      audit: new AuditLog(catalog.users, () => undefined),
      resolveObject: (kind, path) => {
        const found = sources.find((s) => s.toLowerCase() === path[0].toLowerCase());
        return kind === 'source' && path.length === 1 && found ? [found] : undefined;
      },
    };
  });
  afterEach(() => {
    catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('grants and revokes as the catalog spells the object, and says when nothing changed', () => {
    expect(run('GRANT SELECT, ALTER ON SOURCE sales TO USER alice', root)).toEqual({
      ok: true,
      summary: 'granted SELECT, ALTER on source Sales to user alice',
    });
    expect(run('GRANT SELECT ON SOURCE sales TO USER ALICE', root).summary).toBe(
      'nothing changed: user alice already holds SELECT on source Sales',
    );
    expect(catalog.users.listGrants({ grantee: 'alice' }).map((g) => g.objectPath)).toEqual([
      ['Sales'],
      ['Sales'],
    ]);
    expect(run('REVOKE ALL ON SOURCE Sales FROM USER alice', root).summary).toBe(
      'revoked SELECT, ALTER on source Sales from user alice',
    );
    expect(run('REVOKE SELECT ON SOURCE Sales FROM alice', root).summary).toMatch(/^nothing changed/);
    expect(
      catalog.users.listAudit(10).filter((e) => e.action === 'grant' || e.action === 'revoke'),
    ).toHaveLength(4);
  });

  it('needs MANAGE on the object, checked before the object is looked up', () => {
    expect(() => run('GRANT SELECT ON SOURCE tpch TO USER alice', carol)).toThrow(
      expect.objectContaining({ code: 'ACCESS_DENIED', status: 403 }),
    );
    // A missing object answers a user without MANAGE the same as an existing one.
    expect(() => run('GRANT SELECT ON SOURCE nowhere TO USER alice', carol)).toThrow(
      expect.objectContaining({ code: 'ACCESS_DENIED' }),
    );
    run('GRANT MANAGE ON SOURCE tpch TO USER carol', root);
    expect(run('GRANT SELECT ON SOURCE tpch TO USER alice', carol).ok).toBe(true);
    expect(() => run('GRANT SELECT ON SOURCE nowhere TO USER alice', root)).toThrow(
      expect.objectContaining({ code: 'OBJECT_NOT_FOUND', status: 404 }),
    );
    expect(() => run('GRANT SELECT ON SPACE s TO USER alice', root)).toThrow(
      expect.objectContaining({ code: 'OBJECT_NOT_FOUND' }),
    );
    expect(() => run('GRANT SELECT ON SOURCE tpch TO USER nobody', root)).toThrow(
      expect.objectContaining({ code: 'USER_NOT_FOUND', status: 404 }),
    );
  });
});
