import type { Writable } from 'node:stream';
import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import { writeWithBackpressure } from '@tributary/protocol';
import { jsonRowSlices } from '../results/json-slices.ts';
import { dremioField, dremioRowJson } from './dremio-types.ts';

/**
 * Writes a page of a job's results in Dremio's shape, `{"rowCount":N,"schema":[…],"rows":[{…}]}`,
 * batch by batch as they are read from the spool (a page of any size streams: nothing but one
 * slice of rows is held as text). `rowCount` is the job's row count, as Dremio gives it, not the
 * page's. Throws when the rows or the client fail; the caller cuts the response off.
 */
export async function writeDremioResults(
  out: Writable,
  fields: readonly Field[],
  totalRows: number,
  iterator: AsyncIterator<RecordBatch>,
  first: IteratorResult<RecordBatch>,
): Promise<number> {
  const keys = fields.map((f) => JSON.stringify(f.name));
  await writeWithBackpressure(
    out,
    `{"rowCount":${totalRows},"schema":${JSON.stringify(fields.map(dremioField))},"rows":[`,
  );
  let rows = 0;
  let next = first;
  while (!next.done) {
    if (out.destroyed) throw new Error('the client closed the connection');
    for await (const slice of jsonRowSlices(next.value, fields)) {
      await writeWithBackpressure(
        out,
        (rows > 0 ? ',' : '') + slice.map((row) => dremioRowJson(fields, keys, row)).join(','),
      );
      rows += slice.length;
    }
    next = await iterator.next();
  }
  await writeWithBackpressure(out, ']}');
  return rows;
}
