import { randomUUID } from 'node:crypto';
import { setImmediate } from 'node:timers/promises';
import type { RecordBatch } from 'apache-arrow';
import { truncateUtf8, type CatalogStore, type QueryType } from '@tributary/catalog';
import {
  ExecutionError,
  RequestError,
  TributaryError,
  VARCHAR,
  asTributaryError,
  closestNames,
  makeRecordBatch,
} from '@tributary/common';
import { formatExplain, withStagesExplained, type ExplainedPlan } from '@tributary/engine';
import { validateDisabledRules } from '@tributary/optimizer';
import type { Field, ListedExecutor } from '@tributary/plan';
import type { CatalogCommand, ViewColumnsChange } from '@tributary/sql';
import { COMMAND_RESULT_FIELDS, commandResultBatch, type CommandRunner } from '../commands/command-runner.ts';
import type { ExecutorRegistry } from '../executors/executor-registry.ts';
import type { PlannedQuery, PlanRequest } from '../planning/plan-query.ts';
import type { PlannerPool } from '../planning/planner-pool.ts';
import type { FileSubset } from '../reflections/file-subset.ts';
import type { QueryAdmission, QueryLane } from '../scheduler/query-admission.ts';
import { QueryExecution, type ExecutionOptions } from '../scheduler/query-execution.ts';
import { LiveJobs } from '../jobs/live-jobs.ts';
import { batchBytes } from './batch-bytes.ts';
import { explainAnalysis, queryWarnings } from './explain-analysis.ts';
import { jobProfile } from './job-profile.ts';

export interface QueryRequest {
  readonly sql: unknown;
  readonly context?: unknown;
  /** A deadline for this query, overriding the configured queryTimeoutMs. */
  readonly timeoutMs?: unknown;
  /**
   * How old (ms) the data of a stale reflection may be for this query to read it; absent or
   * 0: stale reflections are never read (a pg-wire session's tributary.max_staleness_ms).
   */
  readonly maxStalenessMs?: unknown;
  /**
   * Planner settings: `{ disabledRules: ['join_order', …] }` switches optimizer rules off by
   * name; `{ scanPushdown: false }` keeps all work out of the scans.
   */
  readonly options?: unknown;
  /** The user it runs as (auth sets it from the token); absent: the anonymous user. */
  readonly user?: string;
  /** Where it came from, as Dremio's jobs record it. */
  readonly queryType?: QueryType;
  /**
   * Set by the REST routes that replace a view (never from a request body): the tag the view
   * must still have when its CREATE OR REPLACE VIEW is written, checked in the same transaction.
   */
  readonly expectedViewTag?: string;
  /** Set by the reflection service (never from a request body): read only these files of one table. */
  readonly fileSubset?: FileSubset;
}

export interface QueryResult {
  readonly jobId: string;
  readonly fields: readonly Field[];
  readonly batches: AsyncIterable<RecordBatch>;
  readonly startedAt: number;
  /** The reflections the plan reads, and how old the oldest one's data is (0: fresh); null: none. */
  readonly acceleration: QueryAcceleration | null;
  /** Where the query's time went before it ran: planning (with the wait for a planner thread) and admission. */
  readonly timings: { readonly planMs: number; readonly queuedMs: number };
  /** What the client should know besides the rows (bad rows skipped); complete once the rows are read. */
  warnings(): string[];
  /**
   * Ends the job: records it in the catalog and frees what it held. Call once, after the
   * rows were read (or failed); `spooled`: they were written to the job's spool.
   */
  finish(outcome: { rowCount: number; spooled?: boolean } | { error: unknown }): void;
}

/** What a query's answer says of the reflections it read. */
export interface QueryAcceleration {
  readonly reflections: readonly string[];
  /** How much older than its sources the data read is (ms): 0 when every reflection was fresh. */
  readonly dataAgeMs: number;
}

/** What a statement answers and reads, known from its plan (QueryService.describe). */
export interface StatementDescription {
  readonly fields: readonly Field[];
  /** The paths of the tables and views it names itself. */
  readonly reads: readonly (readonly string[])[];
}

export interface QueryJob {
  readonly id: string;
  /** The query admitted and planned, its rows ready to be read; rejects with a typed error. */
  readonly result: Promise<QueryResult>;
}

