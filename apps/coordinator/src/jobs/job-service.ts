import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import {
  ACTIVE_JOB_STATES,
  JOB_STATES,
  type CatalogStore,
  type JobRecord,
  type JobState,
  type JobSummary,
} from '@tributary/catalog';
import { RequestError } from '@tributary/common';
import type { Field } from '@tributary/plan';
import type { QueryJob, QueryRequest, QueryService } from '../query/query-service.ts';
import {
  ResultSpoolWriter,
  readSpoolIndex,
  readSpoolPage,
  spoolDir,
  sweepSpools,
} from '../results/result-spool.ts';
import type { JobProgress } from './live-jobs.ts';

export const JOB_NOT_FOUND = 'JOB_NOT_FOUND';
/** A job's results were asked for before it completed (or after it failed or was canceled). */
export const JOB_NOT_COMPLETED = 'JOB_NOT_COMPLETED';
/** A completed job whose spooled results passed resultsTtlMs and were deleted. */
export const JOB_RESULTS_EXPIRED = 'JOB_RESULTS_EXPIRED';
/** A completed job that kept no results: its rows were streamed to a POST /api/v1/sql client. */
export const JOB_RESULTS_NOT_SPOOLED = 'JOB_RESULTS_NOT_SPOOLED';
/** A cancel of a job that is not running (it ended). */
export const JOB_NOT_RUNNING = 'JOB_NOT_RUNNING';
export const INVALID_JOB_FILTER = 'INVALID_JOB_FILTER';

/** The most jobs one list answer holds. */
export const MAX_JOB_LIST = 1000;

export interface JobServiceOptions {
  readonly catalog: CatalogStore;
  readonly queries: QueryService;
  /** `<dataDir>/results`: one folder per background job's spool. */
  readonly resultsRoot: string;
  readonly resultsTtlMs: number;
  /** Finished jobs are pruned after this many days; 0 keeps them. */
  readonly jobHistoryDays: number;
  readonly log: (message: string) => void;
}

export interface JobListQuery {
  readonly state?: string;
  readonly user?: string;
  readonly sql?: string;
  readonly since?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/** A page of a job's results: its rows read from the spool as they are sent. */
export interface ResultPage {
  readonly fields: readonly Field[];
  readonly totalRows: number;
  readonly offset: number;
  readonly batches: AsyncIterable<RecordBatch>;
}

const HOUR_MS = 3600_000;

/**
 * Jobs as the jobs API sees them: background jobs (POST /api/v1/jobs) whose rows are
 * spooled to disk as they arrive and paged later, every job's record and live progress,
 * cancel, and the housekeeping of both (history pruned after jobHistoryDays, spools deleted
 * after resultsTtlMs, and at start the spools of jobs that did not complete).
 */
export class JobService {
  /** Background jobs writing their spools now. */
  private readonly spooling = new Set<string>();
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: JobServiceOptions) {
    options.catalog.jobs.historyMs = options.jobHistoryDays * 24 * HOUR_MS;
  }

  /**
   * Start-up housekeeping, then the timers: fails the jobs a previous process left going,
   * prunes the history, deletes spools of jobs that did not complete and expired ones.
   */
  async start(): Promise<void> {
    const abandoned = this.options.catalog.jobs.abandonRunning();
    if (abandoned > 0)
      this.options.log(`${abandoned} job(s) were going when the coordinator stopped: marked FAILED`);
    this.pruneHistory();
    await this.sweepResults();
    const sweepEvery = Math.min(10 * 60_000, Math.max(1000, Math.floor(this.options.resultsTtlMs / 2)));
    this.timers.push(
      setInterval(() => void this.sweepResults(), sweepEvery).unref(),
      setInterval(() => this.pruneHistory(), HOUR_MS).unref(),
    );
  }

  close(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }

  private pruneHistory(): void {
    const pruned = this.options.catalog.jobs.prune();
    if (pruned > 0)
      this.options.log(`pruned ${pruned} job(s) older than ${this.options.jobHistoryDays} days`);
  }

  /** Deletes the spools of jobs that did not complete and those older than resultsTtlMs. */
  async sweepResults(): Promise<string[]> {
    const jobs = this.options.catalog.jobs;
    try {
      const ids = await readdir(this.options.resultsRoot).catch(() => [] as string[]);
      const states = jobs.statesOf(ids);
      return await sweepSpools(this.options.resultsRoot, {
        ttlMs: this.options.resultsTtlMs,
        keep: (id) => states.get(id) === 'COMPLETED',
        busy: (id) => this.spooling.has(id),
      });
    } catch (error) {
      this.options.log(`could not sweep spooled results: ${(error as Error).message}`);
      return [];
    }
  }

