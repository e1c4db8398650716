import type { RecordBatch } from 'apache-arrow';
import type { ColumnBuffers } from '@tributary/common';
import type { Field } from '@tributary/plan';
import { batchColumn } from '../operators/record-batch-column.ts';

/**
 * The bytes a buffered column holds: its values, UTF-8 offsets and validity bitmap. Views
 * count their own length, not the whole ArrayBuffer under them, so a batch read out of a
 * larger IPC body is charged for what it shows.
 */
export function columnBytes(column: ColumnBuffers): number {
  // A NULL-typed column read out of Arrow has no values buffer at all.
  const values = (column.values as ColumnBuffers['values'] | undefined)?.byteLength ?? 0;
  return values + (column.offsets?.byteLength ?? 0) + (column.validity?.byteLength ?? 0);
}

export function columnsBytes(columns: readonly ColumnBuffers[]): number {
  let bytes = 0;
  for (const c of columns) bytes += columnBytes(c);
  return bytes;
}

/** The bytes of a canonical batch's columns. */
export function batchBytes(batch: RecordBatch, fields: readonly Field[]): number {
  let bytes = 0;
  for (let i = 0; i < fields.length; i++) bytes += columnBytes(batchColumn(batch, i, fields[i].type));
  return bytes;
}
