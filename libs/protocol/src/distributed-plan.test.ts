import { describe, expect, it } from 'vitest';
import { DOUBLE, FLOAT } from '@tributary/common';
import { literal } from '@tributary/plan';
import { planFromJson, planToJson } from './distributed-plan.ts';
import type { PhysicalNode } from './physical-plan.ts';

describe('a stage plan as JSON', () => {
  it('keeps NaN and the infinities, which JSON has no number for', () => {
    const plan: PhysicalNode = {
      kind: 'values',
      rows: [
        [literal(NaN, DOUBLE), literal(Infinity, DOUBLE), literal(-Infinity, FLOAT), literal(1.5, DOUBLE)],
      ],
      schema: ['a', 'b', 'c', 'd'].map((name) => ({ name, type: DOUBLE, nullable: true })),
    };
    const back = planFromJson(planToJson(plan)) as typeof plan;
    expect(back.rows[0].map((e) => (e.kind === 'literal' ? e.value : undefined))).toEqual([
      NaN,
      Infinity,
      -Infinity,
      1.5,
    ]);
    expect(back).toEqual(plan);
    // A plan with only finite numbers is plain JSON.
    const finite = { ...plan, rows: [[literal(2, DOUBLE)]] };
    expect(planToJson(finite)).toBe(JSON.stringify(finite));
  });
});
