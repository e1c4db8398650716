import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CatalogCommand } from '@tributary/sql';
import { auditedRequests } from '../auth/audited-change.ts';
import { authorizeCommand } from '../auth/authorize-command.ts';
import { Type } from 'typebox';
import type { FolderRecord, SpaceRecord, ViewRecord } from '@tributary/catalog';
import { CatalogError, typeToString } from '@tributary/common';
import { writeView as writeViewStatement } from '../commands/write-view.ts';
import { OpenObject, errorResponses } from '../http/api-schemas.ts';
import type { ServerDeps } from './server-deps.ts';

/** A view as the REST API shows it: column types by name (`DECIMAL(15,2)`). */
export function viewBody(view: ViewRecord) {
  return {
    id: view.id,
    path: [...view.path],
    sql: view.sql,
    context: view.context,
    owner: view.owner,
    columns: view.columns.map((c) => ({ name: c.name, type: typeToString(c.type) })),
    tag: view.tag,
    createdAt: view.createdAt,
    updatedAt: view.updatedAt,
  };
}

const spaceBody = (space: SpaceRecord) => ({ ...space });
const folderBody = (folder: FolderRecord) => ({ ...folder, path: [...folder.path] });

/** A path in a URL: `space/folder/view` (names hold no `/`, as in Dremio's by-path). */
function urlPath(wildcard: string | undefined): string[] {
  const parts = (wildcard ?? '').split('/').filter((p) => p !== '');
  if (parts.length === 0) throw new CatalogError('INVALID_PATH', 'the URL names no path', { status: 400 });
  return parts.map((p) => decodeURIComponent(p));
}

const PathBody = Type.Array(Type.String({ minLength: 1 }), { minItems: 1 });
const ViewBody = Type.Object({
  path: PathBody,
  sql: Type.String({ minLength: 1 }),
  context: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
});
const SpaceSchema = OpenObject({ id: Type.String(), name: Type.String(), tag: Type.String() });
const FolderSchema = OpenObject({ id: Type.String(), path: Type.Array(Type.String()), tag: Type.String() });
const ViewSchema = OpenObject({
  id: Type.String(),
  path: Type.Array(Type.String()),
  sql: Type.String(),
  owner: Type.Union([Type.String(), Type.Null()]),
  columns: Type.Array(OpenObject({ name: Type.String(), type: Type.String() })),
  tag: Type.String(),
});
const Removed = { 204: Type.Null({ description: 'Removed' }) };
const Force = Type.Object({
  force: Type.Optional(Type.Boolean({ description: 'remove what it holds too' })),
});
const catalog = (summary: string) => ({ tags: ['catalog'], summary });

const ReplaceViewBody = Type.Object({
  sql: Type.String({ minLength: 1 }),
  context: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
  /** The tag read before: a view changed meanwhile is not overwritten (409 TAG_MISMATCH). */
  tag: Type.Optional(Type.String()),
});

/**
 * Spaces, folders and views over REST. Creating or replacing a view runs the same CREATE
 * [OR REPLACE] VIEW statement SQL would (a job: its SQL bound on a planner thread for its
 * columns, then written on this thread), so both paths check the same things.
 */
