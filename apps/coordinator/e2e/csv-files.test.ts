import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { expectErrorBody } from './expect-error-body.ts';
import { startTributary, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

/**
 * Messy CSV files through a real service: registered with per-table options, queried on
 * one executor and on two with shuffles forced, compared with DuckDB's read_csv on the same
 * files; bad rows and bad options answer typed errors.
 */

let folder = '';
/** The DuckDB reading of each table (read_csv with the options matching the source's). */
const DUCKDB_TABLES: Record<string, string> = {};

/** A file over 16 MB (two 8 MB splits at least) whose quoted fields span lines. */
function multilineRows(): string {
  const lines = ['id,note,amount,day'];
  for (let i = 0; i < 480_000; i++) {
    const note = i % 97 === 0 ? `"line one\nline ""two"", ${i}"` : `note ${i}`;
    lines.push(`${i},${note},${(i % 1000) / 4},${2000 + (i % 25)}-0${1 + (i % 9)}-1${i % 10}`);
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'tributary-csv-files-'));
  const file = (name: string) => path.join(folder, name);
  await writeFile(file('multiline.csv'), multilineRows());
  DUCKDB_TABLES.multiline = `read_csv('${file('multiline.csv')}')`;
  await writeFile(file('semi.csv'), '\ufeffk;label;price\r\n1;"a;b";1.5\r\n2;NA;2.25\r\n3;c;NA\r\n');
  DUCKDB_TABLES.semi = `read_csv('${file('semi.csv')}', nullstr=['NA', ''])`;
  const packed = ['k,qty'];
  for (let i = 0; i < 20_000; i++) packed.push(`${i % 3},${i}`);
  await writeFile(file('packed.csv.gz'), gzipSync(`${packed.join('\n')}\n`));
  DUCKDB_TABLES.packed = `read_csv('${file('packed.csv.gz')}')`;
  await writeFile(file('ragged.csv'), 'k,v,w\n1,a,1\n2,b\n3,c,3,extra\n1,d,4\n');
  DUCKDB_TABLES.ragged = `read_csv('${file('ragged.csv')}', ignore_errors=true)`;
  // Event times with zones (TIMESTAMP WITH TIME ZONE) beside local ones (TIMESTAMP).
  const events = ['id,happened,local,clock'];
  const zones = ['Z', '+02', '-05:30', '+0530', '+00:00', ''];
  for (let i = 0; i < 300; i++)
    events.push(
      `${i},2024-0${1 + (i % 9)}-1${i % 10}T${10 + (i % 13)}:0${i % 10}:00.${i % 7}${zones[i % zones.length]},` +
        `2024-03-1${i % 10} 0${i % 10}:30:00,${i % 24}:${i % 60}:0${i % 10}.${i % 1000}`,
    );
  await writeFile(file('events.csv'), `${events.join('\n')}\n`);
  DUCKDB_TABLES.events = `read_csv('${file('events.csv')}')`;
});

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

const QUERIES = [
  'SELECT count(*) AS n, sum(id) AS ids, sum(amount) AS amount, min(day) AS first, max(day) AS last FROM {multiline}',
  "SELECT count(*) AS n FROM {multiline} WHERE note LIKE 'line one%'",
  'SELECT day, count(*) AS n, sum(amount) AS amount FROM {multiline} GROUP BY day ORDER BY day LIMIT 5',
  'SELECT * FROM {semi} ORDER BY k',
  'SELECT k, count(*) AS n, sum(qty) AS qty FROM {packed} GROUP BY k ORDER BY k',
  'SELECT * FROM {ragged} ORDER BY v',
  'SELECT * FROM {events} ORDER BY id',
  `SELECT date_trunc('day', happened) AS day, count(*) AS n, min(happened) AS first, max(local) AS last,
          max(happened) > max(local) AS later,
          min(clock) AS early, max(clock) AS late, median(clock) AS mid
   FROM {events} WHERE happened >= TIMESTAMPTZ '2024-02-10 00:00:00+01' GROUP BY 1 ORDER BY 1`,
  `SELECT hour(clock) AS h, count(*) AS n, min(local::DATE + clock) AS first FROM {events}
   WHERE clock BETWEEN TIME '06:00' AND TIME '18:30:00' GROUP BY 1 ORDER BY 1`,
  'SELECT p.k, count(*) AS n, sum(p.qty) AS qty FROM {packed} p JOIN {semi} s ON p.k = s.k GROUP BY p.k ORDER BY p.k',
];

function forTributary(sql: string): string {
  return sql.replace(/\{(\w+)\}/g, 'messy.$1');
}

function forDuckDb(sql: string): string {
  return sql.replace(/\{(\w+)\}/g, (_, name: string) => DUCKDB_TABLES[name]);
}

describe.each<{ executors: number; env: Record<string, string> }>([
  { executors: 1, env: {} },
  { executors: 2, env: { TRIBUTARY_BROADCAST_ROW_LIMIT: '0' } },
])('CSV files on $executors executor(s)', ({ executors, env }) => {
  let service: TributaryProcess | undefined;
  let oracle: DuckDbOracle | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    [service, oracle] = await Promise.all([
      startTributary({ executors, env, sourceRoots: [folder] }),
      DuckDbOracle.open(),
    ]);
    await client.addSource({
      name: 'messy',
      type: 'csv',
      path: folder,
      options: {
        nullStrings: ['NA', ''],
        tables: { ragged: { badRows: 'skip' }, multiline: { nullStrings: [''] } },
      },
    });
  }, 120_000);

  afterAll(async () => {
    oracle?.close();
    await service?.dispose();
  });

  it.each(QUERIES)('%s', async (sql) => {
    const actual = await client.sql(forTributary(sql));
    const expected = await oracle!.query(forDuckDb(sql));
    expect(expected.rows.length).toBeGreaterThan(0);
    expect(compareResults(actual, expected, { ordered: /ORDER BY/.test(sql) })).toEqual([]);
  });

  it('answers a misspelt option and a bad row with typed errors', async () => {
    const misspelt = await client.addSourceAnswer({
      name: 'typo',
      type: 'csv',
      path: folder,
      options: { delimter: ';' },
    });
    const body = expectErrorBody(misspelt, 400, 'SOURCE_OPTION_UNKNOWN');
    expect(body.message).toContain('did you mean "delimiter"');
    await client.addSource({ name: 'strict', type: 'csv', path: path.join(folder, 'ragged.csv') });
    const answer = await client.request('POST', '/api/v1/sql', { sql: 'SELECT * FROM strict.ragged' });
    const error = expectErrorBody(answer, 400, 'CSV_RAGGED_ROW');
    expect(error.message).toContain('ragged.csv" line 3: expected 3 fields, found 2');
  });
});
