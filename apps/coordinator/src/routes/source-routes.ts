import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OpenObject, errorResponses, withErrorCode } from '../http/api-schemas.ts';
import type { Privilege } from '@tributary/catalog';
import { adminRequired } from '../auth/auth-errors.ts';
import { auditedRequests } from '../auth/audited-change.ts';
import { authorizeSource, maskedOptions } from './source-access.ts';
import type { Principal } from '../auth/principal.ts';
import type { RefreshResult, SourceView } from '../sources/source-service.ts';
import type { ServerDeps } from './server-deps.ts';

const SOURCE_TYPES = ['csv', 'parquet', 'sqlite'];

const SourceType = withErrorCode(
  Type.Enum(SOURCE_TYPES, { description: 'csv, parquet or sqlite' }),
  'INVALID_SOURCE_TYPE',
);
const SourcePath = withErrorCode(
  Type.String({
    minLength: 1,
    description: 'A file or folder (sqlite: a database file) inside the allowed roots (sourceRoots)',
  }),
  'INVALID_SOURCE_PATH',
);
// The connector checks the option names (SOURCE_OPTION_UNKNOWN with a "did you mean").
const SourceOptions = withErrorCode(
  Type.Object({}, { additionalProperties: true, description: "The connector's options (README)" }),
  'INVALID_SOURCE_OPTIONS',
);

const RegisterSourceBody = Type.Object(
  {
    name: withErrorCode(
      Type.String({
        pattern: '^[A-Za-z_][A-Za-z0-9_-]{0,127}$',
        description: 'Starts with a letter or _, then letters, digits, _ and - (at most 128)',
      }),
      'INVALID_SOURCE_NAME',
      'source "name" must start with a letter or _ and contain only letters, digits, _ and - (at most 128)',
    ),
    type: SourceType,
    path: SourcePath,
    options: Type.Optional(SourceOptions),
  },
  { additionalProperties: false },
);

const UpdateSourceBody = Type.Object(
  { type: Type.Optional(SourceType), path: Type.Optional(SourcePath), options: Type.Optional(SourceOptions) },
  { additionalProperties: false },
);

const NameParams = Type.Object({ name: Type.String({ description: 'The source name' }) });

const Column = OpenObject({
  name: Type.String(),
  type: Type.String({ description: 'SQL type, e.g. DECIMAL(15,2)' }),
});

const SourceSchema = OpenObject(
  {
    name: Type.String(),
    type: Type.String(),
    path: Type.Optional(
      Type.String({ description: 'The real path it was registered at (shown to admins only)' }),
    ),
    options: Type.Object({}, { additionalProperties: true }),
    createdAt: Type.String(),
    refreshedAt: Type.String({ description: 'When its metadata was last read' }),
    tables: Type.Array(
      OpenObject({
        name: Type.String(),
        columns: Type.Array(Column),
        settings: Type.Optional(
          Type.Object({}, { additionalProperties: true, description: "The connector's settings for it" }),
        ),
        snapshot: Type.Optional(
          OpenObject({ fingerprint: Type.String(), files: Type.Integer(), bytes: Type.Integer() }),
        ),
        unsupportedColumns: Type.Optional(
          Type.Array(
            OpenObject({
              name: Type.String(),
              type: Type.String({ description: 'As the file names it: STRUCT, TIME, BLOB…' }),
              hint: Type.Optional(Type.String()),
            }),
            { description: 'Columns of types Tributary cannot read, left out of columns' },
          ),
        ),
      }),
    ),
  },
  { title: 'Source' },
);

const RefreshSchema = OpenObject({
  source: SourceSchema,
  changes: OpenObject({
    added: Type.Array(Type.String()),
    removed: Type.Array(Type.String()),
    changed: Type.Array(
      OpenObject({ name: Type.String(), schemaChanged: Type.Boolean(), dataChanged: Type.Boolean() }),
    ),
    unchanged: Type.Array(Type.String()),
  }),
  skipped: Type.Optional(Type.Boolean()),
});

