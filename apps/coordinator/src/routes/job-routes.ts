import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ANONYMOUS_USER } from '@tributary/catalog';
import { RequestError } from '@tributary/common';
import { accessDenied } from '../auth/auth-errors.ts';
import { maySeeJob } from '../auth/job-access.ts';
import type { Principal } from '../auth/principal.ts';
import { OpenObject, errorResponses } from '../http/api-schemas.ts';
import type { JobOutcome, LiveJobEvent } from '../jobs/live-jobs.ts';
import { chooseResultFormat } from '../results/result-format.ts';
import {
  CancelAnswer,
  JobIdParams,
  JobList,
  JobListQuery,
  JobSchema,
  ResultsQuery,
  SubmitJobBody,
  SubmittedJob,
} from './job-schemas.ts';
import { resultContent } from './query-routes.ts';
import { resultHeaders, writeResult } from './send-query-result.ts';
import type { ServerDeps } from './server-deps.ts';

/** Progress events of a running job are sent at most this often. */
export const PROGRESS_EVERY_MS = 250;

/**
 * A job the principal may see (their own; any for an admin or with auth off), else 403; 404
 * JOB_NOT_FOUND for no such job. The v1 and v3 job routes ask this.
 */
export function visibleJobOf(deps: Pick<ServerDeps, 'jobs'>, principal: Principal, id: string) {
  const job = deps.jobs.get(id);
  if (!maySeeJob(principal, job.user === ANONYMOUS_USER ? null : job.user))
    throw accessDenied(`job ${id} is not yours`, { job: id });
  return job;
}

/**
 * The jobs API: submit a query to run in the background (its rows spooled), read a job's
 * record, page its results in any format, cancel it, list jobs, and follow one live as
 * server-sent events.
 */
