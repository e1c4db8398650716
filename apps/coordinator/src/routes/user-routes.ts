import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NewUserBody, UserAnswer } from './auth-routes.ts';
import type { ServerDeps } from './server-deps.ts';

const NameParams = Type.Object({ name: Type.String() });

/** User management: admins create, list and remove users and set anyone's password; a user reads their own profile and changes their own password. */
export function registerUserRoutes(fastify: FastifyInstance, deps: ServerDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { auth } = deps.security;
  app.get(
    '/api/v1/users',
    { schema: { response: { 200: Type.Object({ users: Type.Array(UserAnswer) }) } } },
    async (request) => ({
      users: auth.listUsers(request.principal),
    }),
  );
  app.post(
    '/api/v1/users',
    { schema: { body: NewUserBody, response: { 201: UserAnswer } } },
    async (request, reply) => reply.status(201).send(await auth.createUser(request.principal, request.body)),
  );
  app.get(
    '/api/v1/users/:name',
    { schema: { params: NameParams, response: { 200: UserAnswer } } },
    async (request) => auth.getUser(request.principal, request.params.name),
  );
  app.put(
    '/api/v1/users/:name/password',
    {
      schema: {
        params: NameParams,
        body: Type.Object({ password: Type.String(), oldPassword: Type.Optional(Type.String()) }),
      },
    },
    async (request, reply) => {
      await auth.changePassword(request.principal, request.params.name, request.body);
      return reply.status(204).send();
    },
  );
  app.delete('/api/v1/users/:name', { schema: { params: NameParams } }, async (request, reply) => {
    auth.deleteUser(request.principal, request.params.name);
    return reply.status(204).send();
  });
}
