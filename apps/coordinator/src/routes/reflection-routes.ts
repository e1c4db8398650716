import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { CatalogError, RequestError, typeToString } from '@tributary/common';
import {
  createReflectionSql,
  describeReflection,
  reflectionColumns,
  type ReflectionRecord,
} from '@tributary/reflections';
import { auditedRequests } from '../auth/audited-change.ts';
import { authorizeCommand } from '../auth/authorize-command.ts';
import { OpenObject, errorResponses } from '../http/api-schemas.ts';
import type { ReflectionService } from '../reflections/reflection-service.ts';
import { runStatement } from '../reflections/run-statement.ts';
import { checkDefinition, checkRefreshField } from '../reflections/check-definition.ts';
import type { ServerDeps } from './server-deps.ts';

/** How long `?wait=true` waits for a build at most (then 504 REFLECTION_WAIT_TIMEOUT; the build goes on). */
const DEFAULT_WAIT_MS = 300_000;

const Granularity = Type.Union([Type.Literal('day'), Type.Literal('month'), Type.Literal('year')]);
const MeasureFn = Type.Union([
  Type.Literal('SUM'),
  Type.Literal('COUNT'),
  Type.Literal('MIN'),
  Type.Literal('MAX'),
]);
const Dimension = Type.Object({
  column: Type.String({ minLength: 1 }),
  granularity: Type.Optional(Granularity),
});
const Measure = Type.Object({
  column: Type.String({ minLength: 1 }),
  functions: Type.Optional(Type.Array(MeasureFn)),
});
const Columns = Type.Array(Type.String({ minLength: 1 }));

const CreateBody = Type.Object({
  name: Type.String({ minLength: 1 }),
  /** The table or view: `["tpch", "orders"]`. */
  dataset: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
  type: Type.Union([Type.Literal('RAW'), Type.Literal('AGGREGATION')]),
  displayColumns: Type.Optional(Columns),
  dimensions: Type.Optional(Type.Array(Dimension)),
  measures: Type.Optional(Type.Array(Measure)),
  partitionBy: Type.Optional(Columns),
  localSortBy: Type.Optional(Columns),
  enabled: Type.Optional(Type.Boolean()),
  /** Rebuilt this often (ms); 0: never on a timer; absent: the reflectionRefreshIntervalMs setting. */
  refreshIntervalMs: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Dremio's refresh field: refreshed incrementally by reading only rows above this column's last maximum. */
  refreshField: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
});

const AlterBody = Type.Object({
  /** The tag read before: a reflection changed meanwhile is not overwritten (409 TAG_MISMATCH). */
  tag: Type.String({ minLength: 1 }),
  name: Type.Optional(Type.String({ minLength: 1 })),
  enabled: Type.Optional(Type.Boolean()),
  displayColumns: Type.Optional(Columns),
  dimensions: Type.Optional(Type.Array(Dimension)),
  measures: Type.Optional(Type.Array(Measure)),
  partitionBy: Type.Optional(Columns),
  localSortBy: Type.Optional(Columns),
  refreshIntervalMs: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  refreshField: Type.Optional(Type.Union([Type.String({ minLength: 1 }), Type.Null()])),
});

const Wait = Type.Object({
  wait: Type.Optional(
    Type.Boolean({ description: 'answer once the build ended (or failed, or waitMs passed)' }),
  ),
  waitMs: Type.Optional(
    Type.Integer({ minimum: 1, description: `how long to wait at most (default ${DEFAULT_WAIT_MS})` }),
  ),
});

