import { describe, expect, it } from 'vitest';
import { BIGINT, TributaryError, VARCHAR, typeToString } from '@tributary/common';
import { inMemoryCatalog, printPlan, type ViewDefinition } from '@tributary/plan';
import { bindSql } from './bind-sql.ts';
import { tpchTables } from '../testing/tpch-catalog.ts';

const view = (path: string[], sql: string, extra: Partial<ViewDefinition> = {}): ViewDefinition => ({
  path,
  sql,
  context: ['tpch'],
  owner: 'ann',
  columns: [],
  ...extra,
});

const catalog = inMemoryCatalog(
  tpchTables,
  [
    view(['sales', 'asia'], 'SELECT n_nationkey, n_name FROM nation WHERE n_regionkey = 2', {
      columns: [
        { name: 'n_nationkey', type: BIGINT },
        { name: 'n_name', type: VARCHAR },
      ],
    }),
    view(['sales', 'eu', 'named'], 'SELECT n_name AS name FROM sales.asia', { owner: 'bob' }),
    view(['sales', 'loop_a'], 'SELECT * FROM sales.loop_b'),
    view(['sales', 'loop_b'], 'SELECT * FROM sales.loop_a'),
    view(['sales', 'eu', 'north', 'deep'], 'SELECT name FROM sales.eu.named'),
    view(['sales', 'clock'], 'SELECT current_date AS today'),
    view(['sales', 'broken'], 'SELECT n_nationkey,\n  n_gone FROM nation'),
  ],
  ['sales', 'empty'],
);

function bindError(sql: string, context?: string[]): TributaryError {
  try {
    bindSql(sql, catalog, context ? { context } : {});
  } catch (error) {
    if (error instanceof TributaryError) return error;
    throw error;
  }
  throw new Error(`bound: ${sql}`);
}

describe('views', () => {
  it('expands a view in its own context, so its plan joins the query', () => {
    const bound = bindSql('SELECT n_name FROM sales.asia WHERE n_nationkey > 3', catalog);
    if (bound.kind !== 'query') throw new Error('not a query');
    expect(printPlan(bound.plan)).toContain('Scan tpch.nation');
    expect(bound.plan.schema.map((f) => f.name)).toEqual(['n_name']);
    expect(bound.viewColumnChanges).toEqual([]);
  });

  it('reports every table and view read, with the view and its owner for what a view reads', () => {
    const bound = bindSql('SELECT * FROM sales.eu.named, region', catalog);
    expect(bound.reads).toEqual([
      { path: ['sales', 'eu', 'named'], kind: 'view', owner: 'bob' },
      { path: ['sales', 'asia'], kind: 'view', owner: 'ann', via: ['sales', 'eu', 'named'], viaOwner: 'bob' },
      { path: ['tpch', 'nation'], kind: 'table', via: ['sales', 'asia'], viaOwner: 'ann' },
      { path: ['tpch', 'region'], kind: 'table' },
    ]);
  });

  it('marks a statement volatile when its plan holds the clock or catalog rows, through views too', () => {
    const volatile = (sql: string) => bindSql(sql, catalog, { context: ['tpch'] }).volatile;
    expect(volatile('SELECT nation.n_name FROM nation JOIN sales.asia USING (n_nationkey)')).toBe(false);
    expect(volatile('SELECT current_date')).toBe(true);
    expect(volatile("SELECT n_name FROM nation WHERE now() > TIMESTAMP '2020-01-01 00:00:00'")).toBe(true);
    expect(volatile('SELECT * FROM sales.clock')).toBe(true);
    expect(volatile('SELECT count(*) FROM sys.jobs')).toBe(true);
    expect(volatile('SELECT table_name FROM information_schema.tables')).toBe(true);
  });

  it('derives the columns again at use and reports those that changed', () => {
    const bound = bindSql('SELECT * FROM sales.eu.named', catalog);
    expect(bound.viewColumnChanges.map((c) => [c.path.join('.'), c.columns.map((col) => col.name)])).toEqual([
      ['sales.eu.named', ['name']],
    ]);
  });

  it('finds a view by a bare name in the context', () => {
    const bound = bindSql('SELECT count(*) FROM asia', catalog, { context: ['sales'] });
    expect(bound.kind).toBe('query');
  });

  it('reads names of more than three parts (views in nested folders)', () => {
    const bound = bindSql("SELECT d.name FROM sales.eu.north.deep AS d WHERE d.name <> 'x'", catalog);
    expect(bound.reads[0]).toEqual({ path: ['sales', 'eu', 'north', 'deep'], kind: 'view', owner: 'ann' });
    const quoted = bindSql('SELECT * FROM "sales"."eu"."north"."deep"', catalog);
    expect(quoted.kind).toBe('query');
  });

  it('refuses a cycle of views', () => {
    const error = bindError('SELECT * FROM sales.loop_a');
    expect(error.code).toBe('VIEW_CYCLE');
    expect(error.message).toContain('sales.loop_a');
  });

  it('says a view is broken, naming it and what is missing, at the place in its SQL', () => {
    const error = bindError('SELECT * FROM sales.broken');
    expect(error.code).toBe('VIEW_INVALID');
    expect(error.message).toContain('sales.broken');
    expect(error.message).toContain('n_gone');
    expect({ line: error.line, column: error.column }).toEqual({ line: 2, column: 3 });
    expect(error.details).toMatchObject({ view: 'sales.broken', reason: 'COLUMN_NOT_FOUND' });
  });

  it('suggests close names of the same space first', () => {
    const error = bindError('SELECT * FROM sales.asai');
    expect(error.code).toBe('TABLE_NOT_FOUND');
    expect(error.suggestions?.[0]).toBe('sales.asia');
  });
});

