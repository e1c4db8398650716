import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { CatalogError, RequestError } from '@tributary/common';
import {
  createReflectionSql,
  type DateGranularity,
  type MeasureFunction,
  type ReflectionRecord,
} from '@tributary/reflections';
import { auditedRequests } from '../auth/audited-change.ts';
import { authorizeCommand } from '../auth/authorize-command.ts';
import { DremioCatalog, entityNotFound } from '../dremio/dremio-catalog.ts';
import { physicalDatasetId } from '../dremio/dremio-catalog-entities.ts';
import { OpenObject, errorResponses } from '../http/api-schemas.ts';
import type { ReflectionService } from '../reflections/reflection-service.ts';
import { runStatement } from '../reflections/run-statement.ts';
import { checkDefinition } from '../reflections/check-definition.ts';
import { reflectionById } from './reflection-routes.ts';
import type { ServerDeps } from './server-deps.ts';
import { withDremioErrorFields } from './v3-errors.ts';
import { DREMIO_V3_TAG } from './v3-schemas.ts';

const Field = Type.Object({ name: Type.String({ minLength: 1 }) });
/** Dremio's granularities are NORMAL and DATE (a day); MONTH and YEAR are Tributary's own. */
const DimensionField = Type.Object({
  name: Type.String({ minLength: 1 }),
  granularity: Type.Optional(Type.String()),
});
const MeasureField = Type.Object({
  name: Type.String({ minLength: 1 }),
  measureTypeList: Type.Optional(Type.Array(Type.String())),
});
const ReflectionInput = Type.Object({
  type: Type.Union([Type.Literal('RAW'), Type.Literal('AGGREGATION')]),
  name: Type.String({ minLength: 1 }),
  datasetId: Type.String({ minLength: 1 }),
  enabled: Type.Optional(Type.Boolean()),
  tag: Type.Optional(Type.String()),
  entityType: Type.Optional(Type.String()),
  displayFields: Type.Optional(Type.Array(Field)),
  dimensionFields: Type.Optional(Type.Array(DimensionField)),
  measureFields: Type.Optional(Type.Array(MeasureField)),
  partitionFields: Type.Optional(Type.Array(Field)),
  sortFields: Type.Optional(Type.Array(Field)),
  distributionFields: Type.Optional(Type.Array(Field)),
  partitionDistributionStrategy: Type.Optional(Type.String()),
  arrowCachingEnabled: Type.Optional(Type.Boolean()),
});
type ReflectionInput = Static<typeof ReflectionInput>;

const V3Reflection = OpenObject({
  id: Type.String(),
  type: Type.String(),
  name: Type.String(),
  tag: Type.String(),
  datasetId: Type.String(),
  enabled: Type.Boolean(),
  status: OpenObject({ combinedStatus: Type.String(), failureCount: Type.Integer() }),
});
const V3ReflectionList = OpenObject({ data: Type.Array(V3Reflection) });
const IdParams = Type.Object({ id: Type.String() });
const v3 = (summary: string) => ({ tags: [DREMIO_V3_TAG], summary });

/** Dremio's status parts from Tributary's one status. */
function dremioStatus(reflection: ReflectionRecord) {
  const built = reflection.materialization;
  const refresh =
    reflection.status === 'REFRESHING'
      ? 'RUNNING'
      : reflection.status === 'FAILED'
        ? 'GIVEN_UP'
        : reflection.refreshPolicy.intervalMs === 0
          ? 'MANUAL'
          : 'SCHEDULED';
  const availability = !reflection.enabled
    ? 'NONE'
    : built === null
      ? 'NONE'
      : reflection.status === 'STALE'
        ? 'EXPIRED'
        : 'AVAILABLE';
  const combinedStatus =
    reflection.status === 'DISABLED'
      ? 'DISABLED'
      : reflection.status === 'FAILED'
        ? 'FAILED'
        : reflection.status === 'STALE'
          ? 'EXPIRED'
          : built === null
            ? 'CANNOT_ACCELERATE_SCHEDULED'
            : reflection.status === 'REFRESHING'
              ? 'REFRESHING'
              : 'CAN_ACCELERATE';
  return {
    config: 'OK',
    refresh,
    availability,
    combinedStatus,
    refreshMethod: built?.incremental ? 'INCREMENTAL' : 'FULL',
    failureCount: reflection.failureCount,
    ...(reflection.lastError === null ? {} : { lastFailureMessage: reflection.lastError }),
    ...(built
      ? {
          lastDataFetch: new Date(built.builtAt).toISOString(),
          // Tributary's reflections do not expire; Dremio shows a far date for those that do not.
          expiresAt: new Date(Date.UTC(3000, 0, 1)).toISOString(),
          lastRefreshDurationMillis: Math.round(built.refreshMs ?? 0),
        }
      : {}),
  };
}