/**
 * A source as `principal` may see it: the absolute path it reads is for admins only, and a
 * credential among its options for nobody.
 */
export function shown(source: SourceView, principal: Principal): SourceView | Omit<SourceView, 'path'> {
  const options = maskedOptions(source.options);
  if (principal.admin) return { ...source, options };
  const { path: _path, ...rest } = source;
  return { ...rest, options };
}

/** Registering, listing, changing, refreshing and removing sources. */
export function registerSourceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { access, audit } = deps.security;

  const authorize = (request: FastifyRequest, name: string, ...privileges: Privilege[]): string =>
    authorizeSource(deps, request.principal, name, ...privileges);

  /** Records a source change in the audit log, failed ones too (with the error's code). */
  const audited = auditedRequests(audit);

  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  api.post(
    '/api/v1/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'Register a source',
        description: 'Discovers its tables and columns; the path must lie inside the allowed roots.',
        body: RegisterSourceBody,
        response: { 201: SourceSchema, ...errorResponses(400, 403, 409, 413) },
      },
    },
    async (request, reply) => {
      if (!request.principal.admin) throw adminRequired('registering a source');
      const body = request.body;
      const source = await audited(request, 'source.register', body.name, () => deps.sources.register(body));
      return reply.status(201).send(shown(source, request.principal));
    },
  );
  api.get(
    '/api/v1/sources',
    {
      schema: {
        tags: ['sources'],
        summary: 'List sources with their tables and columns',
        response: { 200: OpenObject({ sources: Type.Array(SourceSchema) }), ...errorResponses() },
      },
    },
    async (request) => ({
      sources: deps.sources
        .list()
        .filter((s) => access.maySee(request.principal, [s.name]))
        .map((s) => shown(s, request.principal)),
    }),
  );
  api.get(
    '/api/v1/sources/:name',
    {
      schema: {
        tags: ['sources'],
        summary: "Show a source: each table's columns, settings and snapshot",
        params: NameParams,
        response: { 200: SourceSchema, ...errorResponses(404) },
      },
    },
    async (request) => shown(deps.sources.get(authorize(request, request.params.name)), request.principal),
  );
  // Changes a source's path or options; the fields left out stay as they were.
  api.put(
    '/api/v1/sources/:name',
    {
      schema: {
        tags: ['sources'],
        summary: "Change a source's path or options",
        description: 'Discovers anew with them and replaces the source only when that succeeds.',
        params: NameParams,
        body: UpdateSourceBody,
        response: { 200: RefreshSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => {
      const name = authorize(request, request.params.name, 'MANAGE');
      const body = request.body;
      const result: RefreshResult = await audited(request, 'source.update', name, () =>
        deps.sources.update(name, body),
      );
      return { ...result, source: shown(result.source, request.principal) };
    },
  );
  api.post(
    '/api/v1/sources/:name/refresh',
    {
      schema: {
        tags: ['sources'],
        summary: "Read a source's files again",
        description: 'Tables added, removed and changed; on an error the old metadata stays.',
        params: NameParams,
        response: { 200: RefreshSchema, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => {
      const name = authorize(request, request.params.name, 'ALTER', 'MANAGE');
      const result = await deps.sources.refresh(name);
      return { ...result, source: shown(result.source, request.principal) };
    },
  );
  api.delete(
    '/api/v1/sources/:name',
    {
      schema: {
        tags: ['sources'],
        summary: 'Remove a source',
        params: NameParams,
        response: { 204: Type.Null({ description: 'Removed' }), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const name = authorize(request, request.params.name, 'MANAGE');
      // The grants on it go with it, in the same catalog transaction (CatalogStore.deleteSource).
      await audited(request, 'source.delete', name, () => deps.sources.remove(name));
      return reply.status(204).send(null);
    },
  );
}
