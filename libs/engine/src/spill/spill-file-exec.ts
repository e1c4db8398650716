import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { readSpillFile, type SpillFile } from './spill-file.ts';

/** A spill file as an operator, so that spilled runs can be merged like any sorted stream. */
export class SpillFileExec implements PhysicalOperator {
  readonly name = 'SpillFile';
  readonly children: readonly PhysicalOperator[] = [];
  readonly schema: readonly Field[];

  constructor(
    readonly file: SpillFile,
    /** The operator that spilled, for errors. */
    readonly operator: string,
  ) {
    this.schema = file.fields;
  }

  describe(): string {
    return `${this.file.rows} rows in ${this.file.batches} batch(es)`;
  }

  execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    return readSpillFile(this.file, signal, this.operator);
  }
}
