import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { RequestError } from '@tributary/common';
import { errorResponses } from '../http/api-schemas.ts';
import type { ServerDeps } from './server-deps.ts';
import { withDremioErrorFields } from './v3-errors.ts';
import { DREMIO_V3_TAG, V3JobId, V3SqlBody } from './v3-schemas.ts';

/**
 * Dremio's `POST /api/v3/sql`: the query runs as a background job exactly as `POST
 * /api/v1/jobs` runs it (JobService.submit: rows spooled, query type REST); the answer is its
 * id, to follow with `GET /api/v3/job/{id}`.
 */
export function registerV3SqlRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  typed.post(
    '/api/v3/sql',
    {
      schema: {
        tags: [DREMIO_V3_TAG],
        summary: "Run a query as a job (Dremio's SQL API); answers its id",
        body: V3SqlBody,
        response: { 200: V3JobId, ...errorResponses(400, 401, 413, 503) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => {
      const { sql, context, references, maxStalenessMs } = request.body;
      // Versioned references (branches, tags of Nessie-like catalogs) have nothing to name here.
      if (references !== undefined && Object.keys(references).length > 0)
        throw new RequestError(
          'REFERENCES_UNSUPPORTED',
          '"references" name versions of a versioned catalog; Tributary has none',
        );
      const user = request.principal.user;
      const id = deps.jobs.submit({
        sql,
        ...(context === undefined || context.length === 0 ? {} : { context }),
        queryType: 'REST',
        ...(user === undefined ? {} : { user }),
        ...(maxStalenessMs === undefined ? {} : { maxStalenessMs }),
      });
      return { id };
    },
  );
}
