import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { RequestError, TributaryError, asTributaryError } from '@tributary/common';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';
import { registerJobRoutes } from './routes/job-routes.ts';
import { registerQueryRoutes } from './routes/query-routes.ts';
import type { ServerDeps } from './routes/server-deps.ts';
import { registerSourceRoutes } from './routes/source-routes.ts';

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
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });

  app.setErrorHandler((error, _request, reply) => {
    const typed = toTributaryError(error);
    if (typed.status >= 500) deps.log(`error ${typed.code}: ${typed.message}`);
    void reply.status(typed.status).send(typed.toBody());
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

  registerHealthRoutes(app, deps);
  registerInternalRoutes(app, deps);
  registerSourceRoutes(app, deps);
  registerQueryRoutes(app, deps);
  registerJobRoutes(app, deps);
  return app;
}
