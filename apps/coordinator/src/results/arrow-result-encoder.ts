import type { Writable } from 'node:stream';
import { RecordBatchStreamWriter, type RecordBatch } from 'apache-arrow';
import { toArrowSchema } from '@tributary/common';
import type { Field } from '@tributary/plan';
import { drained } from '@tributary/protocol';
import type { ResultEncoder } from './result-encoder.ts';

/** The Arrow IPC stream format: the batches as they are, with the schema first (an empty result still has it). */
export class ArrowResultEncoder implements ResultEncoder {
  private out!: Writable;
  private writer!: RecordBatchStreamWriter;
  private piped: Promise<void> = Promise.resolve();
  private wrote = false;
  private fields: readonly Field[] = [];

  async begin(out: Writable, fields: readonly Field[]): Promise<void> {
    this.out = out;
    this.fields = fields;
    // The writer's byte stream is piped into `out`; waiting for `out` to drain after each
    // batch keeps at most about one batch buffered.
    this.writer = new RecordBatchStreamWriter();
    const bytes = this.writer.toNodeStream();
    this.piped = new Promise((resolve, reject) => {
      bytes.once('end', resolve);
      bytes.once('error', reject);
    });
    bytes.pipe(out, { end: false });
  }

  async write(batch: RecordBatch): Promise<void> {
    this.writer.write(batch);
    this.wrote = true;
    if (this.out.writableNeedDrain) await drained(this.out);
  }

  async end(): Promise<void> {
    if (!this.wrote) this.writer.reset(undefined, toArrowSchema(this.fields));
    this.writer.finish();
    await this.piped;
  }

  destroy(): void {
    this.writer?.abort();
  }
}
