import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { RequestError } from '@tributary/common';
import { dremioJobStatus } from '../dremio/dremio-job.ts';
import { writeDremioResults } from '../dremio/dremio-results-writer.ts';
import { errorResponses } from '../http/api-schemas.ts';
import { JOB_NOT_COMPLETED } from '../jobs/job-service.ts';
import { visibleJobOf } from './job-routes.ts';
import type { ServerDeps } from './server-deps.ts';
import { withDremioErrorFields } from './v3-errors.ts';
import {
  DREMIO_V3_TAG,
  V3IdParams,
  V3JobResults,
  V3JobStatus,
  V3ResultsQuery,
  V3_DEFAULT_LIMIT,
} from './v3-schemas.ts';

/**
 * Dremio's Job API: a job's status, a page of its results, cancel. The same job records,
 * spools and access rule (your own jobs; an admin any) as the v1 jobs routes.
 */
export function registerV3JobRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const v3 = (summary: string) => ({ tags: [DREMIO_V3_TAG], summary });

  typed.get(
    '/api/v3/job/:id',
    {
      schema: {
        ...v3("A job's state, rows, times and error, as Dremio answers it"),
        params: V3IdParams,
        response: { 200: V3JobStatus, ...errorResponses(401, 403, 404) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => dremioJobStatus(visibleJobOf(deps, request.principal, request.params.id)),
  );

  typed.get(
    '/api/v3/job/:id/results',
    {
      schema: {
        ...v3("A page of a completed job's rows: Dremio's types and values"),
        description: `offset 0 and limit ${V3_DEFAULT_LIMIT} by default, as in Dremio; Dremio's cap of 500 rows a page is lifted (the page streams from the spool).`,
        params: V3IdParams,
        querystring: V3ResultsQuery,
        response: { 200: V3JobResults, ...errorResponses(400, 401, 403, 404, 410) },
      },
      onSend: withDremioErrorFields,
    },
    async (request, reply) => {
      const { id } = request.params;
      const job = visibleJobOf(deps, request.principal, id);
      // Dremio answers 400 for a job not COMPLETED, in these words.
      if (job.state !== 'COMPLETED')
        throw new RequestError(
          JOB_NOT_COMPLETED,
          `Can not fetch details for a job that is in [${job.state}] state.`,
          {
            details: { state: job.state },
          },
        );
      const page = await deps.jobs.results(
        id,
        request.query.offset ?? 0,
        request.query.limit ?? V3_DEFAULT_LIMIT,
      );
      const iterator = page.batches[Symbol.asyncIterator]();
      // The first batch is read before the answer starts, so a spool that cannot be read still gets an error answer.
      const first = await iterator.next();
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      try {
        await writeDremioResults(raw, page.fields, page.totalRows, iterator, first);
        raw.end();
      } catch (error) {
        await iterator.return?.(undefined);
        raw.destroy(error instanceof Error ? error : undefined);
      }
    },
  );

  typed.post(
    '/api/v3/job/:id/cancel',
    {
      schema: {
        ...v3('Cancel a running job; 204, as Dremio answers'),
        params: V3IdParams,
        response: { 204: Type.Null({ description: 'Cancel requested' }), ...errorResponses(401, 403, 404) },
      },
      onSend: withDremioErrorFields,
    },
    async (request, reply) => {
      visibleJobOf(deps, request.principal, request.params.id);
      deps.jobs.cancel(request.params.id);
      return reply.status(204).send(null);
    },
  );
}
