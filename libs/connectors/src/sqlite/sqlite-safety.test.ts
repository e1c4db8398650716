import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, TributaryError, VARCHAR } from '@tributary/common';
import { call, column, literal, sqliteScanStatement, type ScanNode, type TableRef } from '@tributary/plan';
import type { ScanContext, ScanRequest } from '../connector.ts';
import { collect, discoveredTableRef, rowCount, valueAt } from '../test-support.ts';
import {
  checkSqliteIntegrity,
  openSqliteDatabase,
  prepareSelect,
  sqliteSourceError,
} from './open-sqlite-database.ts';
import { SqliteConnector } from './sqlite-connector.ts';

const connector = new SqliteConnector();
const roots = [tmpdir()];
const context: ScanContext = { roots };

const TABLE = 'we"ird; ]tbl ü';
const KEY = 'co"l; ]x ö';
const TEXT = 'na me"]; DROP TABLE canary; --';
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

let tmp: string;
let weird: string;

async function tables(path: string, options: Record<string, unknown> = {}): Promise<TableRef[]> {
  const found = await connector.discover(path, options, { roots });
  return found.map((t) => discoveredTableRef(t, 'sqlite'));
}

async function readAll(t: TableRef, request: ScanRequest, targetSplits = 1) {
  const splits = await connector.planSplits(t, request, targetSplits, context);
  const batches = [];
  for (const split of splits) batches.push(...(await collect(connector.scan(t, split, request, context))));
  return batches;
}

function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A database of `rows` rows in table t (and an index), for corruption. */
function writeDatabase(file: string, rows: number): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, grp INTEGER, name TEXT, amount REAL);
    CREATE INDEX t_grp ON t (grp);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
    INSERT INTO t SELECT i, i % 13, 'name number ' || i, i * 0.5 FROM n;
    CREATE VIEW v AS SELECT grp, count(*) AS n, sum(amount) AS total FROM t GROUP BY grp;`);
  db.close();
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sqlite-safety-'));
  weird = join(tmp, 'weird.db');
  const db = new Database(weird);
  db.exec(`CREATE TABLE ${q(TABLE)} (${q(KEY)} INTEGER, ${q(TEXT)} TEXT);
    CREATE TABLE canary (x INTEGER, note TEXT);
    INSERT INTO canary VALUES (1, 'untouched'), (2, 'still here');`);
  const insert = db.prepare(`INSERT INTO ${q(TABLE)} VALUES (?, ?)`);
  for (let i = 0; i < 50; i++) insert.run(i, i % 2 ? `'; DROP TABLE canary; --` : `a"b];c ${i}`);
  db.close();
});

