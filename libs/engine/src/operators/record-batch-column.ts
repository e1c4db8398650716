import type { RecordBatch } from 'apache-arrow';
import { columnBuffers, type ColumnBuffers, type SqlType } from '@tributary/common';

/** Column `index` of a canonical batch as raw buffers (no copy). */
export function batchColumn(batch: RecordBatch, index: number, type: SqlType): ColumnBuffers {
  return columnBuffers(batch.getChildAt(index)!.data[0], type);
}

/** A column of `length` NULLs of `type` (outer-join padding). */
export function nullColumn(type: SqlType, length: number): ColumnBuffers {
  const validity = new Uint8Array((length + 7) >> 3);
  switch (type.kind) {
    case 'NULL':
      return { type, length, values: new Uint8Array(0), validity };
    case 'BOOLEAN':
      return { type, length, values: new Uint8Array((length + 7) >> 3), validity };
    case 'INTEGER':
    case 'DATE':
      return { type, length, values: new Int32Array(length), validity };
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
      return { type, length, values: new BigInt64Array(length), validity };
    case 'DOUBLE':
      return { type, length, values: new Float64Array(length), validity };
    case 'DECIMAL':
    case 'HUGEINT':
      return { type, length, values: new Uint32Array(4 * length), validity };
    case 'VARCHAR':
      return { type, length, values: new Uint8Array(0), offsets: new Int32Array(length + 1), validity };
    case 'LIST':
      return {
        type,
        length,
        values: new Uint8Array(0),
        offsets: new Int32Array(length + 1),
        validity,
        child: nullColumn(type.element, 0),
      };
  }
}
