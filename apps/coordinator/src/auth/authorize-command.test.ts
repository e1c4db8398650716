import { describe, expect, it } from 'vitest';
import { CatalogStore } from '@tributary/catalog';
import { TributaryError } from '@tributary/common';
import type { CatalogCommand } from '@tributary/sql';
import { AccessControl } from './access-control.ts';
import { authorizeCommand } from './authorize-command.ts';
import type { Principal } from './principal.ts';

describe('authorizeCommand', () => {
  const catalog = CatalogStore.open(':memory:');
  const access = new AccessControl(catalog.users);
  catalog.users.grant('space', ['team'], 'ann', ['ALTER'], 'root');
  catalog.users.grant('space', ['ops'], 'ann', ['MANAGE'], 'root');
  const ann = { user: 'ann', admin: false };
  const code = (command: CatalogCommand, principal: Principal = ann) => {
    try {
      authorizeCommand(command, principal, access);
      return 'allowed';
    } catch (error) {
      return error instanceof TributaryError ? error.code : String(error);
    }
  };
  const view = (path: string[]): CatalogCommand => ({
    kind: 'create_view',
    path,
    sql: 'SELECT 1',
    context: [],
    replace: false,
    columns: [],
  });

  it('lets admins do anything', () => {
    expect(code({ kind: 'create_space', name: 'x', ifNotExists: false }, { admin: true })).toBe('allowed');
  });

  it('keeps creating spaces for admins', () => {
    expect(code({ kind: 'create_space', name: 'x', ifNotExists: false })).toBe('ACCESS_DENIED');
  });

  it('needs ALTER on what holds a new view or folder, MANAGE to drop one', () => {
    expect(code(view(['team', 'v']))).toBe('allowed');
    expect(code(view(['other', 'v']))).toBe('ACCESS_DENIED');
    expect(code({ kind: 'create_folder', path: ['team', 'f'], ifNotExists: false })).toBe('allowed');
    expect(code({ kind: 'drop_view', path: ['team', 'v'], ifExists: false })).toBe('ACCESS_DENIED');
    expect(code({ kind: 'drop_view', path: ['ops', 'v'], ifExists: false })).toBe('allowed');
    expect(code({ kind: 'drop_folder', path: ['ops', 'f'], ifExists: false, force: true })).toBe('allowed');
    expect(code({ kind: 'drop_space', name: 'ops', ifExists: false, force: false })).toBe('allowed');
    expect(code({ kind: 'drop_space', name: 'team', ifExists: false, force: false })).toBe('ACCESS_DENIED');
  });

  it("needs ALTER on the dataset for reflection statements: a table's source, a view or what holds it", () => {
    catalog.users.grant('source', ['lake'], 'ann', ['ALTER'], 'root');
    catalog.users.grant('source', ['ro'], 'ann', ['SELECT'], 'root');
    const refresh = (kind: 'table' | 'view', path: string[]): CatalogCommand => ({
      kind: 'refresh_reflections',
      dataset: { kind, path },
    });
    expect(code(refresh('table', ['lake', 'orders']))).toBe('allowed');
    expect(code(refresh('table', ['ro', 'orders']))).toBe('ACCESS_DENIED');
    expect(code(refresh('view', ['team', 'v']))).toBe('allowed');
    // MANAGE (dropping, granting) is not ALTER.
    expect(code(refresh('view', ['ops', 'v']))).toBe('ACCESS_DENIED');
    expect(code(refresh('view', ['other', 'v']))).toBe('ACCESS_DENIED');
    expect(code({ kind: 'drop_reflection', dataset: { kind: 'table', path: ['ro', 't'] }, name: 'r' })).toBe(
      'ACCESS_DENIED',
    );
  });
});
