import type { RecordBatch } from 'apache-arrow';
import { cooperativeYieldMs } from './task-turns.ts';
import type { OperatorCounters } from './operator-metrics.ts';
import type { PhysicalOperator } from './physical-operator.ts';
import { WrappingExec } from './wrapping-exec.ts';

/**
 * Counts an operator's batches, rows and the time spent in its `next()` (EXPLAIN
 * ANALYZE). Built only for tasks that are analyzed, around every operator, so the
 * counting lives in this one place and costs other queries nothing. The time is wall
 * time from asking the operator for a batch to receiving it, less the time the thread's
 * event loop was let in meanwhile (CooperativeExec): two clock reads a batch.
 */
export class InstrumentedExec extends WrappingExec {
  constructor(
    inner: PhysicalOperator,
    private readonly counters: OperatorCounters,
  ) {
    super(inner);
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const counters = this.counters;
    // Set while the operator works for us; unset while the batch it gave is with our reader.
    let asked: number | undefined = performance.now();
    let yieldedBefore = cooperativeYieldMs();
    const stop = () => {
      if (asked === undefined) return;
      counters.inclusiveMs += performance.now() - asked - (cooperativeYieldMs() - yieldedBefore);
      asked = undefined;
    };
    try {
      for await (const batch of this.inner.execute(signal)) {
        stop();
        counters.rows += batch.numRows;
        counters.batches++;
        yield batch;
        asked = performance.now();
        yieldedBefore = cooperativeYieldMs();
      }
    } finally {
      stop();
    }
  }
}
