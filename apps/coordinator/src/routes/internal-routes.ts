import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { RequestError } from '@tributary/common';
import { CLUSTER_AUTH_HEADER, INTERNAL_PATHS, verifyClusterRequest } from '@tributary/protocol';
import { OpenObject, errorResponses, withErrorCode } from '../http/api-schemas.ts';
import type { ServerDeps } from './server-deps.ts';

const REGISTRATION_MESSAGE = 'registration needs "id", "instance" and an http(s) "url"';

// Open to fields newer executors may send; the ones read are checked.
const RegistrationBody = withErrorCode(
  OpenObject({
    id: Type.String(),
    url: Type.String({ pattern: '^https?://' }),
    instance: Type.String(),
    threads: Type.Optional(Type.Number()),
    pid: Type.Optional(Type.Number()),
  }),
  'INVALID_REGISTRATION',
  REGISTRATION_MESSAGE,
);

const HeartbeatBody = OpenObject({
  id: Type.String(),
  instance: Type.String(),
  runningTasks: Type.Optional(Type.Number()),
});

const Ok = OpenObject({ ok: Type.Boolean() });

/** Executors registering and heartbeating: only holders of the cluster secret may. */
export function registerInternalRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/internal/')) return;
    if (
      !verifyClusterRequest(
        deps.clusterSecret,
        request.headers[CLUSTER_AUTH_HEADER],
        request.method,
        request.url,
      )
    ) {
      return reply
        .status(401)
        .send(
          new RequestError(
            'CLUSTER_AUTH_REQUIRED',
            'internal routes need a request signed with the cluster secret',
            { status: 401 },
          ).toBody(),
        );
    }
  });
  const api = app.withTypeProvider<TypeBoxTypeProvider>();
  const schema = { hide: true, response: { 200: Ok, ...errorResponses(401, 404, 409) } };
  api.post(INTERNAL_PATHS.register, { schema: { ...schema, body: RegistrationBody } }, async (request) => {
    const registration = request.body;
    deps.registry.register({
      id: registration.id,
      url: registration.url,
      instance: registration.instance,
      threads: Number(registration.threads) || 1,
      pid: Number(registration.pid) || 0,
    });
    deps.log(
      `executor ${registration.id} registered at ${registration.url} with ${registration.threads} threads`,
    );
    return { ok: true };
  });
  api.post(INTERNAL_PATHS.heartbeat, { schema: { ...schema, body: HeartbeatBody } }, async (request) => {
    const beat = request.body;
    if (!deps.registry.heartbeat(String(beat.id), String(beat.instance)))
      throw new RequestError('EXECUTOR_UNKNOWN', 'unknown executor; register again', { status: 404 });
    return { ok: true };
  });
}
