import { mkdir, open, type FileHandle } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import { HashPartitioner, PartitionBuffers, batchColumn, type MemoryReservation } from '@tributary/engine';
import type { Field } from '@tributary/plan';
import { encodeBatchFrame, encodeEndFrame, type StageOutput } from '@tributary/protocol';
import type { ExchangeFiles } from './exchange-files.ts';

/** Rows gathered per partition before they are written as one batch. */
const FLUSH_ROWS = 65536;

interface Partition {
  readonly file: FileHandle;
  rows: number;
}

/**
 * Leaves a task's output on this executor for the next stage: one file per output
 * partition (a frame stream closed by an end frame once the task is complete), rows routed
 * by a HashPartitioner for hash outputs, everything in partition 0 for single outputs. Rows
 * are copied once, into their partition's buffers (PartitionBuffers), and written in batches
 * of about 64K rows (a frame encoded with its header in place: one copy of the rows); a batch
 * that big on its own, with nothing gathered before it, is written as it came. The buffers count against the query's memory; when the budget runs
 * short, everything gathered is written and the buffers are let go, so that an exchange
 * never fails a query the operators around it can run within the budget.
 */
export class ExchangeWriter {
  private buffers: PartitionBuffers;
  /** Bytes of the buffers reserved from the query's budget. */
  private reserved = 0;

  private constructor(
    private readonly partitions: Partition[],
    private readonly partitioner: HashPartitioner | undefined,
    private readonly schema: readonly Field[],
    private readonly memory: MemoryReservation,
  ) {
    this.buffers = new PartitionBuffers(schema, partitions.length);
  }

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
        partitions.push({ file, rows: 0 });
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
    const n = batch.numRows;
    if (n === 0) return;
    if (!this.partitioner) {
      if (n >= FLUSH_ROWS && this.buffers.rows(0) === 0) {
        await this.writeBatch(this.partitions[0], batch);
        return;
      }
      this.buffers.append(0, this.columnsOf(batch), undefined, 0, n);
    } else {
      const columns = this.columnsOf(batch);
      const { order, bounds } = this.partitioner.route(batch);
      for (let p = 0; p < this.partitions.length; p++)
        this.buffers.append(p, columns, order, bounds[p], bounds[p + 1]);
    }
    const grown = this.buffers.allocatedBytes() - this.reserved;
    if (grown > 0) {
      if (this.memory.tryGrow(grown)) this.reserved += grown;
      else {
        // Out of budget: write what is gathered and let the buffers go rather than fail.
        await this.flushAll();
        this.buffers = new PartitionBuffers(this.schema, this.partitions.length);
        this.memory.shrink(this.reserved);
        this.reserved = 0;
        return;
      }
    }
    for (let p = 0; p < this.partitions.length; p++)
      if (this.buffers.rows(p) >= FLUSH_ROWS) await this.flush(p);
  }

  private columnsOf(batch: RecordBatch) {
    return this.schema.map((f, i) => batchColumn(batch, i, f.type));
  }

  private async flush(p: number): Promise<void> {
    const rows = this.buffers.rows(p);
    if (rows === 0) return;
    // Encoding copies the rows out: the buffers are free for the next ones at once.
    const frame = encodeBatchFrame(this.buffers.batch(p));
    this.buffers.clear(p);
    this.partitions[p].rows += rows;
    await this.partitions[p].file.write(frame);
  }

  private async flushAll(): Promise<void> {
    for (let p = 0; p < this.partitions.length; p++) await this.flush(p);
  }

  private async writeBatch(partition: Partition, batch: RecordBatch): Promise<void> {
    partition.rows += batch.numRows;
    await partition.file.write(encodeBatchFrame(batch));
  }

  /** Writes what is pending and the end frames; returns the rows of each partition. Then close(). */
  async finish(): Promise<number[]> {
    await this.flushAll();
    for (const partition of this.partitions) await partition.file.write(encodeEndFrame());
    return this.partitions.map((p) => p.rows);
  }

  /** Closes the files, finished or not (a failed task's files lack their end frame and are never read). */
  async close(): Promise<void> {
    this.memory.free();
    await Promise.all(this.partitions.map((p) => p.file.close().catch(() => undefined)));
  }
}