export interface QueryServiceOptions {
  readonly catalog: CatalogStore;
  readonly registry: ExecutorRegistry;
  /** The planner threads (PlannerPool), possibly behind a RefreshingPlanner. */
  readonly planner: Pick<PlannerPool, 'plan'>;
  readonly admission: QueryAdmission;
  readonly execution: Omit<ExecutionOptions, 'queryMemoryBytes'>;
  readonly queryMemoryBytes: number;
  readonly splitsPerThread: number;
  readonly broadcastRowLimit: number;
  /** The scanPushdown setting: a query's `options.scanPushdown` overrides it. */
  readonly scanPushdown: boolean;
  /** The reflections setting (substitution on; true when absent): a query's `options.reflections` overrides it. */
  readonly reflections?: boolean;
  /** Queries whose scans read at most this many rows wait in the small lane. */
  readonly smallQueryRows: number;
  readonly maxSqlBytes: number;
  /** The SQL text a job record keeps (jobSqlMaxBytes); longer text is cut and marked truncated. */
  readonly jobSqlMaxBytes: number;
  /** Running jobs' states and progress, for the jobs API; one of its own when not given. */
  readonly live?: LiveJobs;
  /** 0: no deadline. */
  readonly queryTimeoutMs: number;
  /** Told when a query is received and when it ends, e.g. to give memory back when idle. */
  readonly activity?: { begin(): void; end(): void };
  /** Told how each query ended and how long it took from its arrival (metrics). */
  readonly onQueryEnd?: (end: { state: 'completed' | 'failed' | 'cancelled'; durationMs: number }) => void;
  /**
   * The user whose grants limit what a query of `user` may read (auth on and not an admin);
   * undefined: it may read everything. Absent: nothing is limited (auth off).
   */
  readonly accessUserOf?: (user: string | undefined) => string | undefined;
  readonly log: (message: string) => void;
  /** Applies catalog commands (CREATE VIEW, DROP VIEW, …) planned on a planner thread. */
  readonly commands: CommandRunner;
  /** Refuses a command its user may not run (auth on); absent: every command is allowed. */
  readonly authorizeCommand?: (command: CatalogCommand, user: string | undefined) => void;
}

function parseContext(context: unknown): string[] | undefined {
  if (context === undefined || context === null) return undefined;
  if (typeof context === 'string') return context === '' ? undefined : context.split('.');
  if (Array.isArray(context) && context.every((c) => typeof c === 'string')) return context as string[];
  throw new RequestError('INVALID_CONTEXT', '"context" must be a source name or a list of path parts');
}

const QUERY_OPTIONS = ['disabledRules', 'scanPushdown', 'reflections'];

/** The request's `options`: `disabledRules` (names checked against the optimizer's rules) and `scanPushdown`. */
function parseOptions(options: unknown): {
  disabledRules: string[];
  scanPushdown?: boolean;
  reflections?: boolean;
} {
  if (options === undefined || options === null) return { disabledRules: [] };
  if (typeof options !== 'object' || Array.isArray(options))
    throw new RequestError(
      'INVALID_OPTIONS',
      '"options" must be an object such as { "disabledRules": [...] }',
    );
  const unknown = Object.keys(options).filter((k) => !QUERY_OPTIONS.includes(k));
  if (unknown.length > 0)
    throw new RequestError(
      'INVALID_OPTIONS',
      `unknown query option ${unknown.map((k) => `"${k}"`).join(', ')}; the options are: ${QUERY_OPTIONS.join(', ')}`,
      { suggestions: unknown.flatMap((k) => closestNames(k, QUERY_OPTIONS, 1)) },
    );
  const { disabledRules, scanPushdown, reflections } = options as {
    disabledRules?: unknown;
    scanPushdown?: unknown;
    reflections?: unknown;
  };
  if (scanPushdown !== undefined && typeof scanPushdown !== 'boolean')
    throw new RequestError('INVALID_OPTIONS', '"options.scanPushdown" must be true or false');
  if (reflections !== undefined && typeof reflections !== 'boolean')
    throw new RequestError('INVALID_OPTIONS', '"options.reflections" must be true or false');
  return {
    disabledRules: validateDisabledRules(disabledRules),
    ...(scanPushdown === undefined ? {} : { scanPushdown }),
    ...(reflections === undefined ? {} : { reflections }),
  };
}

