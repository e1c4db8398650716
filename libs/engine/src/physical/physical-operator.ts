import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';

/**
 * The one interface of physical operators: a pull stream of Arrow RecordBatches in the
 * canonical layout (@tributary/common arrow-columns.ts) whose columns match `schema`.
 * An operator does no work before its first batch is asked for, surfaces errors by
 * throwing from the iteration, and releases files and workers when the iteration is
 * returned early or `signal` aborts.
 */
export interface PhysicalOperator {
  /** For EXPLAIN and errors: `HashJoin`, `Filter`… */
  readonly name: string;
  readonly schema: readonly Field[];
  readonly children: readonly PhysicalOperator[];
  /** A one-line description of this node's parameters for EXPLAIN. */
  describe(): string;
  execute(signal: AbortSignal): AsyncIterable<RecordBatch>;
}
