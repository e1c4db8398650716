import type { Writable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { RecordBatchStreamWriter, type RecordBatch, type Schema } from 'apache-arrow';
import {
  ColumnBuilder,
  ExecutionError,
  exportedArrowSchema,
  exportedBatch,
  makeRecordBatch,
} from '@tributary/common';
import type { Field } from '@tributary/plan';
import { drained } from '@tributary/protocol';
import type {
  ParquetEncoderOptions,
  ParquetEncoderReply,
  ParquetEncoderRequest,
} from './parquet-encoder-messages.ts';
import { borrowEncoderThread, returnEncoderThread } from './parquet-encoder-threads.ts';
import type { ResultEncoder } from './result-encoder.ts';

/** The Parquet encoder thread failed (a type it cannot write, a crash). */
export const PARQUET_ENCODING_FAILED = 'PARQUET_ENCODING_FAILED';

/**
 * Parquet, encoded on a worker thread (parquet-encoder-worker.ts; a warm one when one is idle,
 * parquet-encoder-threads.ts), never on the coordinator's event loop. Batches go to the thread
 * one at a time, each when it asks for one; the file's bytes come back as the thread writes
 * row groups and go out to `out`. Every batch is given the result's one schema, so all row
 * groups agree.
 */
export class ParquetResultEncoder implements ResultEncoder {
  private out!: Writable;
  private worker: Worker | undefined;
  private schema!: Schema;
  /** Batches the thread may be sent now: one to start, one more per `ready`. */
  private credit = 1;
  private waiting: (() => void) | undefined;
  private failure: Error | undefined;
  private finished: Promise<void> = Promise.resolve();
  private sent = 0;
  private fields: readonly Field[] = [];
  /** Takes this encoder's listeners off its thread. */
  private detach: () => void = () => undefined;

  /** `rowGroupRows`: rows per Parquet row group (the encoder thread's default when absent). */
  constructor(private readonly options: ParquetEncoderOptions = {}) {}

  async begin(out: Writable, fields: readonly Field[]): Promise<void> {
    this.out = out;
    this.fields = fields;
    this.schema = exportedArrowSchema(fields);
    const worker = borrowEncoderThread(this.options);
    this.worker = worker;
    this.finished = new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        this.failure ??= new ExecutionError(
          PARQUET_ENCODING_FAILED,
          `cannot encode the result as Parquet: ${error.message}`,
          { cause: error },
        );
        this.wake();
        reject(this.failure);
      };
      const exited = (code: number) => fail(new Error(`the encoder thread exited (${code})`));
      const onMessage = (reply: ParquetEncoderReply) => {
        switch (reply.type) {
          case 'ready':
            this.credit++;
            this.wake();
            break;
          case 'chunk':
            out.write(reply.bytes);
            break;
          case 'done':
            resolve();
            break;
          case 'error':
            fail(new Error(reply.message));
            break;
        }
      };
      worker.on('message', onMessage);
      worker.on('error', fail);
      worker.on('exit', exited);
      this.detach = () => {
        worker.off('message', onMessage);
        worker.off('error', fail);
        worker.off('exit', exited);
      };
    });
    // Nobody may be awaiting `finished` yet when it fails; the failure surfaces through write() or end().
    this.finished.catch(() => undefined);
  }

  private wake(): void {
    this.waiting?.();
    this.waiting = undefined;
  }

  private async send(batch: RecordBatch): Promise<void> {
    while (this.credit === 0 && !this.failure) await new Promise<void>((resolve) => (this.waiting = resolve));
    if (this.failure) throw this.failure;
    this.credit--;
    const request: ParquetEncoderRequest = {
      type: 'batch',
      ipc: RecordBatchStreamWriter.writeAll([exportedBatch(batch, this.fields, this.schema)]).toUint8Array(
        true,
      ),
    };
    this.worker!.postMessage(request);
    this.sent++;
  }

  async write(batch: RecordBatch): Promise<void> {
    await this.send(batch);
    if (this.out.writableNeedDrain) await drained(this.out);
  }

  async end(): Promise<void> {
    // The encoder learns the schema from a batch: an empty result sends an empty one.
    if (this.sent === 0)
      await this.send(
        makeRecordBatch(
          this.fields,
          this.fields.map((f) => new ColumnBuilder(f.type, 0).finish()),
          0,
        ),
      );
    this.worker!.postMessage({ type: 'end' } satisfies ParquetEncoderRequest);
    await this.finished;
    // The file is whole: the thread, idle again, may encode the next one.
    const worker = this.worker!;
    this.worker = undefined;
    this.detach();
    returnEncoderThread(worker, this.options);
  }

  destroy(): void {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      this.detach();
      // A thread stopped mid-file is not reused; an error it raises on the way out is moot.
      worker.on('error', () => undefined);
      void worker.terminate();
    }
  }
}
