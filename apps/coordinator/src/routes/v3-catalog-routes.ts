import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { CatalogError, RequestError } from '@tributary/common';
import type { CatalogCommand } from '@tributary/sql';
import { auditedRequests } from '../auth/audited-change.ts';
import { adminRequired } from '../auth/auth-errors.ts';
import { authorizeCommand } from '../auth/authorize-command.ts';
import type { Principal } from '../auth/principal.ts';
import { writeView } from '../commands/write-view.ts';
import { byPathSegments } from '../dremio/by-path-segments.ts';
import { DremioCatalog, entityNotFound, type CatalogObject } from '../dremio/dremio-catalog.ts';
import {
  childrenOf,
  dremioSourceType,
  folderEntity,
  rootContainer,
  sourceEntity,
  spaceEntity,
  tableEntity,
  tableSummary,
  viewEntity,
  type CatalogSummary,
} from '../dremio/dremio-catalog-entities.ts';
import { detectFileFormat, mapDremioSource } from '../dremio/dremio-source-config.ts';
import { errorResponses } from '../http/api-schemas.ts';
import { authorizeSource, maskedOptions } from './source-access.ts';
import type { ServerDeps } from './server-deps.ts';
import { withDremioErrorFields } from './v3-errors.ts';
import {
  DREMIO_V3_TAG,
  V3CatalogEntity,
  V3CatalogRoot,
  V3CreateBody,
  V3DeleteQuery,
  V3IdParams,
  V3ReplaceBody,
} from './v3-schemas.ts';

/** An entity that Tributary discovers rather than stores (a source's table): it cannot be written. */
export const CATALOG_ENTITY_READ_ONLY = 'CATALOG_ENTITY_READ_ONLY';
export const INVALID_ENTITY = 'INVALID_ENTITY';

type CreateBody = Static<typeof V3CreateBody>;

const required = <T>(value: T | undefined, field: string, what: string): T => {
  if (value === undefined)
    throw new RequestError(INVALID_ENTITY, `${what} needs "${field}"`, { details: { field } });
  return value;
};

/** What Dremio sends for a secret it showed masked: "keep the value you have". */
const KEPT_VALUES = new Set(['$DREMIO_EXISTING_VALUE$', '********']);

/**
 * A source's config as a PUT gives it, read against the current source: a path left out is
 * kept (a user who is not an admin never sees it), and an option sent back as it was shown
 * masked keeps its value.
 */
function replacedConfig(
  source: { readonly path: string; readonly options: Readonly<Record<string, unknown>> },
  config: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { path: source.path };
  for (const [key, value] of Object.entries(config ?? {}))
    out[key] =
      typeof value === 'string' && KEPT_VALUES.has(value) && key in source.options
        ? source.options[key]
        : value;
  return out;
}

const samePath = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((p, i) => p.toLowerCase() === b[i].toLowerCase());

/**
 * Dremio's Catalog API over Tributary's catalog: sources and spaces at the root, folders and
 * views in spaces, tables in sources, each by id or by path. Changes go through the same store
 * calls, checks and audit as the v1 routes: authorizeCommand for spaces, folders and views
 * (views written by the CREATE VIEW statement, write-view.ts), authorizeSource and the
 * SourceService for sources. A `tag` sent with a change is checked in the transaction that
 * writes it (409 TAG_MISMATCH when stale). What a user may not see is answered as missing.
 */
