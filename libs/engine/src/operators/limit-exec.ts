import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import { takeBatch } from '../kernels/take.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';

function range(start: number, count: number): Uint32Array {
  const indices = new Uint32Array(count);
  for (let i = 0; i < count; i++) indices[i] = start + i;
  return indices;
}

/** Skips `offset` rows then passes at most `limit` (null: all); stops pulling its input once done. */
export class LimitExec implements PhysicalOperator {
  readonly name = 'Limit';
  readonly schema: readonly Field[];
  readonly children: readonly PhysicalOperator[];

  constructor(
    readonly input: PhysicalOperator,
    readonly limit: number | null,
    readonly offset: number = 0,
  ) {
    this.schema = input.schema;
    this.children = [input];
  }

  describe(): string {
    return `limit=${this.limit ?? 'all'}${this.offset ? ` offset=${this.offset}` : ''}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    if (this.limit === 0) return;
    let toSkip = this.offset;
    let remaining = this.limit ?? Infinity;
    // Leaving the loop early returns the input's iterator, which releases its resources.
    for await (const batch of this.input.execute(signal)) {
      signal.throwIfAborted();
      const rows = batch.numRows;
      if (rows === 0) continue;
      if (toSkip >= rows) {
        toSkip -= rows;
        continue;
      }
      const start = toSkip;
      toSkip = 0;
      const count = Math.min(rows - start, remaining);
      remaining -= count;
      yield start === 0 && count === rows ? batch : takeBatch(batch, this.schema, range(start, count), count);
      if (remaining <= 0) return;
    }
  }
}
