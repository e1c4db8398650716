import type { RecordBatch } from 'apache-arrow';
import { setImmediate } from 'node:timers/promises';
import { batchToJsonRows, takeBatch } from '@tributary/engine';
import type { Field } from '@tributary/plan';

/** Values encoded as text between two turns of the event loop (a few milliseconds' work). */
const SLICE_VALUES = 16_384;

/** A batch cut into slices small enough to encode without holding up the event loop. */
function* slices(batch: RecordBatch, fields: readonly Field[]): Generator<RecordBatch> {
  const rows = Math.max(64, Math.floor(SLICE_VALUES / Math.max(1, fields.length)));
  const n = batch.numRows;
  if (n <= rows) {
    yield batch;
    return;
  }
  const index = new Uint32Array(rows);
  for (let start = 0; start < n; start += rows) {
    const count = Math.min(rows, n - start);
    for (let k = 0; k < count; k++) index[k] = start + k;
    yield takeBatch(batch, fields, index, count);
  }
}

/**
 * A batch's rows as JSON-ready values (batchToJsonRows), slice by slice, letting other
 * requests in between slices: encoding text is the one thing the coordinator does per row.
 */
export async function* jsonRowSlices(
  batch: RecordBatch,
  fields: readonly Field[],
): AsyncGenerator<unknown[][]> {
  let first = true;
  for (const part of slices(batch, fields)) {
    if (!first) await setImmediate();
    first = false;
    const rows = batchToJsonRows(part, fields);
    if (rows.length > 0) yield rows;
  }
}
