// TEMPORARY placeholder until helper/spill lands; never committed.
import type { RecordBatch } from 'apache-arrow';
import type { Field, SortKey } from '@tributary/plan';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { concatBatches } from '../kernels/concat.ts';
import { SortExec } from './sort.ts';
import { StreamExec } from '../physical/stream-exec.ts';
import { mergeAsync } from '../physical/async-merge.ts';
export class SortedMergeExec implements PhysicalOperator {
  readonly name = 'SortedMerge';
  readonly children: readonly PhysicalOperator[];
  readonly schema: readonly Field[];
  constructor(
    readonly inputs: PhysicalOperator[],
    readonly keys: readonly SortKey[],
  ) {
    this.children = inputs;
    this.schema = inputs[0]?.schema ?? [];
  }
  describe() {
    return '';
  }
  execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const all = new StreamExec(this.schema, (s) => mergeAsync(this.inputs.map((i) => i.execute(s))));
    void concatBatches;
    return new SortExec(all, this.keys).execute(signal);
  }
}
