import { unlink } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import type { Field, SortKey } from '@tributary/plan';
import { concatColumns } from '../kernels/concat.ts';
import { interleave } from '../kernels/interleave.ts';
import { take } from '../kernels/take.ts';
import { columnsBytes } from '../memory/column-bytes.ts';
import { assertMemoryAvailable } from '../memory/memory-guard.ts';
import { MemoryReservation, unboundedResources, type OperatorResources } from '../memory/memory-pool.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { LazySpillDirectory, spillFailed, type SpillDirectory } from '../spill/spill-directory.ts';
import { SpillFileExec } from '../spill/spill-file-exec.ts';
import { SpillFileWriter, type SpillFile } from '../spill/spill-file.ts';
import { batchColumn, nullColumn } from './record-batch-column.ts';
import { compileSortKeys, describeSortKeys } from './sort-keys.ts';
import { SortedMergeExec } from './sorted-merge-exec.ts';
import { sortPermutation } from './sort-permutation.ts';

const OUTPUT_BATCH_ROWS = 65536;
/** Spilled runs are written in batches of about a sixteenth of a run (so ~16 merge at once). */
const RUN_BATCHES = 16;
const MIN_RUN_BATCH_ROWS = 128;

/** Rows buffered by a sort: the input batches as they came, sorted on demand. */
export class SortBuffer {
  private batches: RecordBatch[] = [];
  private parts: ColumnBuffers[][] = [];
  rows = 0;
  /** Column bytes of the buffered batches (what a Sort reserves for them). */
  bytes = 0;
  private readonly keyFns: ((batch: RecordBatch) => ColumnBuffers)[];

  constructor(
    private readonly fields: readonly Field[],
    private readonly keys: readonly SortKey[],
  ) {
    this.keyFns = compileSortKeys(keys, fields);
  }

  add(batch: RecordBatch): void {
    assertMemoryAvailable('Sort');
    const columns = this.fields.map((f, i) => batchColumn(batch, i, f.type));
    this.batches.push(batch);
    this.parts.push(columns);
    this.rows += batch.numRows;
    this.bytes += columnsBytes(columns);
  }

  /** The sort order of every buffered row, as indices into the concatenated parts. */
  private permutation(): Uint32Array {
    const keyColumns = this.keyFns.map((f) => concatColumns(this.batches.map((b) => f(b))));
    return sortPermutation(keyColumns, this.keys, this.rows);
  }

  /** Sorts what is buffered and keeps rows from..to of the order (all by default). */
  sortAndKeep(from = 0, to = this.rows): ColumnBuffers[] {
    if (this.rows === 0) return this.fields.map((f) => nullColumn(f.type, 0));
    const permutation = this.permutation().subarray(from, Math.min(to, this.rows));
    const kept = this.fields.map((_, c) => take(concatColumns(this.parts.map((p) => p[c])), permutation));
    const batch = makeRecordBatch(this.fields, kept, permutation.length);
    this.batches = [batch];
    this.parts = [kept];
    this.rows = permutation.length;
    this.bytes = columnsBytes(kept);
    return kept;
  }

  /**
   * The buffered rows in sort order as batches of at most `batchRows`, gathered straight from
   * the buffered batches: only the key columns are concatenated, never the whole input.
   */
  *sortedBatches(batchRows: number): Generator<RecordBatch> {
    const rows = this.rows;
    if (rows === 0) return;
    const permutation = this.permutation();
    // Each row's batch and row within it, so output batches can be interleaved from them.
    const partOf = new Uint32Array(rows);
    const rowOf = new Uint32Array(rows);
    let at = 0;
    this.parts.forEach((_, p) => {
      const n = this.batches[p].numRows;
      for (let r = 0; r < n; r++, at++) {
        partOf[at] = p;
        rowOf[at] = r;
      }
    });
    const sources = new Uint32Array(Math.min(batchRows, rows));
    const within = new Uint32Array(sources.length);
    for (let start = 0; start < rows; start += batchRows) {
      const n = Math.min(batchRows, rows - start);
      for (let k = 0; k < n; k++) {
        const g = permutation[start + k];
        sources[k] = partOf[g];
        within[k] = rowOf[g];
      }
      const columns = this.fields.map((_, c) =>
        interleave(
          this.parts.map((p) => p[c]),
          sources,
          within,
          n,
        ),
      );
      yield makeRecordBatch(this.fields, columns, n);
    }
  }
}

