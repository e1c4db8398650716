import { describe, expect, it } from 'vitest';
import { ExecutorRegistry, type ExecutorInfo } from '../executors/executor-registry.ts';
import { ClusterLoad, TaskSlots, balancedPlacement, stableHash } from './task-slots.ts';

function executor(id: string, threads = 1): ExecutorInfo {
  return {
    id,
    url: `http://127.0.0.1/${id}`,
    pid: 0,
    instance: id,
    threads,
    state: 'active',
    lastHeartbeat: 0,
    suspendedUntil: 0,
  };
}

const counts = (ids: readonly string[]) =>
  ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());

/** Stage keys as the scheduler makes them: hashes of split groups. */
const stageKeys = (stage: number, tasks: number) =>
  Array.from({ length: tasks }, (_, i) => String(stableHash(`table-${stage}/split-${i}`)));

describe('balancedPlacement', () => {
  it('spreads every stage evenly over equal executors, where plain rendezvous hashing often does not', () => {
    const executors = [executor('a'), executor('b')];
    for (let stage = 0; stage < 200; stage++) {
      const placed = counts(balancedPlacement(stageKeys(stage, 4), executors));
      expect([...placed.values()]).toEqual([2, 2]);
    }
  });

  it('weighs executors by their threads', () => {
    const placed = counts(balancedPlacement(stageKeys(1, 12), [executor('a', 1), executor('b', 3)]));
    expect(placed.get('a')).toBe(3);
    expect(placed.get('b')).toBe(9);
  });

  it('places the same keys on the same executors every time, whatever their order', () => {
    const keys = stageKeys(7, 8);
    const first = balancedPlacement(keys, [executor('a'), executor('b'), executor('c')]);
    expect(balancedPlacement(keys, [executor('c'), executor('a'), executor('b')])).toEqual(first);
  });

  it('moves only a share of the tasks when an executor joins', () => {
    let moved = 0;
    let total = 0;
    for (let stage = 0; stage < 100; stage++) {
      const keys = stageKeys(stage, 6);
      const before = balancedPlacement(keys, [executor('a'), executor('b')]);
      const after = balancedPlacement(keys, [executor('a'), executor('b'), executor('c')]);
      moved += before.filter((id, i) => id !== after[i]).length;
      total += keys.length;
    }
    // A third of the tasks must go to the newcomer; the bound moves a few more, not all.
    expect(moved / total).toBeGreaterThanOrEqual(1 / 3);
    expect(moved / total).toBeLessThan(0.6);
  });

  it('handles more executors than tasks and a single executor', () => {
    expect(balancedPlacement(stageKeys(2, 1), [executor('a'), executor('b'), executor('c')])).toHaveLength(1);
    expect(balancedPlacement(stageKeys(3, 5), [executor('a')])).toEqual(Array(5).fill('a'));
  });
});

describe('TaskSlots', () => {
  it('keeps a waiting task off the executor another waiting task of the query prefers', async () => {
    const registry = new ExecutorRegistry(60_000);
    for (const id of ['a', 'b'])
      registry.register({ id, url: `http://127.0.0.1/${id}`, instance: id, threads: 1, pid: 0 });
    const slots = new TaskSlots(registry, new ClusterLoad(), 1000);
    const signal = new AbortController().signal;
    // Four tasks whose placement is two on each executor, as the stage would place them.
    let keys: string[] = [];
    for (let stage = 0; ; stage++) {
      keys = stageKeys(stage, 4);
      const placed = balancedPlacement(keys, registry.schedulable());
      if (placed.join() === 'a,a,b,b' || placed.join() === 'b,b,a,a') break;
    }
    const placed = balancedPlacement(keys, registry.schedulable());
    const acquire = (index: number) => slots.acquire(new Set(), signal, { affinity: { keys, index } });
    const first = [await acquire(0), await acquire(2)].map((e) => e.id);
    expect(first).toEqual([placed[0], placed[2]]);
    const second = acquire(1);
    const fourth = acquire(3);
    // Past the locality wait, the executor of task 2 frees first: task 3 (its place) takes it, not task 1.
    await new Promise((resolve) => setTimeout(resolve, 200));
    slots.release(placed[2]);
    expect((await fourth).id).toBe(placed[3]);
    slots.release(placed[0]);
    expect((await second).id).toBe(placed[1]);
    slots.close();
  });
});
