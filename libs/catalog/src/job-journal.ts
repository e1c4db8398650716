import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

/** How long a job change may wait before it is written with the others of its batch. */
export const JOB_FLUSH_MS = 100;

/** How many job submissions pass between prunes of the history. */
const PRUNE_EVERY = 500;

export type JobChange =
  | {
      readonly kind: 'submit';
      readonly id: string;
      readonly sql: string;
      readonly sqlTruncated: boolean;
      readonly context: string | null;
      readonly user: string | null;
      readonly queryType: string;
      readonly at: string;
    }
  | {
      readonly kind: 'planned';
      readonly id: string;
      readonly plan: string | null;
      readonly sourcesJson: string;
      readonly planningMs: number;
      readonly reflectionsJson: string;
      readonly accelerationJson: string | null;
    }
  | { readonly kind: 'queued'; readonly id: string }
  | { readonly kind: 'running'; readonly id: string; readonly at: string; readonly queuedMs: number }
  | {
      readonly kind: 'end';
      readonly id: string;
      readonly state: string;
      readonly at: string;
      readonly rowCount: number | null;
      readonly bytes: number | null;
      readonly errorCode: string | null;
      readonly errorMessage: string | null;
      readonly profileJson: string | null;
      readonly spooled: boolean;
    };

/**
 * The job history's writer. A query changes its job row several times (submitted, planned,
 * queued, admitted, ended), and each write in the catalog's synchronous=FULL mode waits for
 * an fsync on the coordinator's event loop: measured under `npm run load`, about 5 ms a
 * write and half of the event loop's busy time. The journal instead keeps changes in memory
 * and writes them in one transaction at most JOB_FLUSH_MS later (group commit, as databases
 * batch their log flushes), with synchronous=NORMAL for that transaction: WAL mode then
 * writes the rows without waiting for the disk, still safe from corruption; a power loss may
 * forget the last moments of job history (a process crash forgets what was not flushed yet),
 * and jobs left running are marked failed at the next start anyway. Sources keep FULL
 * durability. Every read of jobs flushes first, so readers never see an older state than
 * was recorded.
 *
 * A job's end is the exception to writing behind: it is written at once, with what is
 * pending before it, because a client is told the end (the last byte of a synchronous
 * answer, a server-sent event) right after it is recorded, and a job a client was told
 * COMPLETED must not come back FAILED after a crash of the coordinator (e2e/crash.test.ts).
 * In WAL mode with synchronous=NORMAL that write waits for no fsync: it survives a killed
 * process, not a power loss.
 */
export class JobJournal {
  private pending: JobChange[] = [];
  private timer: NodeJS.Timeout | undefined;
  private submitsSincePrune = 0;
  private readonly statements: { readonly [K in JobChange['kind']]: Statement };

  constructor(
    private readonly db: SqliteDatabase,
    private readonly prune: () => void,
  ) {
    this.statements = {
      submit: db.prepare(
        `INSERT INTO jobs (id, sql, sql_truncated, context, user_name, query_type, state, submitted_at)
         VALUES (?, ?, ?, ?, ?, ?, 'PLANNING', ?)`,
      ),
      planned: db.prepare(
        'UPDATE jobs SET plan = ?, sources_json = ?, planning_ms = ?, reflections_json = ?, acceleration_json = ? WHERE id = ?',
      ),
      queued: db.prepare("UPDATE jobs SET state = 'QUEUED' WHERE id = ? AND state = 'PLANNING'"),
      running: db.prepare(
        "UPDATE jobs SET state = 'RUNNING', started_at = ?, queued_ms = ? WHERE id = ? AND state IN ('PLANNING', 'QUEUED')",
      ),
      end: db.prepare(
        `UPDATE jobs SET state = ?, finished_at = ?, row_count = ?, bytes = ?, error_code = ?, error_message = ?,
           profile_json = ?, results_spooled = ? WHERE id = ?`,
      ),
    };
  }

  record(change: JobChange): void {
    this.pending.push(change);
    if (change.kind === 'submit') this.submitsSincePrune++;
    if (change.kind === 'end') return this.flush();
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
    const s = this.statements;
    this.db.pragma('synchronous = NORMAL');
    try {
      this.db.transaction(() => {
        for (const c of changes) {
          switch (c.kind) {
            case 'submit':
              s.submit.run(c.id, c.sql, c.sqlTruncated ? 1 : 0, c.context, c.user, c.queryType, c.at);
              break;
            case 'planned':
              s.planned.run(c.plan, c.sourcesJson, c.planningMs, c.reflectionsJson, c.accelerationJson, c.id);
              break;
            case 'queued':
              s.queued.run(c.id);
              break;
            case 'running':
              s.running.run(c.at, c.queuedMs, c.id);
              break;
            case 'end':
              s.end.run(
                c.state,
                c.at,
                c.rowCount,
                c.bytes,
                c.errorCode,
                c.errorMessage,
                c.profileJson,
                c.spooled ? 1 : 0,
                c.id,
              );
              break;
          }
        }
      })();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
    if (this.submitsSincePrune >= PRUNE_EVERY) {
      this.submitsSincePrune = 0;
      this.prune();
    }
  }
}
