import type { Database as SqliteDatabase } from 'better-sqlite3';
import { JobJournal } from './job-journal.ts';

/** Dremio's job states; the first three are a job still going. */
export const JOB_STATES = ['PLANNING', 'QUEUED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELED'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const ACTIVE_JOB_STATES: readonly JobState[] = ['PLANNING', 'QUEUED', 'RUNNING'];

/** How a query reached the service (Dremio's query types, as sys.jobs shows them). */
export const QUERY_TYPES = ['REST', 'UI', 'PGWIRE', 'INTERNAL'] as const;
export type QueryType = (typeof QUERY_TYPES)[number];

/** A job without a user (auth off, or before auth lands) is shown as this user. */
export const ANONYMOUS_USER = 'anonymous';

/** What a job list shows of each job: everything but its plan and profile. */
export interface JobSummary {
  readonly id: string;
  readonly sql: string;
  /** The SQL text was longer than jobSqlMaxBytes: `sql` holds its start only. */
  readonly sqlTruncated: boolean;
  readonly context: string | null;
  readonly user: string;
  readonly queryType: QueryType;
  readonly state: JobState;
  readonly submittedAt: string;
  /** When it was admitted and began to run. */
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly planningMs: number | null;
  readonly queuedMs: number | null;
  readonly rowCount: number | null;
  readonly bytes: number | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** `source.table` of every table it read. */
  readonly sources: string[];
  /** The reflections it used (none until reflections exist). */
  readonly reflections: string[];
  /** Its rows were spooled to disk (a background job), so they can be paged later. */
  readonly resultsSpooled: boolean;
}

/** What planning did with reflections (kept as JSON; libs/reflections says what an item holds). */
export interface JobAcceleration {
  readonly reflectionRelationships: unknown[];
  /** How much older than its sources the data it read was (ms; 0: fresh). */
  readonly dataAgeMs: number;
}

/** A job as its own page shows it: the summary, the plan (EXPLAIN text) and the profile. */
export interface JobRecord extends JobSummary {
  readonly plan: string | null;
  /**
   * What planning did with reflections, as Dremio's v3 job shows it (`reflectionRelationships`:
   * each reflection considered, matched or chosen, with the reason in words); null: none.
   */
  readonly acceleration: JobAcceleration | null;
  /** Per stage: tasks (executor, rows, time) and per-operator figures; JSON kept as written. */
  readonly profile: Record<string, unknown> | null;
}

export interface JobListFilter {
  readonly states?: readonly JobState[];
  readonly user?: string;
  /** A piece of the SQL text (case-insensitive). */
  readonly sqlContains?: string;
  /** Submitted at or after this ISO time. */
  readonly since?: string;
  readonly limit: number;
  readonly offset: number;
}

interface JobRow {
  id: string;
  sql: string;
  sql_truncated: number;
  context: string | null;
  user_name: string | null;
  query_type: string;
  state: string;
  submitted_at: string;
  started_at: string | null;
  finished_at: string | null;
  planning_ms: number | null;
  queued_ms: number | null;
  row_count: number | null;
  bytes: number | null;
  error_code: string | null;
  error_message: string | null;
  sources_json: string;
  reflections_json: string;
  results_spooled: number;
  plan?: string | null;
  profile_json?: string | null;
  acceleration_json?: string | null;
}

const SUMMARY_COLUMNS = `id, sql, sql_truncated, context, user_name, query_type, state, submitted_at, started_at,
  finished_at, planning_ms, queued_ms, row_count, bytes, error_code, error_message, sources_json, reflections_json,
  results_spooled`;

/** `text` cut to at most `maxBytes` of UTF-8, never inside a character. */
export function truncateUtf8(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text);
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let end = maxBytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls between characters.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}

function toSummary(row: JobRow): JobSummary {
  return {
    id: row.id,
    sql: row.sql,
    sqlTruncated: row.sql_truncated === 1,
    context: row.context,
    user: row.user_name ?? ANONYMOUS_USER,
    queryType: row.query_type as QueryType,
    state: row.state as JobState,
    submittedAt: row.submitted_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    planningMs: row.planning_ms,
    queuedMs: row.queued_ms,
    rowCount: row.row_count,
    bytes: row.bytes,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    sources: JSON.parse(row.sources_json) as string[],
    reflections: JSON.parse(row.reflections_json) as string[],
    resultsSpooled: row.results_spooled === 1,
  };
}

/**
 * The job history in the catalog: one row per query, written behind in batches (JobJournal
 * says why), read by the jobs API. Every read flushes the journal first.
 */
export class JobStore {
  private readonly journal: JobJournal;
  /** Finished jobs older than this are pruned (jobHistoryDays); 0 keeps them all. */
  historyMs = 30 * 24 * 3600_000;

  constructor(private readonly db: SqliteDatabase) {
    this.journal = new JobJournal(db, () => this.prune());
  }

  recordSubmitted(job: {
    id: string;
    sql: string;
    sqlTruncated?: boolean;
    context?: string;
    user?: string;
    queryType?: QueryType;
  }): void {
    this.journal.record({
      kind: 'submit',
      id: job.id,
      sql: job.sql,
      sqlTruncated: job.sqlTruncated ?? false,
      context: job.context ?? null,
      user: job.user ?? null,
      queryType: job.queryType ?? 'REST',
      at: new Date().toISOString(),
    });
  }

