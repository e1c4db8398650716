import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET, sleep, waitFor } from './cluster-harness.ts';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { dataRoot, repoRoot, tpchRoot, type Health } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

/**
 * The coordinator and two executors as three hosts, each in its own network namespace with
 * its own address, joined by veth pairs on a bridge: nothing may assume loopback.
 */
const tag = `t${process.pid % 100000}`;
const subnet = `10.${200 + (process.pid % 50)}.${process.pid % 250}`;
const bridge = `br${tag}`;
const HOSTS = [
  { name: `${tag}c`, address: `${subnet}.10` },
  { name: `${tag}e1`, address: `${subnet}.11` },
  { name: `${tag}e2`, address: `${subnet}.12` },
];

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Builds the namespaces, or says why it cannot (not root, no iproute2, no permission). */
function setUpNetwork(): string | undefined {
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    ip('addr', 'add', `${subnet}.1/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    for (const [i, host] of HOSTS.entries()) {
      ip('netns', 'add', host.name);
      ip('link', 'add', `v${tag}${i}`, 'type', 'veth', 'peer', 'name', `p${tag}${i}`);
      ip('link', 'set', `p${tag}${i}`, 'master', bridge);
      ip('link', 'set', `p${tag}${i}`, 'up');
      ip('link', 'set', `v${tag}${i}`, 'netns', host.name);
      ip('-n', host.name, 'addr', 'add', `${host.address}/24`, 'dev', `v${tag}${i}`);
      ip('-n', host.name, 'link', 'set', `v${tag}${i}`, 'up');
      ip('-n', host.name, 'link', 'set', 'lo', 'up');
    }
    return undefined;
  } catch (error) {
    tearDownNetwork();
    return (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
  }
}

function tearDownNetwork(): void {
  for (const host of HOSTS) {
    try {
      ip('netns', 'del', host.name);
    } catch {
      // Not made.
    }
  }
  try {
    ip('link', 'del', bridge);
  } catch {
    // Not made.
  }
}

const unavailable = setUpNetwork();
if (unavailable) {
  process.stdout.write(
    `network-hosts: skipped, network namespaces are not permitted here (${unavailable})\n`,
  );
}

function startIn(host: string, script: string, env: Record<string, string>): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', host, process.execPath, '--import', 'tsx', script], {
    cwd: repoRoot,
    env: { ...process.env, TRIBUTARY_CLUSTER_SECRET: TEST_SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

describe.skipIf(unavailable !== undefined)('coordinator and executors on hosts of their own', () => {
  const [coordinatorHost, ...executorHosts] = HOSTS;
  const url = `http://${coordinatorHost.address}:9047`;
  // Listening beyond loopback needs auth on: the client signs in as the configured admin.
  let token: string | undefined;
  const client = new TributaryClient(
    () => url,
    () => token,
  );
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-netns-'));
  const processes: ChildProcess[] = [];
  let oracle: DuckDbOracle | undefined;

  beforeAll(async () => {
    processes.push(
      startIn(coordinatorHost.name, 'apps/coordinator/src/main.ts', {
        TRIBUTARY_HOST: coordinatorHost.address,
        TRIBUTARY_AUTH: 'on',
        TRIBUTARY_ADMIN_USER: 'admin',
        TRIBUTARY_ADMIN_PASSWORD: 'netns-admin-password',
        TRIBUTARY_PORT: '9047',
        TRIBUTARY_EXECUTORS: '0',
        TRIBUTARY_DATA_DIR: dataDir,
        TRIBUTARY_SOURCE_ROOTS: dataRoot,
        TRIBUTARY_DEMO: 'false',
        TRIBUTARY_HEARTBEAT_TIMEOUT_MS: '3000',
        TRIBUTARY_BROADCAST_ROW_LIMIT: '0',
      }),
    );
    for (const host of executorHosts) {
      processes.push(
        startIn(host.name, 'apps/executor/src/main.ts', {
          TRIBUTARY_COORDINATOR_URL: url,
          TRIBUTARY_EXECUTOR_HOST: host.address,
          TRIBUTARY_EXECUTOR_PORT: '9100',
          TRIBUTARY_EXECUTOR_THREADS: '1',
          TRIBUTARY_SOURCE_ROOTS: dataRoot,
          TRIBUTARY_HEARTBEAT_INTERVAL_MS: '500',
        }),
      );
    }
    await waitFor(
      'two executors registered from their own addresses',
      async () => {
        const health = await client
          .request<Health>('GET', '/api/v1/health', undefined, { timeoutMs: 2_000 })
          .catch(() => undefined);
        return (health?.body.executors ?? []).filter((e) => e.state === 'active').length === 2;
      },
      60_000,
    );
    const login = await client.request<{ token: string }>('POST', '/apiv2/login', {
      userName: 'admin',
      password: 'netns-admin-password',
    });
    token = login.body.token;
    const parquet = path.join(tpchRoot, 'sf0.01', 'parquet');
    await client.addSource({ name: 'tpch', type: 'parquet', path: parquet });
    oracle = await DuckDbOracle.open([{ schema: 'tpch', format: 'parquet', folder: parquet }]);
  });

  afterAll(async () => {
    oracle?.close();
    for (const child of processes) child.kill('SIGKILL');
    await sleep(200);
    tearDownNetwork();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('schedules on executors that advertise their own addresses', async () => {
    const health = (await client.request<Health>('GET', '/api/v1/health')).body;
    expect(health.executors.map((e) => new URL(e.url).hostname).sort()).toEqual(
      executorHosts.map((h) => h.address),
    );
  });

  it('answers a query whose stages shuffle between the hosts as DuckDB does', async () => {
    const sql = `SELECT o_orderpriority, count(*) AS n, sum(l_extendedprice) AS revenue
                 FROM tpch.orders JOIN tpch.lineitem ON l_orderkey = o_orderkey
                 GROUP BY o_orderpriority ORDER BY o_orderpriority`;
    const actual = await client.sql(sql);
    expect(compareResults(actual, await oracle!.query(sql), { ordered: true })).toEqual([]);
    const plan = String((await client.sql(`EXPLAIN ANALYZE ${sql}`)).rows[0][0]);
    const health = (await client.request<Health>('GET', '/api/v1/health')).body;
    for (const e of health.executors) expect(plan).toContain(`on ${e.id}`);
  });

  it('survives the loss of one host', async () => {
    const sql = 'SELECT l_returnflag, count(*) AS n FROM tpch.lineitem GROUP BY 1 ORDER BY 1';
    const expected = await client.sql(sql);
    processes[2].kill('SIGKILL');
    const answer = await client.sql(sql, 60_000);
    expect(answer.rows).toEqual(expected.rows);
  });
});
