import type { FastifyInstance } from 'fastify';
import { RequestError } from '@tributary/common';
import { parseGrant } from '@tributary/sql';
import { applyGrant } from '../auth/apply-grant.ts';
import { accessDenied } from '../auth/auth-errors.ts';
import { maySeeJob } from '../auth/job-access.ts';
import type { QueryRequest } from '../query/query-service.ts';
import { requestBody } from './request-body.ts';
import { ARROW_STREAM, JOB_ID_HEADER, sendQueryResult } from './send-query-result.ts';
import type { ServerDeps } from './server-deps.ts';

/** Running a query (streamed back as it runs) and cancelling one. */
export function registerQueryRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { security } = deps;
  app.post('/api/v1/sql', async (request, reply) => {
    const body = requestBody<QueryRequest>(request.body);
    const { principal } = request;
    // A user's statement may not ask for a longer deadline than the configured one.
    const max = security.maxQueryTimeoutMs;
    if (
      !principal.admin &&
      max > 0 &&
      typeof body.timeoutMs === 'number' &&
      Number.isFinite(body.timeoutMs) &&
      body.timeoutMs > max
    )
      throw new RequestError(
        'INVALID_TIMEOUT',
        `"timeoutMs" may be at most ${max} (queryTimeoutMs) for a user who is not an admin`,
      );
    // GRANT and REVOKE are applied here until the semantic layer's command mechanism takes
    // them (parseGrant looks at the first word only of any other statement).
    const grant =
      typeof body.sql === 'string' && Buffer.byteLength(body.sql) <= 64 * 1024
        ? parseGrant(body.sql)
        : undefined;
    if (grant) {
      const result = applyGrant(grant, principal, { ...security, store: security.users });
      return {
        columns: [
          { name: 'ok', type: 'BOOLEAN' },
          { name: 'summary', type: 'VARCHAR' },
        ],
        rows: [[result.ok, result.summary]],
        rowCount: 1,
      };
    }
    const controller = new AbortController();
    // The response (not the request) closes when the client goes away mid-query.
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished)
        controller.abort(
          new RequestError('CLIENT_GONE', 'the client closed the connection', { status: 499 }),
        );
    });
    const job = deps.queries.start(
      {
        sql: body.sql,
        context: body.context,
        timeoutMs: body.timeoutMs,
        options: body.options,
        queryType: 'REST',
        ...(principal.user === undefined ? {} : { user: principal.user }),
      },
      controller.signal,
    );
    reply.header(JOB_ID_HEADER, job.id);
    const result = await job.result;
    const format = String(request.headers.accept ?? '').includes(ARROW_STREAM) ? 'arrow' : 'json';
    await sendQueryResult(reply, result, format);
  });

  app.post<{ Params: { id: string } }>('/api/v1/jobs/:id/cancel', async (request, reply) => {
    const job = deps.queries.runningJob(request.params.id);
    // Users cancel their own jobs; admins (and everyone with auth off) any job.
    if (job && !maySeeJob(request.principal, job.user))
      throw accessDenied(`job ${request.params.id} is not yours to cancel`, { job: request.params.id });
    if (!job || !deps.queries.cancel(request.params.id)) {
      return reply.status(404).send(
        new RequestError('JOB_NOT_RUNNING', `no running job ${request.params.id}`, {
          status: 404,
        }).toBody(),
      );
    }
    return { id: request.params.id, state: 'cancelling' };
  });
}
