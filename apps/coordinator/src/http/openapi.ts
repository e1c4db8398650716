import type { FastifyInstance, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { ERROR_BODY_ID, ErrorBodySchema } from './api-schemas.ts';
import { isConsoleRoute } from './console-pages.ts';

/** Where the OpenAPI document (`/json`, `/yaml`) and its browsable UI are served. */
export const DOCS_PREFIX = '/api/docs';

/** The tags routes are grouped under in the document, with what each group is for. */
export const API_TAGS = [
  { name: 'health', description: 'Whether the service is up and ready, and how it is doing' },
  {
    name: 'sources',
    description: 'CSV, Parquet and SQLite sources: register, list, change, refresh, remove',
  },
  { name: 'sql', description: 'Running SQL' },
  { name: 'jobs', description: 'Queries as jobs: state, results, cancel, history' },
  { name: 'catalog', description: 'Spaces, folders, views and the catalog tables' },
  { name: 'auth', description: 'Users, tokens, roles and privileges' },
  {
    name: 'reflections',
    description:
      'Reflections: materialized Parquet accelerations of tables and views, their builds and refresh',
  },
  {
    name: 'dremio-v3',
    description:
      "Dremio's REST API v3 (SQL, Job, Catalog), request and response shapes as Dremio documents them, so Dremio clients work unchanged",
  },
] as const;

/** Routes that are not part of the public API: the cluster channel and the console's pages. */
export function isInternalRoute(url: string): boolean {
  return url.startsWith('/internal/') || isConsoleRoute(url) || url.startsWith(DOCS_PREFIX);
}

export interface DocumentedRoute {
  readonly method: string;
  readonly url: string;
  readonly schema: Record<string, unknown> | undefined;
}

const routesOf = new WeakMap<FastifyInstance, DocumentedRoute[]>();

/** Every public route registered on `app` after registerOpenApi, as declared (tests check they are all documented). */
export function publicRoutes(app: FastifyInstance): readonly DocumentedRoute[] {
  return routesOf.get(app) ?? [];
}

/**
 * Generates the OpenAPI document from the routes' TypeBox schemas (@fastify/swagger) and
 * serves it with a browsable UI at /api/docs (@fastify/swagger-ui). Must be awaited before
 * any route is added: routes are collected as they are registered. The shared error body
 * is a component every route's error responses refer to; internal routes are left out.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  app.addSchema(ErrorBodySchema);
  const routes: DocumentedRoute[] = [];
  routesOf.set(app, routes);
  app.addHook('onRoute', (route: RouteOptions) => {
    if (isInternalRoute(route.url) || route.method === 'HEAD') return;
    for (const method of [route.method].flat())
      routes.push({ method, url: route.url, schema: route.schema as Record<string, unknown> | undefined });
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Tributary',
        description:
          'A federated SQL query service over CSV, Parquet and SQLite. Every error answers the ' +
          `${ERROR_BODY_ID} shape with a stable code (docs/errors.md).`,
        version,
      },
      tags: [...API_TAGS],
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    transform: ({ schema, url }) => ({
      schema: (isInternalRoute(url) ? { ...schema, hide: true } : schema) as typeof schema,
      url,
    }),
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { deepLinking: true } });
}
