import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONFIG_FILE, loadConfig } from './load-config.ts';

describe('loadConfig', () => {
  // The working directory the relative defaults resolve against, with the folders roots name.
  const cwd = mkdtempSync(join(tmpdir(), 'cfg-cwd-'));
  for (const folder of ['a', 'b', 'c']) mkdirSync(join(cwd, folder));
  writeFileSync(join(cwd, 'file.txt'), 'not a folder');
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('reads the shipped defaults', () => {
    const config = loadConfig({}, undefined, cwd);
    expect(config).toMatchObject({
      port: 9047,
      executors: 2,
      minExecutors: 0,
      maxRequestBytes: 16 * 1024 * 1024,
      dataDir: join(cwd, '.tributary'),
      sourceRoots: [cwd],
      demo: true,
      sourceRefreshIntervalMs: 3_600_000,
      jobSqlMaxBytes: 65_536,
      jobHistoryDays: 30,
      resultsTtlMs: 86_400_000,
    });
  });

  it('lets the environment override keys', () => {
    const config = loadConfig(
      {
        TRIBUTARY_PORT: '9100',
        TRIBUTARY_EXECUTORS: '0',
        TRIBUTARY_MIN_EXECUTORS: '3',
        TRIBUTARY_MAX_REQUEST_BYTES: '1024',
        TRIBUTARY_SOURCE_ROOTS: `${join(cwd, 'a')}, b`,
        TRIBUTARY_DATA_DIR: '/d',
        TRIBUTARY_DEMO: 'false',
        TRIBUTARY_SOURCE_REFRESH_INTERVAL_MS: '0',
      },
      undefined,
      cwd,
    );
    expect(config).toMatchObject({
      port: 9100,
      executors: 0,
      minExecutors: 3,
      maxRequestBytes: 1024,
      sourceRoots: [join(cwd, 'a'), join(cwd, 'b')],
      dataDir: '/d',
      demo: false,
      sourceRefreshIntervalMs: 0,
    });
  });

  it('takes a list of roots separated by the path separator, as PATH', () => {
    const roots = [join(cwd, 'a'), join(cwd, 'b'), 'c'].join(':');
    const config = loadConfig({ TRIBUTARY_SOURCE_ROOTS: roots }, undefined, cwd);
    expect(config.sourceRoots).toEqual([join(cwd, 'a'), join(cwd, 'b'), join(cwd, 'c')]);
  });

  it('stops on a root that does not exist, naming it and the setting', () => {
    const missing = join(cwd, 'nope');
    expect(() =>
      loadConfig({ TRIBUTARY_SOURCE_ROOTS: `${join(cwd, 'a')}:${missing}` }, undefined, cwd),
    ).toThrow(`configuration key "sourceRoots (TRIBUTARY_SOURCE_ROOTS)": folder "${missing}" does not exist`);
    expect(() => loadConfig({ TRIBUTARY_SOURCE_ROOTS: 'file.txt' }, undefined, cwd)).toThrow(
      `"${join(cwd, 'file.txt')}" is not a folder`,
    );
    // From the file too, then named by its key alone.
    const file = join(cwd, 'roots.yaml');
    const defaults = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
    expect(defaults).toContain('sourceRoots:\n  - .\n');
    writeFileSync(file, defaults.replace('sourceRoots:\n  - .\n', 'sourceRoots: [./a, ./missing-too]\n'));
    expect(() => loadConfig({}, file, cwd)).toThrow(
      `configuration key "sourceRoots": folder "${join(cwd, 'missing-too')}" does not exist`,
    );
  });

  it('names the key of an invalid value', () => {
    expect(() => loadConfig({ TRIBUTARY_PORT: 'abc' }, undefined, cwd)).toThrow(
      /configuration key "port \(TRIBUTARY_PORT\)": must be a port/,
    );
    expect(() => loadConfig({ TRIBUTARY_EXECUTORS: '-1' }, undefined, cwd)).toThrow(/executors/);
    expect(() => loadConfig({ TRIBUTARY_MIN_EXECUTORS: 'x' }, undefined, cwd)).toThrow(/minExecutors/);
    expect(() => loadConfig({ TRIBUTARY_MAX_REQUEST_BYTES: '0' }, undefined, cwd)).toThrow(/maxRequestBytes/);
    expect(() => loadConfig({ TRIBUTARY_DEMO: 'yes' }, undefined, cwd)).toThrow(/demo/);
    expect(() => loadConfig({ TRIBUTARY_SOURCE_REFRESH_INTERVAL_MS: '-5' }, undefined, cwd)).toThrow(
      /sourceRefreshIntervalMs/,
    );
  });

  it('rejects unknown keys in the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, 'prot: 1\n');
    expect(() => loadConfig({}, file)).toThrow(/"prot": unknown key/);
    rmSync(dir, { recursive: true, force: true });
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
