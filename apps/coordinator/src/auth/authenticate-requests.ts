import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RequestError } from '@tributary/common';
import { isConsoleRoute } from '../http/console-pages.ts';
import { tokenOfHeader } from './access-token.ts';
import { AUTH_CODES, authRequired, tokenInvalid } from './auth-errors.ts';
import { ANONYMOUS, LOCAL_OPERATOR, type Principal } from './principal.ts';
import type { Security } from './security.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request acts for; set before any handler runs (authenticateRequests). */
    principal: Principal;
  }
}

/** Routes anyone may call with auth on: signing in, setup, live health, the API's documentation, the console's pages. */
const PUBLIC_ROUTES = new Set([
  'POST /apiv2/login',
  'POST /api/v1/login',
  'POST /api/v1/setup',
  'GET /api/v1/health',
  'GET /api/v1/health/live',
]);

function isPublic(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  if (route === undefined) return false;
  return (
    PUBLIC_ROUTES.has(`${request.method} ${route}`) ||
    (request.method === 'GET' && isConsoleRoute(route)) ||
    route === '/api/docs' ||
    route.startsWith('/api/docs/')
  );
}

/** The principal of a request; AUTH_REQUIRED, TOKEN_INVALID or TOKEN_EXPIRED (401) when it has none. */
function principalOf(request: FastifyRequest, security: Security): Principal {
  const token = tokenOfHeader(request.headers.authorization);
  if (token === undefined) throw authRequired();
  if (token === null) throw tokenInvalid();
  return security.auth.authenticate(token);
}

/**
 * Sets `request.principal` on every request but the internal ones (those carry the cluster
 * secret instead): with auth off the local operator; with auth on the token's user, or, on a
 * public route without a valid token, the anonymous principal, who sees what is public only.
 * With auth on, requests are also counted per user (before sign-in per address) and refused
 * past rateLimitPerMinute with 429 RATE_LIMITED (@fastify/rate-limit's counter).
 */
export function authenticateRequests(app: FastifyInstance, security: Security): void {
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request) => {
    if (request.url.startsWith('/internal/')) return;
    if (!security.enabled) {
      request.principal = LOCAL_OPERATOR;
      return;
    }
    try {
      request.principal = principalOf(request, security);
    } catch (error) {
      if (!isPublic(request)) throw error;
      request.principal = ANONYMOUS;
    }
  });
  if (!security.enabled || security.rateLimitPerMinute <= 0) return;
  // The plugin's own per-route hook only reaches routes declared after it loads; its limiter
  // as one preHandler reaches them all, after the principal is known.
  void app.register(rateLimit, { global: false });
  app.after(() => {
    const limit = app.createRateLimit({
      max: security.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) =>
        request.principal?.userId !== undefined ? `user:${request.principal.userId}` : `ip:${request.ip}`,
    });
    app.addHook('preHandler', async (request, reply) => {
      // Probes of health (load balancers, the harness) are not a user's requests.
      if (request.url.startsWith('/internal/') || request.routeOptions.url?.startsWith('/api/v1/health'))
        return;
      const verdict = await limit(request);
      if (verdict.isAllowed || !verdict.isExceeded) return;
      const seconds = Math.max(1, Math.ceil(verdict.ttlInSeconds));
      void reply.header('retry-after', String(seconds));
      throw new RequestError(
        AUTH_CODES.rateLimited,
        `more than ${security.rateLimitPerMinute} requests a minute (rateLimitPerMinute); retry in ${seconds} s`,
        { status: 429 },
      );
    });
  });
}