const GRANULARITY_IN: Record<string, DateGranularity | undefined> = {
  NORMAL: undefined,
  DATE: 'day',
  DAY: 'day',
  MONTH: 'month',
  YEAR: 'year',
};

const names = (fields: readonly { name: string }[] | undefined) => (fields ?? []).map((f) => f.name);

/**
 * Dremio's Reflection API (`/api/v3/reflection`, `/api/v3/dataset/{id}/reflection`) in its
 * documented shapes (displayFields, dimensionFields with granularity, measureFields with
 * measureTypeList, partitionFields, sortFields, status {config, refresh, availability,
 * combinedStatus, failureCount, lastDataFetch, expiresAt}, sizes, tag). A dataset is named by
 * its catalog id. Creation runs the ALTER … CREATE … REFLECTION statement, as the v1 route
 * does; every change is audited under the v1 routes' action names.
 */
export function registerV3ReflectionRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  service: ReflectionService,
): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const dremio = new DremioCatalog(deps.catalog);
  const audited = auditedRequests(deps.security.audit);
  const { access } = deps.security;

  /** A dataset's catalog id (a table's is derived from its source's id and its name). */
  const datasetIdOf = (path: readonly string[]): string => {
    const view = deps.catalog.namespace.getView(path);
    if (view) return view.id;
    const source = deps.catalog.getSource(path[0]);
    return source && path.length === 2 ? physicalDatasetId(source.id, path[1]) : '';
  };

  const body = (reflection: ReflectionRecord) => {
    const built = reflection.materialization;
    return {
      id: reflection.id,
      type: reflection.type,
      name: reflection.name,
      tag: reflection.tag,
      createdAt: reflection.createdAt,
      updatedAt: reflection.updatedAt,
      datasetId: datasetIdOf(reflection.datasetPath),
      datasetPath: [...reflection.datasetPath],
      currentSizeBytes: built?.bytes ?? 0,
      totalSizeBytes: built?.bytes ?? 0,
      recordCount: built?.rows ?? 0,
      enabled: reflection.enabled,
      arrowCachingEnabled: false,
      status: dremioStatus(reflection),
      ...(reflection.type === 'RAW'
        ? { displayFields: reflection.displayColumns.map((name) => ({ name })) }
        : {
            dimensionFields: reflection.dimensions.map((d) => ({
              name: d.column,
              granularity:
                d.granularity === undefined
                  ? 'NORMAL'
                  : d.granularity === 'day'
                    ? 'DATE'
                    : d.granularity.toUpperCase(),
            })),
            measureFields: reflection.measures.map((m) => ({
              name: m.column,
              measureTypeList: [...m.functions],
            })),
          }),
      partitionFields: reflection.partitionBy.map((name) => ({ name })),
      sortFields: reflection.localSortBy.map((name) => ({ name })),
      distributionFields: [],
      partitionDistributionStrategy: 'CONSOLIDATED',
      entityType: 'reflection',
    };
  };

  /** The dataset a request names by id, as the principal may see it (else Dremio's 404). */
  const datasetOf = (request: FastifyRequest, id: string) => {
    const found = dremio.byId(id);
    if (
      !found ||
      (found.kind !== 'table' && found.kind !== 'view') ||
      !access.maySee(request.principal, found.path)
    )
      throw entityNotFound({ id });
    return { kind: found.kind, path: found.path };
  };

  const mayAlter = (request: FastifyRequest, dataset: { kind: 'table' | 'view'; path: readonly string[] }) =>
    authorizeCommand({ kind: 'refresh_reflections', dataset }, request.principal, access);

  const definitionOf = (input: ReflectionInput, path: readonly string[]) => {
    const measures = (input.measureFields ?? []).map((m) => ({
      column: m.name,
      functions: (m.measureTypeList ?? []).map((fn) => {
        const upper = fn.toUpperCase();
        if (!['SUM', 'COUNT', 'MIN', 'MAX'].includes(upper))
          throw new RequestError(
            'INVALID_REFLECTION',
            `measure type ${fn} of "${m.name}" is not supported (SUM, COUNT, MIN, MAX)`,
            { field: '/measureFields' },
          );
        return upper as MeasureFunction;
      }),
    }));
    const dimensions = (input.dimensionFields ?? []).map((d) => {
      const key = (d.granularity ?? 'NORMAL').toUpperCase();
      if (!(key in GRANULARITY_IN))
        throw new RequestError(
          'INVALID_REFLECTION',
          `granularity ${d.granularity} is not one of NORMAL, DATE, MONTH, YEAR`,
          {
            field: '/dimensionFields',
          },
        );
      const granularity = GRANULARITY_IN[key];
      return granularity === undefined ? { column: d.name } : { column: d.name, granularity };
    });
    return {
      name: input.name,
      datasetPath: path,
      type: input.type,
      displayColumns: names(input.displayFields),
      dimensions,
      measures,
      partitionBy: names(input.partitionFields),
      localSortBy: names(input.sortFields),
    };
  };

  const visibleReflection = (request: FastifyRequest, id: string): ReflectionRecord => {
    const reflection = reflectionById(service, id);
    if (!access.allows(request.principal, 'SELECT', reflection.datasetPath))
      throw new CatalogError('REFLECTION_NOT_FOUND', `no reflection with id ${id}`, { status: 404 });
    return reflection;
  };

  typed.get(
    '/api/v3/reflection',
    {
      schema: {
        ...v3('Every reflection the user may see'),
        response: { 200: V3ReflectionList, ...errorResponses(401) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => ({
      data: service.store
        .list()
        .filter((r) => access.allows(request.principal, 'SELECT', r.datasetPath))
        .map(body),
    }),
  );

  typed.get(
    '/api/v3/dataset/:id/reflection',
    {
      schema: {
        ...v3("A dataset's reflections"),
        params: IdParams,
        response: { 200: V3ReflectionList, ...errorResponses(404) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => {
      const dataset = datasetOf(request, request.params.id);
      return { data: service.store.list({ datasetPath: dataset.path }).map(body) };
    },
  );

  typed.get(
    '/api/v3/reflection/:id',
    {
      schema: {
        ...v3('A reflection'),
        params: IdParams,
        response: { 200: V3Reflection, ...errorResponses(404) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => body(visibleReflection(request, request.params.id)),
  );

  typed.post(
    '/api/v3/reflection',
    {
      schema: {
        ...v3('Create a reflection (its build is queued)'),
        body: ReflectionInput,
        response: { 200: V3Reflection, ...errorResponses(400, 403, 404, 409) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => {
      const input = request.body;
      const dataset = datasetOf(request, input.datasetId);
      const definition = definitionOf(input, dataset.path);
      const created = await audited(
        request,
        'reflection.create',
        `${dataset.path.join('.')}.${input.name}`,
        async () => {
          await runStatement(deps.queries, createReflectionSql(definition), request.principal.user);
          const made = service.store.find(dataset.path, input.name);
          if (!made)
            throw new CatalogError('REFLECTION_NOT_FOUND', `reflection ${input.name} was not created`);
          return input.enabled === false ? service.store.alter(made.id, { enabled: false }) : made;
        },
      );
      return body(created);
    },
  );

  typed.put(
    '/api/v3/reflection/:id',
    {
      schema: {
        ...v3('Change a reflection, guarded by its tag (a changed definition is rebuilt)'),
        params: IdParams,
        body: ReflectionInput,
        response: { 200: V3Reflection, ...errorResponses(400, 403, 404, 409) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => {
      const reflection = visibleReflection(request, request.params.id);
      const input = request.body;
      const dataset = datasetOf(request, input.datasetId);
      if (
        dataset.path.join('\0').toLowerCase() !== reflection.datasetPath.join('\0').toLowerCase() ||
        input.type !== reflection.type
      )
        throw new RequestError(
          'INVALID_REFLECTION',
          "a reflection's dataset and type are fixed; create another",
          {
            field: '/datasetId',
          },
        );
      mayAlter(request, dataset);
      if (input.tag !== undefined && input.tag !== reflection.tag)
        throw new CatalogError(
          'TAG_MISMATCH',
          `reflection "${reflection.name}" changed since tag ${input.tag} was read; its tag is now ${reflection.tag}`,
          {
            status: 409,
            details: { tag: reflection.tag },
          },
        );
      const definition = definitionOf(input, dataset.path);
      const checked = checkDefinition(deps.catalog, definition);
      const altered = await audited(request, 'reflection.alter', reflection.id, () =>
        service.store.alter(
          reflection.id,
          {
            name: input.name,
            ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
            displayColumns: checked.displayColumns,
            dimensions: checked.dimensions,
            measures: checked.measures,
            partitionBy: checked.partitionBy,
            localSortBy: checked.localSortBy,
          },
          input.tag,
        ),
      );
      if (altered.enabled && altered.status === 'REFRESHING') service.request(altered.id);
      return body(altered);
    },
  );

  typed.delete(
    '/api/v3/reflection/:id',
    {
      schema: {
        ...v3('Drop a reflection'),
        params: IdParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(403, 404) },
      },
      onSend: withDremioErrorFields,
    },
    async (request, reply) => {
      const reflection = visibleReflection(request, request.params.id);
      mayAlter(request, {
        kind: deps.catalog.namespace.getView(reflection.datasetPath) ? 'view' : 'table',
        path: reflection.datasetPath,
      });
      await audited(request, 'reflection.drop', reflection.id, () => {
        service.store.drop(reflection.id);
        service.dropped(reflection.id);
      });
      return reply.status(204).send(null);
    },
  );
}
