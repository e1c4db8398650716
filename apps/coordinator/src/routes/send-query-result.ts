import { finished } from 'node:stream/promises';
import type { FastifyReply } from 'fastify';
import { RecordBatchStreamWriter, type RecordBatch } from 'apache-arrow';
import { toArrowSchema, typeToString } from '@tributary/common';
import { batchToJsonRows, takeBatch } from '@tributary/engine';
import type { Field } from '@tributary/plan';
import { setImmediate } from 'node:timers/promises';
import { drained, writeWithBackpressure } from '@tributary/protocol';
import type { QueryResult } from '../query/query-service.ts';

/** Values encoded as JSON between two turns of the event loop (a few milliseconds' work). */
const JSON_SLICE_VALUES = 16_384;

/** A batch cut into slices small enough to encode without holding up the event loop. */
function* jsonSlices(batch: RecordBatch, fields: readonly Field[]): Generator<RecordBatch> {
  const rows = Math.max(64, Math.floor(JSON_SLICE_VALUES / Math.max(1, fields.length)));
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

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/** Every answer of POST /api/v1/sql names its job, before any row. */
export const JOB_ID_HEADER = 'x-tributary-job-id';

/**
 * The W3C Server-Timing header of an answer: how long the query took to plan (waiting for a
 * planner thread included), waited for admission, and ran until its first batch.
 */
function serverTiming(result: QueryResult, firstBatchMs: number): string {
  const dur = (ms: number) => ms.toFixed(1);
  return (
    `plan;dur=${dur(result.timings.planMs)}, queue;dur=${dur(result.timings.queuedMs)}, ` +
    `first-batch;dur=${dur(firstBatchMs)}`
  );
}

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
  const admitted = performance.now();
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
  const timing = serverTiming(result, performance.now() - admitted);
  try {
    if (format === 'arrow') {
      raw.writeHead(200, {
        'content-type': ARROW_STREAM,
        [JOB_ID_HEADER]: result.jobId,
        'server-timing': timing,
      });
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
        'server-timing': timing,
      });
      const columns = result.fields.map((f) => ({ name: f.name, type: typeToString(f.type) }));
      await writeWithBackpressure(raw, `{"columns":${JSON.stringify(columns)},"rows":[`);
      while (!next.done) {
        for (const part of jsonSlices(next.value, result.fields)) {
          const rows = batchToJsonRows(part, result.fields);
          if (rows.length === 0) continue;
          await writeWithBackpressure(
            raw,
            (rowCount > 0 ? ',' : '') + rows.map((r) => JSON.stringify(r)).join(','),
          );
          rowCount += rows.length;
          // Encoding JSON is the one thing done here per row: let other requests in between slices.
          await setImmediate();
        }
        next = await iterator.next();
      }
      const warnings = result.warnings();
      await writeWithBackpressure(
        raw,
        `],"rowCount":${rowCount},"jobId":${JSON.stringify(result.jobId)},"elapsedMs":${Date.now() - result.startedAt}` +
          (warnings.length ? `,"warnings":${JSON.stringify(warnings)}}` : '}'),
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
