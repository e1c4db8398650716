import { describe, expect, it } from 'vitest';
import { optimize } from '@tributary/optimizer';
import { physicalChildren, type OperatorRunStats, type PhysicalNode } from '@tributary/protocol';
import { bindQuery } from '@tributary/sql';
import { tpchCatalog } from '@tributary/sql/testing';
import { explainStages, formatExplain } from './explain-distributed.ts';
import { fragmentPlan } from './fragment-plan.ts';
import { describeActuals, sumOperatorStats } from './operator-actuals.ts';
import { planPhysical } from './plan-physical.ts';

function distribute(sql: string) {
  return fragmentPlan(planPhysical(optimize(bindQuery(sql, tpchCatalog))), {
    partitions: 2,
    broadcastRowLimit: 0,
    splitGroups: () => [[{ info: { part: 0 } }], [{ info: { part: 1 } }]],
  });
}

/** Each node's depth, in the pre-order OperatorMetrics numbers a task's operators in. */
function depths(node: PhysicalNode, depth = 0): number[] {
  return [depth, ...physicalChildren(node).flatMap((c) => depths(c, depth + 1))];
}

describe('sumOperatorStats', () => {
  it('sums rows, batches and time over the tasks, keeping the slowest task’s time', () => {
    const tasks: OperatorRunStats[][] = [
      [
        [10, 1, 2.5],
        [100, 2, 7],
      ],
      [
        [5, 1, 1.25],
        [50, 1, 9],
      ],
    ];
    expect(sumOperatorStats(tasks)).toEqual([
      { rows: 15, batches: 2, timeMs: 3.75, maxTimeMs: 2.5, tasks: 2 },
      { rows: 150, batches: 3, timeMs: 16, maxTimeMs: 9, tasks: 2 },
    ]);
  });

  it('leaves out a task that reported another plan, and has nothing to say of none', () => {
    const sums = sumOperatorStats([
      [[1, 1, 1]],
      [
        [2, 1, 1],
        [3, 1, 1],
      ],
      [[4, 2, 3]],
    ]);
    expect(sums).toEqual([{ rows: 5, batches: 3, timeMs: 4, maxTimeMs: 3, tasks: 2 }]);
    expect(sumOperatorStats([])).toEqual([]);
  });
});

describe('describeActuals', () => {
  it('prints the figures, the slowest task when there are several, and how many tasks reported', () => {
    const one = { rows: 998, batches: 2, timeMs: 12.34, maxTimeMs: 12.34, tasks: 1 };
    expect(describeActuals(one, 1)).toBe('(actual rows=998 batches=2 time=12.3 ms)');
    const two = { rows: 998, batches: 3, timeMs: 20, maxTimeMs: 12.04, tasks: 2 };
    expect(describeActuals(two, 2)).toBe('(actual rows=998 batches=3 time=20.0 ms max=12.0 ms)');
    expect(describeActuals(two, 3)).toBe(
      '(actual in 2 of 3 tasks rows=998 batches=3 time=20.0 ms max=12.0 ms)',
    );
  });
});

describe('formatExplain with an analysis', () => {
  const plan = distribute(
    `SELECT o_orderpriority, count(*) AS n FROM tpch.orders JOIN tpch.lineitem ON l_orderkey = o_orderkey
     WHERE l_quantity > 10 GROUP BY 1 ORDER BY 1`,
  );
  const explained = explainStages(plan);

  it('prints a stage’s operators in the pre-order tasks number them in', () => {
    for (const stage of plan.stages) {
      const lines = explained.stages.find((s) => s.id === stage.id)!.operators;
      expect(lines.map((l) => (l.length - l.trimStart().length) / 2 - 1)).toEqual(depths(stage.root));
    }
  });

  it('ends each operator line with its figures and lists the tasks under the stage', () => {
    const text = formatExplain(explained, {
      notes: (stage) => [`task 0 of stage ${stage}`],
      actuals: (stage) => depths(plan.stages[stage].root).map((_, i) => `(actual ${stage}.${i})`),
    });
    const lines = text.split('\n');
    for (const stage of explained.stages) {
      const heading = lines.indexOf(stage.heading);
      stage.operators.forEach((line, i) =>
        expect(lines[heading + 1 + i]).toBe(`${line} (actual ${stage.id}.${i})`),
      );
      expect(lines[heading + 1 + stage.operators.length]).toBe(`  task 0 of stage ${stage.id}`);
    }
  });

  it('leaves out figures that do not number like the lines', () => {
    const tooMany = Array.from({ length: 99 }, (_, i) => `(actual ${i})`);
    const text = formatExplain(explained, { notes: () => [], actuals: () => tooMany });
    expect(text).toBe(formatExplain(explained));
  });
});
