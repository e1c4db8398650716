import type { Writable } from 'node:stream';
import type { RecordBatch } from 'apache-arrow';
import { typeToString } from '@tributary/common';
import type { Field } from '@tributary/plan';
import { writeWithBackpressure } from '@tributary/protocol';
import { jsonRowSlices } from './json-slices.ts';
import type { ResultEncoder } from './result-encoder.ts';

/** `{"columns":[{name,type}],"rows":[[…]], …trailer}`: the JSON shape POST /api/v1/sql has always had. */
export class JsonResultEncoder implements ResultEncoder {
  private out!: Writable;
  private fields: readonly Field[] = [];
  private rows = 0;

  async begin(out: Writable, fields: readonly Field[]): Promise<void> {
    this.out = out;
    this.fields = fields;
    const columns = fields.map((f) => ({ name: f.name, type: typeToString(f.type) }));
    await writeWithBackpressure(out, `{"columns":${JSON.stringify(columns)},"rows":[`);
  }

  async write(batch: RecordBatch): Promise<void> {
    for await (const rows of jsonRowSlices(batch, this.fields)) {
      await writeWithBackpressure(
        this.out,
        (this.rows > 0 ? ',' : '') + rows.map((r) => JSON.stringify(r)).join(','),
      );
      this.rows += rows.length;
    }
  }

  async end(trailer: Record<string, unknown>): Promise<void> {
    let text = ']';
    for (const [key, value] of Object.entries(trailer))
      if (value !== undefined) text += `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    await writeWithBackpressure(this.out, `${text}}`);
  }

  destroy(): void {}
}
