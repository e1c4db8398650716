import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { RecordBatch } from 'apache-arrow';
import { columnBuffers, isValid, type ColumnDescriptor } from '@tributary/common';

/** Test helpers (not exported from the lib): DuckDB as the oracle, sums over canonical columns. */

let connection: Promise<DuckDBConnection> | undefined;

export async function duckdb<T = unknown>(sql: string): Promise<T[][]> {
  connection ??= DuckDBInstance.create(':memory:').then((db) => db.connect());
  const reader = await (await connection).runAndReadAll(sql);
  return reader.getRowsJS() as T[][];
}

export async function collect(batches: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const all: RecordBatch[] = [];
  for await (const batch of batches) all.push(batch);
  return all;
}

export function rowCount(batches: readonly RecordBatch[]): number {
  return batches.reduce((n, b) => n + b.numRows, 0);
}

/**
 * Sum of a numeric column over batches, read from the canonical buffers: DECIMAL as the
 * unscaled integer, DATE as days, BIGINT/TIMESTAMP through the (lo, hi) words.
 */
export function columnSum(
  batches: readonly RecordBatch[],
  index: number,
  descriptor: ColumnDescriptor,
): number {
  let sum = 0;
  for (const batch of batches) {
    const data = batch.data.children[index];
    const col = columnBuffers(data, descriptor.type);
    const kind = descriptor.type.kind;
    for (let i = 0; i < col.length; i++) {
      if (!isValid(col.validity, i)) continue;
      if (kind === 'BIGINT' || kind === 'TIMESTAMP' || kind === 'DECIMAL') {
        const words = new Int32Array(col.values.buffer, col.values.byteOffset, col.values.byteLength >> 2);
        const stride = kind === 'DECIMAL' ? 4 : 2;
        sum += words[stride * i + 1] * 4294967296 + (words[stride * i] >>> 0);
      } else if (kind === 'VARCHAR') {
        sum += col.offsets![i + 1] - col.offsets![i];
      } else sum += (col.values as Int32Array | Float64Array)[i];
    }
  }
  return sum;
}

/** Value of row `row` of column `index` through Arrow JS (slow: tests only). */
export function valueAt(batches: readonly RecordBatch[], row: number, index: number): unknown {
  for (const batch of batches) {
    if (row < batch.numRows) return batch.getChildAt(index)?.get(row);
    row -= batch.numRows;
  }
  return undefined;
}
