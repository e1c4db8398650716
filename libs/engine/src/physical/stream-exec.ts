import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import type { PhysicalOperator } from './physical-operator.ts';

/** A stream of batches made by something else (a remote task, an exchange) as an operator. */
export class StreamExec implements PhysicalOperator {
  readonly name = 'Stream';
  readonly children: readonly PhysicalOperator[] = [];

  constructor(
    readonly schema: readonly Field[],
    private readonly open: (signal: AbortSignal) => AsyncIterable<RecordBatch>,
    private readonly label = '',
  ) {}

  describe(): string {
    return this.label;
  }

  execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    return this.open(signal);
  }
}
