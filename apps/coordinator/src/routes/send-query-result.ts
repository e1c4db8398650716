import { finished } from 'node:stream/promises';
import type { FastifyReply } from 'fastify';
import { RecordBatchStreamWriter, type RecordBatch } from 'apache-arrow';
import { toArrowSchema, typeToString } from '@tributary/common';
import { batchToJsonRows } from '@tributary/engine';
import { drained, writeWithBackpressure } from '@tributary/protocol';
import type { QueryResult } from '../query/query-service.ts';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/** Every answer of POST /api/v1/sql names its job, before any row. */
export const JOB_ID_HEADER = 'x-tributary-job-id';

/**
 * Streams a result: the status and header go out with the first batch, so errors before it
 * (nearly all errors) still get a proper error response; rows are never all held at once.
 * An error after the first batch cuts the response off, so a client never mistakes a partial
 * result for a whole one.
 */
export async function sendQueryResult(
  reply: FastifyReply,
  result: QueryResult,
  format: 'json' | 'arrow',
): Promise<void> {
  const iterator = result.batches[Symbol.asyncIterator]();
  let rowCount = 0;
  let next: IteratorResult<RecordBatch>;
  try {
    next = await iterator.next();
  } catch (error) {
    result.finish({ error });
    throw error;
  }
  reply.hijack();
  const raw = reply.raw;
  try {
    if (format === 'arrow') {
      raw.writeHead(200, { 'content-type': ARROW_STREAM, [JOB_ID_HEADER]: result.jobId });
      // The writer's byte stream is piped into the response; waiting for the response to
      // drain after each batch keeps at most about one batch buffered.
      const writer = new RecordBatchStreamWriter();
      const bytes = writer.toNodeStream();
      const piped = finished(bytes);
      bytes.pipe(raw, { end: false });
      // An empty result still carries its schema.
      if (next.done) writer.reset(undefined, toArrowSchema(result.fields));
      while (!next.done) {
        writer.write(next.value);
        rowCount += next.value.numRows;
        if (raw.writableNeedDrain) await drained(raw);
        next = await iterator.next();
      }
      writer.finish();
      await piped;
    } else {
      raw.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        [JOB_ID_HEADER]: result.jobId,
      });
      const columns = result.fields.map((f) => ({ name: f.name, type: typeToString(f.type) }));
      await writeWithBackpressure(raw, `{"columns":${JSON.stringify(columns)},"rows":[`);
      while (!next.done) {
        const rows = batchToJsonRows(next.value, result.fields);
        if (rows.length > 0) {
          await writeWithBackpressure(
            raw,
            (rowCount > 0 ? ',' : '') + rows.map((r) => JSON.stringify(r)).join(','),
          );
          rowCount += rows.length;
        }
        next = await iterator.next();
      }
      await writeWithBackpressure(
        raw,
        `],"rowCount":${rowCount},"jobId":${JSON.stringify(result.jobId)},"elapsedMs":${Date.now() - result.startedAt}}`,
      );
    }
    raw.end();
    result.finish({ rowCount });
  } catch (error) {
    result.finish({ error });
    await iterator.return?.(undefined);
    raw.destroy(error instanceof Error ? error : undefined);
  }
}
