import { setImmediate as nextTurn } from 'node:timers/promises';
import type { RecordBatch } from 'apache-arrow';
import { WrappingExec } from './wrapping-exec.ts';

/** How long a thread computes before it lets its event loop in. */
const SLICE_MS = 10;

/** When this thread last let its event loop run; shared by every operator on it. */
let lastTurn = performance.now();

/** Time this thread spent letting its event loop in, in total: what InstrumentedExec leaves out of an operator's time. */
let yieldedMs = 0;

/** The milliseconds this thread's operators have given its event loop so far (only differences mean anything). */
export function cooperativeYieldMs(): number {
  return yieldedMs;
}

/**
 * An operator whose batches pass through a point where, every 10 ms of work, the thread's
 * event loop gets a turn. Operators chained by async generators hand batches to one another
 * on microtasks only, so without it a long pipeline (a join producing millions of pairs into
 * an aggregate) would keep a worker thread from ever reading its messages: no cancel, no
 * other task interleaved. Wrapped around every operator of a task, it costs one clock read
 * per batch.
 */
export class CooperativeExec extends WrappingExec {
  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    for await (const batch of this.inner.execute(signal)) {
      const now = performance.now();
      if (now - lastTurn > SLICE_MS) {
        await nextTurn();
        lastTurn = performance.now();
        yieldedMs += lastTurn - now;
        signal.throwIfAborted();
      }
      yield batch;
    }
  }
}