export function registerJobRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();

  const visibleJob = (principal: Principal, id: string) => visibleJobOf(deps, principal, id);

  typed.post(
    '/api/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Run a query in the background; its rows are spooled to disk',
        body: SubmitJobBody,
        response: { 201: SubmittedJob, ...errorResponses(400, 413, 503) },
      },
    },
    async (request, reply) => {
      const { principal } = request;
      // As for POST /api/v1/sql: a user's job may not ask for a longer deadline than the configured one.
      const max = deps.security.maxQueryTimeoutMs;
      const { timeoutMs } = request.body;
      if (!principal.admin && max > 0 && typeof timeoutMs === 'number' && timeoutMs > max)
        throw new RequestError(
          'INVALID_TIMEOUT',
          `"timeoutMs" may be at most ${max} (queryTimeoutMs) for a user who is not an admin`,
        );
      const id = deps.jobs.submit({
        ...request.body,
        queryType: 'REST',
        ...(principal.user === undefined ? {} : { user: principal.user }),
      });
      return reply.status(201).send({ id });
    },
  );

  typed.get(
    '/api/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'List jobs, newest first, by state, user, SQL text and time',
        querystring: JobListQuery,
        response: { 200: JobList, ...errorResponses(400) },
      },
    },
    // A user who is not an admin lists their own jobs only.
    async (request) =>
      deps.jobs.list(
        request.principal.admin
          ? request.query
          : { ...request.query, user: request.principal.user ?? ANONYMOUS_USER },
      ),
  );

  typed.get(
    '/api/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'A job: state, times, rows, error, plan, profile, sources; progress while it runs',
        params: JobIdParams,
        response: { 200: JobSchema, ...errorResponses(403, 404) },
      },
    },
    async (request) => visibleJob(request.principal, request.params.id),
  );

  typed.post(
    '/api/v1/jobs/:id/cancel',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Cancel a running or queued job',
        description: 'It ends CANCELED; a POST /api/v1/sql request of it answers 409 QUERY_CANCELLED.',
        params: JobIdParams,
        response: { 200: CancelAnswer, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      visibleJob(request.principal, request.params.id);
      return deps.jobs.cancel(request.params.id);
    },
  );

  typed.get(
    '/api/v1/jobs/:id/results',
    {
      schema: {
        tags: ['jobs'],
        summary: "A page of a completed job's spooled rows, in any format",
        params: JobIdParams,
        querystring: ResultsQuery,
        response: {
          200: {
            description: 'The rows from offset, streamed',
            content: resultContent(
              OpenObject({
                columns: Type.Array(OpenObject({ name: Type.String(), type: Type.String() })),
                rows: Type.Array(Type.Array(Type.Unknown())),
                rowCount: Type.Integer(),
                totalRows: Type.Integer(),
                offset: Type.Integer(),
                jobId: Type.String(),
              }),
            ),
          },
          ...errorResponses(400, 403, 404, 406, 409, 410),
        },
      },
    },
    async (request, reply) => {
      visibleJob(request.principal, request.params.id);
      const format = chooseResultFormat(request.headers.accept, request.query.format);
      const offset = request.query.offset ?? 0;
      const page = await deps.jobs.results(
        request.params.id,
        offset,
        request.query.limit ?? Number.MAX_SAFE_INTEGER,
      );
      const iterator = page.batches[Symbol.asyncIterator]();
      // The first batch is read before the answer starts, so a spool that cannot be read still gets an error answer.
      const first = await iterator.next();
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, resultHeaders(format, request.params.id));
      try {
        await writeResult(raw, format, page.fields, iterator, first, (rowCount) => ({
          rowCount,
          totalRows: page.totalRows,
          offset,
          jobId: request.params.id,
        }));
        raw.end();
      } catch (error) {
        await iterator.return?.(undefined);
        raw.destroy(error instanceof Error ? error : undefined);
      }
    },
  );

  // Event streams still open when the server closes are ended, so that they never hold up a stop.
  const streams = new Set<{ end(): void }>();
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  typed.get(
    '/api/v1/jobs/:id/events',
    {
      schema: {
        tags: ['jobs'],
        summary: "A job's state changes and progress as server-sent events, ending with its final state",
        params: JobIdParams,
        response: {
          200: {
            description:
              "`state` and `progress` events (JSON data); a failed job's last `state` has `errorLine`, `errorColumn` and `suggestions` when its error has them",
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          ...errorResponses(403, 404),
        },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const record = visibleJob(request.principal, id);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      // Each event says when it was sent (`at`), so a client sees the pace even when events arrive together.
      const send = (event: string, data: Record<string, unknown>) =>
        raw.write(`event: ${event}\ndata: ${JSON.stringify({ ...data, at: new Date().toISOString() })}\n\n`);
      const finalState = (outcome: JobOutcome) => ({ id, ...outcome });
      let stop = () => {};
      const end = (outcome: JobOutcome) => {
        stop();
        send('state', finalState(outcome));
        raw.end();
      };
      const live = deps.queries.live;
      let lastProgress = '';
      const unsubscribe = live.subscribe(id, (event: LiveJobEvent) => {
        if (event.type === 'state') send('state', { id, state: event.state });
        else {
          const { type: _end, ...outcome } = event;
          end(outcome);
        }
      });
      if (!unsubscribe) {
        // Not running here (it ended, or ended a moment ago): its record has the final state.
        const ended = deps.jobs.get(id);
        send('state', {
          id,
          state: ended.state,
          rowCount: ended.rowCount,
          errorCode: ended.errorCode,
          errorMessage: ended.errorMessage,
          ...live.endedOutcome(id),
        });
        raw.end();
        return;
      }
      send('state', { id, state: live.get(id)?.state ?? record.state });
      const sendProgress = () => {
        const now = live.get(id);
        if (!now) return;
        const text = JSON.stringify(now.progress);
        if (text === lastProgress) return;
        lastProgress = text;
        send('progress', { id, ...now.progress });
      };
      sendProgress();
      const timer = setInterval(sendProgress, PROGRESS_EVERY_MS);
      stop = () => {
        clearInterval(timer);
        unsubscribe();
        streams.delete(raw);
      };
      streams.add(raw);
      raw.once('close', () => stop());
    },
  );
}
