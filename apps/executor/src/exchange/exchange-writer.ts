import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import { HashPartitioner, PartitionBuffers, batchColumn, type MemoryReservation } from '@tributary/engine';
import type { Field } from '@tributary/plan';
import { encodeBatchFrame, encodeEndFrame, type StageOutput } from '@tributary/protocol';
import { WHOLE_READ_BYTES, type ExchangeFiles } from './exchange-files.ts';

/** Rows gathered per partition before they are written as one batch. */
const FLUSH_ROWS = 65536;

/**
 * Leaves a task's output for the next stage: one file per output partition (a frame stream
 * closed by an end frame once the task is complete) on this executor, or, for an output of
 * at most `inlineBytes` in all, those frame streams handed back whole (`finish`) to travel
 * with the task's stats and the next stage's requests: no file made, written or fetched.
 * Files are opened at the first write that needs them; an output of at most WHOLE_READ_BYTES
 * that never needed one is written at the end, each file at once. Rows are routed by a
 * HashPartitioner for hash outputs, everything in partition 0 for single outputs, copied
 * once, into their partition's buffers (PartitionBuffers), and written in batches of about
 * 64K rows (a frame encoded with its header in place: one copy of the rows); a batch that
 * big on its own, with nothing gathered before it, is written as it came. The buffers count
 * against the query's memory; when the budget runs short, everything gathered is written
 * and the buffers are let go, so that an exchange never fails a query the operators around
 * it can run within the budget.
 */
export class ExchangeWriter {
  private buffers: PartitionBuffers;
  /** Bytes of the buffers reserved from the query's budget. */
  private reserved = 0;
  private readonly partitioner: HashPartitioner | undefined;
  private readonly rows: number[];
  /** One per partition, once the output goes to files. */
  private files: FileHandle[] | undefined;

  constructor(
    output: StageOutput,
    private readonly schema: readonly Field[],
    private readonly exchangeFiles: ExchangeFiles,
    private readonly queryId: string,
    private readonly taskId: string,
    private readonly memory: MemoryReservation,
    private readonly inlineBytes = 0,
  ) {
    const count = output.kind === 'hash' ? output.partitions : 1;
    this.partitioner =
      output.kind === 'hash' && count > 1 ? new HashPartitioner(output.keys, schema, count) : undefined;
    this.rows = new Array<number>(count).fill(0);
    this.buffers = new PartitionBuffers(schema, count);
  }

  async write(batch: RecordBatch): Promise<void> {
    const n = batch.numRows;
    if (n === 0) return;
    if (!this.partitioner) {
      if (n >= FLUSH_ROWS && this.buffers.rows(0) === 0) {
        this.rows[0] += n;
        await this.writeFrame(0, encodeBatchFrame(batch));
        return;
      }
      this.buffers.append(0, this.columnsOf(batch), undefined, 0, n);
    } else {
      const columns = this.columnsOf(batch);
      const { order, bounds } = this.partitioner.route(batch);
      for (let p = 0; p < this.rows.length; p++)
        this.buffers.append(p, columns, order, bounds[p], bounds[p + 1]);
    }
    const grown = this.buffers.allocatedBytes() - this.reserved;
    if (grown > 0) {
      if (this.memory.tryGrow(grown)) this.reserved += grown;
      else {
        // Out of budget: write what is gathered and let the buffers go rather than fail.
        await this.flushAll();
        this.buffers = new PartitionBuffers(this.schema, this.rows.length);
        this.memory.shrink(this.reserved);
        this.reserved = 0;
        return;
      }
    }
    for (let p = 0; p < this.rows.length; p++) if (this.buffers.rows(p) >= FLUSH_ROWS) await this.flush(p);
  }

  private columnsOf(batch: RecordBatch) {
    return this.schema.map((f, i) => batchColumn(batch, i, f.type));
  }

  /** Partition `p`'s gathered rows as one frame (the buffers are free for the next ones at once); undefined when none. */
  private take(p: number): Uint8Array | undefined {
    const rows = this.buffers.rows(p);
    if (rows === 0) return undefined;
    const frame = encodeBatchFrame(this.buffers.batch(p));
    this.buffers.clear(p);
    this.rows[p] += rows;
    return frame;
  }

  private async flush(p: number): Promise<void> {
    const frame = this.take(p);
    if (frame) await this.writeFrame(p, frame);
  }

  private async flushAll(): Promise<void> {
    for (let p = 0; p < this.rows.length; p++) await this.flush(p);
  }

  private async writeFrame(p: number, frame: Uint8Array): Promise<void> {
    this.files ??= await this.openFiles();
    await this.files[p].write(frame);
  }

  private async openFiles(): Promise<FileHandle[]> {
    await mkdir(this.exchangeFiles.exchangeDir(this.queryId), { recursive: true });
    const files: FileHandle[] = [];
    try {
      for (let p = 0; p < this.rows.length; p++)
        files.push(await open(this.exchangeFiles.partitionFile(this.queryId, this.taskId, p), 'w'));
    } catch (error) {
      await Promise.all(files.map((f) => f.close()));
      throw error;
    }
    return files;
  }

  /**
   * Writes what is pending and the end frames; returns the rows of each partition, and the
   * output itself (each partition's frames, base64) when nothing went to files and it fits in
   * `inlineBytes`. Then close().
   */
  async finish(): Promise<{ partitionRows: number[]; inline?: string[] }> {
    const end = encodeEndFrame();
    if (this.files) {
      await this.flushAll();
      for (let p = 0; p < this.rows.length; p++) await this.writeFrame(p, end);
      return { partitionRows: [...this.rows] };
    }
    // Nothing was flushed: every partition's rows are still in the buffers, and fit in one frame.
    const whole = this.rows.map((_, p) => {
      const frame = this.take(p);
      return frame ? Buffer.concat([frame, end]) : end;
    });
    const bytes = whole.reduce((sum, b) => sum + b.length, 0);
    if (bytes <= this.inlineBytes) {
      const inline = whole.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64'));
      return { partitionRows: [...this.rows], inline };
    }
    if (bytes <= WHOLE_READ_BYTES) {
      // Each file written at once (see WHOLE_READ_BYTES): no round trips through the thread pool.
      mkdirSync(this.exchangeFiles.exchangeDir(this.queryId), { recursive: true });
      whole.forEach((b, p) =>
        writeFileSync(this.exchangeFiles.partitionFile(this.queryId, this.taskId, p), b),
      );
    } else for (let p = 0; p < whole.length; p++) await this.writeFrame(p, whole[p]);
    return { partitionRows: [...this.rows] };
  }

  /** Closes the files, finished or not (a failed task's files lack their end frame and are never read). */
  async close(): Promise<void> {
    this.memory.free();
    await Promise.all((this.files ?? []).map((f) => f.close().catch(() => undefined)));
  }
}
