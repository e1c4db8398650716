import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import type { PhysicalOperator } from './physical-operator.ts';

/**
 * An operator that stands in for another one, passing its batches through: it shows the
 * inner operator's name, schema, children and description, so plans print the same with or
 * without wrappers (CooperativeExec, InstrumentedExec).
 */
export abstract class WrappingExec implements PhysicalOperator {
  readonly name: string;
  readonly schema: readonly Field[];
  readonly children: readonly PhysicalOperator[];

  constructor(protected readonly inner: PhysicalOperator) {
    this.name = inner.name;
    this.schema = inner.schema;
    this.children = inner.children;
  }

  describe(): string {
    return this.inner.describe();
  }

  abstract execute(signal: AbortSignal): AsyncIterable<RecordBatch>;
}
