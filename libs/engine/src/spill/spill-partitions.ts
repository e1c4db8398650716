import { makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import type { Field } from '@tributary/plan';
import { take } from '../kernels/take.ts';
import type { SpillDirectory } from './spill-directory.ts';
import { SpillFileWriter, type SpillFile } from './spill-file.ts';

/**
 * The partition of a key hash among `count` at `seed`: the hash is mixed with the seed first,
 * so that rows sharing a partition at one seed spread over all partitions at another (a
 * partition that is still too big is split again with the next seed).
 */
export function spillPartitionOf(hash: number, seed: number, count: number): number {
  let h = Math.imul(hash ^ seed, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) % count;
}

/** The seed of the spill partitioning at recursion `level` (0 for an operator's first spill). */
export function spillSeed(level: number): number {
  return Math.imul(level + 1, 0x9e3779b9);
}

/**
 * `count` spill files of one schema, rows routed to them by a hash of their keys: the spill
 * side of a hash aggregation (and of a grace hash join), where every row of one key must land
 * in the same file so that each file can then be processed alone.
 */
export class SpillPartitions {
  private readonly writers: (SpillFileWriter | undefined)[];
  private order = new Uint32Array(0);

  constructor(
    private readonly directory: SpillDirectory,
    readonly fields: readonly Field[],
    readonly count: number,
    readonly seed: number,
    private readonly operator: string,
  ) {
    this.writers = Array.from({ length: count }, () => undefined);
  }

  /** Appends rows 0..rows of `columns` (of `fields`), row i to the partition of `hashes[i]`. */
  async write(columns: readonly ColumnBuffers[], rows: number, hashes: Int32Array): Promise<void> {
    if (rows === 0) return;
    // A counting sort of row numbers by partition, then one gathered batch per partition.
    const partition = new Uint16Array(rows);
    const starts = new Uint32Array(this.count + 1);
    for (let i = 0; i < rows; i++) {
      const p = spillPartitionOf(hashes[i], this.seed, this.count);
      partition[i] = p;
      starts[p + 1]++;
    }
    for (let p = 0; p < this.count; p++) starts[p + 1] += starts[p];
    if (this.order.length < rows) this.order = new Uint32Array(rows);
    const order = this.order;
    const fill = starts.slice(0, this.count);
    for (let i = 0; i < rows; i++) order[fill[partition[i]]++] = i;
    for (let p = 0; p < this.count; p++) {
      const n = starts[p + 1] - starts[p];
      if (n === 0) continue;
      const indices = order.subarray(starts[p], starts[p + 1]);
      const batch = makeRecordBatch(
        this.fields,
        columns.map((c) => take(c, indices, n)),
        n,
      );
      let writer = this.writers[p];
      if (!writer) {
        writer = new SpillFileWriter(this.directory.newFilePath('partition'), this.fields, this.operator);
        this.writers[p] = writer;
      }
      await writer.write(batch);
    }
  }

  /** Finishes every file; partitions that got no rows come back with `rows` 0 and no file. */
  async close(): Promise<SpillFile[]> {
    const files: SpillFile[] = [];
    for (const writer of this.writers) {
      files.push(
        writer
          ? await writer.close()
          : { path: '', fields: this.fields, rows: 0, batches: 0, maxBatchBytes: 0 },
      );
    }
    return files;
  }

  /** Closes the files unfinished (the operator failed; its folder is removed next). */
  async abandon(): Promise<void> {
    await Promise.all(this.writers.map((w) => w?.abandon()));
  }
}
