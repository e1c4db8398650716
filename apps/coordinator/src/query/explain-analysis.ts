import { describeActuals, sumOperatorStats, type ExplainAnalysis } from '@tributary/engine';
import { taskCount, type ScheduledPlan } from '@tributary/protocol';
import type { TaskRun } from '../scheduler/query-execution.ts';

function describeRun(run: TaskRun): string {
  const { stats } = run;
  return (
    `task ${run.index}${run.attempt > 0 ? ` (attempt ${run.attempt + 1})` : ''} on ${run.executorId}: ` +
    `${stats.rows} rows, ${stats.bytes} bytes, ${Math.round(stats.elapsedMs)} ms` +
    (stats.spilledBytes ? `, spilled ${stats.spilledBytes} bytes` : '')
  );
}

/**
 * The run of each task whose output the query used: its last finished attempt (an earlier
 * one finished too when its output was lost with its executor and computed again, or when
 * the result stage started over).
 */
function countedRuns(runs: readonly TaskRun[], stage: number): TaskRun[] {
  const last = new Map<number, TaskRun>();
  for (const run of runs) {
    if (run.stage !== stage) continue;
    const seen = last.get(run.index);
    if (!seen || run.attempt > seen.attempt) last.set(run.index, run);
  }
  return [...last.values()];
}

/**
 * What EXPLAIN ANALYZE adds to the plan: under each stage a line for every finished run of
 * a task, and on each operator line its rows, batches and time summed over the stage's
 * counted runs (one per task).
 */
export function explainAnalysis(runs: readonly TaskRun[], plan: ScheduledPlan): ExplainAnalysis {
  return {
    notes: (stage) =>
      runs
        .filter((r) => r.stage === stage)
        .sort((a, b) => a.index - b.index || a.attempt - b.attempt)
        .map(describeRun),
    actuals: (stage) => {
      const reports = countedRuns(runs, stage).flatMap((r) => (r.stats.operators ? [r.stats.operators] : []));
      const tasks = taskCount(plan.stages[stage].tasks);
      return sumOperatorStats(reports).map((actuals) => describeActuals(actuals, tasks));
    },
  };
}