export function registerV3CatalogRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const dremio = new DremioCatalog(deps.catalog);
  const { access, audit } = deps.security;
  const v3 = (summary: string) => ({ tags: [DREMIO_V3_TAG], summary });
  const may = (request: FastifyRequest, command: CatalogCommand) =>
    authorizeCommand(command, request.principal, access);
  const audited = auditedRequests(audit);

  const visible = (principal: Principal, path: readonly string[]) => access.maySee(principal, path);

  /** An object and its path as the principal may know it, else 404 (a hidden one is answered as missing). */
  const find = (principal: Principal, what: { id: string } | { path: readonly string[] }): CatalogObject => {
    const found = 'id' in what ? dremio.byId(what.id) : dremio.byPath(what.path);
    if (!found || !visible(principal, found.path)) throw entityNotFound(what);
    return found;
  };

  /** The entity as Dremio shows it, its children those the principal may see. */
  const entityOf = (principal: Principal, object: CatalogObject) => {
    const seen = (children: readonly CatalogSummary[]) => children.filter((c) => visible(principal, c.path));
    switch (object.kind) {
      case 'space':
      case 'folder': {
        const { folders, views } = dremio.contentsOf(object.path);
        const children = seen(childrenOf(object.path, folders, views));
        return object.kind === 'space'
          ? spaceEntity(object.space, children)
          : folderEntity(object.folder, children);
      }
      case 'view':
        return viewEntity(object.view);
      case 'table':
        return tableEntity(object.source, object.table);
      case 'source': {
        const tables = deps.catalog
          .listTables(object.source.name)
          .filter((t) => visible(principal, tableSummary(object.source, t).path));
        return sourceEntity(object.source, tables, {
          // The absolute path a source reads is for admins' eyes only, as in the v1 source routes.
          ...(principal.admin ? { path: object.source.path } : {}),
          options: maskedOptions(object.source.options),
        });
      }
    }
  };

  typed.get(
    '/api/v3/catalog',
    {
      schema: {
        ...v3('The root of the catalog: sources and spaces'),
        response: { 200: V3CatalogRoot, ...errorResponses(401) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => ({
      data: [
        ...deps.catalog.listSources().map((source) => rootContainer({ kind: 'source', source })),
        ...deps.catalog.namespace.listSpaces().map((space) => rootContainer({ kind: 'space', space })),
      ].filter((c) => visible(request.principal, c.path)),
    }),
  );

  // (No params schema for the rest of the URL: TypeBox cannot compile a property named "*".)
  typed.get(
    '/api/v3/catalog/by-path/*',
    {
      schema: {
        ...v3('A source, space, folder or dataset by its path: segments separated by /, each URL-encoded'),
        response: { 200: V3CatalogEntity, ...errorResponses(400, 401, 404) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => {
      const path = byPathSegments(request.url);
      return entityOf(request.principal, find(request.principal, { path }));
    },
  );

  typed.get(
    '/api/v3/catalog/:id',
    {
      schema: {
        ...v3('A source, space, folder or dataset by its id'),
        params: V3IdParams,
        response: { 200: V3CatalogEntity, ...errorResponses(401, 404) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => entityOf(request.principal, find(request.principal, { id: request.params.id })),
  );

  /** Registers a Dremio source body as a Tributary source (admins only, as POST /api/v1/sources). */
  const createSource = async (request: FastifyRequest, body: CreateBody) => {
    if (!request.principal.admin) throw adminRequired('registering a source');
    const name = required(body.name, 'name', 'a source');
    const mapped = mapDremioSource(
      required(body.type, 'type', 'a source'),
      body.config as Record<string, unknown> | undefined,
    );
    await audited(request, 'source.register', name, async () => {
      const type =
        mapped.type === 'detect'
          ? await detectFileFormat(mapped.path, deps.security.sourceRoots)
          : mapped.type;
      return deps.sources.register({ name, type, path: mapped.path, options: mapped.options });
    });
    return entityOf(request.principal, find(request.principal, { path: [name] }));
  };

  typed.post(
    '/api/v3/catalog',
    {
      schema: {
        ...v3('Create a source, space, folder or view (entityType dataset, type VIRTUAL_DATASET)'),
        body: V3CreateBody,
        response: { 200: V3CatalogEntity, ...errorResponses(400, 401, 403, 404, 409) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => {
      const body = request.body;
      const { principal } = request;
      switch (body.entityType) {
        case 'space': {
          const name = required(body.name, 'name', 'a space');
          may(request, { kind: 'create_space', name, ifNotExists: false });
          const space = await audited(request, 'space.create', name, () =>
            deps.catalog.namespace.createSpace(name),
          );
          return spaceEntity(space, []);
        }
        case 'folder': {
          const path = required(body.path, 'path', 'a folder');
          may(request, { kind: 'create_folder', path, ifNotExists: false });
          const folder = await audited(request, 'folder.create', path.join('.'), () =>
            deps.catalog.namespace.createFolder(path),
          );
          return folderEntity(folder, []);
        }
        case 'dataset': {
          if (body.type !== 'VIRTUAL_DATASET')
            throw new RequestError(
              INVALID_ENTITY,
              `a dataset created here is a view, "type": "VIRTUAL_DATASET"; a source's tables are found by the source (got ${JSON.stringify(body.type ?? null)})`,
              { details: { field: 'type' } },
            );
          const path = required(body.path, 'path', 'a view');
          const sql = required(body.sql, 'sql', 'a view');
          const view = await audited(request, 'view.create', path.join('.'), () =>
            writeView(
              deps,
              path,
              { sql, ...(body.sqlContext === undefined ? {} : { context: body.sqlContext }) },
              { replace: false, user: principal.user },
            ),
          );
          return viewEntity(view);
        }
        case 'source':
          return createSource(request, body);
      }
    },
  );

  typed.put(
    '/api/v3/catalog/:id',
    {
      schema: {
        ...v3('Replace a view or a source (its config); the body carries the tag read before'),
        description:
          'A stale tag answers 409 TAG_MISMATCH; the tag is checked in the transaction that writes. Spaces and folders have nothing to change: their entity is answered when the tag is current.',
        params: V3IdParams,
        body: V3ReplaceBody,
        response: { 200: V3CatalogEntity, ...errorResponses(400, 401, 403, 404, 409) },
      },
      onSend: withDremioErrorFields,
    },
    async (request) => {
      const { principal } = request;
      const body = request.body;
      const object = find(principal, { id: request.params.id });
      const stale = (tag: string) => {
        if (tag !== body.tag)
          throw new CatalogError(
            'TAG_MISMATCH',
            `${object.path.join('.')} was changed meanwhile (its tag is now ${tag}); read it again`,
            { status: 409, details: { tag } },
          );
      };
      switch (object.kind) {
        case 'view': {
          if (body.path !== undefined && !samePath(body.path, object.path))
            throw new RequestError(
              INVALID_ENTITY,
              'a view keeps its path: create one at the new path and delete this one',
              {
                details: { field: 'path' },
              },
            );
          const sql = required(body.sql, 'sql', 'a view');
          const view = await audited(request, 'view.update', object.path.join('.'), () =>
            writeView(
              deps,
              object.path,
              { sql, ...(body.sqlContext === undefined ? {} : { context: body.sqlContext }) },
              { replace: true, user: principal.user, expectedTag: body.tag },
            ),
          );
          return viewEntity(view);
        }
        case 'source': {
          const name = authorizeSource(deps, principal, object.source.name, 'MANAGE');
          const mapped = mapDremioSource(
            body.type ?? dremioSourceType(object.source.type),
            replacedConfig(object.source, body.config as Record<string, unknown> | undefined),
          );
          // A NAS body without a format keeps the source's format; one with a format or type must name it.
          const sameKind =
            mapped.type === 'detect'
              ? dremioSourceType(object.source.type) === 'NAS'
              : mapped.type === object.source.type;
          if (!sameKind)
            throw new RequestError(
              'INVALID_SOURCE_TYPE',
              `source "${name}" reads ${object.source.type}; to change what it reads, delete it and create it again`,
            );
          await audited(request, 'source.update', name, () =>
            deps.sources.update(name, { path: mapped.path, options: mapped.options }, body.tag),
          );
          return entityOf(principal, find(principal, { id: object.source.id }));
        }
        case 'space':
          stale(object.space.tag);
          return entityOf(principal, object);
        case 'folder':
          stale(object.folder.tag);
          return entityOf(principal, object);
        case 'table':
          throw new RequestError(
            CATALOG_ENTITY_READ_ONLY,
            `${object.path.join('.')} is a table of source "${object.source.name}": its columns come from its files; change the source instead`,
          );
      }
    },
  );

  typed.delete(
    '/api/v3/catalog/:id',
    {
      schema: {
        ...v3('Delete a source, space (with what it holds), folder (likewise) or view'),
        description:
          'With ?tag=, a stale tag answers 409 TAG_MISMATCH, checked in the transaction that deletes.',
        params: V3IdParams,
        querystring: V3DeleteQuery,
        response: { 204: Type.Null({ description: 'Deleted' }), ...errorResponses(400, 401, 403, 404, 409) },
      },
      onSend: withDremioErrorFields,
    },
    async (request, reply) => {
      const { principal } = request;
      const { tag } = request.query;
      const object = find(principal, { id: request.params.id });
      const target = object.path.join('.');
      const ns = deps.catalog.namespace;
      switch (object.kind) {
        case 'space':
          // Dremio deletes a space with everything in it.
          may(request, { kind: 'drop_space', name: object.space.name, ifExists: false, force: true });
          await audited(request, 'space.delete', target, () => ns.deleteSpace(object.space.name, true, tag));
          break;
        case 'folder':
          may(request, { kind: 'drop_folder', path: object.path, ifExists: false, force: true });
          await audited(request, 'folder.delete', target, () => ns.deleteFolder(object.path, true, tag));
          break;
        case 'view':
          may(request, { kind: 'drop_view', path: object.path, ifExists: false });
          await audited(request, 'view.delete', target, () => ns.deleteView(object.path, tag));
          break;
        case 'source': {
          const name = authorizeSource(deps, principal, object.source.name, 'MANAGE');
          await audited(request, 'source.delete', name, () => {
            deps.sources.remove(name, tag);
            // A later source of the same name must not inherit what was granted on this one.
            deps.security.users.dropGrantsOn([name]);
          });
          break;
        }
        case 'table':
          throw new RequestError(
            CATALOG_ENTITY_READ_ONLY,
            `${target} is a table of source "${object.source.name}": it goes when its files or its source do`,
          );
      }
      return reply.status(204).send(null);
    },
  );
}
