import type { FastifyInstance } from 'fastify';
import { RequestError } from '@tributary/common';
import { requestBody } from './request-body.ts';
import { ARROW_STREAM, JOB_ID_HEADER, sendQueryResult } from './send-query-result.ts';
import type { ServerDeps } from './server-deps.ts';

/** Running a query (streamed back as it runs) and cancelling one. */
export function registerQueryRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.post('/api/v1/sql', async (request, reply) => {
    const controller = new AbortController();
    // The response (not the request) closes when the client goes away mid-query.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished)
        controller.abort(
          new RequestError('CLIENT_GONE', 'the client closed the connection', { status: 499 }),
        );
    });
    const job = deps.queries.start(
      requestBody<{ sql: unknown; context?: unknown; timeoutMs?: unknown; options?: unknown }>(request.body),
      controller.signal,
    );
    reply.header(JOB_ID_HEADER, job.id);
    const result = await job.result;
    const format = String(request.headers.accept ?? '').includes(ARROW_STREAM) ? 'arrow' : 'json';
    await sendQueryResult(reply, result, format);
  });

  app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/cancel', async (request, reply) => {
    if (!deps.queries.cancel(request.params.id)) {
      return reply.status(404).send(
        new RequestError('JOB_NOT_RUNNING', `no running job ${request.params.id}`, {
          status: 404,
        }).toBody(),
      );
    }
    return { id: request.params.id, state: 'cancelling' };
  });
}
