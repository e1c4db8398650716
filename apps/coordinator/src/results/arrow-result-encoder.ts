import type { Writable } from 'node:stream';
import { RecordBatchStreamWriter, type RecordBatch, type Schema } from 'apache-arrow';
import { exportedArrowSchema, exportedBatch } from '@tributary/common';
import type { Field } from '@tributary/plan';
import { drained } from '@tributary/protocol';
import type { ResultEncoder } from './result-encoder.ts';

/**
 * The Arrow IPC stream format: the batches in their exported layout (SMALLINT as Int16, FLOAT as
 * Float32…), with the schema first (an empty result still has it).
 */
export class ArrowResultEncoder implements ResultEncoder {
  private out!: Writable;
  private writer!: RecordBatchStreamWriter;
  private piped: Promise<void> = Promise.resolve();
  private wrote = false;
  private fields: readonly Field[] = [];
  private schema!: Schema;

  async begin(out: Writable, fields: readonly Field[]): Promise<void> {
    this.out = out;
    this.fields = fields;
    this.schema = exportedArrowSchema(fields);
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
    this.writer.write(exportedBatch(batch, this.fields, this.schema));
    this.wrote = true;
    if (this.out.writableNeedDrain) await drained(this.out);
  }

  async end(): Promise<void> {
    if (!this.wrote) this.writer.reset(undefined, this.schema);
    this.writer.finish();
    await this.piped;
  }

  destroy(): void {
    this.writer?.abort();
  }
}
