import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorBody } from './expect-error-body.ts';
import { dataRoot, startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

const parquetFolder = path.join(tpchRoot, 'sf0.01', 'parquet');

describe('errors a user can cause', () => {
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');
  // A second source root we can write into, and a folder outside every root.
  const scratch = mkdtempSync(path.join(tmpdir(), 'tributary-e2e-errors-'));
  const root = path.join(scratch, 'root');
  const outside = path.join(scratch, 'outside');

  beforeAll(async () => {
    mkdirSync(root);
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.csv'), 'a,b\n1,2\n');
    writeFileSync(path.join(root, 'ok.csv'), 'a,b\n1,2\n3,4\n');
    symlinkSync(outside, path.join(root, 'escape'));
    symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'escape.csv'));
    writeFileSync(
      path.join(root, 'broken.parquet'),
      Buffer.from('this is not a parquet file at all, just text\n'.repeat(20)),
    );
    writeFileSync(
      path.join(root, 'broken.db'),
      Buffer.from('SQLite format 2\0garbage garbage garbage\n'.repeat(50)),
    );
    service = await startTributary({ executors: 2, sourceRoots: [dataRoot, root] });
    await client.addSource({ name: 'tpq', type: 'parquet', path: parquetFolder });
  });

  afterAll(async () => {
    await service?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('SQL', () => {
    it('reports a syntax error with the line and column of the offending token', async () => {
      const sql =
        'SELECT l_orderkey,\n  l_quantity\nFROM tpq.lineitem\nWHERE l_quantity > 3 ORDER l_orderkey';
      const body = expectErrorBody(await client.sqlAnswer(sql), 400, 'SQL_PARSE_ERROR');
      expect(body.phase).toBe('parse');
      expect({ line: body.line, column: body.column }).toEqual({ line: 4, column: 28 });
    });

    it('reports a second syntax error at its own position', async () => {
      const body = expectErrorBody(
        await client.sqlAnswer('SELECT l_orderkey\nFROM tpq.lineitem\nWHERE x = = 3'),
        400,
        'SQL_PARSE_ERROR',
      );
      expect({ line: body.line, column: body.column }).toEqual({ line: 3, column: 11 });
    });

    it('reports an unknown table', async () => {
      const body = expectErrorBody(
        await client.sqlAnswer('SELECT * FROM tpq.lineitems'),
        400,
        'TABLE_NOT_FOUND',
      );
      expect(body.message).toContain('lineitems');
    });

    it('reports a table of an unknown source', async () => {
      expectErrorBody(await client.sqlAnswer('SELECT * FROM nosuchsource.lineitem'), 400, 'TABLE_NOT_FOUND');
    });

    it('reports an unknown column and suggests the close name', async () => {
      const body = expectErrorBody(
        await client.sqlAnswer('SELECT l_orderkey,\n       l_quantiy\nFROM tpq.lineitem'),
        400,
        'COLUMN_NOT_FOUND',
      );
      expect(body.message).toContain('l_quantiy');
      expect(body.suggestions).toContain('l_quantity');
      if (body.line !== undefined) expect(body.line).toBe(2);
    });

    it('reports an unknown column in WHERE', async () => {
      const body = expectErrorBody(
        await client.sqlAnswer("SELECT COUNT(*) FROM tpq.orders WHERE o_orderstatu = 'F'"),
        400,
        'COLUMN_NOT_FOUND',
      );
      expect(body.suggestions).toContain('o_orderstatus');
    });

    it('reports a type mismatch in an aggregate', async () => {
      expectErrorBody(
        await client.sqlAnswer('SELECT SUM(l_shipmode) FROM tpq.lineitem'),
        400,
        'TYPE_MISMATCH',
      );
    });

    it('reports a type mismatch in arithmetic', async () => {
      expectErrorBody(await client.sqlAnswer('SELECT l_comment * 2 FROM tpq.lineitem'), 400, 'TYPE_MISMATCH');
    });

    it('reports a cast that fails while running with a proper body, not a stack trace', async () => {
      const answer = await client.sqlAnswer('SELECT CAST(l_comment AS INTEGER) AS n FROM tpq.lineitem');
      expect(answer.status, answer.text).toBeGreaterThanOrEqual(400);
      const body = expectErrorBody(answer, answer.status);
      expect(body.message.length).toBeGreaterThan(0);
    });

    it('rejects a request without sql', async () => {
      expectErrorBody(await client.request('POST', '/api/v1/sql', { query: 'SELECT 1' }), 400);
    });

    it('rejects a body that is not JSON', async () => {
      expectErrorBody(
        await client.request('POST', '/api/v1/sql', undefined, { rawBody: '{"sql": "SELECT 1' }),
        400,
      );
    });
  });

  describe('sources', () => {
    it('accepts a file in a second root (the control for the symlink cases)', async () => {
      const answer = await client.addSourceAnswer({
        name: 'okcsv',
        type: 'csv',
        path: path.join(root, 'ok.csv'),
      });
      expect(answer.status, answer.text).toBe(201);
      expect(answer.body.tables).toHaveLength(1);
      const rows = await client.sql(`SELECT COUNT(*) AS n FROM okcsv.${answer.body.tables[0].name}`);
      expect(rows.rows).toEqual([['2']]);
    });

    it('rejects a path outside the roots', async () => {
      expectErrorBody(
        await client.addSourceAnswer({ name: 'etc', type: 'csv', path: '/etc' }),
        400,
        'PATH_NOT_ALLOWED',
      );
      expectErrorBody(
        await client.addSourceAnswer({
          name: 'outside',
          type: 'csv',
          path: path.join(outside, 'secret.csv'),
        }),
        400,
        'PATH_NOT_ALLOWED',
      );
    });

    it('rejects a path that climbs out of the roots with ..', async () => {
      const climbing = `${root}/../outside/secret.csv`;
      expectErrorBody(
        await client.addSourceAnswer({ name: 'climb', type: 'csv', path: climbing }),
        400,
        'PATH_NOT_ALLOWED',
      );
    });

    it('rejects symlinks inside the roots that point outside', async () => {
      expectErrorBody(
        await client.addSourceAnswer({ name: 'escdir', type: 'csv', path: path.join(root, 'escape') }),
        400,
        'PATH_NOT_ALLOWED',
      );
      expectErrorBody(
        await client.addSourceAnswer({ name: 'escfile', type: 'csv', path: path.join(root, 'escape.csv') }),
        400,
        'PATH_NOT_ALLOWED',
      );
    });

    it('rejects a missing path', async () => {
      expectErrorBody(
        await client.addSourceAnswer({ name: 'missing', type: 'csv', path: path.join(root, 'nope.csv') }),
        400,
        'PATH_NOT_FOUND',
      );
    });

    it('rejects a duplicate source name with 409', async () => {
      const first = await client.addSourceAnswer({ name: 'dup', type: 'parquet', path: parquetFolder });
      expect(first.status, first.text).toBe(201);
      expectErrorBody(
        await client.addSourceAnswer({ name: 'dup', type: 'parquet', path: parquetFolder }),
        409,
        'SOURCE_EXISTS',
      );
    });

    it('names the file when a parquet file is corrupt', async () => {
      const body = expectErrorBody(
        await client.addSourceAnswer({
          name: 'brokenpq',
          type: 'parquet',
          path: path.join(root, 'broken.parquet'),
        }),
        400,
      );
      expect(body.message).toContain('broken.parquet');
    });

    it('names the file when a SQLite database is corrupt', async () => {
      const body = expectErrorBody(
        await client.addSourceAnswer({
          name: 'brokendb',
          type: 'sqlite',
          path: path.join(root, 'broken.db'),
        }),
        400,
      );
      expect(body.message).toContain('broken.db');
    });

    it('rejects an unknown source type and a body without a path', async () => {
      expectErrorBody(await client.addSourceAnswer({ name: 'xl', type: 'xlsx', path: parquetFolder }), 400);
      expectErrorBody(await client.request('POST', '/api/v1/sources', { name: 'nopath', type: 'csv' }), 400);
    });

    it('rejects a source body that is not JSON', async () => {
      expectErrorBody(
        await client.request('POST', '/api/v1/sources', undefined, { rawBody: '{"name": "x", ' }),
        400,
      );
    });

    it('registered none of the rejected sources', async () => {
      const answer = await client.request<{ sources: { name: string }[] }>('GET', '/api/v1/sources');
      expect(answer.status).toBe(200);
      const names = answer.body.sources.map((s) => s.name).sort();
      expect(names).toEqual(['dup', 'okcsv', 'tpq']);
    });
  });
});
