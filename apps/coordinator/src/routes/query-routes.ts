import type { FastifyInstance } from 'fastify';
import { RequestError } from '@tributary/common';
import { chooseResultFormat } from '../results/result-format.ts';
import { requestBody } from './request-body.ts';
import { JOB_ID_HEADER, sendQueryResult } from './send-query-result.ts';
import type { ServerDeps } from './server-deps.ts';

/**
 * Running a query, streamed back as it runs, in the format the Accept header or a `format`
 * field (body or query string) asks for: JSON, NDJSON, Arrow IPC stream, CSV or Parquet.
 */
export function registerQueryRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.post<{ Querystring: { format?: string } }>('/api/v1/sql', async (request, reply) => {
    const body = requestBody<{
      sql: unknown;
      context?: unknown;
      timeoutMs?: unknown;
      options?: unknown;
      format?: unknown;
    }>(request.body);
    // Chosen before the query runs: a format we cannot send is refused without running it.
    const format = chooseResultFormat(request.headers.accept, body.format ?? request.query.format);
    const controller = new AbortController();
    // The response (not the request) closes when the client goes away mid-query.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished)
        controller.abort(
          new RequestError('CLIENT_GONE', 'the client closed the connection', { status: 499 }),
        );
    });
    const job = deps.queries.start(
      { sql: body.sql, context: body.context, timeoutMs: body.timeoutMs, options: body.options },
      controller.signal,
    );
    reply.header(JOB_ID_HEADER, job.id);
    const result = await job.result;
    await sendQueryResult(reply, result, format);
  });
}
