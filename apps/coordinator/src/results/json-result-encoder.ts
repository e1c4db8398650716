import type { Writable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { RecordBatch } from 'apache-arrow';
import { typeToString } from '@tributary/common';
import type { Field } from '@tributary/plan';
import { writeWithBackpressure } from '@tributary/protocol';
import { jsonRowSlices } from './json-slices.ts';
import type { ResultEncoder } from './result-encoder.ts';

/** Past this many characters, a slice's text waits a turn of the event loop before it is written. */
const LARGE_SLICE_CHARS = 256 * 1024;

/** `{"columns":[{name,type}],"rows":[[…]], …trailer}`: the JSON shape POST /api/v1/sql has always had. */
export class JsonResultEncoder implements ResultEncoder {
  private out!: Writable;
  private fields: readonly Field[] = [];
  private rows = 0;
  /**
   * The opening (columns) until it goes out with the first rows or the end: begin() is called
   * with the first batch in hand, so holding it delays nothing, and a small answer then leaves
   * in one write less (each write is a chunk and a syscall of its own).
   */
  private opening = '';

  async begin(out: Writable, fields: readonly Field[]): Promise<void> {
    this.out = out;
    this.fields = fields;
    const columns = fields.map((f) => ({ name: f.name, type: typeToString(f.type) }));
    this.opening = `{"columns":${JSON.stringify(columns)},"rows":[`;
  }

  async write(batch: RecordBatch): Promise<void> {
    for await (const rows of jsonRowSlices(batch, this.fields)) {
      const text = this.opening + (this.rows > 0 ? ',' : '') + rows.map((r) => JSON.stringify(r)).join(',');
      // A slice of a few huge values (an EXPLAIN of a 100,000-item IN list) is written in a turn of its own.
      if (text.length > LARGE_SLICE_CHARS) await setImmediate();
      await writeWithBackpressure(this.out, text);
      this.opening = '';
      this.rows += rows.length;
    }
  }

  async end(trailer: Record<string, unknown>): Promise<void> {
    let text = `${this.opening}]`;
    this.opening = '';
    for (const [key, value] of Object.entries(trailer))
      if (value !== undefined) text += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    await writeWithBackpressure(this.out, `${text}}`);
  }

  destroy(): void {}
}