describe('catalog commands', () => {
  it('binds CREATE VIEW: its columns now, its SQL as written, the context', () => {
    const bound = bindSql(
      'CREATE OR REPLACE VIEW sales.big AS\nSELECT n_name, n_nationkey * 2 AS k FROM nation;',
      catalog,
      {
        context: ['tpch'],
      },
    );
    if (bound.kind !== 'command' || bound.command.kind !== 'create_view') throw new Error('not create view');
    expect(bound.command.path).toEqual(['sales', 'big']);
    expect(bound.command.sql).toBe('SELECT n_name, n_nationkey * 2 AS k FROM nation');
    expect(bound.command.replace).toBe(true);
    expect(bound.command.context).toEqual(['tpch']);
    expect(bound.command.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual([
      'n_name VARCHAR',
      'k BIGINT',
    ]);
    expect(bound.reads).toEqual([{ path: ['tpch', 'nation'], kind: 'table' }]);
  });

  it('points a CREATE VIEW error at the user text', () => {
    const error = bindError('CREATE VIEW sales.x AS\nSELECT nope FROM tpch.nation');
    expect(error.code).toBe('COLUMN_NOT_FOUND');
    expect({ line: error.line, column: error.column }).toEqual({ line: 2, column: 8 });
  });

  it('refuses a view outside a space, an unknown space or folder, an existing view, a cycle', () => {
    expect(bindError('CREATE VIEW tpch.x AS SELECT 1').code).toBe('INVALID_PATH');
    expect(bindError('CREATE VIEW nospace.x AS SELECT 1').code).toBe('SPACE_NOT_FOUND');
    expect(bindError('CREATE VIEW sales.nofolder.x AS SELECT 1').code).toBe('FOLDER_NOT_FOUND');
    expect(bindError('CREATE VIEW sales.asia AS SELECT 1').code).toBe('VIEW_EXISTS');
    expect(bindError('CREATE OR REPLACE VIEW sales.asia AS SELECT * FROM sales.eu.named').code).toBe(
      'VIEW_CYCLE',
    );
  });

  it('reads DROP VIEW, CREATE/DROP SPACE and FOLDER', () => {
    const command = (sql: string) => {
      const bound = bindSql(sql, catalog);
      if (bound.kind !== 'command') throw new Error('not a command');
      return bound.command;
    };
    expect(command('DROP VIEW IF EXISTS sales.asia')).toEqual({
      kind: 'drop_view',
      path: ['sales', 'asia'],
      ifExists: true,
    });
    expect(command('create space "Big Space"')).toEqual({
      kind: 'create_space',
      name: 'Big Space',
      ifNotExists: false,
    });
    expect(command('DROP SPACE sales CASCADE')).toEqual({
      kind: 'drop_space',
      name: 'sales',
      ifExists: false,
      force: true,
    });
    expect(command('CREATE FOLDER IF NOT EXISTS sales.eu')).toEqual({
      kind: 'create_folder',
      path: ['sales', 'eu'],
      ifNotExists: true,
    });
    expect(bindError('DROP VIEW').code).toBe('SQL_PARSE_ERROR');
  });
});

describe('catalog tables, SHOW and DESCRIBE', () => {
  const rows = (sql: string, context?: string[]) => {
    const bound = bindSql(sql, catalog, context ? { context } : {});
    if (bound.kind !== 'query') throw new Error('not a query');
    return bound.plan;
  };

  it('queries information_schema.columns like a table', () => {
    const plan = rows(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'region'",
    );
    expect(plan.schema.map((f) => f.name)).toEqual(['column_name', 'data_type']);
    expect(printPlan(plan)).toContain('Values');
  });

  it('describes a table, a view and a catalog table in DuckDB shape', () => {
    const plan = rows('DESCRIBE sales.asia');
    expect(plan.schema.map((f) => f.name)).toEqual([
      'column_name',
      'column_type',
      'null',
      'key',
      'default',
      'extra',
    ]);
    if (plan.kind !== 'values') throw new Error('not values');
    expect(plan.rows.map((r) => r[0])).toMatchObject([{ value: 'n_nationkey' }, { value: 'n_name' }]);
    expect(rows('DESCRIBE TABLE region', ['tpch']).kind).toBe('values');
    expect(rows('describe sys.jobs').kind).toBe('values');
  });

  it('rewrites SHOW SCHEMAS and SHOW TABLES onto information_schema', () => {
    expect(rows('SHOW SCHEMAS').schema.map((f) => f.name)).toEqual(['schema_name']);
    expect(rows('SHOW TABLES IN sales').schema.map((f) => f.name)).toEqual(['table_schema', 'table_name']);
    expect(bindError('SHOW COLUMNS').code).toBe('SQL_PARSE_ERROR');
  });
});
