import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { RecordBatchReader, RecordBatchStreamWriter, type RecordBatch } from 'apache-arrow';
import { InternalError, makeRecordBatch, repeatsNames } from '@tributary/common';
import type { Field } from '@tributary/plan';
import { batchBytes } from '../memory/column-bytes.ts';
import { batchColumn, nullColumn } from '../operators/record-batch-column.ts';
import { spillFailed } from './spill-directory.ts';

/** A finished spill file: one Arrow IPC stream of batches of `fields`. */
export interface SpillFile {
  readonly path: string;
  readonly fields: readonly Field[];
  readonly rows: number;
  readonly batches: number;
  /** The largest batch's column bytes: what reading the file back holds at a time. */
  readonly maxBatchBytes: number;
}

/** Bytes every SpillFileWriter of this thread has written, for task statistics. */
let writtenOnThisThread = 0;

/**
 * Bytes spilled on this thread so far. A task takes the difference over its run: exact when
 * it runs alone on its thread, an upper bound when other tasks interleave with it.
 */
export function spilledBytesOnThisThread(): number {
  return writtenOnThisThread;
}

/** An IPC stream ends with a continuation marker and a zero metadata length. */
const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/**
 * Writes batches to one Arrow IPC stream file, awaiting each write so that a spilling
 * operator never holds more than the batch at hand in write buffers. Each batch is encoded
 * by RecordBatchStreamWriter as a stream of its own (schema, batch, end marker); the file
 * takes the schema message once, then every batch message, then one end marker, which is
 * exactly the IPC stream format. (The writer's own byte queue cannot be drained batch by
 * batch, and left alone it would buffer the whole file.)
 */
export class SpillFileWriter {
  private handle: FileHandle | undefined;
  private rows = 0;
  private batches = 0;
  private maxBatchBytes = 0;
  private closed = false;

  constructor(
    readonly path: string,
    readonly fields: readonly Field[],
    private readonly operator: string,
  ) {}

  async write(batch: RecordBatch): Promise<void> {
    if (this.closed) throw new InternalError(`spill file ${this.path} written after close`);
    if (batch.numRows === 0) return;
    const stream = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
    const schemaEnd = schemaMessageEnd(stream);
    const bodyEnd = stream.length - END_OF_STREAM.length;
    writtenOnThisThread += bodyEnd;
    try {
      if (!this.handle) {
        this.handle = await open(this.path, 'wx');
        await this.handle.write(stream.subarray(0, bodyEnd));
      } else await this.handle.write(stream.subarray(schemaEnd, bodyEnd));
    } catch (error) {
      throw spillFailed(this.operator, error);
    }
    this.rows += batch.numRows;
    this.batches++;
    this.maxBatchBytes = Math.max(this.maxBatchBytes, batchBytes(batch, this.fields));
  }

  /** Ends the stream and closes the file; a file that got no batch is never created. */
  async close(): Promise<SpillFile> {
    if (!this.closed) {
      this.closed = true;
      if (this.handle) {
        const handle = this.handle;
        try {
          await handle.write(END_OF_STREAM);
        } catch (error) {
          throw spillFailed(this.operator, error);
        } finally {
          await handle.close();
        }
      }
    }
    return {
      path: this.path,
      fields: this.fields,
      rows: this.rows,
      batches: this.batches,
      maxBatchBytes: this.maxBatchBytes,
    };
  }

  /** Closes without finishing (the operator failed or was cancelled; the folder goes next). */
  async abandon(): Promise<void> {
    this.closed = true;
    await this.handle?.close().catch(() => undefined);
  }
}

/** Where the schema message of an IPC stream (continuation, length, metadata; no body) ends. */
function schemaMessageEnd(stream: Uint8Array): number {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (stream.byteLength < 8 || view.getInt32(0, true) !== -1)
    throw new InternalError('Arrow IPC stream without a continuation marker');
  return 8 + view.getInt32(4, true);
}

/**
 * Reads a spill file back batch by batch, streaming (Arrow's async reader holds one message
 * at a time), in the canonical layout; the file is closed when the iteration ends, fails or
 * is returned early.
 */
export async function* readSpillFile(
  file: SpillFile,
  signal: AbortSignal,
  operator = 'Spill',
): AsyncGenerator<RecordBatch> {
  if (file.batches === 0) return;
  const stream = createReadStream(file.path, { highWaterMark: 1 << 20 });
  try {
    let reader;
    try {
      reader = await RecordBatchReader.from(stream);
    } catch (error) {
      throw spillFailed(operator, error);
    }
    for await (const batch of reader) {
      signal.throwIfAborted();
      yield canonical(batch, file.fields);
    }
  } finally {
    stream.destroy();
  }
}

/**
 * NULL-typed columns come back from IPC without buffers; give them the canonical ones. Fields
 * named alike come back with one type (Arrow's reader merges them): the batch gets its own.
 */
function canonical(batch: RecordBatch, fields: readonly Field[]): RecordBatch {
  if (!fields.some((f) => f.type.kind === 'NULL') && !repeatsNames(fields)) return batch;
  const columns = fields.map((f, i) =>
    f.type.kind === 'NULL' ? nullColumn(f.type, batch.numRows) : batchColumn(batch, i, f.type),
  );
  return makeRecordBatch(fields, columns, batch.numRows);
}
