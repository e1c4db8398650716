import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore } from '@tributary/catalog';
import { BIGINT, TributaryError } from '@tributary/common';
import { CommandRunner, commandResultBatch } from './command-runner.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function runner(): { store: CatalogStore; commands: CommandRunner } {
  const dir = mkdtempSync(join(tmpdir(), 'commands-'));
  dirs.push(dir);
  const store = CatalogStore.open(join(dir, 'catalog.db'));
  return { store, commands: new CommandRunner(store) };
}

const createView = (replace: boolean) =>
  ({
    kind: 'create_view',
    path: ['s', 'f', 'v'],
    sql: 'SELECT 1 AS one',
    context: ['tpch'],
    replace,
    columns: [{ name: 'one', type: BIGINT }],
  }) as const;

describe('CommandRunner', () => {
  it('applies each catalog command and answers with its summary', () => {
    const { store, commands } = runner();
    expect(commands.run({ kind: 'create_space', name: 's', ifNotExists: false }, undefined)).toBe(
      'Space [s] has been created',
    );
    expect(commands.run({ kind: 'create_space', name: 'S', ifNotExists: true }, undefined)).toBe(
      'Space [S] already exists',
    );
    expect(commands.run({ kind: 'create_folder', path: ['s', 'f'], ifNotExists: false }, undefined)).toBe(
      'Folder [s.f] has been created',
    );
    expect(commands.run(createView(false), 'ann')).toBe('View [s.f.v] has been created');
    expect(commands.run(createView(true), 'bob')).toBe('View [s.f.v] has been replaced');
    expect(store.namespace.getView(['s', 'f', 'v'])).toMatchObject({ owner: 'ann', context: ['tpch'] });
    expect(
      commands.run({ kind: 'drop_folder', path: ['s', 'f'], ifExists: false, force: true }, undefined),
    ).toBe('Folder [s.f] deleted');
    expect(commands.run({ kind: 'drop_view', path: ['s', 'f', 'v'], ifExists: true }, undefined)).toBe(
      'View [s.f.v] does not exist',
    );
    expect(commands.run({ kind: 'drop_space', name: 's', ifExists: false, force: false }, undefined)).toBe(
      'Space [s] deleted',
    );
    expect(commands.run({ kind: 'drop_space', name: 's', ifExists: true, force: false }, undefined)).toBe(
      'Space [s] does not exist',
    );
    store.close();
  });

  it('fails with the catalog typed error, leaving the catalog as it was', () => {
    const { store, commands } = runner();
    let error: unknown;
    try {
      commands.run(createView(false), undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TributaryError);
    expect((error as TributaryError).code).toBe('SPACE_NOT_FOUND');
    expect(store.namespace.listViews()).toEqual([]);
    store.close();
  });

  it('answers one row: ok, summary', () => {
    const batch = commandResultBatch('View [s.v] deleted');
    expect(batch.numRows).toBe(1);
    expect(batch.schema.fields.map((f) => f.name)).toEqual(['ok', 'summary']);
    expect(batch.getChildAt(0)?.get(0)).toBe(true);
    expect(batch.getChildAt(1)?.get(0)).toBe('View [s.v] deleted');
  });

  it('leaves GRANT and REVOKE to the access layer it is given', () => {
    const statement = {
      kind: 'grant',
      privileges: ['SELECT'],
      object: { kind: 'space', path: ['s'] },
      grantee: { kind: 'user', name: 'ann' },
    } as const;
    const { commands } = runner();
    expect(() => commands.run({ kind: 'change_privileges', statement }, undefined)).toThrow(
      expect.objectContaining({ code: 'GRANTS_UNAVAILABLE' }),
    );
    const dir = mkdtempSync(join(tmpdir(), 'commands-'));
    dirs.push(dir);
    const applied: string[] = [];
    const withAccess = new CommandRunner(CatalogStore.open(join(dir, 'catalog.db')), (command, { user }) => {
      applied.push(`${command.statement.kind} by ${user}`);
      return 'granted';
    });
    expect(withAccess.run({ kind: 'change_privileges', statement }, 'root')).toBe('granted');
    expect(applied).toEqual(['grant by root']);
  });
});
