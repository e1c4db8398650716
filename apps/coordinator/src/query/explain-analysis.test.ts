import { describe, expect, it } from 'vitest';
import { emptyScanCounters, type ScanCounters } from '@tributary/plan';
import type { OperatorRunStats, ScheduledPlan, TaskStats } from '@tributary/protocol';
import type { TaskRun } from '../scheduler/query-execution.ts';
import { explainAnalysis, queryWarnings } from './explain-analysis.ts';

/** Two stages: a scan stage of 2 split tasks, a result stage of 2 partition tasks. */
const plan: ScheduledPlan = {
  stages: [
    {
      id: 0,
      plan: '{}',
      schema: [],
      tasks: { kind: 'splits', groups: [[], []] },
      output: { kind: 'hash', keys: [], partitions: 2 },
      inputs: [],
    },
    {
      id: 1,
      plan: '{}',
      schema: [],
      tasks: { kind: 'partitions', count: 2 },
      output: { kind: 'result' },
      inputs: [0],
    },
  ],
  result: { read: 'any', limit: null, offset: 0, columns: [] },
  schema: [],
};

function run(stage: number, index: number, attempt: number, operators?: OperatorRunStats[]): TaskRun {
  const stats: TaskStats = { rows: 1, bytes: 8, elapsedMs: 4.4, ...(operators ? { operators } : {}) };
  return { stage, index, attempt, executorId: `e${index}`, stats, startMs: index, endMs: index + 5 };
}

describe('explainAnalysis', () => {
  it('sums each operator over the tasks, counting only the last finished attempt of a task', () => {
    const runs = [
      run(0, 0, 0, [[70, 2, 5]]),
      // Task 1's first output was lost with its executor and computed again: the second run counts.
      run(0, 1, 0, [[30, 1, 40]]),
      run(0, 1, 1, [[30, 1, 3]]),
      run(1, 0, 0, [
        [2, 1, 1],
        [60, 2, 2],
      ]),
    ];
    const analysis = explainAnalysis(runs, plan);
    expect(analysis.actuals(0)).toEqual(['(actual rows=100 batches=3 time=8.0 ms max=5.0 ms)']);
    // One of the result stage's two tasks reported (the other was cut short).
    expect(analysis.actuals(1)).toEqual([
      '(actual in 1 of 2 tasks rows=2 batches=1 time=1.0 ms)',
      '(actual in 1 of 2 tasks rows=60 batches=2 time=2.0 ms)',
    ]);
    // Every finished run keeps its line.
    expect(analysis.notes(0)).toEqual([
      'task 0 on e0: 1 rows, 8 bytes, 4 ms (sent at +0 ms, done at +5 ms)',
      'task 1 on e1: 1 rows, 8 bytes, 4 ms (sent at +1 ms, done at +6 ms)',
      'task 1 (attempt 2) on e1: 1 rows, 8 bytes, 4 ms (sent at +1 ms, done at +6 ms)',
    ]);
  });

  it('has no figures for tasks that did not measure their operators', () => {
    expect(explainAnalysis([run(0, 0, 0), run(0, 1, 0)], plan).actuals(0)).toEqual([]);
  });

  it('adds what planning pruned to what the counted runs of a stage read, and lists bad rows skipped', () => {
    const counted = (partial: Partial<ScanCounters>): ScanCounters => ({
      ...emptyScanCounters(),
      ...partial,
    });
    const withScan = (index: number, attempt: number, scan: ScanCounters): TaskRun => ({
      ...run(0, index, attempt),
      stats: { rows: 1, bytes: 8, elapsedMs: 1, scan },
    });
    const runs = [
      withScan(
        0,
        0,
        counted({
          bytesRead: 2048,
          rowsRead: 10,
          rowGroupsRead: 1,
          badRowsSkipped: 1,
          badRowSamples: ['a.csv line 3: expected 4 fields, found 2'],
        }),
      ),
      // A lost first attempt of task 1 does not count twice.
      withScan(1, 0, counted({ bytesRead: 1024, rowsRead: 5, rowGroupsRead: 1 })),
      withScan(1, 1, counted({ bytesRead: 1024, rowsRead: 5, rowGroupsRead: 1 })),
    ];
    const stageScans = [{ table: 't.a', pruned: counted({ rowGroupsSkipped: 7, filesSkipped: 1 }) }, null];
    const analysis = explainAnalysis(runs, plan, stageScans);
    expect(analysis.scan?.(0)).toBe(
      'scan read 3.0 KiB, 15 rows, 2 row groups; skipped 1 file, 7 row groups; 1 bad row skipped',
    );
    expect(analysis.scan?.(1)).toBeUndefined();
    expect(queryWarnings(runs, stageScans)).toEqual([
      'skipped 1 bad row of t.a: a.csv line 3: expected 4 fields, found 2',
    ]);
    expect(queryWarnings([run(0, 0, 0)], stageScans)).toEqual([]);
  });
});
