import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { compareResults, loadSqliteTables, tributaryTypeName } from '@tributary/common/testing';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBaseFiles, type BaseFile } from './corruption/base-files.ts';
import { caseSeed, mutateBytes, type Mutation } from './corruption/mutate-bytes.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import {
  TributaryClient,
  type ErrorResponseBody,
  type HttpAnswer,
  type ResultColumn,
  type SourceInfo,
  type SqlResult,
} from './tributary-client.ts';

type Format = 'csv' | 'parquet' | 'sqlite';
const FORMATS: readonly Format[] = ['csv', 'parquet', 'sqlite'];

/** Mutations per format; TRIBUTARY_CORRUPTION_CASES overrides it for a longer (or quicker) run. */
const CASES = Number(process.env.TRIBUTARY_CORRUPTION_CASES ?? 2_000);
/** The campaign's seed: every case's own seed derives from it, its format and its number. */
const SEED = Number(process.env.TRIBUTARY_CORRUPTION_SEED ?? 20_261_130);
/** `parquet:123` replays that one case alone (with the seed above). */
const ONLY = process.env.TRIBUTARY_CORRUPTION_CASE;
/** Requests in flight at once, each on its own file. */
const CONCURRENCY = 4;
/**
 * An answer slower than this is a hang: the files are a few dozen KB. Generous, because a
 * Parquet case may wait for task threads that other cases' decoder traps are replacing.
 */
const REQUEST_TIMEOUT_MS = 30_000;
const SLOW_CASE_MS = 1_000;

/**
 * The typed errors a corrupt file may end in. Never INTERNAL_ERROR, EXECUTORS_UNREACHABLE,
 * EXECUTOR_LOST or TASK_CRASHED: those say a process or thread fell over, or a cause went
 * untyped.
 */
const ALLOWED_CODES = new Set([
  'SOURCE_FILE_INVALID',
  'SOURCE_EMPTY',
  'SOURCE_CHANGED',
  'NO_TABLES_FOUND',
  'UNSUPPORTED_TYPE',
  'SQLITE_VALUE_INVALID',
]);
const allowedCode = (code: string): boolean => ALLOWED_CODES.has(code) || code.startsWith('CSV_');

/** What one case ended in: `answered`, `answered, oracle failed`, or an error code. */
interface CaseOutcome {
  readonly outcome: string;
  readonly failure?: string;
}

interface Expected {
  readonly result?: { columns: ResultColumn[]; rows: unknown[][] };
  readonly error?: string;
}

/**
 * 2,000 seeded corruptions each of a CSV, a Parquet and a SQLite file (flipped bits, random
 * and zeroed runs, truncations; a third of them in the footer, header or b-tree page
 * headers), half before registration (discovery reads them on a planner thread) and half
 * after (executors scan them), each read through a running service of 2 executors. Each
 * ends in the answer DuckDB (better-sqlite3 for SQLite) reads from the same mutated file, or
 * any well-formed answer where the oracle cannot read it, or a typed 4xx error of
 * ALLOWED_CODES whose message names the file; never a 5xx, a hang or a lost process.
 */
