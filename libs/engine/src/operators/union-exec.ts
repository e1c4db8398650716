import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import type { PhysicalOperator } from '../physical/physical-operator.ts';

/**
 * UNION ALL within a task: the inputs' batches one input after the other. The inputs are
 * exchanges (or literal rows): the fragmenter gives each branch its own stage, so branches
 * are computed in parallel on every executor and only their partitions meet here.
 */
export class UnionExec implements PhysicalOperator {
  readonly name = 'Union';
  readonly children: readonly PhysicalOperator[];

  constructor(
    readonly inputs: readonly PhysicalOperator[],
    readonly schema: readonly Field[],
  ) {
    this.children = inputs;
  }

  describe(): string {
    return `all (${this.inputs.length} inputs)`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    for (const input of this.inputs) {
      for await (const batch of input.execute(signal)) {
        signal.throwIfAborted();
        if (batch.numRows > 0) yield batch;
      }
    }
  }
}