  recordPlanned(
    id: string,
    planned: {
      plan?: string;
      sources: readonly string[];
      planningMs: number;
      /** The ids of the reflections the plan reads. */
      reflections?: readonly string[];
      acceleration?: JobAcceleration;
    },
  ): void {
    this.journal.record({
      kind: 'planned',
      id,
      plan: planned.plan ?? null,
      sourcesJson: JSON.stringify(planned.sources),
      planningMs: Math.round(planned.planningMs * 100) / 100,
      reflectionsJson: JSON.stringify(planned.reflections ?? []),
      accelerationJson: planned.acceleration ? JSON.stringify(planned.acceleration) : null,
    });
  }

  /** A planned job waits for its turn. */
  recordQueued(id: string): void {
    this.journal.record({ kind: 'queued', id });
  }

  /** The job was admitted and runs. */
  recordRunning(id: string, queuedMs: number): void {
    this.journal.record({
      kind: 'running',
      id,
      at: new Date().toISOString(),
      queuedMs: Math.round(queuedMs * 100) / 100,
    });
  }

  recordEnd(
    id: string,
    outcome: {
      state: 'COMPLETED' | 'FAILED' | 'CANCELED';
      rowCount?: number;
      bytes?: number;
      errorCode?: string;
      errorMessage?: string;
      profile?: Record<string, unknown>;
      spooled?: boolean;
    },
  ): void {
    this.journal.record({
      kind: 'end',
      id,
      state: outcome.state,
      at: new Date().toISOString(),
      rowCount: outcome.rowCount ?? null,
      bytes: outcome.bytes ?? null,
      errorCode: outcome.errorCode ?? null,
      errorMessage: outcome.errorMessage ?? null,
      profileJson: outcome.profile ? JSON.stringify(outcome.profile) : null,
      spooled: outcome.spooled ?? false,
    });
  }

  /** Writes the job changes still held in memory (reads of jobs do it first). */
  flush(): void {
    this.journal.flush();
  }

  get(id: string): JobRecord | undefined {
    this.flush();
    const row = this.db
      .prepare(`SELECT ${SUMMARY_COLUMNS}, plan, profile_json, acceleration_json FROM jobs WHERE id = ?`)
      .get(id) as JobRow | undefined;
    if (!row) return undefined;
    return {
      ...toSummary(row),
      plan: row.plan ?? null,
      profile: row.profile_json ? (JSON.parse(row.profile_json) as Record<string, unknown>) : null,
      acceleration: row.acceleration_json ? (JSON.parse(row.acceleration_json) as JobAcceleration) : null,
    };
  }

  /** Jobs matching the filter, newest first. */
  list(filter: JobListFilter): JobSummary[] {
    this.flush();
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.states?.length) {
      where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states);
    }
    if (filter.user !== undefined) {
      if (filter.user === ANONYMOUS_USER) where.push('user_name IS NULL');
      else {
        where.push('user_name = ?');
        params.push(filter.user);
      }
    }
    if (filter.sqlContains !== undefined) {
      where.push('instr(lower(sql), lower(?)) > 0');
      params.push(filter.sqlContains);
    }
    if (filter.since !== undefined) {
      where.push('submitted_at >= ?');
      params.push(filter.since);
    }
    const rows = this.db
      .prepare(
        `SELECT ${SUMMARY_COLUMNS} FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY submitted_at DESC, rowid DESC LIMIT ? OFFSET ?`,
      )
      .all(...params, filter.limit, filter.offset) as JobRow[];
    return rows.map(toSummary);
  }

  /** Marks jobs left going by a previous process (it stopped or crashed) as failed, with the reason. */
  abandonRunning(): number {
    this.flush();
    return this.db
      .prepare(
        `UPDATE jobs SET state = 'FAILED', finished_at = ?, error_code = 'COORDINATOR_RESTARTED',
           error_message = 'the coordinator stopped while the query ran (state ' || state || ')'
         WHERE state IN ('PLANNING', 'QUEUED', 'RUNNING')`,
      )
      .run(new Date().toISOString()).changes;
  }

  /** Deletes finished jobs that ended before `before` (an ISO time); jobs still going are kept. */
  pruneFinishedBefore(before: string): number {
    this.flush();
    return this.db
      .prepare(
        "DELETE FROM jobs WHERE state NOT IN ('PLANNING', 'QUEUED', 'RUNNING') AND coalesce(finished_at, submitted_at) < ?",
      )
      .run(before).changes;
  }

  /** Prunes the history older than `historyMs`. */
  prune(now = Date.now()): number {
    if (this.historyMs <= 0) return 0;
    return this.pruneFinishedBefore(new Date(now - this.historyMs).toISOString());
  }

  /** The state of each of these jobs that exists (to tell which spooled results may stay). */
  statesOf(ids: readonly string[]): Map<string, JobState> {
    this.flush();
    const states = new Map<string, JobState>();
    const get = this.db.prepare('SELECT state FROM jobs WHERE id = ?');
    for (const id of ids) {
      const row = get.get(id) as { state: JobState } | undefined;
      if (row) states.set(id, row.state);
    }
    return states;
  }
}
