import type { Writable } from 'node:stream';
import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import { writeWithBackpressure } from '@tributary/protocol';
import { jsonRowSlices } from './json-slices.ts';
import type { ResultEncoder } from './result-encoder.ts';

/** One JSON object per row and line, keyed by column name, values as in the JSON format. */
export class NdjsonResultEncoder implements ResultEncoder {
  private out!: Writable;
  private fields: readonly Field[] = [];
  /** `{"a":` `,"b":` … : the text before each value, escaped once. */
  private keys: string[] = [];

  async begin(out: Writable, fields: readonly Field[]): Promise<void> {
    this.out = out;
    this.fields = fields;
    this.keys = fields.map((f, i) => `${i === 0 ? '{' : ','}${JSON.stringify(f.name)}:`);
  }

  async write(batch: RecordBatch): Promise<void> {
    const keys = this.keys;
    for await (const rows of jsonRowSlices(batch, this.fields)) {
      let text = '';
      for (const row of rows) {
        for (let c = 0; c < keys.length; c++) text += keys[c] + JSON.stringify(row[c]);
        text += keys.length === 0 ? '{}\n' : '}\n';
      }
      await writeWithBackpressure(this.out, text);
    }
  }

  async end(): Promise<void> {}

  destroy(): void {}
}
