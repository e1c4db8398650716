import { registerReflectionRoutes } from './routes/reflection-routes.ts';
import { registerV3ReflectionRoutes } from './routes/v3-reflection-routes.ts';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { authenticateRequests } from './auth/authenticate-requests.ts';
import { errorBodyFor } from './auth/redact-for.ts';
import { notFound, toTributaryError } from './http/http-errors.ts';
import { registerConsolePages } from './http/console-pages.ts';
import { registerOpenApi } from './http/openapi.ts';
import { registerAuditRoutes } from './routes/audit-routes.ts';
import { registerAuthRoutes } from './routes/auth-routes.ts';
import { registerFunctionRoutes } from './routes/function-routes.ts';
import { registerGrantRoutes } from './routes/grant-routes.ts';
import { NOT_READY, registerHealthRoutes } from './routes/health-routes.ts';
import { registerInternalRoutes } from './routes/internal-routes.ts';
import { registerJobRoutes } from './routes/job-routes.ts';
import { registerMetricsRoutes } from './routes/metrics-routes.ts';
import { registerNamespaceRoutes } from './routes/namespace-routes.ts';
import { registerQueryRoutes } from './routes/query-routes.ts';
import type { ServerDeps } from './routes/server-deps.ts';
import { registerSourceRoutes } from './routes/source-routes.ts';
import { registerUserRoutes } from './routes/user-routes.ts';
import { registerV3CatalogRoutes } from './routes/v3-catalog-routes.ts';
import { registerV3JobRoutes } from './routes/v3-job-routes.ts';
import { registerV3SqlRoutes } from './routes/v3-sql-routes.ts';

export type { ServerDeps } from './routes/server-deps.ts';

const here = dirname(fileURLToPath(import.meta.url));

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(resolve(here, '../../../package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
}

/**
 * The coordinator's HTTP service: each group of routes lives in its own file under routes/,
 * declares its request and response schemas with TypeBox (validated by TypeBox, documented
 * at /api/docs), and every failure answers `TributaryError.toBody()`.
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: deps.maxRequestBytes });
  // TypeBox checks bodies as they are (no coercion: "sql": 5 is not a string) and converts
  // the strings of query strings, params and headers to the declared types.
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  const redaction = { sources: () => deps.sources.locations(), sourceRoots: deps.security.sourceRoots };

  app.setErrorHandler((error, request, reply) => {
    const typed = toTributaryError(error, request, { maxRequestBytes: deps.maxRequestBytes });
    if (typed.status >= 500 && typed.code !== NOT_READY) deps.log(`error ${typed.code}: ${typed.message}`);
    if (typed.status === 401 && typed.code !== 'CLUSTER_AUTH_REQUIRED')
      void reply.header('www-authenticate', 'Bearer realm="tributary"');
    // Absolute paths, executor URLs and pids are for admins' eyes only.
    void reply.status(typed.status).send(errorBodyFor(typed.toBody(), request.principal, redaction));
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(notFound(request).toBody());
  });

  // Before any route: the document is collected from the routes as they are added.
  await registerOpenApi(app, packageVersion());

  registerConsolePages(app, { authEnabled: deps.security.enabled });

  authenticateRequests(app, deps.security);
  registerHealthRoutes(app, deps);
  registerMetricsRoutes(app, deps);
  registerInternalRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerGrantRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerSourceRoutes(app, deps);
  registerQueryRoutes(app, deps);
  registerFunctionRoutes(app);
  registerJobRoutes(app, deps);
  registerNamespaceRoutes(app, deps);
  registerV3SqlRoutes(app, deps);
  registerV3JobRoutes(app, deps);
  registerV3CatalogRoutes(app, deps);
  if (deps.reflections) {
    registerReflectionRoutes(app, deps, deps.reflections);
    registerV3ReflectionRoutes(app, deps, deps.reflections);
  }
  return app;
}
