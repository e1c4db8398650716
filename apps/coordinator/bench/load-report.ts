import type { QueryClass } from './load-mix.ts';
import { summarize, type LatencySummary } from './percentiles.ts';

/** One query a client sent, as measured. Times are performance.now() milliseconds. */
export interface QueryRecord {
  name: string;
  class: QueryClass;
  client: number;
  start: number;
  end: number;
  status: number;
  code?: string;
  message?: string;
  rowCount?: number;
  /** With answer checking: this answer differed from the query's first answer. */
  mismatch?: boolean;
  /** The service's Server-Timing phases, in milliseconds (plan, queue, first-batch). */
  phases?: Record<string, number>;
}

/** A Server-Timing header's `name;dur=ms` entries. */
export function parseServerTiming(header: string | null): Record<string, number> | undefined {
  if (!header) return undefined;
  const phases: Record<string, number> = {};
  for (const entry of header.split(',')) {
    const [name, ...params] = entry.trim().split(';');
    const dur = params.map((p) => /^\s*dur=([\d.]+)\s*$/.exec(p)).find((m) => m);
    if (name && dur) phases[name] = Number(dur[1]);
  }
  return phases;
}

export const latencyOf = (r: QueryRecord): number => r.end - r.start;

/** Text table, first column left-aligned, the rest right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function ms(value: number): string {
  return Number.isNaN(value) ? 'n/a' : value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

export function summaryCells(s: LatencySummary): string[] {
  return [String(s.count), ms(s.p50), ms(s.p99), ms(s.max)];
}

/** Short queries that were running at some moment while at least one long query was running. */
export function shortWhileLong(records: readonly QueryRecord[]): QueryRecord[] {
  const long = records.filter((r) => r.class === 'long').sort((a, b) => a.start - b.start);
  return records.filter((r) => r.class === 'short' && long.some((l) => l.start < r.end && l.end > r.start));
}

/** Failed queries by error code, most frequent first, each with one of its messages. */
export function errorsByCode(
  records: readonly QueryRecord[],
): { code: string; count: number; example: string }[] {
  const byCode = new Map<string, { count: number; example: string }>();
  for (const r of records) {
    if (r.code === undefined) continue;
    const entry = byCode.get(r.code) ?? { count: 0, example: `${r.name}: ${r.message ?? ''}` };
    entry.count++;
    byCode.set(r.code, entry);
  }
  return [...byCode.entries()]
    .map(([code, e]) => ({ code, ...e }))
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** Latency summaries of the successful queries, grouped by `key`, in first-seen order of `order`. */
export function summariesBy(
  records: readonly QueryRecord[],
  key: (r: QueryRecord) => string,
  order: readonly string[],
): { key: string; summary: LatencySummary; errors: number }[] {
  return order.map((k) => {
    const mine = records.filter((r) => key(r) === k);
    return {
      key: k,
      summary: summarize(mine.filter((r) => r.code === undefined).map(latencyOf)),
      errors: mine.filter((r) => r.code !== undefined).length,
    };
  });
}

export interface TargetInputs {
  errors: number;
  mismatches: number | undefined;
  shortP99WhileLongMs: number;
  coordinatorEndPctOfStart: number | undefined;
}

/** The targets, each with whether it is met; `undefined` where it could not be measured. */
export function evaluateTargets(
  inputs: TargetInputs,
): { target: string; actual: string; met: boolean | undefined }[] {
  const targets: { target: string; actual: string; met: boolean | undefined }[] = [
    { target: 'zero errors', actual: String(inputs.errors), met: inputs.errors === 0 },
    {
      target: 'short-query p99 < 1000 ms while long queries run',
      actual: `${ms(inputs.shortP99WhileLongMs)} ms`,
      met: Number.isNaN(inputs.shortP99WhileLongMs) ? undefined : inputs.shortP99WhileLongMs < 1000,
    },
    {
      target: 'coordinator memory at the end within 10% of its start',
      actual:
        inputs.coordinatorEndPctOfStart === undefined
          ? 'not measured'
          : `${inputs.coordinatorEndPctOfStart.toFixed(0)}%`,
      met: inputs.coordinatorEndPctOfStart === undefined ? undefined : inputs.coordinatorEndPctOfStart <= 110,
    },
  ];
  if (inputs.mismatches !== undefined) {
    targets.push({
      target: 'every answer equals its query’s first answer',
      actual: `${inputs.mismatches} differ`,
      met: inputs.mismatches === 0,
    });
  }
  return targets;
}
