import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { adminRequired } from '../auth/auth-errors.ts';
import { errorResponses } from '../http/api-schemas.ts';
import type { ServerDeps } from './server-deps.ts';

const AuditAnswer = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.Optional(Type.String()),
  action: Type.String(),
  target: Type.Optional(Type.String()),
  outcome: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

/** The audit log, newest first, for admins: `limit` records, `before` a seq to page back from. */
export function registerAuditRoutes(fastify: FastifyInstance, deps: ServerDeps): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['auth'],
        summary: 'The audit log, newest first (admins)',
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: Type.Object({ events: Type.Array(AuditAnswer) }), ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      if (!request.principal.admin) throw adminRequired('reading the audit log');
      return { events: deps.security.audit.list(request.query.limit ?? 100, request.query.before) };
    },
  );
}
