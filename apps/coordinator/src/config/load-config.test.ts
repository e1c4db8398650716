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
});
