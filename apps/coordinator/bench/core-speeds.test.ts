import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeCoreSpeeds, measureCoreSpeeds } from './core-speeds.ts';

describe('describeCoreSpeeds', () => {
  it('calls cores within 15% of each other even', () => {
    expect(describeCoreSpeeds([220, 240])).toBe(
      'core speeds (a fixed loop pinned to each core): cpu0 220 ms, cpu1 240 ms; even',
    );
  });

  it('names uneven cores and the speedup they cap', () => {
    // 1 + 229/355 = 1.645: a second executor on the slow core adds two thirds of one.
    expect(describeCoreSpeeds([355, 229])).toContain(
      'UNEVEN, the slowest 1.55× the fastest (a shared host): 2 executors can be at most 1.65× as fast as 1 here',
    );
  });

  it('says when nothing was measured', () => {
    expect(describeCoreSpeeds(undefined)).toBe('core speeds: not measured (no taskset)');
  });
});

describe('measureCoreSpeeds', () => {
  it('times the loop on each core, or gives undefined without taskset', () => {
    const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
    const times = measureCoreSpeeds(1);
    expect(times === undefined).toBe(!hasTaskset);
    if (times) expect(times[0]).toBeGreaterThan(0);
  });
});