describe('corruption campaign', () => {
  let service: TributaryProcess | undefined;
  let folder = '';
  let base: Record<Format, BaseFile>;
  let duck: DuckDBInstance;
  let oracle: DuckDBConnection;
  let executorPids: number[] = [];
  let coordinatorPid: number | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');
  /** The registered sources whose files the scan cases overwrite, one per concurrent request. */
  const slots = new Map<Format, SourceInfo[]>();

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'tributary-corruption-'));
    base = await writeBaseFiles(path.join(tpchRoot, 'sf0.01', 'parquet'), folder);
    duck = await DuckDBInstance.create(':memory:', { threads: '1' });
    oracle = await duck.connect();
    service = await startTributary({ executors: 2, sourceRoots: [folder] });
    coordinatorPid = service.pid;
    executorPids = (await service.health()).executors.map((e) => e.pid).sort();
    for (const format of FORMATS) {
      const registered: SourceInfo[] = [];
      for (let slot = 0; slot < CONCURRENCY; slot++) {
        const dir = path.join(folder, `scan-${format}-${slot}`);
        mkdirSync(dir);
        writeFileSync(path.join(dir, `t${slot}.${format}`), base[format].bytes);
        registered.push(
          await client.addSource({
            name: `s_${format}_${slot}`,
            type: format,
            path: path.join(dir, `t${slot}.${format}`),
          }),
        );
      }
      slots.set(format, registered);
    }
    mkdirSync(path.join(folder, 'discover'));
    console.log(
      `corruption campaign: seed ${SEED}, ${CASES} cases per format (replay one with TRIBUTARY_CORRUPTION_SEED=${SEED} TRIBUTARY_CORRUPTION_CASE=format:n)`,
    );
  }, 120_000);

  afterAll(async () => {
    if (process.env.TRIBUTARY_CORRUPTION_LOG) console.log(service?.output());
    await service?.dispose();
    oracle?.closeSync();
    duck?.closeSync();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  /** What the oracle reads from the mutated file, or why it cannot. */
  async function expected(
    format: Format,
    file: string,
    table: SourceInfo['tables'][number],
  ): Promise<Expected> {
    try {
      if (format === 'parquet')
        return { result: await oracleQuery(`SELECT * FROM read_parquet(${literal(file)})`) };
      if (format === 'csv') {
        // Read as the service registered it (names, types, dialect): a corrupt byte must not
        // make the two sniffers disagree rather than the two readers.
        const columns = table.columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ');
        return {
          result: await oracleQuery(
            `SELECT * FROM read_csv(${literal(file)}, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, strict_mode = true, columns = {${columns}})`,
          ),
        };
      }
      const schema = `m${Math.floor(Math.random() * 1e9)}`;
      await oracle.run(`CREATE SCHEMA ${schema}`);
      try {
        await loadSqliteTables(oracle, schema, file, [table.name]);
        return { result: await oracleQuery(`SELECT * FROM ${schema}.${identifier(table.name)}`) };
      } finally {
        await oracle.run(`DROP SCHEMA ${schema} CASCADE`);
      }
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }

  async function oracleQuery(sql: string): Promise<{ columns: ResultColumn[]; rows: unknown[][] }> {
    const reader = await oracle.runAndReadAll(sql);
    const types = reader.columnTypes().map((t) => t.toString());
    const dates = types.map((t) => t === 'DATE');
    return {
      columns: reader.columnNames().map((name, i) => ({ name, type: tributaryTypeName(types[i]) })),
      rows: (reader.getRowsJson() as unknown[][]).map((row) =>
        row.map((value, i) => (dates[i] ? astronomicalDate(value) : value)),
      ),
    };
  }

  /** Judges one answer of the service against the oracle's reading of the same file. */
  function judge(
    answer: HttpAnswer<SqlResult & ErrorResponseBody> | Error,
    file: string,
    oracleSays: () => Promise<Expected>,
  ): Promise<CaseOutcome> | CaseOutcome {
    if (answer instanceof Error) return { outcome: 'no answer', failure: `no answer: ${answer.message}` };
    if (answer.status === 200) {
      const body = answer.body;
      const wellFormed =
        Array.isArray(body?.columns) &&
        Array.isArray(body.rows) &&
        body.rows.every((r) => Array.isArray(r) && r.length === body.columns.length);
      if (!wellFormed) return { outcome: 'answered', failure: `malformed 200: ${answer.text.slice(0, 300)}` };
      return oracleSays().then((expect): CaseOutcome => {
        if (!expect.result) return { outcome: 'answered, oracle failed' };
        const problems = compareResults(body, expect.result, { maxProblems: 2 });
        return problems.length === 0
          ? { outcome: 'answered' }
          : { outcome: 'answered', failure: `answer differs from the oracle: ${problems.join('; ')}` };
      });
    }
    const body = answer.body;
    const code = typeof body?.code === 'string' ? body.code : `HTTP ${answer.status}`;
    const problems: string[] = [];
    if (answer.status < 400 || answer.status >= 500) problems.push(`status ${answer.status}`);
    if (!allowedCode(code)) problems.push(`code ${code} is not one a corrupt file may give`);
    if (typeof body?.message !== 'string' || !body.message.includes(path.basename(file)))
      problems.push('the message does not name the file');
    if (/\n\s+at /.test(answer.text)) problems.push('a stack trace in the body');
    return problems.length === 0
      ? { outcome: code }
      : { outcome: code, failure: `${problems.join(', ')}: ${answer.text.slice(0, 400)}` };
  }

  async function sql(text: string): Promise<HttpAnswer<SqlResult & ErrorResponseBody> | Error> {
    try {
      return await client.sqlAnswer(text, REQUEST_TIMEOUT_MS);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** The tables a case reads: every table for CSV and Parquet (one), orders and nation for SQLite. */
  function tablesToRead(source: SourceInfo): SourceInfo['tables'] {
    return source.tables.slice(0, 3);
  }

  /** Reads every table of `source` from its (mutated) file and judges each answer. */
  async function readTables(format: Format, source: SourceInfo, file: string): Promise<CaseOutcome[]> {
    const outcomes: CaseOutcome[] = [];
    for (const table of tablesToRead(source)) {
      // Sorted, so the whole table is read before the first row goes out: an error mid-stream
      // would cut the response off, and what it was could not be judged.
      const order = table.columns.map((_, i) => i + 1).join(', ');
      const answer = await sql(
        `SELECT * FROM ${identifier(source.name)}.${identifier(table.name)} ORDER BY ${order}`,
      );
      outcomes.push(await judge(answer, file, () => expected(format, file, table)));
    }
    return outcomes;
  }

  /** Mutated before registration: discovery meets the corruption first. */
  async function discoveryCase(format: Format, index: number, mutation: Mutation): Promise<CaseOutcome[]> {
    const file = path.join(folder, 'discover', `m${index}.${format}`);
    writeFileSync(file, mutation.bytes);
    const name = `d_${format}_${index}`;
    let registered: HttpAnswer<SourceInfo & ErrorResponseBody> | Error;
    try {
      registered = await client.request<SourceInfo & ErrorResponseBody>(
        'POST',
        '/api/v1/sources',
        { name, type: format, path: file },
        { timeoutMs: REQUEST_TIMEOUT_MS },
      );
    } catch (error) {
      registered = error instanceof Error ? error : new Error(String(error));
    }
    try {
      if (registered instanceof Error || registered.status !== 201) {
        const outcome = await judge(
          registered as HttpAnswer<SqlResult & ErrorResponseBody> | Error,
          file,
          async () => ({}),
        );
        if (!(registered instanceof Error) && registered.status === 200)
          return [{ outcome: 'registered', failure: `registration answered 200, not 201` }];
        return [{ ...outcome, outcome: `register ${outcome.outcome}` }];
      }
      return await readTables(format, registered.body, file);
    } finally {
      if (!(registered instanceof Error) && registered.status === 201)
        await client.request('DELETE', `/api/v1/sources/${name}`, undefined, {
          timeoutMs: REQUEST_TIMEOUT_MS,
        });
      rmSync(file, { force: true });
    }
  }

  /** Mutated after registration: the executors' scans meet the corruption. */
  async function scanCase(
    format: Format,
    index: number,
    slot: number,
    mutation: Mutation,
  ): Promise<CaseOutcome[]> {
    const source = slots.get(format)![slot];
    const file = path.join(folder, `scan-${format}-${slot}`, `t${slot}.${format}`);
    writeFileSync(file, mutation.bytes);
    // A new mtime a case, so no cache keyed by (size, mtime) serves the bytes of a case before.
    const mtime = 1_700_000_000 + index;
    utimesSync(file, mtime, mtime);
    // A query would refresh the changed file's metadata itself (sourceAutoRefresh); refreshing
    // first tells the case which columns and types the service now reads it with.
    let refreshed: HttpAnswer<ErrorResponseBody> | Error;
    try {
      refreshed = await client.request<ErrorResponseBody>(
        'POST',
        `/api/v1/sources/${source.name}/refresh`,
        undefined,
        { timeoutMs: REQUEST_TIMEOUT_MS },
      );
    } catch (error) {
      refreshed = error instanceof Error ? error : new Error(String(error));
    }
    if (refreshed instanceof Error || refreshed.status !== 200) {
      const outcome = await judge(
        refreshed as HttpAnswer<SqlResult & ErrorResponseBody> | Error,
        file,
        async () => ({}),
      );
      return [{ ...outcome, outcome: `refresh ${outcome.outcome}` }];
    }
    const current = await client.request<SourceInfo>('GET', `/api/v1/sources/${source.name}`);
    return readTables(format, current.body, file);
  }

  const tallies = new Map<Format, Map<string, number>>();
  /** Cases slower than SLOW_CASE_MS, printed: where the campaign's time goes. */
  const slow: string[] = [];
  const failures: string[] = [];

  async function runCampaign(format: Format): Promise<void> {
    const indexes: number[] = [];
    if (ONLY) {
      const [only, n] = ONLY.split(':');
      if (only === format) indexes.push(Number(n));
    } else for (let i = 0; i < CASES; i++) indexes.push(i);
    const tally = new Map<string, number>();
    tallies.set(format, tally);
    let nextIndex = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, slot) => {
        while (nextIndex < indexes.length) {
          const index = indexes[nextIndex++];
          const seed = caseSeed(SEED, format, index);
          const mutation = mutateBytes(base[format].bytes, seed, base[format].hot);
          const path = index % 2 === 0 ? 'discovery' : 'scan';
          const caseStarted = Date.now();
          const outcomes =
            path === 'discovery'
              ? await discoveryCase(format, index, mutation)
              : await scanCase(format, index, slot, mutation);
          const caseMs = Date.now() - caseStarted;
          if (caseMs > SLOW_CASE_MS)
            slow.push(
              `${format}:${index} ${path} ${caseMs} ms (${outcomes.map((o) => o.outcome).join(', ')})`,
            );
          for (const o of outcomes) {
            tally.set(o.outcome, (tally.get(o.outcome) ?? 0) + 1);
            if (o.failure)
              failures.push(
                `${format}:${index} (seed ${seed}, ${path}, ${mutation.description}): ${o.outcome}: ${o.failure}`,
              );
          }
        }
      }),
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `corruption campaign ${format}: ${indexes.length} cases in ${seconds} s: ${[...tally]
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
  }

  for (const format of FORMATS) {
    it(`${format}: every corruption ends in the oracle's answer or a typed error naming the file`, async () => {
      const before = failures.length;
      await runCampaign(format);
      const mine = failures.slice(before);
      for (const f of mine.slice(0, 40)) console.log(`FAILED ${f}`);
      if (slow.length > 0)
        console.log(`${slow.length} slow cases: ${slow.splice(0).slice(0, 20).join('; ')}`);
      // The processes that started the campaign still run it: none crashed or was restarted.
      expect(service!.pid).toBe(coordinatorPid);
      expect((await service!.health()).executors.map((e) => e.pid).sort()).toEqual(executorPids);
      expect(mine, `${mine.length} failing cases, first: ${mine.slice(0, 5).join('\n')}`).toEqual([]);
    }, 1_200_000);
  }

  it('serves a normal query afterwards, on the same processes', async () => {
    const source = slots.get('parquet')![0];
    writeFileSync(path.join(folder, 'scan-parquet-0', 't0.parquet'), base.parquet.bytes);
    const answer = await client.sql(`SELECT count(*) AS n FROM ${source.name}.${source.tables[0].name}`);
    expect(answer.rows).toEqual([['400']]);
    expect(service!.pid).toBe(coordinatorPid);
    const health = await service!.health();
    expect(health.executors.map((e) => e.pid).sort()).toEqual(executorPids);
    expect(health.executors.every((e) => e.state === 'active')).toBe(true);
  });
});

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function identifier(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/**
 * DuckDB writes a date before year 1 as `5877615-12-04 (BC)`; Tributary writes the same day
 * with an astronomical year, `-5877614-12-04` (1 BC is year 0). A corrupt DATE column is
 * full of such days, so the oracle's are rewritten to compare them as values.
 */
function astronomicalDate(value: unknown): unknown {
  const match = typeof value === 'string' ? /^(\d+)(-\d{2}-\d{2}) \(BC\)$/.exec(value) : null;
  if (!match) return value;
  const year = Number(match[1]) - 1;
  return `${year === 0 ? '' : '-'}${String(year).padStart(4, '0')}${match[2]}`;
}
