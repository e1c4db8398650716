import { describe, expect, it } from 'vitest';
import type { ExplainedPlan } from '@tributary/engine';
import type { OperatorRunStats, ScheduledPlan, TaskStats } from '@tributary/protocol';
import type { TaskRun } from '../scheduler/query-execution.ts';
import { jobProfile } from './job-profile.ts';

/** A scan stage of 2 split tasks feeding a result stage of 1 task. */
const plan: ScheduledPlan = {
  stages: [
    {
      id: 0,
      plan: '{}',
      schema: [],
      tasks: { kind: 'splits', groups: [[], []] },
      output: { kind: 'single' },
      inputs: [],
    } as unknown as ScheduledPlan['stages'][number],
    {
      id: 1,
      plan: '{}',
      schema: [],
      tasks: { kind: 'single' },
      output: { kind: 'result' },
      inputs: [0],
    } as unknown as ScheduledPlan['stages'][number],
  ],
  result: { read: 'any', limit: null, offset: 0, columns: [] },
  schema: [],
};

const explained: ExplainedPlan = {
  header: 'Coordinator: rows from stage 1',
  stages: [
    { id: 1, heading: 'Stage 1: 1 task', operators: ['  HashAggregate final', '    ExchangeRead 0'] },
    { id: 0, heading: 'Stage 0: 2 tasks', operators: ['  HashAggregate partial', '    Scan parquet t.x'] },
  ],
};

function run(stage: number, index: number, attempt: number, operators: OperatorRunStats[]): TaskRun {
  const stats: TaskStats = { rows: 5, bytes: 40, elapsedMs: 12.345, operators };
  return { stage, index, attempt, executorId: `e${index}`, stats, startMs: index, endMs: index + 5 };
}

describe('jobProfile', () => {
  it('shows what was decided about a stage at run time', () => {
    const adapted: ScheduledPlan = {
      ...plan,
      stages: [{ ...plan.stages[0], adapted: 'not run: merged into stage 1 at run time' }, plan.stages[1]],
    };
    const profile = jobProfile([], adapted, explained);
    expect(profile.stages[0].adapted).toBe('not run: merged into stage 1 at run time');
    expect(profile.stages[1]).not.toHaveProperty('adapted');
  });

  it('lists every run per stage and sums each named operator over the last run of each task', () => {
    const runs = [
      run(0, 0, 0, [
        [1, 1, 2],
        [600, 1, 10],
      ]),
      run(0, 1, 0, [
        [1, 1, 99],
        [400, 1, 99],
      ]),
      run(0, 1, 1, [
        [1, 1, 3],
        [400, 1, 5],
      ]),
      run(1, 0, 0, [
        [1, 1, 1],
        [2, 1, 1],
      ]),
    ];
    const profile = jobProfile(runs, plan, explained);
    expect(profile.stages[0]).toMatchObject({ id: 0, heading: 'Stage 0: 2 tasks', tasks: 2 });
    expect(profile.stages[0].runs).toEqual([
      { index: 0, attempt: 0, executor: 'e0', rows: 5, bytes: 40, elapsedMs: 12.35 },
      { index: 1, attempt: 0, executor: 'e1', rows: 5, bytes: 40, elapsedMs: 12.35 },
      { index: 1, attempt: 1, executor: 'e1', rows: 5, bytes: 40, elapsedMs: 12.35 },
    ]);
    expect(profile.stages[0].operators).toEqual([
      { operator: 'HashAggregate partial', depth: 0, rows: 2, batches: 2, timeMs: 5, maxTimeMs: 3 },
      { operator: 'Scan parquet t.x', depth: 1, rows: 1000, batches: 2, timeMs: 15, maxTimeMs: 10 },
    ]);
    expect(profile.stages[1].operators.map((o) => o.operator)).toEqual([
      'HashAggregate final',
      'ExchangeRead 0',
    ]);
  });

  it('leaves operators unnamed without the explained plan, and empty without figures', () => {
    const profile = jobProfile([run(1, 0, 0, [[3, 1, 1]])], plan);
    expect(profile.stages[1].operators).toEqual([
      { operator: 'operator 0', depth: 0, rows: 3, batches: 1, timeMs: 1, maxTimeMs: 1 },
    ]);
    expect(profile.stages[0]).toMatchObject({ runs: [], operators: [] });
  });
});
