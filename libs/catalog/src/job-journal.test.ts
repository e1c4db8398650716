import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore } from './catalog-store.ts';
import { JOB_FLUSH_MS } from './job-journal.ts';

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

describe('JobJournal (through CatalogStore)', () => {
  it('writes a burst of job changes behind, together, within the flush delay', async () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    store.recordJobStart({ id: 'a', sql: 'select 1' });
    store.markJobQueued('a');
    store.recordJobStart({ id: 'b', sql: 'select 2' });
    store.markJobRunning('a');
    store.recordJobEnd('a', { state: 'completed', rowCount: 3 });
    // Nothing reached the file yet: the event loop did not block on any write.
    expect(jobsInFile(file)).toEqual([]);
    await sleep(JOB_FLUSH_MS * 3);
    expect(jobsInFile(file)).toEqual([
      { id: 'a', state: 'completed', row_count: 3 },
      { id: 'b', state: 'running', row_count: null },
    ]);
    store.close();
  });

  it('keeps a queued state until the job is admitted, in order', () => {
    const store = CatalogStore.open(tempFile());
    store.recordJobStart({ id: 'q', sql: 'select 1' });
    store.markJobQueued('q');
    expect(store.getJob('q')?.state).toBe('queued');
    store.markJobRunning('q');
    expect(store.getJob('q')?.state).toBe('running');
    store.close();
  });

  it('lets readers of the store see every change at once, and close writes what is left', () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    store.recordJobStart({ id: 'x', sql: 'select 1' });
    expect(store.getJob('x')).toMatchObject({ id: 'x', state: 'running' });
    store.recordJobEnd('x', { state: 'failed', errorCode: 'DIVISION_BY_ZERO', errorMessage: 'boom' });
    store.close();
    expect(jobsInFile(file)).toEqual([{ id: 'x', state: 'failed', row_count: null }]);
  });

  it('prunes the oldest finished jobs as starts accumulate', () => {
    const file = tempFile();
    const store = CatalogStore.open(file);
    for (let i = 0; i < 10_600; i++) {
      const id = `j${String(i).padStart(5, '0')}`;
      store.recordJobStart({ id, sql: 'select 1' });
      store.recordJobEnd(id, { state: 'completed', rowCount: 1 });
      if (i % 1000 === 999) store.flushJobs();
    }
    store.flushJobs();
    expect(jobsInFile(file).length).toBe(CatalogStore.JOBS_KEPT);
    store.close();
  });
});
