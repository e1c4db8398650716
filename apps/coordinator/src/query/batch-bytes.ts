import type { Data, RecordBatch } from 'apache-arrow';

function dataBytes(data: Data): number {
  let bytes =
    (data.values?.byteLength ?? 0) +
    (data.valueOffsets?.byteLength ?? 0) +
    (data.nullBitmap?.byteLength ?? 0);
  for (const child of data.children) bytes += dataBytes(child);
  return bytes;
}

/** The bytes of a batch's buffers (values, offsets, validity): a job's `bytes` figure. */
export function batchBytes(batch: RecordBatch): number {
  return dataBytes(batch.data);
}
