import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CatalogStore } from './catalog-store.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Frames in the write-ahead log file: a 32-byte header, then a 24-byte header and a page each. */
const walFrames = (file: string) => (statSync(`${file}-wal`).size - 32) / (24 + 4096);

/** Ends jobs `from` to `to` - 1, each committed at once as a query's end is, with a profile of 2 KB. */
function endJobs(store: CatalogStore, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    store.jobs.recordSubmitted({ id: `job-${i}`, sql: `select ${i}` });
    store.jobs.recordEnd(`job-${i}`, {
      state: 'COMPLETED',
      rowCount: i,
      profile: { text: 'x'.repeat(2048) },
    });
  }
}

describe('WalCheckpointer', () => {
  it("takes the log's checkpoints off the catalog's connection and copies every frame itself", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
    dirs.push(dir);
    const file = join(dir, 'catalog.db');
    const store = CatalogStore.open(file);
    const messages: string[] = [];
    // No tick during the writes: whatever is copied before the next phase, the connection copied.
    const idle = store.checkpointInBackground((m) => messages.push(m), 60_000);
    endJobs(store, 0, 600);
    // SQLite's own checkpoint would have restarted the log at 1,000 pages (the file then stays ~1,005).
    const frames = walFrames(file);
    expect(frames).toBeGreaterThan(2_000);
    await idle.stop();

    const busy = WalCheckpointer.start(file, (m) => messages.push(m), 20);
    await busy.untilCheckpointed(frames);
    // Writes go on meanwhile; the thread copies those too.
    endJobs(store, 600, 650);
    await busy.untilCheckpointed(frames + 1);
    await busy.stop();
    store.close();
    expect(messages).toEqual([]);
    // Everything is in the database file: read with the log gone.
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    const db = new Database(file, { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n).toBe(650);
    db.close();
  });
});
