import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * A fixed loop of arithmetic and random memory reads, timed in a fresh Node pinned to one
 * core: what a core gives a single thread right now. On a shared host (a VM's vCPUs) one core
 * can run much slower than another while a neighbour keeps its sibling busy; a run of two
 * executors then cannot be twice as fast as one, however well the work is split.
 */
const LOOP = `
const a = new Float64Array(1 << 20); for (let i = 0; i < a.length; i++) a[i] = i;
const m = new Int32Array(1 << 22);
const t = performance.now(); let s = 0, x = 1;
for (let r = 0; r < 60; r++) for (let i = 0; i < a.length; i++) s += a[i] * 1.0001;
for (let r = 0; r < 6e6; r++) { x = (Math.imul(x, 1103515245) + 12345) | 0; m[(x >>> 8) & ((1 << 22) - 1)] += s > 0 ? 1 : 0; }
console.log(performance.now() - t);
`;

/** Each core's time for the loop in ms, by core index; undefined where `taskset` is missing. */
export function measureCoreSpeeds(cores = availableParallelism()): number[] | undefined {
  const times: number[] = [];
  for (let core = 0; core < cores; core++) {
    const run = spawnSync('taskset', ['-c', String(core), process.execPath, '-e', LOOP], {
      encoding: 'utf8',
    });
    const ms = Number(run.stdout?.trim());
    if (run.error || run.status !== 0 || !(ms > 0)) return undefined;
    times.push(ms);
  }
  return times;
}

/**
 * One line on the cores' speeds: each core's time, and when the slowest took over 15% longer
 * than the fastest, the cap that puts on a speedup over as many executors as cores (each one
 * core: the sum of the cores' speeds relative to the fastest).
 */
export function describeCoreSpeeds(times: readonly number[] | undefined): string {
  if (times === undefined || times.length === 0) return 'core speeds: not measured (no taskset)';
  const fastest = Math.min(...times);
  const slowest = Math.max(...times);
  const each = times.map((ms, core) => `cpu${core} ${ms.toFixed(0)} ms`).join(', ');
  if (slowest <= 1.15 * fastest) return `core speeds (a fixed loop pinned to each core): ${each}; even`;
  const cap = times.reduce((sum, ms) => sum + fastest / ms, 0);
  return (
    `core speeds (a fixed loop pinned to each core): ${each}; UNEVEN, the slowest ${(slowest / fastest).toFixed(2)}× ` +
    `the fastest (a shared host): ${times.length} executors can be at most ${cap.toFixed(2)}× as fast as 1 here`
  );
}
