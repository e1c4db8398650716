import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { listeningPort, repoRoot } from '../e2e/harness.ts';
import { percentile } from './percentiles.ts';
import { SqlPoster } from './post-sql.ts';
import { lineitemByPart, selectiveSql } from './selective-query.ts';

/**
 * `npm run bench:latency [-- --runs 200] [--without 10] [--repo <checkout>]… [--data <folder>]
 * [--work <folder>] [--cpu-prof <folder>]`: the fixed cost of a small query. For each checkout
 * given (this one by default; give a base and a change to compare them), starts a coordinator
 * with 2 embedded executors over its own data dir (`<work>/c<i>-<checkout name>`, kept, so the
 * raw reflection is built once per checkout and order), then times the selective query of
 * `bench:reflections` (one part's line items, served by a raw reflection of SF1 lineitem
 * sorted by l_partkey) `--runs` times with the reflection, and `--without` times without it
 * spread among them, alternating between checkouts. Prints median and p90 of the client's
 * wall time and the CPU time per query of the coordinator and each executor (/proc, the
 * queries with the reflection only): on a shared machine the CPU figures are the ones to
 * compare. `--cpu-prof` writes V8 CPU profiles of the coordinators (and their threads).
 */

const SQL = selectiveSql('bench');

interface Cluster {
  readonly label: string;
  readonly url: string;
  readonly child: ChildProcess;
  pids: number[];
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks * TICK_MS;
}

async function post(url: string, route: string, body: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${url}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(1_900_000),
  });
  return { status: response.status, text: await response.text() };
}

async function start(
  repo: string,
  workDir: string,
  data: string,
  label: string,
  profileDir?: string,
): Promise<Cluster> {
  const dataDir = path.join(workDir, label);
  mkdirSync(dataDir, { recursive: true });
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'apps/coordinator/src/main.ts'], {
    cwd: repo,
    env: {
      ...process.env,
      TRIBUTARY_PORT: '0',
      TRIBUTARY_PG_PORT: '0',
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_EXECUTORS: '2',
      TRIBUTARY_SOURCE_ROOTS: data,
      TRIBUTARY_DEMO: 'false',
    },
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // The coordinator logs to stderr: shown here as before, and read for its port.
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stderr.write(chunk);
  });
  const until = Date.now() + 120_000;
  while (listeningPort(output) === 0) {
    if (Date.now() > until || child.exitCode !== null) throw new Error(`${label}: not listening`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = `http://127.0.0.1:${listeningPort(output)}`;
  let pids: number[] = [];
  for (;;) {
    if (Date.now() > until) throw new Error(`${label}: not ready`);
    try {
      const health = (await (await fetch(`${url}/api/v1/health`)).json()) as {
        executors?: { state: string; pid: number }[];
      };
      const active = (health.executors ?? []).filter((e) => e.state === 'active');
      if (active.length === 2) {
        pids = [child.pid!, ...active.map((e) => e.pid)];
        break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const sources = await (await fetch(`${url}/api/v1/sources`)).text();
  if (!sources.includes('"bench"')) {
    const added = await post(url, '/api/v1/sources', { name: 'bench', type: 'parquet', path: data });
    if (added.status >= 300) throw new Error(`${label}: source: ${added.text}`);
  }
  const reflections = await (await fetch(`${url}/api/v1/reflections`)).text();
  const byPart = lineitemByPart('bench');
  if (!reflections.includes(byPart.name)) {
    const built = await post(url, '/api/v1/reflections?wait=true&waitMs=1800000', byPart);
    if (built.status >= 300) throw new Error(`${label}: reflection: ${built.text}`);
  }
  return { label, url, child, pids };
}

const poster = new SqlPoster();

async function timed(cluster: Cluster, reflections: boolean): Promise<{ ms: number; timing: string }> {
  const body = { sql: SQL, ...(reflections ? {} : { options: { reflections: false } }) };
  const started = performance.now();
  const { status, text, timing } = await poster.post(cluster.url, body);
  const ms = performance.now() - started;
  if (status !== 200) throw new Error(`${cluster.label}: ${status} ${text.slice(0, 300)}`);
  return { ms, timing };
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `median ${percentile(sorted, 50).toFixed(2)} p90 ${percentile(sorted, 90).toFixed(2)}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '200' },
      repo: { type: 'string', multiple: true },
      data: { type: 'string', default: path.join(repoRoot, '.tributary', 'bench-data', 'sf1', 'parquet') },
      work: { type: 'string', default: '/tmp/tributary-latency' },
      without: { type: 'string', default: '10' },
      'cpu-prof': { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const data = path.resolve(values.data!);
  if (!existsSync(path.join(data, 'lineitem.parquet'))) throw new Error(`no lineitem.parquet in ${data}`);
  const repos = values.repo?.length ? values.repo.map((r) => path.resolve(r)) : [repoRoot];
  const clusters: Cluster[] = [];
  try {
    for (const [i, repo] of repos.entries())
      clusters.push(
        await start(repo, values.work!, data, `c${i}-${path.basename(repo)}`, values['cpu-prof']),
      );
    for (const c of clusters) for (let i = 0; i < 20; i++) await timed(c, true);
    const on = clusters.map(() => [] as number[]);
    const off = clusters.map(() => [] as number[]);
    const cpu = clusters.map((c) => c.pids.map(() => 0));
    const timings = clusters.map(() => '');
    const without = Number(values.without);
    const offEvery = without > 0 ? Math.max(1, Math.round(runs / without)) : Infinity;
    for (let r = 0; r < runs; r++) {
      for (const [i, c] of clusters.entries()) {
        const before = c.pids.map((pid) => cpuMs([pid]));
        const t = await timed(c, true);
        c.pids.forEach((pid, p) => (cpu[i][p] += cpuMs([pid]) - before[p]));
        on[i].push(t.ms);
        timings[i] = t.timing;
      }
      if (r % offEvery === offEvery - 1)
        for (const [i, c] of clusters.entries()) off[i].push((await timed(c, false)).ms);
    }
    for (const [i, c] of clusters.entries()) {
      console.log(
        `${c.label} (${repos[i]}):\n  with reflection    ${summary(on[i])} ms (${runs} runs), cpu ${(cpu[i].reduce((a, b) => a + b) / runs).toFixed(2)} ms/query (coordinator, executors: ${cpu[i].map((v) => (v / runs).toFixed(2)).join(', ')})` +
          `\n  without reflection ${summary(off[i])} ms (${off[i].length} runs)\n  last server-timing: ${timings[i]}`,
      );
    }
  } finally {
    poster.close();
    for (const c of clusters) {
      try {
        process.kill(-c.child.pid!, 'SIGTERM');
      } catch {
        // gone
      }
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