function queryAcceleration(planned: PlannedQuery): QueryAcceleration | null {
  const chosen = planned.acceleration?.chosen ?? [];
  if (chosen.length === 0) return null;
  return {
    reflections: [...new Set(chosen.map((c) => c.reflectionId))],
    dataAgeMs: Math.max(...chosen.map((c) => c.stalenessMs)),
  };
}

function parseMaxStaleness(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new RequestError(
      'INVALID_MAX_STALENESS',
      '"maxStalenessMs" must be a whole number of milliseconds, 0 or more',
    );
  return value;
}

function parseTimeout(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
    throw new RequestError('INVALID_TIMEOUT', '"timeoutMs" must be a positive whole number of milliseconds');
  return value;
}

/**
 * Why a finished query's signal is aborted (what still listens stops): one shared instance,
 * since an error built per query costs a stack trace nobody reads.
 */
const QUERY_FINISHED = new ExecutionError('QUERY_FINISHED', 'the query finished', { status: 499 });

/** The most of a plan's EXPLAIN text a job record keeps (a plan of a 100,000-item IN list is megabytes). */
const JOB_PLAN_MAX_BYTES = 256 * 1024;

/** Plan texts of plans the plan cache hands out again (the same frozen object every hit). */
const jobPlanTexts = new WeakMap<object, string>();

/** A job's plan as EXPLAIN prints it, cut at JOB_PLAN_MAX_BYTES; made once per plan object. */
function jobPlanText(planned: PlannedQuery): string {
  const known = jobPlanTexts.get(planned.explained);
  if (known !== undefined) return known;
  const text = formatJobPlan(planned.logical, planned.explainText);
  if (Object.isFrozen(planned.explained)) jobPlanTexts.set(planned.explained, text);
  return text;
}

function formatJobPlan(logical: string, distributed: string): string {
  const text = `Logical plan (optimized):\n${logical}\n\nDistributed plan:\n${distributed}`;
  const kept = truncateUtf8(text, JOB_PLAN_MAX_BYTES);
  return kept.truncated ? `${kept.text}\n… (cut at ${JOB_PLAN_MAX_BYTES} bytes)` : text;
}

function textResult(name: string, text: string): RecordBatch {
  const bytes = new TextEncoder().encode(text);
  return makeRecordBatch(
    [{ name, type: VARCHAR }],
    [{ type: VARCHAR, length: 1, values: bytes, offsets: new Int32Array([0, bytes.length]) }],
    1,
  );
}

/**
 * Runs queries: each is a job, planned on a planner thread, admitted in the small or the
 * large lane by the rows it reads (or queued, or refused when the queue is full), executed
 * by the executors (QueryExecution), and streamed.
 * A job ends completed, failed or cancelled, whatever happens: its deadline, a cancel, the
 * client going away all abort it, and its tasks everywhere with it.
 */
/** A request's fields as checked, that planning takes. */
interface ParsedRequest {
  readonly context: string[] | undefined;
  readonly disabledRules: readonly string[];
  readonly scanPushdown: boolean;
  readonly accessUser: string | undefined;
  readonly reflections: boolean;
  readonly maxStalenessMs: number;
}

export class QueryService {
  private readonly running = new Map<string, AbortController>();
  readonly live: LiveJobs;
  /** Who runs each running job (undefined: auth is off), so only they or an admin may cancel it. */
  private readonly owners = new Map<string, string | undefined>();

  constructor(private readonly options: QueryServiceOptions) {
    this.live = options.live ?? new LiveJobs();
  }

