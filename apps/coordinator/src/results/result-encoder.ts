import type { Writable } from 'node:stream';
import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import { ArrowResultEncoder } from './arrow-result-encoder.ts';
import { CsvResultEncoder } from './csv-result-encoder.ts';
import { JsonResultEncoder } from './json-result-encoder.ts';
import { NdjsonResultEncoder } from './ndjson-result-encoder.ts';
import { ParquetResultEncoder } from './parquet-result-encoder.ts';
import type { ResultFormat } from './result-format.ts';

/**
 * Writes a result in one format to a byte stream, batch by batch, never holding more than
 * a batch: `begin` once, `write` per batch, then `end` (or `destroy` on failure). Every
 * write waits for `out` to drain, so a slow reader slows the query, not memory.
 */
export interface ResultEncoder {
  begin(out: Writable, fields: readonly Field[]): Promise<void>;
  write(batch: RecordBatch): Promise<void>;
  /** `trailer`: what the JSON format adds after the rows (rowCount, jobId…); others ignore it. */
  end(trailer: Record<string, unknown>): Promise<void>;
  /** Frees what the encoder holds (a worker thread) after a failure. */
  destroy(): void;
}

export function resultEncoder(format: ResultFormat): ResultEncoder {
  switch (format) {
    case 'json':
      return new JsonResultEncoder();
    case 'ndjson':
      return new NdjsonResultEncoder();
    case 'csv':
      return new CsvResultEncoder();
    case 'arrow':
      return new ArrowResultEncoder();
    case 'parquet':
      return new ParquetResultEncoder();
  }
}
