import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Data, RecordBatch } from 'apache-arrow';
import {
  ResourceError,
  formatDate,
  formatDouble,
  formatExactDecimal,
  formatFloat,
  formatTime,
  formatTimestamp,
  type SqlType,
} from '@tributary/common';
import type { Field } from '@tributary/plan';
import { ParquetResultEncoder } from '../results/parquet-result-encoder.ts';

/** A file is closed after this many rows: its row groups are the scan's splits either way. */
const MAX_FILE_ROWS = 1_048_576;

/** What a build wrote. */
export interface WrittenFiles {
  readonly rows: number;
  readonly bytes: number;
  /** Relative to the folder. */
  readonly files: readonly string[];
  /** Every folder it made (partition folders), for fsync. */
  readonly folders: readonly string[];
}

/** What Hive and DuckDB write for a NULL partition value. */
const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** A partition value as the text of its `key=value` folder (DuckDB's spelling of each type). */
function cellText(data: Data, type: SqlType, row: number): string {
  const i = data.offset + row;
  if (data.nullBitmap && data.nullBitmap.length > 0 && ((data.nullBitmap[i >> 3] >> (i & 7)) & 1) === 0)
    return NULL_PARTITION;
  const values = data.values as unknown as ArrayLike<number | bigint> & { buffer: ArrayBufferLike };
  switch (type.kind) {
    case 'BOOLEAN':
      return (((data.values as Uint8Array)[i >> 3] >> (i & 7)) & 1) === 1 ? 'true' : 'false';
    case 'DATE':
      return formatDate(Number(values[i]));
    case 'TIMESTAMP':
      return formatTimestamp(Number(values[i]), ' ');
    case 'TIME':
      return formatTime(Number(values[i]));
    case 'DECIMAL':
    case 'HUGEINT': {
      const words = new BigUint64Array(values.buffer, (data.values as Uint32Array).byteOffset + i * 16, 2);
      const unscaled = BigInt.asIntN(128, (words[1] << 64n) | words[0]);
      return formatExactDecimal(unscaled, type.kind === 'DECIMAL' ? type.scale : 0);
    }
    case 'VARCHAR': {
      const offsets = data.valueOffsets as Int32Array;
      return Buffer.from((data.values as Uint8Array).subarray(offsets[i], offsets[i + 1])).toString('utf8');
    }
    case 'NULL':
      return NULL_PARTITION;
    case 'DOUBLE':
      return type.single ? formatFloat(Number(values[i])) : formatDouble(Number(values[i]));
    default:
      return String(values[i]);
  }
}

/** An open Parquet file of the materialization. */
interface OpenFile {
  readonly path: string;
  readonly stream: WriteStream;
  readonly encoder: ParquetResultEncoder;
  readonly key: string;
  rows: number;
}

/**
 * Writes a build's rows as Parquet files into a folder: one file per partition value
 * (`col=value/` folders, Hive style, in PARTITION BY order), a new one every MAX_FILE_ROWS
 * rows. The rows arrive ordered by the partition columns, so each partition is one run and
 * at most one file is open. Encoding runs on the Parquet encoder's worker thread (the
 * results' encoder, reused); here only bytes are written. A write that fails (a full disk,
 * EFBIG past a file size limit) fails the build with REFLECTION_WRITE_FAILED (507).
 */
export class MaterializationWriter {
  private current: OpenFile | undefined;
  private failure: Error | undefined;
  private readonly files: string[] = [];
  private readonly folders = new Set<string>();
  private rows = 0;
  private bytes = 0;

  constructor(
    private readonly folder: string,
    private readonly fields: readonly Field[],
    /** Indices (into `fields`) of the PARTITION BY columns. */
    private readonly partitionColumns: readonly number[],
    /** Starts every file's name: files of several builds share a folder in an incremental one. */
    private readonly filePrefix = 'part',
    /** Rows per row group; the encoder's default (65,536) when absent. */
    private readonly rowGroupRows?: number,
  ) {}

  private partitionPath(batch: RecordBatch, row: number): string {
    return this.partitionColumns
      .map((c) => {
        const data = batch.getChildAt(c)!.data[0];
        const name = encodeURIComponent(this.fields[c].name);
        return `${name}=${encodeURIComponent(cellText(data, this.fields[c].type, row))}`;
      })
      .join('/');
  }

  async write(batch: RecordBatch): Promise<void> {
    let start = 0;
    while (start < batch.numRows) {
      const key = this.partitionColumns.length === 0 ? '' : this.partitionPath(batch, start);
      const end = key === '' ? batch.numRows : this.runEnd(batch, start, key);
      await this.writeRun(key, start === 0 && end === batch.numRows ? batch : batch.slice(start, end));
      start = end;
    }
  }

  /**
   * Where the run of `key` that starts at `start` ends: rows come ordered by the partition
   * columns, so a partition's rows are contiguous and a binary search finds its end with a
   * few key computations, not one per row (this runs on the coordinator's thread).
   */
  private runEnd(batch: RecordBatch, start: number, key: string): number {
    if (this.partitionPath(batch, batch.numRows - 1) === key) return batch.numRows;
    let lo = start + 1; // the first row that may differ
    let hi = batch.numRows - 1; // a row that differs
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.partitionPath(batch, mid) === key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private async writeRun(key: string, batch: RecordBatch): Promise<void> {
    let offset = 0;
    while (offset < batch.numRows) {
      if (!this.current || this.current.key !== key || this.current.rows >= MAX_FILE_ROWS) {
        await this.closeCurrent();
        await this.openFile(key);
      }
      const file = this.current!;
      const take = Math.min(batch.numRows - offset, MAX_FILE_ROWS - file.rows);
      const part = offset === 0 && take === batch.numRows ? batch : batch.slice(offset, offset + take);
      this.check();
      await file.encoder.write(part);
      this.check();
      file.rows += take;
      this.rows += take;
      offset += take;
    }
  }

  private async openFile(key: string): Promise<void> {
    const dir = key === '' ? this.folder : join(this.folder, key);
    await mkdir(dir, { recursive: true });
    this.folders.add(dir);
    const relative = join(key, `${this.filePrefix}-${String(this.files.length).padStart(5, '0')}.parquet`);
    const path = join(this.folder, relative);
    const stream = createWriteStream(path, { flags: 'wx' });
    stream.on('error', (error: Error) => {
      this.failure ??= writeFailed(error);
    });
    const encoder = new ParquetResultEncoder(this.rowGroupRows ? { rowGroupRows: this.rowGroupRows } : {});
    await encoder.begin(stream, this.fields);
    this.files.push(relative);
    this.current = { path, stream, encoder, key, rows: 0 };
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  /** Ends the open file: the encoder's last bytes, the stream drained, the file synced to disk. */
  private async closeCurrent(): Promise<void> {
    const file = this.current;
    if (!file) return;
    this.current = undefined;
    try {
      await file.encoder.end();
      await closed(file.stream);
      this.check();
      // fsync through a descriptor of our own: it flushes the file, whoever wrote it.
      await syncFile(file.path);
      this.bytes += (await stat(file.path)).size;
    } catch (error) {
      throw this.failure ?? writeFailed(error as Error);
    } finally {
      file.encoder.destroy();
      file.stream.destroy();
    }
  }

  /** Closes the last file (an empty result still gets one file, with the schema) and syncs the folders. */
  async finish(): Promise<WrittenFiles> {
    if (this.files.length === 0) await this.openFile('');
    await this.closeCurrent();
    this.check();
    this.folders.add(this.folder);
    for (const dir of this.folders) await syncFolder(dir);
    return { rows: this.rows, bytes: this.bytes, files: [...this.files], folders: [...this.folders] };
  }

  /** Gives up: the encoder thread stopped, the open file closed (the caller deletes the folder). */
  async abort(): Promise<void> {
    const file = this.current;
    this.current = undefined;
    if (!file) return;
    file.encoder.destroy();
    file.stream.destroy();
    await closed(file.stream).catch(() => undefined);
  }
}

/** The stream ended and its file descriptor closed (a write error rejects). */
function closed(stream: WriteStream): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (stream.closed) return resolve();
    stream.once('error', reject);
    stream.once('close', () => resolve());
    stream.end();
  });
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync of a folder: its new entries (files, renames) survive a crash. */
export async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function writeFailed(error: Error): ResourceError {
  const code = (error as NodeJS.ErrnoException).code;
  return new ResourceError(
    'REFLECTION_WRITE_FAILED',
    `cannot write the reflection's files: ${error.message}${code === 'ENOSPC' ? ' (the disk is full)' : code === 'EFBIG' ? ' (a file size limit was reached)' : ''}`,
    { cause: error, status: 507 },
  );
}
