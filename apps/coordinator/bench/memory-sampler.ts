import { childPids, readCmdline, readCpuTicks, readRssKb } from './process-memory.ts';

export type ProcessRole = 'coordinator' | 'executor';

export interface MemorySample {
  /** performance.now() when taken, the clock every timing of a load run uses. */
  t: number;
  rssKb: number;
}

/** The samples of one process, from when it was first seen to when it was last seen. */
export interface ProcessSeries {
  pid: number;
  role: ProcessRole;
  label: string;
  samples: MemorySample[];
  /** Set when the process went away while sampled (an executor crashed or was restarted). */
  goneAt?: number;
}

/** Start, peak and end of one process's resident memory over a window, in kB. */
export interface MemoryWindow {
  start: number;
  peak: number;
  end: number;
}

export interface MemorySamplerOptions {
  intervalMs?: number;
  /** How often the coordinator's children are looked for again (a restarted executor has a new pid). */
  discoverEveryMs?: number;
  /** Which children are executors (rather than, say, tsx's esbuild service). */
  isExecutor?: (cmdline: string) => boolean;
  procRoot?: string;
}

/** The last sample at or before `t`, or the first after it when none came before. */
function sampleAt(samples: readonly MemorySample[], t: number): MemorySample | undefined {
  let found: MemorySample | undefined;
  for (const s of samples) {
    if (s.t <= t) found = s;
    else return found ?? s;
  }
  return found;
}

/** Memory at `from`, its peak in [from, to], and at `to`; undefined when no sample falls near. */
export function memoryWindow(
  samples: readonly MemorySample[],
  from: number,
  to: number,
): MemoryWindow | undefined {
  const start = sampleAt(samples, from);
  const end = sampleAt(samples, to);
  if (!start || !end) return undefined;
  let peak = Math.max(start.rssKb, end.rssKb);
  for (const s of samples) if (s.t >= from && s.t <= to && s.rssKb > peak) peak = s.rssKb;
  return { start: start.rssKb, peak, end: end.rssKb };
}

/**
 * Samples VmRSS of the coordinator and of each executor (the coordinator's children whose
 * command line runs the executor) every `intervalMs`, reading /proc only: nothing is asked
 * of the service itself, so sampling costs it nothing.
 */
export class MemorySampler {
  private readonly series = new Map<number, ProcessSeries>();
  private readonly cpuAtMark = new Map<string, Map<number, number>>();
  private readonly intervalMs: number;
  private readonly discoverEveryMs: number;
  private readonly isExecutor: (cmdline: string) => boolean;
  private readonly procRoot: string;
  private timer: NodeJS.Timeout | undefined;
  private lastDiscovery = -Infinity;
  private executorCount = 0;

  constructor(
    readonly coordinatorPid: number,
    options: MemorySamplerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 100;
    this.discoverEveryMs = options.discoverEveryMs ?? 1000;
    this.isExecutor = options.isExecutor ?? ((cmdline) => /executor/.test(cmdline));
    this.procRoot = options.procRoot ?? '/proc';
    this.series.set(coordinatorPid, {
      pid: coordinatorPid,
      role: 'coordinator',
      label: 'coordinator',
      samples: [],
    });
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample of every known process now (and looks for new executors when due). */
  sample(): void {
    const t = performance.now();
    if (t - this.lastDiscovery >= this.discoverEveryMs) {
      this.lastDiscovery = t;
      this.discover();
    }
    for (const s of this.series.values()) {
      if (s.goneAt !== undefined) continue;
      const rssKb = readRssKb(s.pid, this.procRoot);
      if (rssKb === undefined) s.goneAt = t;
      else s.samples.push({ t, rssKb });
    }
  }

  private discover(): void {
    for (const pid of childPids(this.coordinatorPid, this.procRoot)) {
      if (this.series.has(pid) || !this.isExecutor(readCmdline(pid, this.procRoot))) continue;
      this.executorCount++;
      this.series.set(pid, { pid, role: 'executor', label: `executor ${this.executorCount}`, samples: [] });
    }
  }

  processes(): ProcessSeries[] {
    return [...this.series.values()];
  }

  /** Remembers every live process's CPU time under `name`, for cpuSecondsBetween. */
  markCpu(name: string): void {
    const ticks = new Map<number, number>();
    for (const s of this.series.values()) {
      const value = readCpuTicks(s.pid, this.procRoot);
      if (value !== undefined) ticks.set(s.pid, value);
    }
    this.cpuAtMark.set(name, ticks);
  }

  /** CPU seconds `pid` used between two marks, assuming the usual 100 clock ticks a second. */
  cpuSecondsBetween(pid: number, from: string, to: string): number | undefined {
    const a = this.cpuAtMark.get(from)?.get(pid);
    const b = this.cpuAtMark.get(to)?.get(pid);
    return a === undefined || b === undefined ? undefined : (b - a) / 100;
  }
}
