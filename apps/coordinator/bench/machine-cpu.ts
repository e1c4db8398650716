import { readFileSync } from 'node:fs';

/** The machine's CPU time so far in clock ticks, summed over all cores (the `cpu` line of /proc/stat). */
export interface MachineCpu {
  busyTicks: number;
  totalTicks: number;
}

/** Parses the aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal …; idle and iowait are not busy. */
export function parseMachineCpu(procStat: string): MachineCpu {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('no aggregate cpu line in /proc/stat');
  // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busyTicks: total - ticks[3] - (ticks[4] ?? 0), totalTicks: total };
}

export function readMachineCpu(file = '/proc/stat'): MachineCpu | undefined {
  try {
    return parseMachineCpu(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
