import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { RequestError, TributaryError, asTributaryError } from '@tributary/common';
import { AUTH_CODES } from './auth/auth-errors.ts';
import { authenticateRequests } from './auth/authenticate-requests.ts';
import { errorBodyFor } from './auth/redact-for.ts';
import { registerAuditRoutes } from './routes/audit-routes.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import { registerGrantRoutes } from './routes/grant-routes.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';
import { registerQueryRoutes } from './routes/query-routes.ts';
import type { ServerDeps } from './routes/server-deps.ts';
import { registerSourceRoutes } from './routes/source-routes.ts';
import { registerUserRoutes } from './routes/user-routes.ts';

export type { ServerDeps } from './routes/server-deps.ts';

/** Maps fastify's own errors (bad JSON, too large, not found) onto our typed errors. */
function toTributaryError(error: unknown): TributaryError {
  if (error instanceof TributaryError) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (
    typeof fastifyError.code === 'string' &&
    fastifyError.code.startsWith('FST_') &&
    fastifyError.statusCode &&
    fastifyError.statusCode < 500
  ) {
    if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return new RequestError(
        AUTH_CODES.requestTooLarge,
        'the request body is larger than allowed (maxRequestBytes, TRIBUTARY_MAX_REQUEST_BYTES)',
        { status: 413 },
      );
    const code =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/i.test(fastifyError.message ?? '')
        ? 'INVALID_JSON'
        : 'BAD_REQUEST';
    return new RequestError(code, fastifyError.message ?? 'bad request', { status: fastifyError.statusCode });
  }
  if (error instanceof SyntaxError)
    return new RequestError('INVALID_JSON', `request body is not valid JSON: ${error.message}`);
  return asTributaryError(error);
}

/** The coordinator's HTTP service: each group of routes lives in its own file under routes/. */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: deps.security.maxRequestBytes });
  const redaction = { sources: () => deps.sources.locations(), sourceRoots: deps.security.sourceRoots };

  app.setErrorHandler((error, request, reply) => {
    const typed = toTributaryError(error);
    if (typed.status >= 500) deps.log(`error ${typed.code}: ${typed.message}`);
    if (typed.status === 401 && typed.code !== 'CLUSTER_AUTH_REQUIRED')
      void reply.header('www-authenticate', 'Bearer realm="tributary"');
    // Absolute paths, executor URLs and pids are for admins' eyes only.
    void reply.status(typed.status).send(errorBodyFor(typed.toBody(), request.principal, redaction));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .status(404)
      .send(
        new RequestError('NOT_FOUND', `no route ${request.method} ${request.url}`, { status: 404 }).toBody(),
      );
  });

  const consolePage = readFileSync(
    resolve(dirname(fileURLToPath(import.meta.url)), '../../console/src/index.html'),
  );
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(consolePage));

  authenticateRequests(app, deps.security);
  registerHealthRoutes(app, deps);
  registerInternalRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerGrantRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerSourceRoutes(app, deps);
  registerQueryRoutes(app, deps);
  return app;
}
