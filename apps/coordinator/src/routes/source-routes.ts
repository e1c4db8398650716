import type { FastifyInstance } from 'fastify';
import type { RegisterSourceRequest, UpdateSourceRequest } from '../sources/source-service.ts';
import { requestBody } from './request-body.ts';
import type { ServerDeps } from './server-deps.ts';

/** Registering, listing, changing, refreshing and removing sources. */
export function registerSourceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.post('/api/v1/sources', async (request, reply) => {
    const source = await deps.sources.register(requestBody<RegisterSourceRequest>(request.body));
    return reply.status(201).send(source);
  });
  app.get('/api/v1/sources', async () => ({ sources: deps.sources.list() }));
  app.get<{ Params: { name: string } }>('/api/v1/sources/:name', async (request) =>
    deps.sources.get(request.params.name),
  );
  // Changes a source's path or options; the fields left out stay as they were.
  app.put<{ Params: { name: string } }>('/api/v1/sources/:name', async (request) =>
    deps.sources.update(request.params.name, requestBody<UpdateSourceRequest>(request.body)),
  );
  app.post<{ Params: { name: string } }>('/api/v1/sources/:name/refresh', async (request) =>
    deps.sources.refresh(request.params.name),
  );
  app.delete<{ Params: { name: string } }>('/api/v1/sources/:name', async (request, reply) => {
    deps.sources.remove(request.params.name);
    return reply.status(204).send();
  });
}
