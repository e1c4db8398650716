import { describe, expect, it } from 'vitest';
import { BIGINT, VARCHAR } from '@tributary/common';
import { inMemoryCatalog, type TableRef } from '@tributary/plan';
import { bindSql } from './bind-sql.ts';
import { bindFailure } from '../testing/bind-helpers.ts';

const events: TableRef = {
  source: 'lake',
  table: 'events',
  sourceType: 'parquet',
  columns: [
    { name: 'id', type: BIGINT },
    { name: 'kind', type: VARCHAR },
  ],
  location: {},
  unsupportedColumns: [
    { name: 'payload', type: 'BLOB', hint: 'the source option binaryAsString: true reads it as VARCHAR' },
    { name: 'Attrs', type: 'STRUCT' },
  ],
};
const plain: TableRef = { ...events, table: 'plain', unsupportedColumns: undefined };
const catalog = inMemoryCatalog(
  [events, plain],
  [
    {
      path: ['space', 'kinds'],
      sql: 'SELECT id, kind FROM lake.events',
      context: [],
      owner: null,
      columns: [],
    },
  ],
  ['space'],
);

const bindError = (sql: string) => bindFailure(sql, catalog);

describe('a column of a type Tributary cannot read', () => {
  it('is named with its type and the hint, at its position, wherever the query names it', () => {
    const error = bindError('SELECT id,\n  payload FROM lake.events');
    expect(error).toMatchObject({
      code: 'UNSUPPORTED_TYPE',
      message:
        'column "payload" of table "lake.events" has type BLOB, which Tributary does not support; the source option binaryAsString: true reads it as VARCHAR',
      line: 2,
      column: 3,
      details: { source: 'lake', table: 'events', column: 'payload', type: 'BLOB' },
    });
    for (const sql of [
      'SELECT e.attrs FROM lake.events e',
      'SELECT count(*) FROM lake.events WHERE "Attrs" IS NULL',
      'SELECT id FROM lake.events GROUP BY id ORDER BY max(attrs)',
      'SELECT * FROM lake.plain p JOIN lake.events e ON p.id = e.id WHERE e.Attrs IS NOT NULL',
      'CREATE VIEW space.bad AS SELECT payload FROM lake.events',
    ])
      expect(bindError(sql), sql).toMatchObject({
        code: 'UNSUPPORTED_TYPE',
        details: { type: expect.any(String) },
      });
  });

  it('stays out of SELECT *, and other missing names stay COLUMN_NOT_FOUND', () => {
    const bound = bindSql('SELECT * FROM lake.events', catalog);
    expect(bound.kind === 'query' && bound.plan.schema.map((f) => f.name)).toEqual(['id', 'kind']);
    expect(bindError('SELECT kinds FROM lake.events')).toMatchObject({ code: 'COLUMN_NOT_FOUND' });
    expect(bindError('SELECT payload FROM lake.plain')).toMatchObject({ code: 'COLUMN_NOT_FOUND' });
    // A view's columns are its own: the table under it is not what the query names.
    expect(bindError('SELECT payload FROM space.kinds')).toMatchObject({ code: 'COLUMN_NOT_FOUND' });
  });
});
