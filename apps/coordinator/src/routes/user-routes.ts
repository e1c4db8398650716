import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NewUserBody, UserAnswer } from './auth-routes.ts';
import { errorResponses } from '../http/api-schemas.ts';
import type { ServerDeps } from './server-deps.ts';

const NameParams = Type.Object({ name: Type.String() });

/** User management: admins create, list and remove users and set anyone's password; a user reads their own profile and changes their own password. */
export function registerUserRoutes(fastify: FastifyInstance, deps: ServerDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { auth } = deps.security;
  app.get(
    '/api/v1/users',
    {
      schema: {
        tags: ['auth'],
        summary: 'List users (admins)',
        response: { 200: Type.Object({ users: Type.Array(UserAnswer) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => ({
      users: auth.listUsers(request.principal),
    }),
  );
  app.post(
    '/api/v1/users',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create a user (admins)',
        body: NewUserBody,
        response: { 201: UserAnswer, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.status(201).send(await auth.createUser(request.principal, request.body)),
  );
  app.get(
    '/api/v1/users/:name',
    {
      schema: {
        tags: ['auth'],
        summary: 'A user (admins, or the user)',
        params: NameParams,
        response: { 200: UserAnswer, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => auth.getUser(request.principal, request.params.name),
  );
  app.put(
    '/api/v1/users/:name/password',
    {
      schema: {
        tags: ['auth'],
        summary: "Change a user's password (admins, or the user with the old one)",
        params: NameParams,
        body: Type.Object({ password: Type.String(), oldPassword: Type.Optional(Type.String()) }),
        response: { 204: Type.Null({ description: 'Done' }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await auth.changePassword(request.principal, request.params.name, request.body);
      return reply.status(204).send(null);
    },
  );
  app.delete(
    '/api/v1/users/:name',
    {
      schema: {
        tags: ['auth'],
        summary: 'Delete a user (admins)',
        params: NameParams,
        response: { 204: Type.Null({ description: 'Done' }), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      auth.deleteUser(request.principal, request.params.name);
      return reply.status(204).send(null);
    },
  );
}
