import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

/** How long a job change may wait before it is written with the others of its batch. */
export const JOB_FLUSH_MS = 100;

/** How many job starts pass between prunes of the oldest finished jobs. */
const PRUNE_EVERY = 500;

type JobChange =
  | {
      readonly kind: 'start';
      readonly id: string;
      readonly sql: string;
      readonly context: string | null;
      readonly at: string;
    }
  | { readonly kind: 'queued'; readonly id: string }
  | { readonly kind: 'running'; readonly id: string }
  | {
      readonly kind: 'end';
      readonly id: string;
      readonly state: string;
      readonly at: string;
      readonly rowCount: number | null;
      readonly errorCode: string | null;
      readonly errorMessage: string | null;
    };

/**
 * The job history's writer. A query changes its job row up to four times (started, queued,
 * admitted, ended), and each write in the catalog's synchronous=FULL mode waits for an fsync
 * on the coordinator's event loop: measured under `npm run load`, about 5 ms a write and half
 * of the event loop's busy time. The journal instead keeps changes in memory and writes them
 * in one transaction at most JOB_FLUSH_MS later (group commit, as databases batch their log
 * flushes), with synchronous=NORMAL for that transaction: WAL mode then writes the rows
 * without waiting for the disk, still safe from corruption; a power loss may forget the
 * last moments of job history (a process crash forgets what was not flushed yet), and jobs
 * left running are marked failed at the next start anyway. Sources keep FULL durability.
 * Every read of jobs flushes first, so readers never see an older state than was recorded.
 */
export class JobJournal {
  private pending: JobChange[] = [];
  private timer: NodeJS.Timeout | undefined;
  private startsSincePrune = 0;
  private readonly statements: {
    readonly start: Statement;
    readonly queued: Statement;
    readonly running: Statement;
    readonly end: Statement;
  };

  constructor(
    private readonly db: SqliteDatabase,
    private readonly prune: () => void,
  ) {
    this.statements = {
      start: db.prepare(
        "INSERT INTO jobs (id, sql, context, state, started_at) VALUES (?, ?, ?, 'running', ?)",
      ),
      queued: db.prepare("UPDATE jobs SET state = 'queued' WHERE id = ? AND state = 'running'"),
      running: db.prepare("UPDATE jobs SET state = 'running' WHERE id = ? AND state = 'queued'"),
      end: db.prepare(
        'UPDATE jobs SET state = ?, finished_at = ?, row_count = ?, error_code = ?, error_message = ? WHERE id = ?',
      ),
    };
  }

  record(change: JobChange): void {
    this.pending.push(change);
    if (change.kind === 'start') this.startsSincePrune++;
    // unref: a pending flush never keeps a process alive; close() writes what is left.
    this.timer ??= setTimeout(() => this.flush(), JOB_FLUSH_MS).unref();
  }

  /** Writes every pending change now, in order, in one transaction. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const changes = this.pending;
    this.pending = [];
    const { start, queued, running, end } = this.statements;
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(() => {
        for (const c of changes) {
          if (c.kind === 'start') start.run(c.id, c.sql, c.context, c.at);
          else if (c.kind === 'queued') queued.run(c.id);
          else if (c.kind === 'running') running.run(c.id);
          else end.run(c.state, c.at, c.rowCount, c.errorCode, c.errorMessage, c.id);
        }
      })();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
    if (this.startsSincePrune >= PRUNE_EVERY) {
      this.startsSincePrune = 0;
      this.prune();
    }
  }
}
