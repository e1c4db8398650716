import { sumOperatorStats, type ExplainedPlan } from '@tributary/engine';
import { taskCount, type ScheduledPlan } from '@tributary/protocol';
import type { TaskRun } from '../scheduler/query-execution.ts';

export interface ProfiledTask {
  readonly index: number;
  readonly attempt: number;
  readonly executor: string;
  readonly rows: number;
  readonly bytes: number;
  readonly elapsedMs: number;
  readonly spilledBytes?: number;
}

export interface ProfiledOperator {
  /** The operator's EXPLAIN line, without its indentation. */
  readonly operator: string;
  /** Its depth in the stage's plan (0: the stage's root). */
  readonly depth: number;
  readonly rows: number;
  readonly batches: number;
  /** Self time summed over the stage's tasks, and the largest of one task. */
  readonly timeMs: number;
  readonly maxTimeMs: number;
}

export interface ProfiledStage {
  readonly id: number;
  readonly heading: string;
  /** What was decided about the stage at run time (adapt-join-distribution.ts), if anything. */
  readonly adapted?: string;
  readonly tasks: number;
  /** Every finished run of a task (a task run again shows each attempt). */
  readonly runs: readonly ProfiledTask[];
  /** Summed over the last run of each task; empty when the runs reported no operator figures. */
  readonly operators: readonly ProfiledOperator[];
}

export interface JobProfile {
  readonly stages: readonly ProfiledStage[];
  [key: string]: unknown;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/**
 * A job's profile, as a job's page shows it: per stage (fragment) each task run (its
 * executor, rows, bytes, time) and each operator's rows and time summed over the stage's
 * counted runs (explain-analysis.ts counts the same way), from what QueryExecution.runs
 * collected. `explained` names the operators; without it they stay unnamed.
 */
export function jobProfile(
  runs: readonly TaskRun[],
  plan: ScheduledPlan,
  explained?: ExplainedPlan,
): JobProfile {
  const lines = new Map((explained?.stages ?? []).map((s) => [s.id, s]));
  return {
    stages: plan.stages.map((stage): ProfiledStage => {
      const stageRuns = runs
        .filter((r) => r.stage === stage.id)
        .sort((a, b) => a.index - b.index || a.attempt - b.attempt);
      const last = new Map<number, TaskRun>();
      for (const run of stageRuns) last.set(run.index, run);
      const actuals = sumOperatorStats(
        [...last.values()].flatMap((r) => (r.stats.operators ? [r.stats.operators] : [])),
      );
      const names = lines.get(stage.id)?.operators ?? [];
      const indent = (line: string) => line.length - line.trimStart().length;
      const base = Math.min(...names.map(indent));
      return {
        id: stage.id,
        heading: lines.get(stage.id)?.heading ?? `stage ${stage.id}`,
        ...(stage.adapted ? { adapted: stage.adapted } : {}),
        tasks: taskCount(stage.tasks),
        runs: stageRuns.map((r) => ({
          index: r.index,
          attempt: r.attempt,
          executor: r.executorId,
          rows: r.stats.rows,
          bytes: r.stats.bytes,
          elapsedMs: round(r.stats.elapsedMs),
          ...(r.stats.spilledBytes ? { spilledBytes: r.stats.spilledBytes } : {}),
        })),
        operators: actuals.map((a, i) => {
          const line = names.length === actuals.length ? names[i] : `operator ${i}`;
          return {
            operator: line.trim(),
            depth: names.length === actuals.length ? Math.floor((indent(line) - base) / 2) : 0,
            rows: a.rows,
            batches: a.batches,
            timeMs: round(a.timeMs),
            maxTimeMs: round(a.maxTimeMs),
          };
        }),
      };
    }),
  };
}