  /**
   * Starts a query in the background and returns its job id at once; its rows are written
   * to its spool as the executors send them (each write awaited: the executors' streams
   * are held back by the disk, never by memory). Bad requests throw before a job exists.
   */
  submit(request: QueryRequest): string {
    // Never aborted: a background job has no client connection to lose; cancel stops it.
    const job = this.options.queries.start(request, new AbortController().signal);
    this.spooling.add(job.id);
    void this.spool(job).finally(() => this.spooling.delete(job.id));
    return job.id;
  }

  private async spool(job: QueryJob): Promise<void> {
    let result;
    try {
      result = await job.result;
    } catch {
      return; // Recorded as failed by the query service.
    }
    let writer: ResultSpoolWriter | undefined;
    try {
      writer = await ResultSpoolWriter.create(spoolDir(this.options.resultsRoot, job.id), result.fields);
      for await (const batch of result.batches) await writer.write(batch);
      await writer.finish();
      result.finish({ rowCount: writer.rowCount, spooled: true });
    } catch (error) {
      await writer?.discard().catch(() => undefined);
      result.finish({ error });
    }
  }

  /** A job's record, with its live progress while it runs. */
  get(id: string): JobRecord & { progress?: JobProgress } {
    const record = this.options.catalog.jobs.get(id);
    if (!record) throw notFound(id);
    const live = this.options.queries.live.get(id);
    return live ? { ...record, progress: live.progress } : record;
  }

  list(query: JobListQuery): { jobs: JobSummary[]; limit: number; offset: number } {
    const states = query.state
      ?.split(',')
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean);
    const unknown = states?.filter((s) => !(JOB_STATES as readonly string[]).includes(s)) ?? [];
    if (unknown.length > 0)
      throw new RequestError(
        INVALID_JOB_FILTER,
        `unknown job state ${unknown.join(', ')}; the states are ${JOB_STATES.join(', ')}`,
      );
    let since: string | undefined;
    if (query.since !== undefined && query.since !== '') {
      const time = /^\d+$/.test(query.since) ? Number(query.since) : Date.parse(query.since);
      if (Number.isNaN(time))
        throw new RequestError(
          INVALID_JOB_FILTER,
          '"since" must be an ISO 8601 time or milliseconds since 1970',
        );
      since = new Date(time).toISOString();
    }
    const limit = query.limit ?? 100;
    const offset = query.offset ?? 0;
    const jobs = this.options.catalog.jobs.list({
      ...(states?.length ? { states: states as JobState[] } : {}),
      ...(query.user ? { user: query.user } : {}),
      ...(query.sql ? { sqlContains: query.sql } : {}),
      ...(since ? { since } : {}),
      limit,
      offset,
    });
    return { jobs, limit, offset };
  }

  /** Cancels a job that is going; its record says CANCELED once it stopped. */
  cancel(id: string): { id: string; state: JobState } {
    const record = this.options.catalog.jobs.get(id);
    if (!record) throw notFound(id);
    if (!this.options.queries.cancel(id))
      throw new RequestError(JOB_NOT_RUNNING, `job ${id} is not running (${record.state})`, { status: 404 });
    return { id, state: record.state };
  }

  /**
   * Rows `offset` to `offset + limit` of a completed background job, read from its spool
   * as they are sent: only the batches holding them are read.
   */
  async results(id: string, offset: number, limit: number): Promise<ResultPage> {
    const record = this.options.catalog.jobs.get(id);
    if (!record) throw notFound(id);
    if (record.state !== 'COMPLETED') {
      const going = (ACTIVE_JOB_STATES as string[]).includes(record.state);
      throw new RequestError(
        JOB_NOT_COMPLETED,
        going
          ? `job ${id} is ${record.state}: its results can be read once it is COMPLETED`
          : `job ${id} ended ${record.state}${record.errorCode ? ` (${record.errorCode})` : ''}: it has no results`,
        { status: 409 },
      );
    }
    if (!record.resultsSpooled)
      throw new RequestError(
        JOB_RESULTS_NOT_SPOOLED,
        `job ${id} kept no results: its rows were streamed to its POST /api/v1/sql client; submit the query with POST /api/v1/jobs to page its results`,
        { status: 404 },
      );
    const dir = spoolDir(this.options.resultsRoot, id);
    const index = await readSpoolIndex(dir);
    const expired = !index || Date.now() - Date.parse(index.finishedAt) > this.options.resultsTtlMs;
    if (expired) {
      if (index) await rm(dir, { recursive: true, force: true });
      throw new RequestError(
        JOB_RESULTS_EXPIRED,
        `the results of job ${id} expired (they are kept ${this.options.resultsTtlMs} ms, resultsTtlMs); run the query again`,
        { status: 410 },
      );
    }
    return {
      fields: index.fields,
      totalRows: index.rowCount,
      offset,
      batches: readSpoolPage(dir, index, offset, limit),
    };
  }
}

function notFound(id: string): RequestError {
  return new RequestError(JOB_NOT_FOUND, `no job ${id}`, { status: 404 });
}

/** `<dataDir>/results` */
export function resultsRootOf(dataDir: string): string {
  return join(dataDir, 'results');
}
