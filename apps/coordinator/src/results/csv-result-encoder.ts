import type { Writable } from 'node:stream';
import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import { writeWithBackpressure } from '@tributary/protocol';
import { jsonRowSlices } from './json-slices.ts';
import type { ResultEncoder } from './result-encoder.ts';

/** A list as DuckDB prints it: `[1, 2, NULL]`, nested lists alike. */
function listText(items: readonly unknown[]): string {
  return `[${items.map((x) => (x === null ? 'NULL' : Array.isArray(x) ? listText(x) : String(x))).join(', ')}]`;
}

/**
 * A CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge space,
 * and when it is the empty string, so that an unquoted empty field always means NULL.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? listText(value) : String(value);
  if (text === '' || /[",\r\n]/.test(text) || text.trim() !== text) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/**
 * CSV as RFC 4180 writes it: a header row of the column names, CRLF line ends, NULL as an
 * empty field; values as the JSON format gives them (decimals and big integers exact, dates
 * `YYYY-MM-DD`, timestamps ISO 8601), so DuckDB's read_csv reads them back unchanged.
 */
export class CsvResultEncoder implements ResultEncoder {
  private out!: Writable;
  private fields: readonly Field[] = [];

  async begin(out: Writable, fields: readonly Field[]): Promise<void> {
    this.out = out;
    this.fields = fields;
    await writeWithBackpressure(out, `${fields.map((f) => csvField(f.name)).join(',')}\r\n`);
  }

  async write(batch: RecordBatch): Promise<void> {
    for await (const rows of jsonRowSlices(batch, this.fields)) {
      let text = '';
      for (const row of rows) text += `${row.map(csvField).join(',')}\r\n`;
      await writeWithBackpressure(this.out, text);
    }
  }

  async end(): Promise<void> {}

  destroy(): void {}
}
