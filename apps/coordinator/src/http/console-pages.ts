import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from './http-errors.ts';

/** Where Vite writes the console (apps/console/vite.config.ts). */
export const CONSOLE_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../../console/dist');

/**
 * The console's own addresses: its pages (a single-page app: each answers index.html and the
 * page's script picks the view, so a reload or a shared link lands where it was) and its
 * hashed assets. They are public with auth on (the page signs in itself) and not in the API
 * document.
 */
export const CONSOLE_PAGE_ROUTES = [
  '/',
  '/sql',
  '/datasets',
  '/sources',
  '/jobs',
  '/jobs/:id',
  '/reflections',
] as const;
export const CONSOLE_ASSET_ROUTE = '/assets/*';

export function isConsoleRoute(url: string): boolean {
  return url === CONSOLE_ASSET_ROUTE || (CONSOLE_PAGE_ROUTES as readonly string[]).includes(url);
}

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Tributary</title>
<body style="font:15px system-ui;margin:3rem">
<h1>Tributary</h1><p>The console is not built. <code>npm start</code> builds it; or run
<code>npm run console:build</code>. The API is at <a href="/api/docs">/api/docs</a>.</p>`;

/**
 * Serves the built console from `dist`: assets by their content-hashed names, cached for a
 * year (a new build has new names), and index.html for every page, never cached, so a new
 * build is picked up on the next load.
 */
export function registerConsolePages(
  app: FastifyInstance,
  options: { authEnabled: boolean; dist?: string },
): void {
  const dist = options.dist ?? CONSOLE_DIST;
  // The page learns whether to sign in from the page itself, rather than from a request that fails.
  const authMeta = `<meta name="tributary-auth" content="${options.authEnabled ? 'on' : 'off'}" />`;
  const sendIndex = async (reply: FastifyReply) => {
    const page = await readFile(resolve(dist, 'index.html'), 'utf8').catch(() => null);
    return reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(page === null ? NOT_BUILT : page.replace('<head>', `<head>\n    ${authMeta}`));
  };
  for (const url of CONSOLE_PAGE_ROUTES)
    app.get(url, { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));

  // An asset's name changes with its content, so its compressed bytes are made once.
  const gzipped = new Map<string, Buffer>();
  app.get(CONSOLE_ASSET_ROUTE, { schema: { hide: true } }, async (request, reply) => {
    const name = (request.params as { '*': string })['*'];
    const assets = resolve(dist, 'assets');
    const file = resolve(assets, name);
    const type = MEDIA_TYPES[extname(file)];
    const bytes = file.startsWith(assets + sep) && type ? await readFile(file).catch(() => null) : null;
    if (!bytes) throw notFound(request);
    void reply
      .type(type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding');
    if (!/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return reply.send(bytes);
    let packed = gzipped.get(file);
    if (!packed) gzipped.set(file, (packed = gzipSync(bytes, { level: 9 })));
    return reply.header('content-encoding', 'gzip').send(packed);
  });
}
