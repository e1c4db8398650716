import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RequestError } from '@tributary/common';
import { OpenObject, errorResponses, withErrorCode } from '../http/api-schemas.ts';
import { RESULT_FORMATS, UNSUPPORTED_FORMAT, chooseResultFormat } from '../results/result-format.ts';
import { JOB_ID_HEADER, sendQueryResult } from './send-query-result.ts';
import type { ServerDeps } from './server-deps.ts';

// The service checks these fields itself (and is the one place for direct callers); the
// schema documents them and answers the service's codes, so clients see what they always saw.
export const sqlRequestFields = {
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
  maxStalenessMs: Type.Optional(
    withErrorCode(
      Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
        description:
          'How old (ms) the data of a stale reflection (its sources changed since it was built) may be for this query to read it; 0 or absent: never',
      }),
      'INVALID_MAX_STALENESS',
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
            reflections: Type.Optional(
              Type.Boolean({ description: 'false plans this query without reflections' }),
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
};

/** `format` names a result format (else the Accept header chooses); the formats are RESULT_FORMATS. */
export const ResultFormatField = withErrorCode(
  Type.String({
    description: `The result's format: ${Object.keys(RESULT_FORMATS).join(', ')} (or a media type); the Accept header when absent`,
  }),
  UNSUPPORTED_FORMAT,
);

const SqlBody = Type.Object(
  { ...sqlRequestFields, format: Type.Optional(ResultFormatField) },
  { additionalProperties: false },
);

/** What a result can be sent as, for the document: JSON's shape, the others as bytes. */
export function resultContent(json: ReturnType<typeof OpenObject>) {
  return Object.fromEntries(
    Object.values(RESULT_FORMATS).map(({ mediaType }) => [
      mediaType,
      { schema: mediaType === RESULT_FORMATS.json.mediaType ? json : Type.String({ format: 'binary' }) },
    ]),
  );
}

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
  acceleration: Type.Optional(
    OpenObject(
      {
        reflections: Type.Array(Type.String(), { description: 'Ids of the reflections it read' }),
        dataAgeMs: Type.Number({
          description: 'How much older than its sources the data it read was (0: every reflection fresh)',
        }),
      },
      { description: 'Present when the query read reflections' },
    ),
  ),
});

/**
 * Running a query, streamed back as it runs, in the format the Accept header or a `format`
 * field (body or query string) asks for: JSON, NDJSON, Arrow IPC stream, CSV or Parquet.
 */
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
          'JSON by default; NDJSON, an Arrow IPC stream, CSV or Parquet by the Accept header or `format`. ' +
          `Every answer names its job in the ${JOB_ID_HEADER} header.`,
        querystring: Type.Object({ format: Type.Optional(ResultFormatField) }),
        body: SqlBody,
        response: {
          200: { description: 'The result, streamed', content: resultContent(SqlResultSchema) },
          ...errorResponses(400, 406, 409, 413, 499, 503, 504),
        },
      },
    },
    async (request, reply) => {
      const { format: bodyFormat, ...body } = request.body;
      // Chosen before the query runs: a format we cannot send is refused without running it.
      const format = chooseResultFormat(request.headers.accept, bodyFormat ?? request.query.format);
      const { principal } = request;
      // A user's statement may not ask for a longer deadline than the configured one.
      const max = security.maxQueryTimeoutMs;
      if (!principal.admin && max > 0 && typeof body.timeoutMs === 'number' && body.timeoutMs > max)
        throw new RequestError(
          'INVALID_TIMEOUT',
          `"timeoutMs" may be at most ${max} (queryTimeoutMs) for a user who is not an admin`,
        );
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
      await sendQueryResult(reply, result, format);
    },
  );
}
