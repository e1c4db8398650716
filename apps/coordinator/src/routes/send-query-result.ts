import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import type { QueryResult } from '../query/query-service.ts';
import { resultEncoder } from '../results/result-encoder.ts';
import { RESULT_FORMATS, attachmentHeader, type ResultFormat } from '../results/result-format.ts';

export const ARROW_STREAM = RESULT_FORMATS.arrow.mediaType;

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

/** The headers of a result in `format`: its type, and for downloads (all but JSON) a file name. */
export function resultHeaders(format: ResultFormat, jobId: string): Record<string, string> {
  const { mediaType } = RESULT_FORMATS[format];
  return {
    'content-type': format === 'json' || format === 'csv' ? `${mediaType}; charset=utf-8` : mediaType,
    [JOB_ID_HEADER]: jobId,
    ...(format === 'json' ? {} : { 'content-disposition': attachmentHeader(jobId, format) }),
  };
}

/**
 * Writes the batches of an iterator whose first step was taken to `raw` in `format`; the
 * JSON format ends with `trailer(rowCount)`. Returns the rows written; throws (the response
 * then cut off by the caller) when the rows or the client fail.
 */
export async function writeResult(
  raw: ServerResponse,
  format: ResultFormat,
  fields: readonly Field[],
  iterator: AsyncIterator<RecordBatch>,
  first: IteratorResult<RecordBatch>,
  trailer: (rowCount: number) => Record<string, unknown>,
): Promise<number> {
  const encoder = resultEncoder(format);
  let rowCount = 0;
  try {
    await encoder.begin(raw, fields);
    let next = first;
    while (!next.done) {
      // A client gone mid-answer stops the encoding (and a spool read) at the next batch.
      if (raw.destroyed) throw new Error('the client closed the connection');
      await encoder.write(next.value);
      rowCount += next.value.numRows;
      next = await iterator.next();
    }
    await encoder.end(trailer(rowCount));
  } catch (error) {
    encoder.destroy();
    throw error;
  }
  return rowCount;
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
  format: ResultFormat,
): Promise<void> {
  const admitted = performance.now();
  const iterator = result.batches[Symbol.asyncIterator]();
  let first: IteratorResult<RecordBatch>;
  try {
    first = await iterator.next();
  } catch (error) {
    result.finish({ error });
    throw error;
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...resultHeaders(format, result.jobId),
    'server-timing': serverTiming(result, performance.now() - admitted),
  });
  try {
    const rowCount = await writeResult(raw, format, result.fields, iterator, first, (rows) => {
      const warnings = result.warnings();
      return {
        rowCount: rows,
        jobId: result.jobId,
        elapsedMs: Date.now() - result.startedAt,
        ...(warnings.length ? { warnings } : {}),
        // The reflections it read and how old their data was (0: fresh), when it read any.
        ...(result.acceleration ? { acceleration: result.acceleration } : {}),
      };
    });
    // Recorded COMPLETED (and written: job-journal.ts) before the answer's last chunk, so a
    // client that got a whole answer never finds its job failed after a coordinator crash.
    result.finish({ rowCount });
    raw.end();
  } catch (error) {
    result.finish({ error });
    await iterator.return?.(undefined);
    raw.destroy(error instanceof Error ? error : undefined);
  }
}
