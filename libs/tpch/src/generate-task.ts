import { encodeArrowIpc, encodeCsv } from './encode-chunk.ts';
import { generateGroup, type GroupRange } from './generate-tables.ts';
import type { TableChunk } from './table-chunk.ts';
import type { TpchTableName } from './tpch-schema.ts';

export type TpchFormat = 'csv' | 'parquet' | 'sqlite';
export const TPCH_FORMATS: readonly TpchFormat[] = ['csv', 'parquet', 'sqlite'];

/** One unit of work for a generator thread: make a range of rows and encode them for a format. */
export interface GenerateTask {
  readonly range: GroupRange;
  readonly format: TpchFormat;
}

/**
 * A generated range of one table, ready for its file: CSV lines or an Arrow IPC stream as
 * bytes (made on the worker, so the encoding runs in parallel too), or the columns
 * themselves for SQLite, whose inserts run on the writing thread.
 */
export interface ChunkPayload {
  readonly table: TpchTableName;
  readonly rows: number;
  readonly bytes?: Uint8Array;
  readonly chunk?: TableChunk;
}

export function runTask(task: GenerateTask): ChunkPayload[] {
  return generateGroup(task.range).map((chunk) => {
    if (task.format === 'csv') return { table: chunk.table, rows: chunk.length, bytes: encodeCsv(chunk) };
    if (task.format === 'parquet')
      return { table: chunk.table, rows: chunk.length, bytes: encodeArrowIpc(chunk) };
    return { table: chunk.table, rows: chunk.length, chunk };
  });
}

/** The buffers a payload can hand over to another thread without copying. */
export function transferList(payloads: readonly ChunkPayload[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const p of payloads) {
    if (
      p.bytes &&
      p.bytes.buffer instanceof ArrayBuffer &&
      p.bytes.byteOffset === 0 &&
      p.bytes.byteLength === p.bytes.buffer.byteLength
    ) {
      buffers.add(p.bytes.buffer);
    }
    for (const column of p.chunk?.columns ?? [])
      if (column instanceof Float64Array) buffers.add(column.buffer as ArrayBuffer);
  }
  return [...buffers];
}
