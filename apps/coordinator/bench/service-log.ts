/** What a coordinator's output says happened during a run, counted. */
export interface ServiceLogSummary {
  /** `executor … registered at` lines: first registrations plus re-registrations after a failed heartbeat. */
  registrations: number;
  /** `executor … lost: no heartbeat` lines. */
  lost: number;
  /** Executor processes that exited and were restarted. */
  executorExits: number;
  /** `[coordinator] error CODE: …` lines (5xx errors the coordinator logged), by code. */
  errorsByCode: Map<string, number>;
  /** Distinct warning lines (Node's process warnings), without the pid. */
  warnings: string[];
}

export function summarizeServiceLog(output: string): ServiceLogSummary {
  const summary: ServiceLogSummary = {
    registrations: 0,
    lost: 0,
    executorExits: 0,
    errorsByCode: new Map(),
    warnings: [],
  };
  const warnings = new Set<string>();
  for (const line of output.split('\n')) {
    if (/^\[coordinator\] executor \S+ registered at /.test(line)) summary.registrations++;
    else if (/^\[coordinator\] executor \S+ .*lost: no heartbeat/.test(line)) summary.lost++;
    else if (/^\[coordinator\] executor \S+ \(pid \d+\) exited/.test(line)) summary.executorExits++;
    const error = /^\[coordinator\] error ([A-Z_]+):/.exec(line);
    if (error) summary.errorsByCode.set(error[1], (summary.errorsByCode.get(error[1]) ?? 0) + 1);
    const warning = /^\(node:\d+\) (\w*Warning: .*)$/.exec(line);
    if (warning) warnings.add(warning[1]);
  }
  summary.warnings = [...warnings];
  return summary;
}