  start(request: QueryRequest, clientSignal: AbortSignal): QueryJob {
    if (typeof request.sql !== 'string' || request.sql.trim() === '') {
      throw new RequestError('INVALID_QUERY', 'request body must have a non-empty "sql" string');
    }
    const size = Buffer.byteLength(request.sql);
    if (size > this.options.maxSqlBytes) {
      throw new RequestError(
        'SQL_TOO_LONG',
        `the SQL text is ${size} bytes, more than the ${this.options.maxSqlBytes} allowed (maxSqlBytes)`,
        { status: 413 },
      );
    }
    const context = parseContext(request.context);
    const {
      disabledRules,
      scanPushdown = this.options.scanPushdown,
      reflections = this.options.reflections ?? true,
    } = parseOptions(request.options);
    const maxStalenessMs = parseMaxStaleness(request.maxStalenessMs);
    const timeoutMs = parseTimeout(request.timeoutMs, this.options.queryTimeoutMs);
    const id = randomUUID();
    const controller = new AbortController();
    const onClientGone = () =>
      controller.abort(new RequestError('CLIENT_GONE', 'the client closed the connection', { status: 499 }));
    clientSignal.addEventListener('abort', onClientGone, { once: true });
    const deadline =
      timeoutMs > 0
        ? setTimeout(
            () =>
              controller.abort(
                new ExecutionError('QUERY_TIMEOUT', `the query ran past its deadline of ${timeoutMs} ms`, {
                  status: 504,
                }),
              ),
            timeoutMs,
          )
        : undefined;
    const jobs = this.options.catalog.jobs;
    const recorded = truncateUtf8(request.sql, this.options.jobSqlMaxBytes);
    jobs.recordSubmitted({
      id,
      sql: recorded.text,
      sqlTruncated: recorded.truncated,
      ...(context ? { context: context.join('.') } : {}),
      ...(request.user ? { user: request.user } : {}),
      queryType: request.queryType ?? 'REST',
    });
    this.live.begin(id);
    this.running.set(id, controller);
    this.owners.set(id, request.user);
    const accessUser = this.options.accessUserOf?.(request.user);
    this.options.activity?.begin();

    let release: (() => void) | undefined;
    let execution: QueryExecution | undefined;
    let explained: ExplainedPlan | undefined;
    let finished = false;
    /** Rows and bytes of the result so far (counted as they pass, whoever reads them). */
    const produced = { rows: 0, bytes: 0 };
    const startedAt = Date.now();
    const t0 = performance.now();
    const finish: QueryResult['finish'] = (outcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      clientSignal.removeEventListener('abort', onClientGone);
      this.running.delete(id);
      const profile =
        execution &&
        jobProfile(
          execution.runs,
          execution.plan,
          explained && withStagesExplained(explained, execution.adaptedStages),
        );
      this.owners.delete(id);
      if ('error' in outcome) {
        const reason = controller.signal.aborted ? controller.signal.reason : outcome.error;
        const error = asTributaryError(reason);
        const state =
          error.code === 'QUERY_CANCELLED' || error.code === 'CLIENT_GONE' ? 'CANCELED' : 'FAILED';
        jobs.recordEnd(id, {
          state,
          rowCount: produced.rows,
          bytes: produced.bytes,
          errorCode: error.code,
          errorMessage: error.message,
          ...(profile ? { profile } : {}),
        });
        this.live.end(id, {
          state,
          rowCount: null,
          errorCode: error.code,
          errorMessage: error.message,
          ...(error.line === undefined ? {} : { errorLine: error.line, errorColumn: error.column ?? 1 }),
          ...(error.suggestions ? { suggestions: error.suggestions } : {}),
        });
        this.options.onQueryEnd?.({
          state: state === 'CANCELED' ? 'cancelled' : 'failed',
          durationMs: performance.now() - t0,
        });
      } else {
        jobs.recordEnd(id, {
          state: 'COMPLETED',
          rowCount: outcome.rowCount,
          bytes: produced.bytes,
          spooled: outcome.spooled ?? false,
          ...(profile ? { profile } : {}),
        });
        this.live.end(id, {
          state: 'COMPLETED',
          rowCount: outcome.rowCount,
          errorCode: null,
          errorMessage: null,
        });
        this.options.onQueryEnd?.({ state: 'completed', durationMs: performance.now() - t0 });
      }
      if (!controller.signal.aborted) controller.abort(QUERY_FINISHED);
      release?.();
      void execution?.close('error' in outcome ? 'failed' : 'completed');
      this.options.activity?.end();
    };

    // Job history is written behind; a statement that may read sys.jobs sees every job until its own.
    if (/jobs/i.test(request.sql)) this.options.catalog.jobs.flush();
    const result = (async (): Promise<QueryResult> => {
      try {
        const planned = await this.options.planner.plan(
          this.planRequest(request, {
            context,
            disabledRules,
            scanPushdown,
            accessUser,
            reflections,
            maxStalenessMs,
          }),
          controller.signal,
        );
        const plannedAt = performance.now();
        explained = planned.kind === 'command' ? undefined : planned.explained;
        jobs.recordPlanned(id, {
          ...(planned.kind !== 'command' ? { plan: jobPlanText(planned) } : {}),
          // What it read, tables and views, by path (`source.table`, `space.folder.view`).
          sources: [...new Set(planned.reads.map((read) => read.path.join('.')))],
          planningMs: plannedAt - t0,
          ...(planned.kind !== 'command' && planned.acceleration
            ? {
                reflections: planned.acceleration.chosen.map((c) => c.reflectionId),
                acceleration: {
                  reflectionRelationships: [...planned.acceleration.relationships],
                  dataAgeMs: Math.max(0, ...planned.acceleration.chosen.map((c) => c.stalenessMs)),
                },
              }
            : {}),
        });
        this.recordViewColumns(planned.viewColumnChanges);
        if (planned.kind === 'command') {
          // A small synchronous catalog write, here on the main thread; a typed error fails the job.
          this.options.authorizeCommand?.(planned.command, request.user);
          const summary = this.options.commands.run(planned.command, request.user, request.expectedViewTag);
          return {
            jobId: id,
            fields: COMMAND_RESULT_FIELDS,
            batches: (async function* () {
              yield commandResultBatch(summary);
            })(),
            warnings: () => [],
            acceleration: null,
            startedAt,
            timings: { planMs: plannedAt - t0, queuedMs: 0 },
            finish,
          };
        }
        // Planned first (on a planner thread), so that its size chooses its line.
        const lane: QueryLane = planned.estimatedRows <= this.options.smallQueryRows ? 'small' : 'large';
        if (this.options.admission.wouldQueue(lane)) {
          jobs.recordQueued(id);
          this.live.setState(id, 'QUEUED');
        }
        release = await this.options.admission.admit(controller.signal, lane);
        const timings = { planMs: plannedAt - t0, queuedMs: performance.now() - plannedAt };
        jobs.recordRunning(id, timings.queuedMs);
        this.live.setState(id, 'RUNNING');
        const running = new QueryExecution(
          id,
          planned.plan,
          {
            ...this.options.execution,
            queryMemoryBytes: this.options.queryMemoryBytes,
            // Every task measures its operators (two clock reads a batch): the job's profile shows them.
            analyze: true,
            lane,
          },
          controller.signal,
        );
        execution = running;
        this.live.setProgress(id, () => ({ ...running.progress(), rows: produced.rows }));
        const batches = planned.kind === 'explain' ? this.explain(planned, running) : running.stream();
        const fields: Field[] =
          planned.kind === 'explain'
            ? [{ name: 'plan', type: VARCHAR, nullable: false }]
            : [...planned.plan.schema];
        return {
          jobId: id,
          fields,
          batches: this.guarded(batches, controller.signal, produced),
          warnings: () => queryWarnings(running.runs, planned.stageScans),
          acceleration: queryAcceleration(planned),
          startedAt,
          timings,
          finish,
        };
      } catch (error) {
        const reason = controller.signal.aborted ? controller.signal.reason : error;
        finish({ error: reason });
        throw reason instanceof TributaryError ? reason : asTributaryError(reason);
      }
    })();
    return { id, result };
  }

