import { mkdir, open, type FileHandle } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import { HashPartitioner, concatBatches, type MemoryReservation } from '@tributary/engine';
import type { Field } from '@tributary/plan';
import { encodeBatchFrame, encodeEndFrame, type StageOutput } from '@tributary/protocol';
import type { ExchangeFiles } from './exchange-files.ts';

/** Rows gathered per partition before they are written as one batch. */
const FLUSH_ROWS = 65536;

interface Partition {
  readonly file: FileHandle;
  pending: RecordBatch[];
  pendingRows: number;
  pendingBytes: number;
  rows: number;
}

/**
 * Leaves a task's output on this executor for the next stage: one file per output
 * partition (a frame stream closed by an end frame once the task is complete), rows routed
 * by a HashPartitioner for hash outputs, everything in partition 0 for single outputs. Small
 * batches are gathered per partition (counted against the query's memory) and written in
 * batches of about 64K rows, or sooner when the budget runs short; with none left at all a
 * batch is written as it comes, so that an exchange never fails a query the operators
 * around it can run within the budget.
 */
export class ExchangeWriter {
  private constructor(
    private readonly partitions: Partition[],
    private readonly partitioner: HashPartitioner | undefined,
    private readonly schema: readonly Field[],
    private readonly memory: MemoryReservation,
  ) {}

  static async open(
    output: StageOutput,
    schema: readonly Field[],
    files: ExchangeFiles,
    queryId: string,
    taskId: string,
    memory: MemoryReservation,
  ): Promise<ExchangeWriter> {
    const count = output.kind === 'hash' ? output.partitions : 1;
    await mkdir(files.exchangeDir(queryId), { recursive: true });
    const partitions: Partition[] = [];
    try {
      for (let p = 0; p < count; p++) {
        const file = await open(files.partitionFile(queryId, taskId, p), 'w');
        partitions.push({ file, pending: [], pendingRows: 0, pendingBytes: 0, rows: 0 });
      }
    } catch (error) {
      await Promise.all(partitions.map((p) => p.file.close()));
      throw error;
    }
    const partitioner =
      output.kind === 'hash' && count > 1 ? new HashPartitioner(output.keys, schema, count) : undefined;
    return new ExchangeWriter(partitions, partitioner, schema, memory);
  }

  async write(batch: RecordBatch): Promise<void> {
    if (batch.numRows === 0) return;
    const parts = this.partitioner ? this.partitioner.split(batch) : [batch];
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      if (!part) continue;
      const partition = this.partitions[p];
      const bytes = part.data.byteLength;
      if (!this.memory.tryGrow(bytes)) {
        // Out of budget: write what is gathered, in smaller batches, rather than fail.
        for (const p of this.partitions) await this.flush(p);
        if (!this.memory.tryGrow(bytes)) {
          // Still none (the query's other operators hold it): this part goes out unbuffered.
          partition.rows += part.numRows;
          await partition.file.write(encodeBatchFrame(part));
          continue;
        }
      }
      partition.pending.push(part);
      partition.pendingRows += part.numRows;
      partition.pendingBytes += bytes;
      if (partition.pendingRows >= FLUSH_ROWS) await this.flush(partition);
    }
  }

  private async flush(partition: Partition): Promise<void> {
    if (partition.pending.length === 0) return;
    const batch = concatBatches(this.schema, partition.pending);
    partition.pending = [];
    partition.rows += partition.pendingRows;
    partition.pendingRows = 0;
    await partition.file.write(encodeBatchFrame(batch));
    this.memory.shrink(partition.pendingBytes);
    partition.pendingBytes = 0;
  }

  /** Writes what is pending and the end frames; returns the rows of each partition. Then close(). */
  async finish(): Promise<number[]> {
    for (const partition of this.partitions) {
      await this.flush(partition);
      await partition.file.write(encodeEndFrame());
    }
    return this.partitions.map((p) => p.rows);
  }

  /** Closes the files, finished or not (a failed task's files lack their end frame and are never read). */
  async close(): Promise<void> {
    this.memory.free();
    await Promise.all(this.partitions.map((p) => p.file.close().catch(() => undefined)));
  }
}
