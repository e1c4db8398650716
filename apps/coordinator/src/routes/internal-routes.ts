import type { FastifyInstance } from 'fastify';
import { RequestError } from '@tributary/common';
import {
  CLUSTER_AUTH_HEADER,
  INTERNAL_PATHS,
  verifyClusterRequest,
  type ExecutorHeartbeat,
  type ExecutorRegistration,
} from '@tributary/protocol';
import { requestBody } from './request-body.ts';
import type { ServerDeps } from './server-deps.ts';

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
  app.post(INTERNAL_PATHS.register, async (request) => {
    const registration = requestBody<ExecutorRegistration>(request.body);
    if (
      typeof registration.id !== 'string' ||
      typeof registration.url !== 'string' ||
      typeof registration.instance !== 'string' ||
      !/^https?:\/\//.test(registration.url)
    ) {
      throw new RequestError(
        'INVALID_REGISTRATION',
        'registration needs "id", "instance" and an http(s) "url"',
      );
    }
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
  app.post(INTERNAL_PATHS.heartbeat, async (request, reply) => {
    const beat = requestBody<ExecutorHeartbeat>(request.body);
    if (!deps.registry.heartbeat(String(beat.id), String(beat.instance))) {
      return reply
        .status(404)
        .send(
          new RequestError('EXECUTOR_UNKNOWN', 'unknown executor; register again', { status: 404 }).toBody(),
        );
    }
    return { ok: true };
  });
}
