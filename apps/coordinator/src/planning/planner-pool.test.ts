import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PlannerPool } from './planner-pool.ts';

const GATED = new URL('./fixtures/gated-planner-worker.ts', import.meta.url);
const data = { catalogFile: '', roots: [] };

describe('PlannerPool.loaded', () => {
  const dirs: string[] = [];
  const pools: PlannerPool[] = [];
  afterEach(async () => {
    delete process.env.TRIBUTARY_TEST_GATE;
    delete process.env.TRIBUTARY_TEST_EXIT;
    await Promise.all(pools.splice(0).map((p) => p.close()));
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('settles only once every thread has loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'planner-pool-'));
    dirs.push(dir);
    const gate = join(dir, 'gate');
    process.env.TRIBUTARY_TEST_GATE = gate;
    const pool = new PlannerPool(2, data, () => {}, GATED);
    pools.push(pool);
    let settled = false;
    const loaded = pool.loaded().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);
    writeFileSync(gate, '');
    await loaded;
    expect(settled).toBe(true);
  });

  it('does not wait for a thread lost while it loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'planner-pool-'));
    dirs.push(dir);
    process.env.TRIBUTARY_TEST_GATE = join(dir, 'gate');
    writeFileSync(process.env.TRIBUTARY_TEST_GATE, '');
    process.env.TRIBUTARY_TEST_EXIT = '1';
    const logged: string[] = [];
    const pool = new PlannerPool(1, data, (m) => logged.push(m), GATED);
    pools.push(pool);
    // Only the first thread (its environment taken as it started) dies; its replacement loads.
    delete process.env.TRIBUTARY_TEST_EXIT;
    await pool.loaded();
    expect(logged.join('\n')).toMatch(/planner thread died/);
  });
});
