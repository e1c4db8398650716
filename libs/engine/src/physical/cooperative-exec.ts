import type { RecordBatch } from 'apache-arrow';
import type { PhysicalOperator } from './physical-operator.ts';
import type { TaskTurn } from './task-turns.ts';
import { WrappingExec } from './wrapping-exec.ts';

/**
 * An operator whose batches pass through a point where, every 10 ms of work, the thread's
 * event loop gets a turn and the thread's next slice goes to the task whose turn it is
 * (TurnQueue). Operators chained by async generators hand batches to one another on
 * microtasks only, so without it a long pipeline (a join producing millions of pairs into an
 * aggregate) would keep a worker thread from ever reading its messages: no cancel, no other
 * task interleaved. Wrapped around every operator of a task, it costs one clock read per batch.
 */
export class CooperativeExec extends WrappingExec {
  constructor(
    inner: PhysicalOperator,
    private readonly turn: TaskTurn,
  ) {
    super(inner);
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    for await (const batch of this.inner.execute(signal)) {
      const now = performance.now();
      if (this.turn.due(now)) {
        await this.turn.pause(now);
        signal.throwIfAborted();
      }
      yield batch;
    }
  }
}
