import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../http/api-schemas.ts';
import type { ServerDeps } from './server-deps.ts';

const LoginBody = Type.Object({ userName: Type.String(), password: Type.String() });
const LoginAnswer = Type.Object({
  token: Type.String(),
  userName: Type.String(),
  firstName: Type.Optional(Type.String()),
  lastName: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  expires: Type.Number({ description: 'when the token expires, in milliseconds since the epoch' }),
  userId: Type.String(),
  admin: Type.Boolean(),
  userCreatedAt: Type.Number(),
  permissions: Type.Object({ canUploadProfiles: Type.Boolean(), canDownloadProfiles: Type.Boolean() }),
});
export const UserAnswer = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('admin'), Type.Literal('user')]),
  firstName: Type.Optional(Type.String()),
  lastName: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  createdAt: Type.String(),
});
export const NewUserBody = Type.Object({
  name: Type.Optional(Type.String()),
  userName: Type.Optional(Type.String()),
  password: Type.String(),
  role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('user')])),
  firstName: Type.Optional(Type.String()),
  lastName: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
});
const TokenAnswer = Type.Object({
  tid: Type.String(),
  uid: Type.String(),
  label: Type.String(),
  createdAt: Type.String(),
  expiresAt: Type.String(),
});

/**
 * Signing in (Dremio's POST /apiv2/login, and /api/v1/login), signing out, the one-time setup
 * of the first admin, and the signed-in user's profile and personal access tokens (Dremio's
 * shape: tid, uid, label, createdAt, expiresAt; the secret only in the answer that creates it).
 */
export function registerAuthRoutes(fastify: FastifyInstance, deps: ServerDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { auth } = deps.security;
  for (const path of ['/apiv2/login', '/api/v1/login']) {
    const auth401 = errorResponses(400, 401, 429);
    app.post(
      path,
      {
        schema: {
          tags: ['auth'],
          summary: 'Sign in: a session token (Dremio login)',
          body: LoginBody,
          response: { 200: LoginAnswer, ...auth401 },
        },
      },
      async (request) => auth.login(request.body.userName, request.body.password),
    );
    app.delete(
      path,
      {
        schema: {
          tags: ['auth'],
          summary: 'Sign out',
          response: { 204: Type.Null({ description: 'Done' }), ...errorResponses(401) },
        },
      },
      async (request, reply) => {
        auth.logout(request.principal);
        return reply.status(204).send(null);
      },
    );
  }
  app.post(
    '/api/v1/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create the first admin with the setup token printed at start',
        body: Type.Intersect([Type.Object({ setupToken: Type.String() }), NewUserBody]),
        response: { 201: UserAnswer, ...errorResponses(400, 401, 409) },
      },
    },
    async (request, reply) => {
      const { setupToken, ...user } = request.body;
      return reply.status(201).send(await auth.setup(setupToken, user));
    },
  );
  app.get(
    '/api/v1/users/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: { 200: UserAnswer, ...errorResponses(401) },
      },
    },
    async (request) => auth.me(request.principal),
  );
  app.post(
    '/api/v1/users/me/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a personal access token (its secret is shown only here)',
        body: Type.Object({
          label: Type.String(),
          millisecondsToExpire: Type.Optional(Type.Integer()),
        }),
        response: {
          201: Type.Intersect([TokenAnswer, Type.Object({ token: Type.String() })]),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) =>
      reply.status(201).send(auth.createPersonalToken(request.principal, request.body)),
  );
  app.get(
    '/api/v1/users/me/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: "The signed-in user's personal access tokens",
        response: { 200: Type.Object({ data: Type.Array(TokenAnswer) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ data: auth.listPersonalTokens(request.principal) }),
  );
  app.delete(
    '/api/v1/users/me/tokens/:tid',
    {
      schema: {
        tags: ['auth'],
        summary: 'Revoke a personal access token',
        params: Type.Object({ tid: Type.String() }),
        response: { 204: Type.Null({ description: 'Done' }), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      auth.revokePersonalToken(request.principal, request.params.tid);
      return reply.status(204).send(null);
    },
  );
}