export function registerNamespaceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const namespace = () => deps.catalog.namespace;
  /** The same check CREATE/DROP in SQL gets (authorize-command.ts). */
  const may = (request: FastifyRequest, command: CatalogCommand) =>
    authorizeCommand(command, request.principal, deps.security.access);
  /** Every change is audited, as the v3 catalog routes audit theirs (the same action names). */
  const audited = auditedRequests(deps.security.audit);

  typed.post(
    '/api/v1/spaces',
    {
      schema: {
        ...catalog('Create a space'),
        body: Type.Object({ name: Type.String({ minLength: 1 }) }),
        response: { 201: SpaceSchema, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      may(request, { kind: 'create_space', name: request.body.name, ifNotExists: false });
      const { name } = request.body;
      const space = await audited(request, 'space.create', name, () => namespace().createSpace(name));
      return reply.status(201).send(spaceBody(space));
    },
  );
  typed.get(
    '/api/v1/spaces',
    {
      schema: {
        ...catalog('List spaces'),
        response: { 200: OpenObject({ spaces: Type.Array(SpaceSchema) }), ...errorResponses() },
      },
    },
    async () => ({ spaces: namespace().listSpaces().map(spaceBody) }),
  );
  typed.get(
    '/api/v1/spaces/:name',
    {
      schema: {
        ...catalog('A space with its folders and views'),
        params: Type.Object({ name: Type.String() }),
        response: {
          200: OpenObject({ folders: Type.Array(FolderSchema), views: Type.Array(ViewSchema) }),
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const space = namespace().getSpace(request.params.name);
      if (!space)
        throw new CatalogError('SPACE_NOT_FOUND', `no space named "${request.params.name}"`, { status: 404 });
      return {
        ...spaceBody(space),
        folders: namespace().listFolders([space.name]).map(folderBody),
        views: namespace().listViews([space.name]).map(viewBody),
      };
    },
  );
  typed.delete(
    '/api/v1/spaces/:name',
    {
      schema: {
        ...catalog('Remove a space'),
        params: Type.Object({ name: Type.String() }),
        querystring: Force,
        response: { ...Removed, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const force = request.query.force === true;
      may(request, { kind: 'drop_space', name: request.params.name, ifExists: false, force });
      await audited(request, 'space.delete', request.params.name, () =>
        namespace().deleteSpace(request.params.name, force),
      );
      return reply.status(204).send(null);
    },
  );

  typed.post(
    '/api/v1/folders',
    {
      schema: {
        ...catalog('Create a folder'),
        body: Type.Object({ path: PathBody }),
        response: { 201: FolderSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      may(request, { kind: 'create_folder', path: request.body.path, ifNotExists: false });
      const { path } = request.body;
      const folder = await audited(request, 'folder.create', path.join('.'), () =>
        namespace().createFolder(path),
      );
      return reply.status(201).send(folderBody(folder));
    },
  );
  // (No params schema for the rest of the URL: TypeBox cannot compile a property named "*".)
  const folderRoute = {
    schema: {
      ...catalog('A folder with its views'),
      response: { 200: OpenObject({ views: Type.Array(ViewSchema) }), ...errorResponses(404) },
    },
  };
  typed.get('/api/v1/folders/*', folderRoute, async (request) => {
    const path = urlPath((request.params as { '*'?: string })['*']);
    const folder = namespace().getFolder(path);
    if (!folder) throw new CatalogError('FOLDER_NOT_FOUND', `no folder ${path.join('.')}`, { status: 404 });
    return { ...folderBody(folder), views: namespace().listViews(path).map(viewBody) };
  });
  typed.delete(
    '/api/v1/folders/*',
    {
      schema: {
        ...catalog('Remove a folder'),
        querystring: Force,
        response: { ...Removed, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const path = urlPath((request.params as { '*'?: string })['*']);
      const force = request.query.force === true;
      may(request, { kind: 'drop_folder', path, ifExists: false, force });
      await audited(request, 'folder.delete', path.join('.'), () => namespace().deleteFolder(path, force));
      return reply.status(204).send(null);
    },
  );

  /** CREATE [OR REPLACE] VIEW through the query service (write-view.ts); the view as written. */
  const writeView = (
    path: readonly string[],
    body: { sql: string; context?: string | string[] },
    replace: boolean,
    user: string | undefined,
    expectedTag?: string,
  ): Promise<ViewRecord> =>
    writeViewStatement(deps, path, body, {
      replace,
      user,
      ...(expectedTag === undefined ? {} : { expectedTag }),
    });

  typed.get(
    '/api/v1/views',
    {
      schema: {
        ...catalog('List views'),
        response: { 200: OpenObject({ views: Type.Array(ViewSchema) }), ...errorResponses() },
      },
    },
    async () => ({ views: namespace().listViews().map(viewBody) }),
  );
  typed.post(
    '/api/v1/views',
    {
      schema: {
        ...catalog('Create a view'),
        body: ViewBody,
        response: { 201: ViewSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          viewBody(
            await audited(request, 'view.create', request.body.path.join('.'), () =>
              writeView(request.body.path, request.body, false, request.principal.user),
            ),
          ),
        ),
  );
  typed.get(
    '/api/v1/views/*',
    {
      schema: {
        ...catalog('A view'),
        response: { 200: ViewSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const path = urlPath((request.params as { '*'?: string })['*']);
      const view = namespace().getView(path);
      if (!view) throw new CatalogError('VIEW_NOT_FOUND', `no view ${path.join('.')}`, { status: 404 });
      return viewBody(view);
    },
  );
  typed.put(
    '/api/v1/views/*',
    {
      schema: {
        ...catalog('Create or replace a view'),
        body: ReplaceViewBody,
        response: { 200: ViewSchema, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => {
      const path = urlPath((request.params as { '*'?: string })['*']);
      // The tag is checked in the transaction that writes the view: no change can slip in between.
      const view = await audited(request, 'view.update', path.join('.'), () =>
        writeView(path, request.body, true, request.principal.user, request.body.tag),
      );
      return viewBody(view);
    },
  );
  typed.delete(
    '/api/v1/views/*',
    {
      schema: {
        ...catalog('Remove a view'),
        querystring: Type.Object({ tag: Type.Optional(Type.String()) }),
        response: { ...Removed, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const path = urlPath((request.params as { '*'?: string })['*']);
      may(request, { kind: 'drop_view', path, ifExists: false });
      await audited(request, 'view.delete', path.join('.'), () =>
        namespace().deleteView(path, request.query.tag),
      );
      return reply.status(204).send(null);
    },
  );
}
