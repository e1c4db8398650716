import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { BOOLEAN, INTEGER, makeRecordBatch } from '@tributary/common';
import { call, column, literal, type Field } from '@tributary/plan';
import type { PhysicalExchange, PhysicalNode } from '@tributary/protocol';
import { testColumn } from '../operators/operator-test-support.ts';
import { buildOperators } from '../planner/build-operators.ts';
import { CooperativeExec } from './cooperative-exec.ts';
import { InstrumentedExec } from './instrumented-exec.ts';
import { OperatorMetrics } from './operator-metrics.ts';
import type { PhysicalOperator } from './physical-operator.ts';
import { TaskTurn } from './task-turns.ts';

const schema: Field[] = [{ name: 'x', type: INTEGER, nullable: false }];

function batchOf(from: number, rows: number): RecordBatch {
  const values = Array.from({ length: rows }, (_, i) => from + i);
  return makeRecordBatch(schema, [testColumn(INTEGER, values)], rows);
}

/** Keeps the thread busy, as an operator computing would. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** A leaf giving `batches` batches of `rows` rows (x counting up from `from`), computing `spinMs` for each. */
class FakeSource implements PhysicalOperator {
  readonly name = 'Fake';
  readonly children: readonly PhysicalOperator[] = [];
  readonly schema = schema;
  given = 0;

  constructor(
    private readonly from: number,
    private readonly batches: number,
    private readonly rows: number,
    private readonly spinMs = 0,
  ) {}

  describe(): string {
    return '';
  }

  async *execute(): AsyncIterable<RecordBatch> {
    for (let b = 0; b < this.batches; b++) {
      spin(this.spinMs);
      this.given++;
      yield batchOf(this.from + b * this.rows, this.rows);
    }
  }
}

function exchange(stage: number): PhysicalExchange {
  return { kind: 'exchange', stage, exchange: 'gather', schema };
}

async function drain(op: PhysicalOperator): Promise<number> {
  let rows = 0;
  for await (const batch of op.execute(new AbortController().signal)) rows += batch.numRows;
  return rows;
}

describe('InstrumentedExec and OperatorMetrics', () => {
  it('count every operator’s rows and batches, numbered in pre-order', async () => {
    // limit ← filter(x >= 25) ← union(stage 0: 3 × 10 rows from 0, stage 1: 2 × 10 rows from 100)
    const plan: PhysicalNode = {
      kind: 'limit',
      limit: 12,
      offset: 0,
      schema,
      input: {
        kind: 'filter',
        predicate: call('gte', [column(0, 'x', INTEGER), literal(25, INTEGER)], BOOLEAN),
        schema,
        input: { kind: 'union', schema, inputs: [exchange(0), exchange(1)] },
      },
    };
    const metrics = new OperatorMetrics(plan);
    const sources = [new FakeSource(0, 3, 10), new FakeSource(100, 2, 10)];
    const root = buildOperators(plan, { exchange: (node) => sources[node.stage], metrics });
    expect(await drain(root)).toBe(12);
    // The limit took 5 rows of stage 0's third batch and 7 of stage 1's first, then stopped reading.
    const counted = metrics.summary().map(([rows, batches]) => [rows, batches]);
    expect(counted).toEqual([
      [12, 2], // limit
      [15, 2], // filter: 25..29, then 100..109
      [40, 4], // union: all of stage 0, the first batch of stage 1
      [30, 3], // stage 0
      [10, 1], // stage 1
    ]);
    expect(sources[1].given).toBe(1);
  });

  it('gives each operator its own time, not its children’s, nor the event loop’s turns', async () => {
    const plan: PhysicalNode = { kind: 'limit', limit: null, offset: 0, schema, input: exchange(0) };
    const metrics = new OperatorMetrics(plan);
    // 4 batches of 15 ms each: every one goes past CooperativeExec's 10 ms slice, so the thread yields.
    const root = buildOperators(plan, {
      exchange: () => new FakeSource(0, 4, 10, 15),
      metrics,
      cooperative: new TaskTurn(),
    });
    const started = performance.now();
    expect(await drain(root)).toBe(40);
    const wall = performance.now() - started;
    const [[, , limitMs], [rows, batches, sourceMs]] = metrics.summary();
    expect([rows, batches]).toEqual([40, 4]);
    expect(sourceMs).toBeGreaterThanOrEqual(60);
    expect(sourceMs).toBeLessThanOrEqual(wall);
    expect(limitMs).toBeLessThan(15);
  });

  it('stops the clock when its reader stops early or the operator fails', async () => {
    const counters = { rows: 0, batches: 0, inclusiveMs: 0 };
    const measured = new InstrumentedExec(new FakeSource(0, 5, 3, 5), counters);
    for await (const _ of measured.execute(new AbortController().signal)) break;
    expect(counters).toMatchObject({ rows: 3, batches: 1 });
    expect(counters.inclusiveMs).toBeGreaterThanOrEqual(5);
    // Slow readers do not add to the operator's time.
    const slow = { rows: 0, batches: 0, inclusiveMs: 0 };
    for await (const _ of new InstrumentedExec(new FakeSource(0, 2, 1), slow).execute(
      new AbortController().signal,
    ))
      spin(20);
    expect(slow.batches).toBe(2);
    expect(slow.inclusiveMs).toBeLessThan(15);

    const failing: PhysicalOperator = {
      ...new FakeSource(0, 0, 0),
      name: 'Failing',
      children: [],
      schema,
      describe: () => '',
      // eslint-disable-next-line require-yield
      async *execute() {
        spin(5);
        throw new Error('broken');
      },
    };
    const failed = { rows: 0, batches: 0, inclusiveMs: 0 };
    await expect(drain(new InstrumentedExec(failing, failed))).rejects.toThrow('broken');
    expect(failed.inclusiveMs).toBeGreaterThanOrEqual(5);
  });

  it('is not built when the task is not analyzed', () => {
    const plan: PhysicalNode = { kind: 'limit', limit: 1, offset: 0, schema, input: exchange(0) };
    const root = buildOperators(plan, {
      exchange: () => new FakeSource(0, 1, 1),
      cooperative: new TaskTurn(),
    });
    expect(root).toBeInstanceOf(CooperativeExec);
    expect(root.children[0]).toBeInstanceOf(CooperativeExec);
    const analyzed = buildOperators(plan, {
      exchange: () => new FakeSource(0, 1, 1),
      metrics: new OperatorMetrics(plan),
    });
    expect(analyzed).toBeInstanceOf(InstrumentedExec);
  });

  it('refuses a node outside the plan it numbers', () => {
    const metrics = new OperatorMetrics(exchange(0));
    expect(() => metrics.of(exchange(0))).toThrow(/outside the measured plan/);
  });
});