describe('SQLite safety', () => {
  it('quotes every identifier and binds every value: names with " ; ] spaces and unicode touch nothing else', async () => {
    const before = fileHash(weird);
    const observer = new Database(weird, { readonly: true });
    const version = observer.pragma('data_version', { simple: true });
    const t = (await tables(weird)).find((x) => x.table === TABLE)!;
    expect(t.columns.map((c) => c.name)).toEqual([KEY, TEXT]);
    const textColumn = column(1, TEXT, VARCHAR);
    const filters = [call('eq', [textColumn, literal(`'; DROP TABLE canary; --`, VARCHAR)], BOOLEAN)];
    const plain = await readAll(t, { columns: [0, 1], filters, limit: null });
    expect(rowCount(plain)).toBe(25);
    expect(valueAt(plain, 0, 1)).toBe(`'; DROP TABLE canary; --`);

    // The same through pushed work: a partial aggregate grouped by the text column.
    const pushed: ScanRequest = {
      columns: [],
      filters: [call('gt', [column(0, KEY, BIGINT), literal(3, BIGINT)], BOOLEAN)],
      limit: null,
      pushed: {
        joins: [],
        aggregate: {
          groupBy: [textColumn],
          aggregates: [{ fn: 'count_star', arg: null, distinct: false, type: BIGINT }],
        },
        orderBy: [],
      },
    };
    const grouped = await readAll(t, pushed);
    const counts = new Map<unknown, unknown>();
    for (let r = 0; r < rowCount(grouped); r++) counts.set(valueAt(grouped, r, 0), valueAt(grouped, r, 1));
    expect(counts.get(`'; DROP TABLE canary; --`)).toBe(23n);
    expect(counts.size).toBe(24);

    // The statement reads the one table, with the value bound, not written into the SQL.
    const node: ScanNode = {
      kind: 'scan',
      table: t,
      alias: t.table,
      schema: [],
      ...pushed,
      pushed: pushed.pushed!,
    };
    const statement = sqliteScanStatement(node)!;
    // The column's name (with its quote doubled) is there; the value never is.
    expect(statement.sql).toContain('"na me""]; DROP TABLE canary; --"');
    expect(statement.sql).not.toContain("'; DROP");
    expect(statement.params).toEqual([3]);
    const plan = observer.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.params) as {
      detail: string;
    }[];
    // One table is read (as t0, the only name in FROM): nothing of canary.
    expect(plan.map((p) => p.detail)).toEqual(['SCAN t0', 'USE TEMP B-TREE FOR GROUP BY']);

    expect(observer.prepare('SELECT * FROM canary ORDER BY x').all()).toEqual([
      { x: 1, note: 'untouched' },
      { x: 2, note: 'still here' },
    ]);
    expect(observer.pragma('data_version', { simple: true })).toBe(version);
    observer.close();
    expect(fileHash(weird)).toBe(before);
  });

  it('opens read-only with trusted_schema off, no mmap, query_only, and runs only one SELECT', () => {
    const db = openSqliteDatabase(weird);
    try {
      expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
      expect(db.pragma('mmap_size', { simple: true })).toBe(0);
      expect(db.pragma('query_only', { simple: true })).toBe(1);
      expect(db.readonly).toBe(true);
      const other = join(tmp, 'attached.db');
      expect(() => prepareSelect(db, `ATTACH DATABASE '${other}' AS other`)).toThrow(/single SELECT/);
      expect(() => prepareSelect(db, 'SELECT 1; DROP TABLE canary')).toThrow();
      expect(() => prepareSelect(db, 'PRAGMA query_only = OFF')).toThrow(/single SELECT/);
      expect(() => db.exec('DELETE FROM canary')).toThrow();
      expect(prepareSelect(db, 'SELECT count(*) AS n FROM canary').get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  });

  it('refuses unknown options with a suggestion, and shows the table settings', async () => {
    await expect(connector.discover(weird, { integrityChek: false }, { roots })).rejects.toMatchObject({
      code: 'SOURCE_OPTION_UNKNOWN',
      suggestions: ['integrityCheck'],
    });
    await expect(connector.discover(weird, { integrityCheck: 'yes' }, { roots })).rejects.toMatchObject({
      code: 'SOURCE_OPTION_INVALID',
    });
    const [canary] = (await tables(weird, { integrityCheck: false })).filter((t) => t.table === 'canary');
    expect(connector.tableSettings(canary.location)).toEqual({ table: 'canary', rowidSplits: true });
  });

  it('discovers views with the types of their columns', async () => {
    const file = join(tmp, 'views.db');
    writeDatabase(file, 100);
    const v = (await tables(file)).find((t) => t.table === 'v')!;
    expect(v.columns.map((c) => `${c.name} ${c.type.kind}`)).toEqual([
      'grp BIGINT',
      'n BIGINT',
      'total DOUBLE',
    ]);
    expect(v.location).toMatchObject({ hasRowid: false });
  });
});

describe('damaged SQLite databases', () => {
  it('quick_check refuses a damaged database at registration, naming it', async () => {
    const file = join(tmp, 'damaged.db');
    writeDatabase(file, 20_000);
    expect(() => checkSqliteIntegrity(file)).not.toThrow();
    const bytes = readFileSync(file);
    // Garbage over the middle of the file: table or index pages SQLite reads only when asked.
    bytes.fill(0x5a, Math.floor(bytes.length / 2), Math.floor(bytes.length / 2) + 3000);
    writeFileSync(file, bytes);
    let error: unknown;
    try {
      checkSqliteIntegrity(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TributaryError);
    expect(error).toMatchObject({ code: 'SOURCE_FILE_INVALID', status: expect.any(Number) });
    expect((error as Error).message).toContain(file);
    await expect(connector.discover(file, {}, { roots })).rejects.toMatchObject({
      code: 'SOURCE_FILE_INVALID',
    });
  });

  it('refuses a truncated database at registration, and fails typed at planning and scanning', async () => {
    const file = join(tmp, 'truncated.db');
    writeDatabase(file, 200_000);
    const [t] = (await tables(file)).filter((x) => x.table === 't');
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor(size * 0.6));
    await expect(connector.discover(file, {}, { roots })).rejects.toMatchObject({
      code: 'SOURCE_FILE_INVALID',
      message: expect.stringContaining('truncated'),
    });
    // A table registered before the damage: planning reads rowid bounds, scanning the pages.
    const request: ScanRequest = { columns: [0, 2, 3], filters: [], limit: null };
    let failure: unknown;
    try {
      await readAll(t, request, 4);
    } catch (e) {
      failure = e;
    }
    expect(failure).toBeInstanceOf(TributaryError);
    expect(failure).toMatchObject({ code: 'SOURCE_FILE_INVALID' });
    expect((failure as Error).message).toContain(file);
  });

  it('seeded byte flips end in a typed error naming the database, or in a read', async () => {
    const good = join(tmp, 'good.db');
    writeDatabase(good, 3_000);
    const original = readFileSync(good);
    let seed = 12345;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const outcomes = { read: 0, refused: 0 };
    for (let trial = 0; trial < 60; trial++) {
      const file = join(tmp, `flip-${trial}.db`);
      const bytes = Buffer.from(original);
      const flips = 1 + Math.floor(random() * 8);
      for (let f = 0; f < flips; f++)
        bytes[Math.floor(random() * bytes.length)] ^= 1 + Math.floor(random() * 255);
      if (trial % 5 === 4) writeFileSync(file, bytes.subarray(0, Math.floor(random() * bytes.length)));
      else writeFileSync(file, bytes);
      try {
        // Registration without the check too, so that planning and scanning meet the damage.
        for (const t of await tables(file, { integrityCheck: trial % 2 === 0 })) {
          const request: ScanRequest = { columns: t.columns.map((_, i) => i), filters: [], limit: null };
          await readAll(t, request, 2);
        }
        outcomes.read++;
      } catch (error) {
        expect(error, `trial ${trial}: ${String(error)}`).toBeInstanceOf(TributaryError);
        expect((error as TributaryError).status, `trial ${trial}`).toBeLessThan(500);
        expect((error as Error).message, `trial ${trial}`).toContain(file);
        outcomes.refused++;
      }
    }
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('maps SQLite result codes to typed errors naming the database', () => {
    const sqliteError = (code: string) => Object.assign(new Error('boom'), { code });
    expect(sqliteSourceError(sqliteError('SQLITE_CORRUPT'), '/d.db', 't')).toMatchObject({
      code: 'SOURCE_FILE_INVALID',
      status: 400,
      message: expect.stringContaining('SQLite table "t" of database "/d.db"'),
    });
    expect(sqliteSourceError(sqliteError('SQLITE_BUSY'), '/d.db')).toMatchObject({
      code: 'SQLITE_BUSY',
      status: 503,
    });
    expect(sqliteSourceError(sqliteError('SQLITE_ERROR'), '/d.db')).toMatchObject({
      code: 'SQLITE_READ_FAILED',
    });
  });

  it('checks a file above the size bound by its schema and first pages only', () => {
    const file = join(tmp, 'big-enough.db');
    copyFileSync(weird, file);
    expect(() => checkSqliteIntegrity(file, { maxBytes: 10 })).not.toThrow();
  });
});
