import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConsoleRoute, registerConsolePages } from './console-pages.ts';

describe('console pages', () => {
  const dist = mkdtempSync(path.join(tmpdir(), 'tributary-console-dist-'));
  let app: FastifyInstance;
  let unbuilt: FastifyInstance;

  beforeAll(async () => {
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<html><head><title>T</title></head><body></body></html>');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dist, 'secret.txt'), 'not an asset');
    app = Fastify();
    registerConsolePages(app, { authEnabled: true, dist });
    unbuilt = Fastify();
    registerConsolePages(unbuilt, { authEnabled: false, dist: path.join(dist, 'missing') });
    await Promise.all([app.ready(), unbuilt.ready()]);
  });

  afterAll(async () => {
    await Promise.all([app.close(), unbuilt.close()]);
    rmSync(dist, { recursive: true, force: true });
  });

  it('answers every page with index.html, uncached, telling the page whether auth is on', async () => {
    for (const url of ['/', '/sql', '/sources', '/jobs', '/jobs/1234-abcd', '/reflections']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(200);
      expect(answer.headers['content-type']).toContain('text/html');
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.body).toContain('<meta name="tributary-auth" content="on" />');
    }
  });

  it('serves hashed assets for a year, and nothing outside the assets folder', async () => {
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const packed = await app.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(packed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(packed.rawPayload).toString()).toBe('console.log(1)');
    for (const url of [
      '/assets/nope.js',
      '/assets/../secret.txt',
      '/assets/%2e%2e/secret.txt',
      '/assets/../index.html',
    ])
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
  });

  it('says how to build the console when it is not built', async () => {
    const answer = await unbuilt.inject({ method: 'GET', url: '/' });
    expect(answer.statusCode).toBe(200);
    expect(answer.body).toContain('npm run console:build');
  });

  it('knows its routes, which the API document leaves out', () => {
    expect(isConsoleRoute('/jobs/:id')).toBe(true);
    expect(isConsoleRoute('/assets/*')).toBe(true);
    expect(isConsoleRoute('/api/v1/jobs/:id')).toBe(false);
  });
});
