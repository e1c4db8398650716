import { printPlan } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { bindQuery } from './bind-sql.ts';
import { catalogOid } from './pg-catalog-tables.ts';
import { parseSql } from './parse-sql.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const plan = (sql: string) => printPlan(bindQuery(sql, tpchCatalog, { context: ['tpch'] }));

describe('Postgres clients’ catalog spellings', () => {
  it("reads 'schema.table'::regclass as the relation's OID, in place", () => {
    const sql = "SELECT 1 FROM t WHERE c = 'tpch.nation'::regclass AND d = 'pg_class'::pg_catalog.regclass";
    const parsed = parseSql(sql);
    const where = JSON.stringify(parsed.ast.where);
    expect(where).toContain(`"value":${catalogOid('class', 'tpch.nation')}`);
    expect(where).toContain(`"value":${catalogOid('class', 'pg_catalog.pg_class')}`);
  });

  it('looks bare names up in pg_catalog first, as Postgres does', () => {
    expect(plan('SELECT typname FROM pg_type WHERE oid = 1700')).toContain('Values');
    expect(plan('SELECT n_name FROM nation')).toContain('Scan tpch.nation');
  });

  it("resolves a bare 'name'::regclass along the search path: pg_catalog, then the sources", () => {
    expect(plan("SELECT 'nation'::regclass AS r")).toContain(String(catalogOid('class', 'tpch.nation')));
    expect(plan("SELECT 'pg_type'::regclass AS r")).toContain(
      String(catalogOid('class', 'pg_catalog.pg_type')),
    );
    expect(() => plan("SELECT 'nope'::regclass AS r")).toThrow(/relation "nope" does not exist/);
  });

  it('names a type from its OID with ::regtype::text, and reads a name with ::regtype', () => {
    expect(plan('SELECT 1043::pg_catalog.regtype::pg_catalog.text AS t')).toContain("'character varying'");
    expect(plan("SELECT 'int8'::regtype AS t")).toContain('20');
  });

  it('reads subscripts of any expression and casts to arrays', () => {
    expect(plan('SELECT (ARRAY[n_nationkey, 2])[n_regionkey + 1] AS x FROM nation')).toContain(
      'list_extract(',
    );
    expect(plan("SELECT '{1,2}'::int2[] AS a")).toContain('SMALLINT[]');
  });

  it('binds ~* and !~* as case-insensitive matches anywhere', () => {
    expect(plan("SELECT n_name ~* 'chi', n_name !~* 'x' FROM nation")).toContain(
      "regexp_matches(n_name#1, 'chi', 'i')",
    );
  });
});
