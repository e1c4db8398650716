import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RequestError } from '@tributary/common';
import { OpenObject, errorResponses, withErrorCode } from '../http/api-schemas.ts';
import { parseGrant } from '@tributary/sql';
import { applyGrant } from '../auth/apply-grant.ts';
import { accessDenied } from '../auth/auth-errors.ts';
import { maySeeJob } from '../auth/job-access.ts';
import { ARROW_STREAM, JOB_ID_HEADER, sendQueryResult } from './send-query-result.ts';
import type { ServerDeps } from './server-deps.ts';

// The service checks these fields itself (and is the one place for direct callers); the
// schema documents them and answers the service's codes, so clients see what they always saw.
const SqlBody = Type.Object(
  {
    sql: withErrorCode(
      Type.String({ minLength: 1, description: 'The SQL statement (at most maxSqlBytes bytes)' }),
      'INVALID_QUERY',
      'request body must have a non-empty "sql" string',
    ),
    context: Type.Optional(
      withErrorCode(
        Type.Union([Type.String(), Type.Array(Type.String()), Type.Null()], {
          description: 'Where bare table names resolve: a source name, or a list of path parts',
        }),
        'INVALID_CONTEXT',
      ),
    ),
    timeoutMs: Type.Optional(
      withErrorCode(
        Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], {
          description: 'A deadline for this query, overriding queryTimeoutMs',
        }),
        'INVALID_TIMEOUT',
      ),
    ),
    options: Type.Optional(
      withErrorCode(
        Type.Union([
          Type.Object(
            {
              disabledRules: Type.Optional(
                Type.Array(Type.String(), { description: 'Optimizer rules switched off, by name' }),
              ),
              scanPushdown: Type.Optional(
                Type.Boolean({ description: 'false keeps all work out of the scans' }),
              ),
            },
            // Unknown option names get the service's answer, with a "did you mean".
            { additionalProperties: true },
          ),
          Type.Null(),
        ]),
        'INVALID_OPTIONS',
      ),
    ),
  },
  { additionalProperties: false },
);

const ResultColumn = OpenObject({ name: Type.String(), type: Type.String({ description: 'SQL type' }) });

const SqlResultSchema = OpenObject({
  columns: Type.Array(ResultColumn),
  rows: Type.Array(Type.Array(Type.Unknown()), {
    description: "Row arrays; values encoded by their column's type (README)",
  }),
  rowCount: Type.Integer(),
  jobId: Type.Optional(Type.String({ description: 'Absent for GRANT and REVOKE, which run no job' })),
  elapsedMs: Type.Optional(Type.Number()),
  warnings: Type.Optional(Type.Array(Type.String())),
});

/** Running a query (streamed back as it runs) and cancelling one. */
export function registerQueryRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { security } = deps;
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/api/v1/sql',
    {
      schema: {
        tags: ['sql'],
        summary: 'Run a SQL statement and stream its result',
        description:
          'JSON by default; an Arrow IPC stream with `Accept: application/vnd.apache.arrow.stream`. ' +
          `Every answer names its job in the ${JOB_ID_HEADER} header.`,
        body: SqlBody,
        response: {
          200: {
            description: 'The result, streamed',
            content: {
              'application/json': { schema: SqlResultSchema },
              [ARROW_STREAM]: { schema: Type.String({ format: 'binary' }) },
            },
          },
          ...errorResponses(400, 409, 413, 499, 503, 504),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const { principal } = request;
      // A user's statement may not ask for a longer deadline than the configured one.
      const max = security.maxQueryTimeoutMs;
      if (!principal.admin && max > 0 && typeof body.timeoutMs === 'number' && body.timeoutMs > max)
        throw new RequestError(
          'INVALID_TIMEOUT',
          `"timeoutMs" may be at most ${max} (queryTimeoutMs) for a user who is not an admin`,
        );
      // GRANT and REVOKE are applied here, not yet through the catalog command mechanism
      // (parseGrant looks at the first word only of any other statement).
      const grant = Buffer.byteLength(body.sql) <= 64 * 1024 ? parseGrant(body.sql) : undefined;
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
        { ...body, queryType: 'REST', ...(principal.user === undefined ? {} : { user: principal.user }) },
        controller.signal,
      );
      reply.header(JOB_ID_HEADER, job.id);
      const result = await job.result;
      const format = String(request.headers.accept ?? '').includes(ARROW_STREAM) ? 'arrow' : 'json';
      await sendQueryResult(reply, result, format);
    },
  );

  api.post(
    '/api/v1/jobs/:id/cancel',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Cancel a running or queued query',
        description: 'Its own request then answers 409 QUERY_CANCELLED.',
        params: Type.Object({ id: Type.String({ description: 'The job id (x-tributary-job-id)' }) }),
        response: {
          200: OpenObject({ id: Type.String(), state: Type.Literal('cancelling') }),
          ...errorResponses(403, 404),
        },
      },
    },
    async (request) => {
      const job = deps.queries.runningJob(request.params.id);
      // Users cancel their own jobs; admins (and everyone with auth off) any job.
      if (job && !maySeeJob(request.principal, job.user))
        throw accessDenied(`job ${request.params.id} is not yours to cancel`, { job: request.params.id });
      if (!job || !deps.queries.cancel(request.params.id))
        throw new RequestError('JOB_NOT_RUNNING', `no running job ${request.params.id}`, { status: 404 });
      return { id: request.params.id, state: 'cancelling' as const };
    },
  );
}