/** Rows of one spilled run per batch: a sixteenth of the run, within 128..65536. */
function runBatchRows(rows: number): number {
  return Math.min(OUTPUT_BATCH_ROWS, Math.max(MIN_RUN_BATCH_ROWS, Math.ceil(rows / RUN_BATCHES)));
}

/**
 * ORDER BY: buffers the input and sorts it with sortPermutation. Buffered bytes are reserved
 * from `resources.memory`; when the reservation cannot grow and `resources.spillDir` is set,
 * what is buffered is sorted and written as a run (an Arrow IPC stream file), the memory is
 * freed, and at the end the runs and the in-memory remainder are merged (SortedMergeExec,
 * one batch per run in memory). Runs are kept in input order and ties go to the earlier run,
 * so the result equals the in-memory sort row for row. Without a spill folder the sort fails
 * with QUERY_MEMORY_EXCEEDED naming the limit.
 */
export class SortExec implements PhysicalOperator {
  readonly name = 'Sort';
  readonly children: readonly PhysicalOperator[];
  readonly schema: readonly Field[];

  constructor(
    readonly input: PhysicalOperator,
    readonly keys: readonly SortKey[],
    readonly resources: OperatorResources = unboundedResources(),
  ) {
    this.children = [input];
    this.schema = input.schema;
  }

  describe(): string {
    return describeSortKeys(this.keys);
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const reservation = new MemoryReservation(this.resources.memory, 'Sort');
    const spillDir = this.resources.spillDir;
    const spill = spillDir !== undefined ? new LazySpillDirectory(spillDir, 'Sort') : undefined;
    try {
      const runs: SpillFile[] = [];
      let buffer = new SortBuffer(this.schema, this.keys);
      const spillBuffer = async (): Promise<void> => {
        runs.push(await this.writeRun(buffer.sortedBatches(runBatchRows(buffer.rows)), spill!));
        buffer = new SortBuffer(this.schema, this.keys);
        reservation.free();
      };
      for await (const batch of this.input.execute(signal)) {
        signal.throwIfAborted();
        if (batch.numRows === 0) continue;
        const bytes = columnsBytes(this.schema.map((f, i) => batchColumn(batch, i, f.type)));
        if (!reservation.tryGrow(bytes)) {
          if (!spill) throw reservation.exceeded(bytes);
          if (buffer.rows > 0) await spillBuffer();
          if (!reservation.tryGrow(bytes)) {
            // A batch over the whole budget is in memory already: it becomes a run by itself.
            buffer.add(batch);
            await spillBuffer();
            continue;
          }
        }
        buffer.add(batch);
      }
      if (runs.length === 0) {
        yield* buffer.sortedBatches(OUTPUT_BATCH_ROWS);
        return;
      }
      yield* this.mergeRuns(runs, buffer, reservation, spill!, signal);
    } finally {
      reservation.free();
      await spill?.remove();
    }
  }

  /** Writes sorted batches as one run file. */
  private async writeRun(
    batches: Iterable<RecordBatch> | AsyncIterable<RecordBatch>,
    spill: LazySpillDirectory,
  ): Promise<SpillFile> {
    const directory: SpillDirectory = await spill.get();
    const writer = new SpillFileWriter(directory.newFilePath('run'), this.schema, this.name);
    try {
      for await (const batch of batches) await writer.write(batch);
      return await writer.close();
    } catch (error) {
      await writer.abandon();
      throw error;
    }
  }

