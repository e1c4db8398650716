import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { GrantStatement } from '@tributary/sql';
import { adminRequired } from '../auth/auth-errors.ts';
import { applyGrant } from '../auth/apply-grant.ts';
import { errorResponses } from '../http/api-schemas.ts';
import type { ServerDeps } from './server-deps.ts';

const Privilege = Type.Union([Type.Literal('SELECT'), Type.Literal('ALTER'), Type.Literal('MANAGE')]);
const ObjectKind = Type.Union([
  Type.Literal('source'),
  Type.Literal('space'),
  Type.Literal('folder'),
  Type.Literal('view'),
]);
const GrantBody = Type.Object({
  privileges: Type.Array(Privilege, { minItems: 1 }),
  object: Type.Object({ kind: ObjectKind, path: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }) }),
  grantee: Type.String({ minLength: 1 }),
});
const GrantAnswer = Type.Object({
  objectKind: ObjectKind,
  objectPath: Type.Array(Type.String()),
  grantee: Type.String(),
  privilege: Privilege,
  grantedBy: Type.Optional(Type.String()),
  grantedAt: Type.String(),
});
const CommandAnswer = Type.Object({ ok: Type.Boolean(), summary: Type.String() });

/**
 * Privileges over REST, the same as GRANT and REVOKE in SQL: POST grants, DELETE revokes, GET
 * lists (an admin any grants, a user their own).
 */
export function registerGrantRoutes(fastify: FastifyInstance, deps: ServerDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { users } = deps.security;
  const context = { ...deps.security, store: users };
  const statement = (kind: 'grant' | 'revoke', body: Static<typeof GrantBody>): GrantStatement => ({
    kind,
    privileges: body.privileges,
    object: body.object,
    grantee: { kind: 'user', name: body.grantee },
  });
  app.get(
    '/api/v1/grants',
    {
      schema: {
        tags: ['auth'],
        summary: "Privileges granted (a user sees their own; admins anyone's)",
        querystring: Type.Object({
          grantee: Type.Optional(Type.String()),
          object: Type.Optional(Type.String()),
        }),
        response: { 200: Type.Object({ grants: Type.Array(GrantAnswer) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const { principal } = request;
      const own = principal.user;
      if (
        !principal.admin &&
        request.query.grantee !== undefined &&
        request.query.grantee.toLowerCase() !== own?.toLowerCase()
      )
        throw adminRequired("listing another user's grants");
      const grantee = principal.admin ? request.query.grantee : (own ?? '');
      const grants = users.listGrants({
        ...(grantee === undefined ? {} : { grantee }),
        ...(request.query.object === undefined ? {} : { objectPath: request.query.object.split('.') }),
      });
      return { grants: grants.map((g) => ({ ...g, objectPath: [...g.objectPath] })) };
    },
  );
  app.post(
    '/api/v1/grants',
    {
      schema: {
        tags: ['auth'],
        summary: 'Grant privileges on a source, space, folder or view',
        body: GrantBody,
        response: { 200: CommandAnswer, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => applyGrant(statement('grant', request.body), request.principal, context),
  );
  app.delete(
    '/api/v1/grants',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke privileges',
        body: GrantBody,
        response: { 200: CommandAnswer, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => applyGrant(statement('revoke', request.body), request.principal, context),
  );
}
