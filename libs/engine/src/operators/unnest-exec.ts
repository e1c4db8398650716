import type { RecordBatch } from 'apache-arrow';
import { ColumnBuilder, makeRecordBatch, readItem, type ColumnBuffers } from '@tributary/common';
import type { Field } from '@tributary/plan';
import { take } from '../kernels/take.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { batchColumn } from './record-batch-column.ts';

/** Output rows gathered at most per batch, so a long list streams. */
const MAX_BATCH_ROWS = 65_536;

/**
 * Each row once per element of its last column (a LIST), that column replaced by the element;
 * a NULL or empty list gives no row (DuckDB's UNNEST). The other columns are gathered by row.
 */
export class UnnestExec implements PhysicalOperator {
  readonly name = 'Unnest';
  readonly children: readonly PhysicalOperator[];

  constructor(
    readonly input: PhysicalOperator,
    readonly schema: readonly Field[],
  ) {
    this.children = [input];
  }

  describe(): string {
    return `${this.input.schema[this.input.schema.length - 1].name} as ${this.schema[this.schema.length - 1].name}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const listIndex = this.input.schema.length - 1;
    const listType = this.input.schema[listIndex].type;
    const elementType = this.schema[listIndex].type;
    for await (const batch of this.input.execute(signal)) {
      signal.throwIfAborted();
      const lists = batchColumn(batch, listIndex, listType);
      const offsets = lists.offsets as Int32Array;
      const elements = lists.child!;
      let indices = new Uint32Array(MAX_BATCH_ROWS);
      let values = new ColumnBuilder(elementType, MAX_BATCH_ROWS);
      let n = 0;
      const flush = (): RecordBatch => {
        const columns: ColumnBuffers[] = [];
        for (let c = 0; c < listIndex; c++)
          columns.push(take(batchColumn(batch, c, this.input.schema[c].type), indices, n));
        columns.push(values.finish());
        return makeRecordBatch(this.schema, columns, n);
      };
      for (let row = 0; row < batch.numRows; row++) {
        if (lists.validity && !((lists.validity[row >> 3] >> (row & 7)) & 1)) continue;
        for (let e = offsets[row]; e < offsets[row + 1]; e++) {
          if (n === MAX_BATCH_ROWS) {
            yield flush();
            signal.throwIfAborted();
            indices = new Uint32Array(MAX_BATCH_ROWS);
            values = new ColumnBuilder(elementType, MAX_BATCH_ROWS);
            n = 0;
          }
          indices[n++] = row;
          values.appendItem(readItem(elements, e));
        }
      }
      if (n > 0) yield flush();
    }
  }
}
