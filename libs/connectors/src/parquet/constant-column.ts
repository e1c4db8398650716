import type { ColumnBuffers, SqlType } from '@tributary/common';
import type { LiteralValue } from '@tributary/plan';

/**
 * `length` copies of one literal (expr.ts representation) in the canonical layout of `type`:
 * a Hive partition's value in every row of its file, or NULL for a column the file lacks.
 * Supports the types partition values take and any type as NULL.
 */
export function constantColumn(type: SqlType, value: LiteralValue, length: number): ColumnBuffers {
  if (value === null) {
    const validity = new Uint8Array((length + 7) >> 3);
    switch (type.kind) {
      case 'VARCHAR':
        return { type, length, values: new Uint8Array(0), offsets: new Int32Array(length + 1), validity };
      case 'BOOLEAN':
        return { type, length, values: new Uint8Array((length + 7) >> 3), validity };
      case 'INTEGER':
      case 'DATE':
        return { type, length, values: new Int32Array(length), validity };
      case 'DOUBLE':
        return { type, length, values: new Float64Array(length), validity };
      case 'DECIMAL':
      case 'HUGEINT':
        return { type, length, values: new Uint32Array(4 * length), validity };
      default:
        return { type, length, values: new BigInt64Array(length), validity };
    }
  }
  switch (type.kind) {
    case 'VARCHAR': {
      const bytes = Buffer.from(String(value), 'utf8');
      const values = new Uint8Array(bytes.length * length);
      const offsets = new Int32Array(length + 1);
      for (let i = 0; i < length; i++) {
        values.set(bytes, i * bytes.length);
        offsets[i + 1] = (i + 1) * bytes.length;
      }
      return { type, length, values, offsets };
    }
    case 'BOOLEAN':
      return { type, length, values: new Uint8Array((length + 7) >> 3).fill(value ? 0xff : 0) };
    case 'INTEGER':
    case 'DATE':
      return { type, length, values: new Int32Array(length).fill(Number(value)) };
    case 'DOUBLE':
      return { type, length, values: new Float64Array(length).fill(Number(value)) };
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
      // Beyond 2^53 a BIGINT literal is its exact decimal text.
      return { type, length, values: new BigInt64Array(length).fill(BigInt(value)) };
    default:
      throw new Error(`no constant column of type ${type.kind}`);
  }
}