  private planRequest(request: QueryRequest, parsed: ParsedRequest): PlanRequest {
    const { context, disabledRules, scanPushdown, accessUser, reflections, maxStalenessMs } = parsed;
    return {
      sql: request.sql as string,
      context,
      ...(disabledRules.length ? { disabledRules: [...disabledRules] } : {}),
      ...(scanPushdown ? {} : { scanPushdown }),
      ...(reflections ? {} : { reflections }),
      ...(reflections && maxStalenessMs > 0 ? { maxStalenessMs } : {}),
      partitions: Math.max(1, this.options.registry.threads()),
      splitsPerThread: this.options.splitsPerThread,
      broadcastRowLimit: this.options.broadcastRowLimit,
      ...(request.user === undefined ? {} : { user: request.user }),
      executors: this.executorSnapshot(),
      ...(accessUser === undefined ? {} : { accessUser }),
      ...(request.fileSubset === undefined ? {} : { fileSubset: request.fileSubset }),
    };
  }

  /**
   * The columns a statement would answer, from its plan alone: no job, no admission, nothing
   * run (a pg-wire Describe of a statement before its parameters are bound). A catalog command
   * answers its summary's columns without being applied.
   */
  async describe(request: QueryRequest, signal: AbortSignal): Promise<StatementDescription> {
    if (typeof request.sql !== 'string' || request.sql.trim() === '')
      throw new RequestError('INVALID_QUERY', 'request body must have a non-empty "sql" string');
    const context = parseContext(request.context);
    const { disabledRules, scanPushdown = this.options.scanPushdown } = parseOptions(request.options);
    const accessUser = this.options.accessUserOf?.(request.user);
    const planned = await this.options.planner.plan(
      // Its columns are the same with or without reflections: none are bound for it.
      this.planRequest(request, {
        context,
        disabledRules,
        scanPushdown,
        accessUser,
        reflections: false,
        maxStalenessMs: 0,
      }),
      signal,
    );
    const reads = planned.reads.filter((r) => r.via === undefined).map((r) => [...r.path]);
    if (planned.kind === 'command') return { fields: COMMAND_RESULT_FIELDS, reads };
    if (planned.kind === 'explain')
      return { fields: [{ name: 'plan', type: VARCHAR, nullable: false }], reads };
    return { fields: planned.plan.schema, reads };
  }

