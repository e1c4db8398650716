import {
  mkdir,
  open,
  readFile,
  readdir,
  rename,
  rm,
  stat,
  writeFile,
  type FileHandle,
} from 'node:fs/promises';
import { join } from 'node:path';
import { RecordBatchStreamWriter, tableFromIPC, type RecordBatch } from 'apache-arrow';
import { ResourceError } from '@tributary/common';
import { takeBatch } from '@tributary/engine';
import type { Field } from '@tributary/plan';

/** Writing a job's rows to its spool failed (disk full, no permission): the job fails with it. */
export const SPOOL_WRITE_FAILED = 'SPOOL_WRITE_FAILED';
/** A spool's files are unreadable or do not match its index. */
export const SPOOL_READ_FAILED = 'SPOOL_READ_FAILED';

const ROWS_FILE = 'rows.arrows';
const INDEX_FILE = 'index.json';

/** Where each batch lies in the rows file, and how many rows it holds. */
export interface SpooledBatch {
  readonly offset: number;
  readonly length: number;
  readonly rows: number;
}

/** A finished spool's index: written last, so a spool without one is incomplete. */
export interface SpoolIndex {
  readonly fields: readonly Field[];
  readonly rowCount: number;
  readonly bytes: number;
  readonly batches: readonly SpooledBatch[];
  readonly finishedAt: string;
}

/** The folder of a job's spool under the results folder. */
export function spoolDir(resultsRoot: string, jobId: string): string {
  return join(resultsRoot, jobId);
}

/**
 * Writes a job's rows, as they arrive, to `<dir>/rows.arrows`: each batch a complete Arrow
 * IPC stream of its own (schema, batch, end), so any batch can be read alone from its byte
 * range. The index of those ranges (with row counts, for paging) is written at the end.
 * Each write is awaited: the job never holds more than the batch at hand.
 */
export class ResultSpoolWriter {
  private readonly batches: SpooledBatch[] = [];
  private bytes = 0;
  private rows = 0;

  private constructor(
    readonly dir: string,
    private readonly fields: readonly Field[],
    private handle: FileHandle | undefined,
  ) {}

  static async create(dir: string, fields: readonly Field[]): Promise<ResultSpoolWriter> {
    try {
      await mkdir(dir, { recursive: true });
      return new ResultSpoolWriter(dir, fields, await open(join(dir, ROWS_FILE), 'w'));
    } catch (error) {
      throw writeFailure(error);
    }
  }

  get rowCount(): number {
    return this.rows;
  }

  async write(batch: RecordBatch): Promise<void> {
    if (batch.numRows === 0) return;
    const bytes = RecordBatchStreamWriter.writeAll([batch]).toUint8Array(true);
    try {
      await this.handle!.write(bytes);
    } catch (error) {
      throw writeFailure(error);
    }
    this.batches.push({ offset: this.bytes, length: bytes.length, rows: batch.numRows });
    this.bytes += bytes.length;
    this.rows += batch.numRows;
  }

  /** Closes the rows file and writes the index (atomically: a spool has a whole index or none). */
  async finish(): Promise<SpoolIndex> {
    const index: SpoolIndex = {
      fields: this.fields,
      rowCount: this.rows,
      bytes: this.bytes,
      batches: this.batches,
      finishedAt: new Date().toISOString(),
    };
    try {
      await this.handle!.close();
      this.handle = undefined;
      const temporary = join(this.dir, `${INDEX_FILE}.tmp`);
      await writeFile(temporary, JSON.stringify(index));
      await rename(temporary, join(this.dir, INDEX_FILE));
    } catch (error) {
      throw writeFailure(error);
    }
    return index;
  }

  /** Drops the spool of a job that did not complete. */
  async discard(): Promise<void> {
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.dir, { recursive: true, force: true });
  }
}

function writeFailure(error: unknown): ResourceError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new ResourceError(SPOOL_WRITE_FAILED, `cannot write the job's results to disk (${reason})`, {
    status: 507,
    cause: error,
  });
}

/** A finished spool's index, or undefined when there is none (expired, never finished). */
export async function readSpoolIndex(dir: string): Promise<SpoolIndex | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, INDEX_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw readFailure(error);
  }
  return JSON.parse(text) as SpoolIndex;
}

function readFailure(error: unknown): ResourceError {
  return new ResourceError(
    SPOOL_READ_FAILED,
    `cannot read the job's spooled results: ${(error as Error).message}`,
    {
      status: 500,
      cause: error,
    },
  );
}

/** The first batch holding row `row`: a binary search over the batches' first rows. */
function batchAt(starts: readonly number[], row: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Rows `offset` to `offset + limit` of a spool, batch by batch: only the batches holding
 * them are read from disk (found by the index), cut to the page at its two ends.
 */
export async function* readSpoolPage(
  dir: string,
  index: SpoolIndex,
  offset: number,
  limit: number,
): AsyncGenerator<RecordBatch> {
  const end = Math.min(index.rowCount, offset + limit);
  if (offset >= end) return;
  const starts: number[] = [];
  let row = 0;
  for (const b of index.batches) {
    starts.push(row);
    row += b.rows;
  }
  let handle: FileHandle;
  try {
    handle = await open(join(dir, ROWS_FILE), 'r');
  } catch (error) {
    throw readFailure(error);
  }
  try {
    for (let i = batchAt(starts, offset); i < index.batches.length && starts[i] < end; i++) {
      const spooled = index.batches[i];
      const bytes = Buffer.alloc(spooled.length);
      let batch: RecordBatch;
      try {
        await handle.read(bytes, 0, spooled.length, spooled.offset);
        batch = tableFromIPC(bytes).batches[0];
      } catch (error) {
        throw readFailure(error);
      }
      const from = Math.max(offset, starts[i]) - starts[i];
      const to = Math.min(end, starts[i] + spooled.rows) - starts[i];
      if (from === 0 && to === spooled.rows) {
        yield batch;
        continue;
      }
      const rows = new Uint32Array(to - from);
      for (let k = 0; k < rows.length; k++) rows[k] = from + k;
      yield takeBatch(batch, index.fields, rows);
    }
  } finally {
    await handle.close();
  }
}

/**
 * Deletes spools that must not stay: those `keep` refuses (their job did not complete, or
 * is gone), and those finished longer than `ttlMs` ago. Returns the ids deleted.
 */
export async function sweepSpools(
  resultsRoot: string,
  options: {
    ttlMs: number;
    now?: number;
    keep: (jobId: string) => boolean;
    busy?: (jobId: string) => boolean;
  },
): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(resultsRoot);
  } catch {
    return [];
  }
  const now = options.now ?? Date.now();
  const deleted: string[] = [];
  for (const id of entries) {
    // A job writing its spool right now is left alone.
    if (options.busy?.(id)) continue;
    const dir = join(resultsRoot, id);
    let expired = !options.keep(id);
    if (!expired) {
      const finished = await stat(join(dir, INDEX_FILE)).then(
        (s) => s.mtimeMs,
        () => undefined,
      );
      expired = finished === undefined || now - finished > options.ttlMs;
    }
    if (expired) {
      await rm(dir, { recursive: true, force: true });
      deleted.push(id);
    }
  }
  return deleted;
}
