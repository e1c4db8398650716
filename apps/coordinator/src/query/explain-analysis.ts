import {
  describeActuals,
  describeScanCounters,
  sumOperatorStats,
  type ExplainAnalysis,
} from '@tributary/engine';
import { addScanCounters, emptyScanCounters, type ScanCounters } from '@tributary/plan';
import { taskCount, type ScheduledPlan } from '@tributary/protocol';
import type { StageScan } from '../planning/plan-query.ts';
import type { TaskRun } from '../scheduler/query-execution.ts';

function describeRun(run: TaskRun): string {
  const { stats } = run;
  return (
    `task ${run.index}${run.attempt > 0 ? ` (attempt ${run.attempt + 1})` : ''} on ${run.executorId}: ` +
    `${stats.rows} rows, ${stats.bytes} bytes, ${Math.round(stats.elapsedMs)} ms` +
    (stats.spilledBytes ? `, spilled ${stats.spilledBytes} bytes` : '') +
    ` (sent at +${Math.round(run.startMs)} ms, done at +${Math.round(run.endMs)} ms)`
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

/** What a stage's scan read and skipped: what planning pruned, and what its counted runs read. */
export function stageScanCounters(
  runs: readonly TaskRun[],
  stage: number,
  pruned: ScanCounters | null | undefined,
): ScanCounters {
  const sum = emptyScanCounters();
  if (pruned) addScanCounters(sum, pruned);
  for (const run of countedRuns(runs, stage)) if (run.stats.scan) addScanCounters(sum, run.stats.scan);
  return sum;
}

/**
 * What EXPLAIN ANALYZE adds to the plan: under each stage a line for every finished run of
 * a task and what its scan read and skipped, and on each operator line its rows, batches and
 * time summed over the stage's counted runs (one per task).
 */
export function explainAnalysis(
  runs: readonly TaskRun[],
  plan: ScheduledPlan,
  stageScans: readonly (StageScan | null)[] = [],
): ExplainAnalysis {
  return {
    scan: (stage) => describeScanCounters(stageScanCounters(runs, stage, stageScans[stage]?.pruned)),
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

/**
 * What a finished query tells its client besides its rows: the bad rows its scans skipped
 * (a `skip` policy), table by table, with the first few described.
 */
export function queryWarnings(runs: readonly TaskRun[], stageScans: readonly (StageScan | null)[]): string[] {
  const warnings: string[] = [];
  stageScans.forEach((scan, stage) => {
    if (!scan) return;
    const { badRowsSkipped, badRowSamples } = stageScanCounters(runs, stage, null);
    if (badRowsSkipped === 0) return;
    const rows = badRowsSkipped === 1 ? 'bad row' : 'bad rows';
    warnings.push(
      `skipped ${badRowsSkipped} ${rows} of ${scan.table}${badRowSamples.length ? `: ${badRowSamples.join('; ')}` : ''}`,
    );
  });
  return warnings;
}