const ReflectionSchema = OpenObject({
  id: Type.String(),
  name: Type.String(),
  dataset: Type.Array(Type.String()),
  type: Type.String(),
  enabled: Type.Boolean(),
  status: Type.String(),
  definition: Type.String(),
  tag: Type.String(),
  failureCount: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

const IdParams = Type.Object({ id: Type.String() });
const tags = (summary: string) => ({ tags: ['reflections'], summary });

/** A reflection as the v1 API shows it. */
export function reflectionBody(reflection: ReflectionRecord, service: ReflectionService) {
  const built = reflection.materialization;
  const buildingJob = service.buildingJob(reflection.id);
  return {
    id: reflection.id,
    name: reflection.name,
    dataset: [...reflection.datasetPath],
    type: reflection.type,
    enabled: reflection.enabled,
    status: reflection.status,
    definition: describeReflection(reflection),
    displayColumns: [...reflection.displayColumns],
    dimensions: reflection.dimensions.map((d) => ({ ...d })),
    measures: reflection.measures.map((m) => ({ column: m.column, functions: [...m.functions] })),
    partitionBy: [...reflection.partitionBy],
    localSortBy: [...reflection.localSortBy],
    columns: reflectionColumns(reflection).map((c) => {
      const type = built?.table.columns.find((t) => t.name === c.name)?.type;
      return { name: c.name, role: c.role.kind, ...(type ? { type: typeToString(type) } : {}) };
    }),
    owner: reflection.owner,
    tag: reflection.tag,
    refreshIntervalMs: reflection.refreshPolicy.intervalMs ?? null,
    refreshMethod: reflection.refreshPolicy.refreshField ? 'INCREMENTAL' : 'FULL',
    refreshField: reflection.refreshPolicy.refreshField ?? null,
    failureCount: reflection.failureCount,
    lastError: reflection.lastError,
    ...(buildingJob ? { buildingJobId: buildingJob } : {}),
    materialization: built && {
      id: built.id,
      rows: built.rows,
      bytes: built.bytes,
      builtAt: new Date(built.builtAt).toISOString(),
      refreshMs: built.refreshMs,
      incremental: built.incremental,
      snapshot: built.snapshot.map((s) => ({ ...s })),
    },
    createdAt: reflection.createdAt,
    updatedAt: reflection.updatedAt,
  };
}

/** The reflection with this id, or REFLECTION_NOT_FOUND. */
export function reflectionById(service: ReflectionService, id: string): ReflectionRecord {
  const found = service.store.get(id);
  if (!found) throw new CatalogError('REFLECTION_NOT_FOUND', `no reflection with id ${id}`, { status: 404 });
  return found;
}

/** `?wait=true`: the build's end (a failure that was its last retry is the answer's error). */
export async function awaitBuild(
  service: ReflectionService,
  id: string,
  wait: Static<typeof Wait>,
): Promise<void> {
  if (!wait.wait) return;
  const outcome = await service.waitForBuild(id, wait.waitMs ?? DEFAULT_WAIT_MS);
  if (!outcome.ok) throw outcome.error;
}

/**
 * Reflections over REST (`/api/v1/reflections`). Creating one runs the same ALTER … CREATE …
 * REFLECTION statement SQL would (a job: checked against the dataset's columns on a planner
 * thread, authorized, written), so both paths check the same things; changes need ALTER on
 * the dataset, as in SQL, and are audited.
 */
export function registerReflectionRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  service: ReflectionService,
): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const audited = auditedRequests(deps.security.audit);
  /** ALTER on the reflection's dataset (authorize-command.ts), as its SQL statements need. */
  const mayAlter = (request: FastifyRequest, reflection: ReflectionRecord) =>
    authorizeCommand(
      {
        kind: 'refresh_reflections',
        dataset: {
          kind: deps.catalog.namespace.getView(reflection.datasetPath) ? 'view' : 'table',
          path: reflection.datasetPath,
        },
      },
      request.principal,
      deps.security.access,
    );

  typed.get(
    '/api/v1/reflections',
    {
      schema: {
        ...tags('List reflections, optionally of one dataset'),
        querystring: Type.Object({
          dataset: Type.Optional(
            Type.String({ description: 'the dataset path, dot-separated: tpch.orders' }),
          ),
        }),
        response: { 200: OpenObject({ reflections: Type.Array(ReflectionSchema) }), ...errorResponses() },
      },
    },
    async (request) => {
      const dataset = request.query.dataset?.split('.');
      const visible = deps.security.access;
      const all = service.store.list(dataset ? { datasetPath: dataset } : {});
      const shown = all.filter((r) => visible.allows(request.principal, 'SELECT', r.datasetPath));
      return { reflections: shown.map((r) => reflectionBody(r, service)) };
    },
  );

  typed.post(
    '/api/v1/reflections',
    {
      schema: {
        ...tags('Create a reflection (and queue its build)'),
        body: CreateBody,
        querystring: Wait,
        response: { 201: ReflectionSchema, ...errorResponses(400, 403, 404, 409, 504) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await audited(
        request,
        'reflection.create',
        `${body.dataset.join('.')}.${body.name}`,
        async () => {
          const definition = {
            name: body.name,
            datasetPath: body.dataset,
            type: body.type,
            displayColumns: body.displayColumns ?? [],
            dimensions: body.dimensions ?? [],
            measures: (body.measures ?? []).map((m) => ({ column: m.column, functions: m.functions ?? [] })),
            partitionBy: body.partitionBy ?? [],
            localSortBy: body.localSortBy ?? [],
          };
          if (definition.type === 'RAW' && definition.displayColumns.length === 0)
            throw new RequestError('INVALID_REFLECTION', 'a RAW reflection needs "displayColumns"', {
              field: '/displayColumns',
            });
          await runStatement(deps.queries, createReflectionSql(definition), request.principal.user);
          let reflection = service.store
            .list({ datasetPath: body.dataset })
            .find((r) => r.name.toLowerCase() === body.name.toLowerCase());
          if (!reflection)
            throw new CatalogError('REFLECTION_NOT_FOUND', `reflection ${body.name} was not created`);
          if (
            body.enabled === false ||
            body.refreshIntervalMs !== undefined ||
            body.refreshField !== undefined
          ) {
            const refreshField =
              body.refreshField && checkRefreshField(deps.catalog, body.dataset, body.refreshField);
            reflection = service.store.alter(reflection.id, {
              ...(body.enabled === false ? { enabled: false } : {}),
              refreshPolicy: {
                ...reflection.refreshPolicy,
                ...(body.refreshIntervalMs === undefined ? {} : { intervalMs: body.refreshIntervalMs }),
                ...(body.refreshField === undefined ? {} : { refreshField: refreshField ?? null }),
              },
            });
          }
          return reflection;
        },
      );
      if (created.enabled) await awaitBuild(service, created.id, request.query);
      return reply.status(201).send(reflectionBody(service.store.get(created.id) ?? created, service));
    },
  );

  typed.get(
    '/api/v1/reflections/:id',
    {
      schema: {
        ...tags('A reflection: definition, status, serving materialization'),
        params: IdParams,
        response: { 200: ReflectionSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const reflection = reflectionById(service, request.params.id);
      if (!deps.security.access.allows(request.principal, 'SELECT', reflection.datasetPath))
        throw new CatalogError('REFLECTION_NOT_FOUND', `no reflection with id ${request.params.id}`, {
          status: 404,
        });
      return reflectionBody(reflection, service);
    },
  );

  typed.put(
    '/api/v1/reflections/:id',
    {
      schema: {
        ...tags('Change a reflection (name, enabled, columns, layout, refresh interval), guarded by its tag'),
        params: IdParams,
        body: AlterBody,
        response: { 200: ReflectionSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => {
      const reflection = reflectionById(service, request.params.id);
      mayAlter(request, reflection);
      const body = request.body;
      // The definition as changed, checked as its CREATE statement would be (a changed one is rebuilt).
      const checked = checkDefinition(deps.catalog, {
        name: body.name ?? reflection.name,
        datasetPath: reflection.datasetPath,
        type: reflection.type,
        displayColumns: body.displayColumns ?? reflection.displayColumns,
        dimensions: body.dimensions ?? reflection.dimensions,
        measures:
          body.measures?.map((m) => ({ column: m.column, functions: m.functions ?? [] })) ??
          reflection.measures,
        partitionBy: body.partitionBy ?? reflection.partitionBy,
        localSortBy: body.localSortBy ?? reflection.localSortBy,
      });
      const altered = await audited(request, 'reflection.alter', reflection.id, () =>
        service.store.alter(
          reflection.id,
          {
            ...(body.name === undefined ? {} : { name: body.name }),
            ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
            displayColumns: checked.displayColumns,
            dimensions: checked.dimensions,
            measures: checked.measures,
            partitionBy: checked.partitionBy,
            localSortBy: checked.localSortBy,
            ...(body.refreshIntervalMs === undefined && body.refreshField === undefined
              ? {}
              : {
                  refreshPolicy: {
                    ...reflection.refreshPolicy,
                    ...(body.refreshIntervalMs === undefined ? {} : { intervalMs: body.refreshIntervalMs }),
                    ...(body.refreshField === undefined
                      ? {}
                      : {
                          refreshField:
                            body.refreshField &&
                            checkRefreshField(deps.catalog, reflection.datasetPath, body.refreshField),
                        }),
                  },
                }),
          },
          body.tag,
        ),
      );
      if (altered.enabled && altered.status === 'REFRESHING') service.request(altered.id);
      return reflectionBody(altered, service);
    },
  );

  typed.delete(
    '/api/v1/reflections/:id',
    {
      schema: {
        ...tags('Drop a reflection and its materializations'),
        params: IdParams,
        querystring: Type.Object({ tag: Type.Optional(Type.String()) }),
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(403, 404, 409) },
      },
    },
    async (request, reply) => {
      const reflection = reflectionById(service, request.params.id);
      mayAlter(request, reflection);
      await audited(request, 'reflection.drop', reflection.id, () => {
        service.store.drop(reflection.id, request.query.tag);
        service.dropped(reflection.id);
      });
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/api/v1/reflections/:id/refresh',
    {
      schema: {
        ...tags('Rebuild a reflection now'),
        params: IdParams,
        querystring: Wait,
        response: { 200: ReflectionSchema, ...errorResponses(403, 404, 409, 504) },
      },
    },
    async (request) => {
      const reflection = reflectionById(service, request.params.id);
      mayAlter(request, reflection);
      if (!reflection.enabled)
        throw new CatalogError(
          'REFLECTION_DISABLED',
          `reflection ${reflection.name} is disabled; enable it first`,
          {
            status: 409,
          },
        );
      const waiting = request.query.wait ? awaitBuild(service, reflection.id, request.query) : undefined;
      service.refreshNow(reflection.id);
      await waiting;
      return reflectionBody(service.store.get(reflection.id) ?? reflection, service);
    },
  );
}