  /**
   * Merges the runs with the sorted remainder. Reading a run holds one of its batches, so as
   * many runs are merged at once as their largest batches fit in the budget. When not all
   * fit, the remainder is spilled first to make room; if they still do not fit, passes merge
   * consecutive groups of runs, each into one run in the group's place (so ties keep input
   * order), until one merge can take them all.
   */
  private async *mergeRuns(
    runs: SpillFile[],
    remainder: SortBuffer,
    reservation: MemoryReservation,
    spill: LazySpillDirectory,
    signal: AbortSignal,
  ): AsyncGenerator<RecordBatch> {
    /** Reserves reading runs[from..] one after another while the budget allows; how many. */
    const reserveReading = (from: number): { fit: number; bytes: number } => {
      let fit = 0;
      let bytes = 0;
      while (from + fit < runs.length && reservation.tryGrow(runs[from + fit].maxBatchBytes)) {
        bytes += runs[from + fit].maxBatchBytes;
        fit++;
      }
      return { fit, bytes };
    };
    let group = 0;
    for (;;) {
      const all = reserveReading(0);
      // What reading the runs holds stays reserved through the final merge.
      if (all.fit === runs.length) break;
      reservation.shrink(all.bytes);
      if (remainder.rows > 0) {
        runs.push(await this.writeRun(remainder.sortedBatches(runBatchRows(remainder.rows)), spill));
        reservation.shrink(remainder.bytes);
        remainder = new SortBuffer(this.schema, this.keys);
        continue;
      }
      if (group >= runs.length - 1) group = 0;
      const { fit, bytes } = reserveReading(group);
      if (fit < 2) {
        reservation.shrink(bytes);
        throw reservation.exceeded(runs[group].maxBatchBytes + runs[group + 1].maxBatchBytes);
      }
      const merging = runs.slice(group, group + fit);
      const rows = merging.reduce((sum, r) => sum + r.rows, 0);
      const batches = merging.reduce((sum, r) => sum + r.batches, 0);
      const merge = new SortedMergeExec(
        merging.map((r) => new SpillFileExec(r, this.name)),
        this.keys,
        { batchRows: Math.ceil(rows / batches) },
      );
      const merged = await this.writeRun(merge.execute(signal), spill);
      reservation.shrink(bytes);
      runs.splice(group, fit, merged);
      group++;
      await Promise.all(merging.map((r) => removeRun(r, this.name)));
    }
    const sorted: PhysicalOperator[] = runs.map((r) => new SpillFileExec(r, this.name));
    if (remainder.rows > 0) sorted.push(bufferedRun(remainder, this.schema));
    yield* new SortedMergeExec(sorted, this.keys).execute(signal);
  }
}

async function removeRun(run: SpillFile, operator: string): Promise<void> {
  try {
    await unlink(run.path);
  } catch (error) {
    throw spillFailed(operator, error);
  }
}

/** The in-memory remainder of a spilling sort as a sorted input of the final merge. */
function bufferedRun(buffer: SortBuffer, schema: readonly Field[]): PhysicalOperator {
  return {
    name: 'SortBuffer',
    schema,
    children: [],
    describe: () => `${buffer.rows} rows`,
    async *execute() {
      yield* buffer.sortedBatches(runBatchRows(buffer.rows));
    },
  };
}

function* emit(fields: readonly Field[], columns: ColumnBuffers[], rows: number): Generator<RecordBatch> {
  if (rows === 0) return;
  if (rows <= OUTPUT_BATCH_ROWS) {
    yield makeRecordBatch(fields, columns, rows);
    return;
  }
  const index = new Uint32Array(OUTPUT_BATCH_ROWS);
  for (let start = 0; start < rows; start += OUTPUT_BATCH_ROWS) {
    const n = Math.min(OUTPUT_BATCH_ROWS, rows - start);
    for (let k = 0; k < n; k++) index[k] = start + k;
    yield makeRecordBatch(
      fields,
      columns.map((c) => take(c, index, n)),
      n,
    );
  }
}

/**
 * ORDER BY … LIMIT: keeps only the best limit+offset rows, trimming the buffer by sorting
 * whenever it holds a batch's worth more than that, so memory stays bounded; what it holds
 * is reserved from `resources.memory` (it never spills: past the limit it fails).
 */
export class TopN implements PhysicalOperator {
  readonly name = 'TopN';
  readonly children: readonly PhysicalOperator[];
  readonly schema: readonly Field[];

  constructor(
    readonly input: PhysicalOperator,
    readonly keys: readonly SortKey[],
    readonly limit: number,
    readonly offset = 0,
    readonly resources: OperatorResources = unboundedResources(),
  ) {
    this.children = [input];
    this.schema = input.schema;
  }

  describe(): string {
    return `${describeSortKeys(this.keys)} limit=${this.limit}${this.offset ? ` offset=${this.offset}` : ''}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const keep = this.limit + this.offset;
    if (this.limit <= 0) return;
    const reservation = new MemoryReservation(this.resources.memory, 'TopN');
    try {
      const buffer = new SortBuffer(this.input.schema, this.keys);
      const threshold = keep + Math.max(keep, OUTPUT_BATCH_ROWS);
      for await (const batch of this.input.execute(signal)) {
        signal.throwIfAborted();
        if (batch.numRows === 0) continue;
        buffer.add(batch);
        reservation.resize(buffer.bytes);
        if (buffer.rows >= threshold) {
          buffer.sortAndKeep(0, keep);
          reservation.resize(buffer.bytes);
        }
      }
      const columns = buffer.sortAndKeep(this.offset, keep);
      yield* emit(this.schema, columns, buffer.rows);
    } finally {
      reservation.free();
    }
  }
}
