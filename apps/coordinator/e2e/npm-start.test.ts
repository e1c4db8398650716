import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sleep, waitFor } from './cluster-harness.ts';
import { listeningPort, repoRoot } from './harness.ts';

/** Every process below `root` (children, grandchildren…), from /proc. */
function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tributary-npm-'));
  let left: number[] = [];

  afterAll(() => {
    for (const pid of left) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops the coordinator and its executors when npm gets SIGTERM', async () => {
    const npm = spawn('npm', ['start'], {
      cwd: repoRoot,
      env: {
        ...process.env,
        TRIBUTARY_PORT: '0',
        // A free PostgreSQL port: 15432 may be taken by another coordinator on this machine.
        TRIBUTARY_PG_PORT: '0',
        TRIBUTARY_DATA_DIR: dataDir,
        TRIBUTARY_DEMO: 'false',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // The coordinator logs to stderr.
    let output = '';
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor('the coordinator listening', () => listeningPort(output) > 0, 60_000);
    const port = listeningPort(output);
    await waitFor(
      'two executors registered',
      async () => {
        const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`)
          .then((r) => r.json() as Promise<{ executors: unknown[] }>)
          .catch(() => ({ executors: [] }));
        return health.executors.length === 2;
      },
      60_000,
    );
    const family = descendants(npm.pid!);
    left = family;
    // npm's shell, the coordinator and two executors at least.
    expect(family.length).toBeGreaterThanOrEqual(3);
    npm.kill('SIGTERM');
    await waitFor('every process gone', () => family.every((pid) => !alive(pid)), 10_000);
    await sleep(200);
    expect(family.filter(alive)).toEqual([]);
  });
});
