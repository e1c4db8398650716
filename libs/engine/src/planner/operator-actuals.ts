import type { OperatorRunStats } from '@tributary/protocol';

/** One operator of a stage over the tasks that reported it (EXPLAIN ANALYZE). */
export interface OperatorActuals {
  readonly rows: number;
  readonly batches: number;
  /** Self time summed over the tasks. */
  readonly timeMs: number;
  /** The largest self time of one task. */
  readonly maxTimeMs: number;
  /** Tasks whose figures are summed. */
  readonly tasks: number;
}

/**
 * Sums the figures of a stage's tasks operator by operator (each task's array is indexed
 * by the operators' pre-order position). A task reporting another number of operators
 * did not run this plan and is left out.
 */
export function sumOperatorStats(tasks: readonly (readonly OperatorRunStats[])[]): OperatorActuals[] {
  const size = tasks[0]?.length ?? 0;
  const sums = Array.from({ length: size }, () => ({
    rows: 0,
    batches: 0,
    timeMs: 0,
    maxTimeMs: 0,
    tasks: 0,
  }));
  for (const task of tasks) {
    if (task.length !== size) continue;
    task.forEach(([rows, batches, selfMs], i) => {
      const sum = sums[i];
      sum.rows += rows;
      sum.batches += batches;
      sum.timeMs += selfMs;
      sum.maxTimeMs = Math.max(sum.maxTimeMs, selfMs);
      sum.tasks++;
    });
  }
  return sums;
}

/**
 * `(actual rows=998 batches=2 time=12.3 ms max=8.1 ms)`: time is self time summed over the
 * tasks, max the slowest task's; a stage some of whose tasks did not report (cut short by a
 * limit, say) says how many did.
 */
export function describeActuals(actuals: OperatorActuals, stageTasks: number): string {
  const reported = actuals.tasks < stageTasks ? ` in ${actuals.tasks} of ${stageTasks} tasks` : '';
  const max = actuals.tasks > 1 ? ` max=${formatMs(actuals.maxTimeMs)}` : '';
  return `(actual${reported} rows=${actuals.rows} batches=${actuals.batches} time=${formatMs(actuals.timeMs)}${max})`;
}

function formatMs(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}
