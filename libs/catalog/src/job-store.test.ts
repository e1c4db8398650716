import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore } from './catalog-store.ts';
import { JOB_FLUSH_MS } from './job-journal.ts';
import { ANONYMOUS_USER, truncateUtf8 } from './job-store.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'journal-'));
  dirs.push(dir);
  return join(dir, 'catalog.db');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The job rows as another process sees them in the file. */
function jobsInFile(file: string): { id: string; state: string; row_count: number | null }[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT id, state, row_count FROM jobs ORDER BY id').all() as never;
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JobStore and its journal', () => {
  it('writes a burst of job changes behind, together, within the flush delay', async () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    store.jobs.recordSubmitted({ id: 'a', sql: 'select 1' });
    store.jobs.recordQueued('a');
    store.jobs.recordSubmitted({ id: 'b', sql: 'select 2' });
    store.jobs.recordRunning('a', 3);
    store.jobs.recordSubmitted({ id: 'c', sql: 'select 3' });
    // Nothing reached the file yet: the event loop did not block on any write.
    expect(jobsInFile(file)).toEqual([]);
    await sleep(JOB_FLUSH_MS * 3);
    expect(jobsInFile(file)).toEqual([
      { id: 'a', state: 'RUNNING', row_count: null },
      { id: 'b', state: 'PLANNING', row_count: null },
      { id: 'c', state: 'PLANNING', row_count: null },
    ]);
    store.close();
  });

  it("writes a job's end at once, with the changes pending before it (a client is told it next)", () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    store.jobs.recordSubmitted({ id: 'a', sql: 'select 1' });
    store.jobs.recordSubmitted({ id: 'b', sql: 'select 2' });
    store.jobs.recordRunning('a', 3);
    expect(jobsInFile(file)).toEqual([]);
    store.jobs.recordEnd('a', { state: 'COMPLETED', rowCount: 3 });
    // Another connection, as the next process after a crash, sees it without any close or flush.
    expect(jobsInFile(file)).toEqual([
      { id: 'a', state: 'COMPLETED', row_count: 3 },
      { id: 'b', state: 'PLANNING', row_count: null },
    ]);
    store.close();
  });

  it('goes PLANNING → QUEUED → RUNNING → an end state, with times, plan, profile and sources', () => {
    const store = CatalogStore.open(tempFile());
    const jobs = store.jobs;
    jobs.recordSubmitted({ id: 'q', sql: 'select 1', context: 'tpch', user: 'ann', queryType: 'UI' });
    expect(jobs.get('q')).toMatchObject({ state: 'PLANNING', user: 'ann', queryType: 'UI', context: 'tpch' });
    jobs.recordPlanned('q', { plan: 'Projection…', sources: ['tpch.nation'], planningMs: 4.5 });
    jobs.recordQueued('q');
    expect(jobs.get('q')).toMatchObject({ state: 'QUEUED', startedAt: null, sources: ['tpch.nation'] });
    jobs.recordRunning('q', 12);
    expect(jobs.get('q')).toMatchObject({ state: 'RUNNING', queuedMs: 12, planningMs: 4.5 });
    expect(jobs.get('q')?.startedAt).toMatch(/^\d{4}-/);
    jobs.recordEnd('q', {
      state: 'COMPLETED',
      rowCount: 25,
      bytes: 1000,
      profile: { stages: [{ id: 0 }] },
      spooled: true,
    });
    expect(jobs.get('q')).toMatchObject({
      state: 'COMPLETED',
      rowCount: 25,
      bytes: 1000,
      plan: 'Projection…',
      profile: { stages: [{ id: 0 }] },
      resultsSpooled: true,
      reflections: [],
      errorCode: null,
    });
    store.close();
  });

  it('lets readers of the store see every change at once, and close writes what is left', () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    store.jobs.recordSubmitted({ id: 'x', sql: 'select 1' });
    expect(store.jobs.get('x')).toMatchObject({ id: 'x', state: 'PLANNING', user: ANONYMOUS_USER });
    store.jobs.recordEnd('x', { state: 'FAILED', errorCode: 'DIVISION_BY_ZERO', errorMessage: 'boom' });
    store.close();
    expect(jobsInFile(file)).toEqual([{ id: 'x', state: 'FAILED', row_count: null }]);
  });

  it('lists jobs newest first, filtered by state, user, SQL text and time, paged', async () => {
    const store = CatalogStore.open(tempFile());
    const jobs = store.jobs;
    jobs.recordSubmitted({ id: 'j1', sql: 'SELECT * FROM orders', user: 'ann' });
    jobs.recordEnd('j1', { state: 'COMPLETED', rowCount: 1 });
    await sleep(5);
    jobs.recordSubmitted({ id: 'j2', sql: 'select 2' });
    jobs.recordEnd('j2', { state: 'FAILED', errorCode: 'X' });
    await sleep(5);
    const since = new Date().toISOString();
    jobs.recordSubmitted({ id: 'j3', sql: 'select * from ORDERS o', user: 'bob' });
    const ids = (filter: Partial<Parameters<typeof jobs.list>[0]>) =>
      jobs.list({ limit: 100, offset: 0, ...filter }).map((j) => j.id);
    expect(ids({})).toEqual(['j3', 'j2', 'j1']);
    expect(ids({ states: ['COMPLETED', 'FAILED'] })).toEqual(['j2', 'j1']);
    expect(ids({ user: 'ann' })).toEqual(['j1']);
    expect(ids({ user: ANONYMOUS_USER })).toEqual(['j2']);
    expect(ids({ sqlContains: 'from orders' })).toEqual(['j3', 'j1']);
    expect(ids({ since })).toEqual(['j3']);
    expect(ids({ limit: 1, offset: 1 })).toEqual(['j2']);
    store.close();
  });

  it('prunes finished jobs older than the history, keeps going ones, and fails those a stop left going', () => {
    const store = CatalogStore.open(tempFile());
    const jobs = store.jobs;
    for (let i = 0; i < 4; i++) {
      jobs.recordSubmitted({ id: `j${i}`, sql: 'select 1' });
      if (i !== 0) jobs.recordEnd(`j${i}`, { state: 'COMPLETED', rowCount: 1 });
    }
    jobs.historyMs = 60_000;
    expect(jobs.prune(Date.now() + 30_000)).toBe(0);
    expect(jobs.prune(Date.now() + 120_000)).toBe(3);
    expect(jobs.get('j0')?.state).toBe('PLANNING');
    expect(jobs.abandonRunning()).toBe(1);
    expect(jobs.get('j0')).toMatchObject({
      state: 'FAILED',
      errorCode: 'COORDINATOR_RESTARTED',
      errorMessage: expect.stringContaining('stopped while the query ran'),
    });
    expect(jobs.statesOf(['j0', 'j1'])).toEqual(new Map([['j0', 'FAILED']]));
    store.close();
  });

  it('caps SQL text at a byte size without cutting a character', () => {
    expect(truncateUtf8('select 1', 100)).toEqual({ text: 'select 1', truncated: false });
    expect(truncateUtf8('abcdef', 4)).toEqual({ text: 'abcd', truncated: true });
    // 'é' is two bytes: a cut inside it backs off to before it.
    expect(truncateUtf8('abcé', 4)).toEqual({ text: 'abc', truncated: true });
  });
});
