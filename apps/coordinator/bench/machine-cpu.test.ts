import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMachineCpu, readMachineCpu } from './machine-cpu.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'proc-stat-cpu.txt');

describe('parseMachineCpu', () => {
  it('counts all but idle and iowait as busy, from the aggregate line only', () => {
    expect(parseMachineCpu('cpu  10 1 5 100 4 0 2 0 0 0\ncpu0 5 0 2 50 2 0 1 0 0 0\n')).toEqual({
      busyTicks: 18,
      totalTicks: 122,
    });
  });

  it('reads a real /proc/stat', () => {
    expect(readMachineCpu(fixture)).toEqual({ busyTicks: 76198, totalTicks: 181614 });
    expect(readMachineCpu(path.join(fixture, 'missing'))).toBeUndefined();
  });

  it('refuses text without the aggregate line', () => {
    expect(() => parseMachineCpu('intr 1 2 3')).toThrow(/cpu/);
  });
});
