import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SourceError, TributaryError, closestNames } from '@tributary/common';
import type { Privilege } from '@tributary/catalog';
import { adminRequired } from '../auth/auth-errors.ts';
import type { Principal } from '../auth/principal.ts';
import type {
  RefreshResult,
  RegisterSourceRequest,
  SourceView,
  UpdateSourceRequest,
} from '../sources/source-service.ts';
import { requestBody } from './request-body.ts';
import type { ServerDeps } from './server-deps.ts';

/** Option names that hold a credential: their values are never shown, not even to admins. */
const CREDENTIAL_OPTION = /pass|secret|token|credential|private|key$/i;

/**
 * A source as `principal` may see it: the absolute path it reads is for admins only, and a
 * credential among its options for nobody.
 */
function shown(source: SourceView, principal: Principal): SourceView | Omit<SourceView, 'path'> {
  const options = Object.fromEntries(
    Object.entries(source.options).map(([k, v]) => [k, CREDENTIAL_OPTION.test(k) ? '********' : v]),
  );
  if (principal.admin) return { ...source, options };
  const { path: _path, ...rest } = source;
  return { ...rest, options };
}

/** Registering, listing, changing, refreshing and removing sources. */
export function registerSourceRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { access, audit } = deps.security;

  /**
   * The source's name as the catalog spells it, when the principal may know of it and holds
   * `privilege` on it (any of `privileges`). A source they may not see is answered as a missing
   * one, with suggestions among those they may see only.
   */
  const authorize = (request: FastifyRequest, name: string, ...privileges: Privilege[]): string => {
    const { principal } = request;
    const canonical = deps.sources.names().find((n) => n.toLowerCase() === name.toLowerCase());
    if (canonical === undefined || !access.maySee(principal, [canonical])) {
      if (principal.admin) deps.sources.get(name); // throws SOURCE_NOT_FOUND, suggestions and all
      const visible = deps.sources.names().filter((n) => access.maySee(principal, [n]));
      const suggestions = closestNames(name, visible);
      const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '';
      throw new SourceError('SOURCE_NOT_FOUND', `no source named "${name}"${hint}`, {
        status: 404,
        suggestions,
      });
    }
    if (privileges.length > 0 && !privileges.some((p) => access.allows(principal, p, [canonical])))
      access.require(principal, privileges[privileges.length - 1], 'source', [canonical]);
    return canonical;
  };

  /** Records a source change in the audit log, failed ones too (with the error's code). */
  const audited = async <T>(
    request: FastifyRequest,
    action: string,
    target: string,
    change: () => Promise<T> | T,
  ): Promise<T> => {
    const actor = request.principal.user;
    try {
      const result = await change();
      audit.record({ action, actor, target, outcome: 'ok' });
      return result;
    } catch (error) {
      const code = error instanceof TributaryError ? error.code : 'INTERNAL_ERROR';
      audit.record({ action, actor, target, outcome: 'failed', details: { code } });
      throw error;
    }
  };

  app.post('/api/v1/sources', async (request, reply) => {
    if (!request.principal.admin) throw adminRequired('registering a source');
    const body = requestBody<RegisterSourceRequest>(request.body);
    const source = await audited(request, 'source.register', String(body.name), () =>
      deps.sources.register(body),
    );
    return reply.status(201).send(shown(source, request.principal));
  });
  app.get('/api/v1/sources', async (request) => ({
    sources: deps.sources
      .list()
      .filter((s) => access.maySee(request.principal, [s.name]))
      .map((s) => shown(s, request.principal)),
  }));
  app.get<{ Params: { name: string } }>('/api/v1/sources/:name', async (request) =>
    shown(deps.sources.get(authorize(request, request.params.name)), request.principal),
  );
  // Changes a source's path or options; the fields left out stay as they were.
  app.put<{ Params: { name: string } }>('/api/v1/sources/:name', async (request) => {
    const name = authorize(request, request.params.name, 'MANAGE');
    const body = requestBody<UpdateSourceRequest>(request.body);
    const result: RefreshResult = await audited(request, 'source.update', name, () =>
      deps.sources.update(name, body),
    );
    return { ...result, source: shown(result.source, request.principal) };
  });
  app.post<{ Params: { name: string } }>('/api/v1/sources/:name/refresh', async (request) => {
    const name = authorize(request, request.params.name, 'ALTER', 'MANAGE');
    const result = await deps.sources.refresh(name);
    return { ...result, source: shown(result.source, request.principal) };
  });
  app.delete<{ Params: { name: string } }>('/api/v1/sources/:name', async (request, reply) => {
    const name = authorize(request, request.params.name, 'MANAGE');
    await audited(request, 'source.delete', name, () => {
      deps.sources.remove(name);
      // A later source of the same name must not inherit what was granted on this one.
      deps.security.users.dropGrantsOn([name]);
    });
    return reply.status(204).send();
  });
}