  /** The executors now, for sys.executors: the planner thread cannot see the registry. */
  private executorSnapshot(): ListedExecutor[] {
    return this.options.registry.list().map((e) => ({
      id: e.id,
      url: e.url,
      threads: e.threads,
      state: e.state,
      lastHeartbeat: new Date(e.lastHeartbeat).toISOString(),
    }));
  }

  /**
   * Views whose columns a use derived anew (their inputs changed): the catalog's record is
   * brought up to date, cheaply, here (planner threads only read the catalog).
   */
  private recordViewColumns(changes: readonly ViewColumnsChange[]): void {
    for (const change of changes) {
      try {
        this.options.catalog.namespace.updateViewColumns(change.path, change.sql, change.columns);
      } catch (error) {
        this.options.log(
          `could not record the new columns of view ${change.path.join('.')}: ${String(error)}`,
        );
      }
    }
  }

  /** The user a running job acts for: `{ user: undefined }` when auth is off; undefined when no such job runs. */
  runningJob(jobId: string): { readonly user: string | undefined } | undefined {
    return this.running.has(jobId) ? { user: this.owners.get(jobId) } : undefined;
  }

  /** Cancels a running or queued job; false when there is none by that id. */
  cancel(jobId: string): boolean {
    const controller = this.running.get(jobId);
    if (!controller) return false;
    controller.abort(new ExecutionError('QUERY_CANCELLED', 'the query was cancelled', { status: 409 }));
    return true;
  }

  /** Surfaces the abort's reason (deadline, cancel) rather than whatever a stream failed with after it. */
  private async *guarded(
    batches: AsyncIterable<RecordBatch>,
    signal: AbortSignal,
    produced: { rows: number; bytes: number },
  ): AsyncGenerator<RecordBatch> {
    try {
      for await (const batch of batches) {
        produced.rows += batch.numRows;
        produced.bytes += batchBytes(batch);
        yield batch;
      }
    } catch (error) {
      throw signal.aborted ? signal.reason : error;
    }
  }

  private async *explain(planned: PlannedQuery, execution: QueryExecution): AsyncGenerator<RecordBatch> {
    let explained = planned.explained;
    let text = `Logical plan (optimized):\n${planned.logical}\n\nDistributed plan:\n`;
    if (!planned.analyze) {
      const plan = text + planned.explainText;
      // A plan's text can run to megabytes: encoding it, then as JSON, each get a turn of their own.
      await setImmediate();
      yield textResult('plan', plan);
      return;
    }
    const started = performance.now();
    let rows = 0;
    for await (const batch of execution.stream()) rows += batch.numRows;
    const elapsed = Math.round(performance.now() - started);
    // Stages changed at run time (a shuffle join made a broadcast join) are shown as they ran.
    explained = withStagesExplained(
      explained,
      execution.adaptedStages,
      (s) => planned.stageScans[s]?.pruned ?? undefined,
    );
    text += formatExplain(explained, explainAnalysis(execution.runs, execution.plan, planned.stageScans));
    yield textResult('plan', `${text}\n\nResult: ${rows} rows in ${elapsed} ms`);
  }
}
