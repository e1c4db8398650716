import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { expect } from 'vitest';
import { columnBuffers, isValid, type ColumnDescriptor } from '@tributary/common';
import { sharedDuckDbOracle } from '@tributary/common/testing';
import type { SourceType, TableRef } from '@tributary/plan';
import type { DiscoveredTable, ScanContext } from './connector.ts';

/** Test helpers (not exported from the lib): DuckDB as the oracle, sums over canonical columns. */

/** A discovered table as a scan receives it (source "s"). */
export function discoveredTableRef(
  t: Pick<DiscoveredTable, 'name' | 'columns' | 'location' | 'rowCount' | 'unsupportedColumns'>,
  sourceType: SourceType,
): TableRef {
  return {
    source: 's',
    table: t.name,
    sourceType,
    columns: t.columns,
    location: t.location,
    rowCount: t.rowCount,
    ...(t.unsupportedColumns ? { unsupportedColumns: t.unsupportedColumns } : {}),
  };
}

/** Rows of `sql` in the shared DuckDB oracle, as JS values (BIGINT as bigint). */
export async function duckdb<T = unknown>(sql: string): Promise<T[][]> {
  return (await (await sharedDuckDbOracle()).rowsJs(sql)) as T[][];
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
      if (kind === 'BIGINT' || kind === 'TIMESTAMP' || kind === 'TIME' || kind === 'DECIMAL') {
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

/** A fresh folder `root`, the only root of `context`, and a sibling folder `outside` it. */
export async function confinedFolders(): Promise<{ root: string; outside: string; context: ScanContext }> {
  const base = await mkdtemp(join(tmpdir(), 'confine-scan-'));
  const root = join(base, 'root');
  const outside = join(base, 'outside');
  await mkdir(root);
  await mkdir(outside);
  return { root, outside, context: { roots: [root] } };
}

/** Replaces `file` with a symlink to `target`, as anyone who may write in its folder could. */
export async function swapForSymlink(file: string, target: string): Promise<void> {
  await rm(file, { recursive: true });
  await symlink(target, file);
}

/**
 * Makes a FIFO at `path`. Opening one for reading blocks until a writer comes, so a scan
 * refused with it in hand proves that it was refused before it opened the file.
 */
export function makeFifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/**
 * Expects `work` to fail with PATH_NOT_ALLOWED naming `shown`, and saying nothing of
 * `hidden` (where a symlink leads) in its message or details.
 */
export async function expectNotAllowed(
  work: Promise<unknown>,
  shown: string,
  hidden?: string,
): Promise<void> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ code: 'PATH_NOT_ALLOWED', details: { path: shown } });
  const { message, details } = error as { message: string; details: unknown };
  expect(message).toContain(shown);
  if (hidden !== undefined) expect(`${message} ${JSON.stringify(details)}`).not.toContain(hidden);
}
