import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSharedMemoryCounters } from '@tributary/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskPool } from './task-pool.ts';

const GATED = new URL('./fixtures/gated-task-worker.ts', import.meta.url);

describe('TaskPool.loaded', () => {
  const dirs: string[] = [];
  const pools: TaskPool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function gatedPool(threads: number, env: NodeJS.ProcessEnv, log: (m: string) => void = () => {}) {
    const pool = new TaskPool({
      threads,
      workerData: {
        executorId: 'e1',
        secret: 's',
        workDir: dirs[0],
        roots: [],
        executorCounters: createSharedMemoryCounters(),
        executorLimitBytes: 1 << 30,
      },
      env,
      log,
      workerUrl: GATED,
    });
    pools.push(pool);
    return pool;
  }

  it('settles only once every thread has loaded', async () => {
    dirs.push(mkdtempSync(join(tmpdir(), 'task-pool-')));
    const gate = join(dirs[0], 'gate');
    const pool = gatedPool(2, { ...process.env, TRIBUTARY_TEST_GATE: gate });
    let settled = false;
    const loaded = pool.loaded().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    writeFileSync(gate, '');
    await loaded;
    expect(settled).toBe(true);
  });

  it('does not wait for a thread lost while it loads', async () => {
    dirs.push(mkdtempSync(join(tmpdir(), 'task-pool-')));
    const gate = join(dirs[0], 'gate');
    writeFileSync(gate, '');
    const env: NodeJS.ProcessEnv = { ...process.env, TRIBUTARY_TEST_GATE: gate, TRIBUTARY_TEST_EXIT: '1' };
    const logged: string[] = [];
    const pool = gatedPool(1, env, (m) => logged.push(m));
    // Only the first thread (its environment taken as it started) dies; its replacement loads.
    delete env.TRIBUTARY_TEST_EXIT;
    await pool.loaded();
    await expect.poll(() => logged.join('\n')).toMatch(/task thread died/);
  });
});
