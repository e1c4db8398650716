import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemorySampler, memoryWindow } from './memory-sampler.ts';

const procRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'proc-ppid');

describe('memoryWindow', () => {
  const samples = [
    { t: 0, rssKb: 100 },
    { t: 100, rssKb: 150 },
    { t: 200, rssKb: 400 },
    { t: 300, rssKb: 120 },
    { t: 400, rssKb: 110 },
  ];

  it('takes the samples at the window ends and the peak between', () => {
    expect(memoryWindow(samples, 100, 400)).toEqual({ start: 150, peak: 400, end: 110 });
    expect(memoryWindow(samples, 250, 350)).toEqual({ start: 400, peak: 400, end: 120 });
  });

  it('uses the first sample for a window starting before it, and nothing without samples', () => {
    expect(memoryWindow(samples, -50, 50)).toEqual({ start: 100, peak: 100, end: 100 });
    expect(memoryWindow([], 0, 10)).toBeUndefined();
  });
});

describe('MemorySampler', () => {
  it('samples the coordinator and the children that run the executor, not other children', () => {
    const sampler = new MemorySampler(100, { procRoot });
    sampler.sample();
    expect(
      sampler
        .processes()
        .map((p) => ({ pid: p.pid, role: p.role, label: p.label, rss: p.samples[0]?.rssKb })),
    ).toEqual([
      { pid: 100, role: 'coordinator', label: 'coordinator', rss: 187992 },
      { pid: 101, role: 'executor', label: 'executor 1', rss: 95520 },
      { pid: 102, role: 'executor', label: 'executor 2', rss: 101004 },
    ]);
  });

  it('counts CPU time between marks', () => {
    const sampler = new MemorySampler(100, { procRoot });
    sampler.sample();
    sampler.markCpu('a');
    sampler.markCpu('b');
    expect(sampler.cpuSecondsBetween(100, 'a', 'b')).toBe(0);
    expect(sampler.cpuSecondsBetween(100, 'a', 'missing')).toBeUndefined();
  });
});
