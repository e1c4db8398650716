import { describe, expect, it } from 'vitest';
import { ParseError } from '@tributary/common';
import { inMemoryCatalog } from '@tributary/plan';
import { bindSql } from './bind-sql.ts';
import { parseGrant } from './parse-grant.ts';

describe('parseGrant', () => {
  it('leaves every other statement to the SQL parser', () => {
    expect(parseGrant('SELECT 1')).toBeUndefined();
    expect(parseGrant('  -- grant\n select granted from t')).toBeUndefined();
    expect(parseGrant('granted')).toBeUndefined();
  });

  it('parses GRANT on a source, a space and a view, to a user', () => {
    expect(parseGrant('GRANT SELECT ON SOURCE tpch TO USER alice')).toEqual({
      kind: 'grant',
      privileges: ['SELECT'],
      object: { kind: 'source', path: ['tpch'] },
      grantee: { kind: 'user', name: 'alice' },
    });
    expect(parseGrant('grant select, alter on space sales to bob;')).toMatchObject({
      privileges: ['SELECT', 'ALTER'],
      object: { kind: 'space', path: ['sales'] },
      grantee: { name: 'bob' },
    });
    expect(parseGrant('GRANT MANAGE GRANTS ON VIEW sales."Q1 view" TO "Carol D"')).toMatchObject({
      privileges: ['MANAGE'],
      object: { kind: 'view', path: ['sales', 'Q1 view'] },
      grantee: { name: 'Carol D' },
    });
    expect(parseGrant('/* c */ GRANT ALL PRIVILEGES ON FOLDER s.f TO USER u')).toMatchObject({
      privileges: ['SELECT', 'ALTER', 'MANAGE'],
      object: { kind: 'folder', path: ['s', 'f'] },
    });
  });

  it('parses REVOKE … FROM', () => {
    expect(parseGrant('REVOKE SELECT ON SOURCE tpch FROM USER alice')).toEqual({
      kind: 'revoke',
      privileges: ['SELECT'],
      object: { kind: 'source', path: ['tpch'] },
      grantee: { kind: 'user', name: 'alice' },
    });
  });

  it('fails with the position and a suggestion on a malformed statement', () => {
    const attempt = (sql: string) => {
      try {
        parseGrant(sql);
      } catch (error) {
        return error as ParseError;
      }
      throw new Error(`no error for ${sql}`);
    };
    const privilege = attempt('GRANT SELEKT ON SOURCE x TO USER u');
    expect(privilege).toBeInstanceOf(ParseError);
    expect(privilege).toMatchObject({ code: 'SQL_PARSE_ERROR', line: 1, column: 7, suggestions: ['SELECT'] });
    expect(attempt('GRANT SELECT ON SORCE x TO USER u')).toMatchObject({
      column: 17,
      suggestions: ['SOURCE'],
    });
    expect(attempt('GRANT SELECT ON SOURCE x FROM USER u').message).toMatch(/expected TO/);
    expect(attempt('REVOKE SELECT ON SOURCE x TO USER u').message).toMatch(/expected FROM/);
    expect(attempt('GRANT SELECT ON SOURCE x TO ROLE admin').message).toMatch(/granted to users/);
    expect(attempt('GRANT SELECT ON SOURCE x TO USER u extra').message).toMatch(/end of the statement/);
    expect(attempt('GRANT SELECT ON SOURCE TO USER u').message).toMatch(/expected TO, found "u"|expected/);
    expect(attempt('GRANT SELECT ON SOURCE x\nTO').message).toMatch(/expected a user name, found the end/);
  });

  it('is bound as a catalog command, with nothing read', () => {
    const bound = bindSql('GRANT SELECT ON SPACE sales TO USER ann', inMemoryCatalog([]));
    expect(bound).toMatchObject({
      kind: 'command',
      command: { kind: 'change_privileges', statement: { kind: 'grant', grantee: { name: 'ann' } } },
      reads: [],
    });
  });
});
