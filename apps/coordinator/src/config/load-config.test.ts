import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './load-config.ts';

describe('loadConfig', () => {
  it('reads the shipped defaults', () => {
    const config = loadConfig({}, undefined, '/srv');
    expect(config).toMatchObject({
      port: 9047,
      executors: 2,
      dataDir: '/srv/.tributary',
      sourceRoots: ['/srv'],
      demo: true,
      sourceRefreshIntervalMs: 3_600_000,
    });
  });

  it('lets the environment override keys', () => {
    const config = loadConfig(
      {
        TRIBUTARY_PORT: '9100',
        TRIBUTARY_EXECUTORS: '0',
        TRIBUTARY_SOURCE_ROOTS: '/a, b',
        TRIBUTARY_DATA_DIR: '/d',
        TRIBUTARY_DEMO: 'false',
        TRIBUTARY_SOURCE_REFRESH_INTERVAL_MS: '0',
      },
      undefined,
      '/srv',
    );
    expect(config).toMatchObject({
      port: 9100,
      executors: 0,
      sourceRoots: ['/a', '/srv/b'],
      dataDir: '/d',
      demo: false,
      sourceRefreshIntervalMs: 0,
    });
  });

  it('names the key of an invalid value', () => {
    expect(() => loadConfig({ TRIBUTARY_PORT: 'abc' })).toThrow(
      /configuration key "port \(TRIBUTARY_PORT\)": must be a port/,
    );
    expect(() => loadConfig({ TRIBUTARY_EXECUTORS: '-1' })).toThrow(/executors/);
    expect(() => loadConfig({ TRIBUTARY_DEMO: 'yes' })).toThrow(/demo/);
    expect(() => loadConfig({ TRIBUTARY_SOURCE_REFRESH_INTERVAL_MS: '-5' })).toThrow(
      /sourceRefreshIntervalMs/,
    );
  });

  it('rejects unknown keys in the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'prot: 1\n');
    expect(() => loadConfig({}, file)).toThrow(/"prot": unknown key/);
  });

  it('switches auth on and off, and refuses auth off beyond loopback', () => {
    expect(loadConfig({}).auth).toBe(false);
    expect(loadConfig({ TRIBUTARY_AUTH: 'on' }).auth).toBe(true);
    expect(loadConfig({ TRIBUTARY_AUTH: 'off', TRIBUTARY_HOST: 'localhost' }).auth).toBe(false);
    expect(loadConfig({ TRIBUTARY_AUTH: 'off', TRIBUTARY_HOST: '::1' }).auth).toBe(false);
    expect(() => loadConfig({ TRIBUTARY_AUTH: 'maybe' })).toThrow(
      /"auth \(TRIBUTARY_AUTH\)": must be on or off/,
    );
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'db.example.com'])
      expect(() => loadConfig({ TRIBUTARY_HOST: host })).toThrow(
        new RegExp(`configuration key "auth": the coordinator would listen on ${host}.*TRIBUTARY_AUTH=on`),
      );
    expect(loadConfig({ TRIBUTARY_HOST: '0.0.0.0', TRIBUTARY_AUTH: 'on' }).host).toBe('0.0.0.0');
  });

  it('takes the first admin from the environment and never echoes a password', () => {
    const config = loadConfig({ TRIBUTARY_ADMIN_USER: 'root', TRIBUTARY_ADMIN_PASSWORD: 'a-long-secret' });
    expect(config).toMatchObject({ adminUser: 'root', adminPassword: 'a-long-secret' });
    expect(() => loadConfig({ TRIBUTARY_ADMIN_USER: 'root' })).toThrow(
      /TRIBUTARY_ADMIN_PASSWORD must be too/,
    );
    let message = '';
    try {
      loadConfig({ TRIBUTARY_ADMIN_USER: 'root', TRIBUTARY_ADMIN_PASSWORD: 'short-1' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/adminPassword/);
    expect(message).not.toContain('short-1');
  });
});
