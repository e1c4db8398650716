import type { FileHandle } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { SourceError } from '@tributary/common';
import type { CsvCompression } from './csv-dialect.ts';

/**
 * The bytes of a CSV file in chunks, from a byte offset (plain files) or decompressed from
 * the start (gzip, streamed through zlib: never the whole file in memory).
 */
export interface CsvByteReader {
  /** The next chunk, or null at the end of the file. */
  next(): Promise<Uint8Array | null>;
  /** Bytes read from the file so far (compressed, as stored). */
  readonly fileBytes: number;
  /** Hands back a chunk the caller is done with, for a later read to fill again (less garbage). */
  recycle(chunk: Uint8Array): void;
}

export const CSV_CHUNK_BYTES = 4 << 20;

/** The compression a file's name implies. */
export function compressionOfName(file: string): CsvCompression {
  return /\.gz$/i.test(file) ? 'gzip' : 'none';
}

/** Reads chunk after chunk, the next one always under way while the last is parsed. */
class PlainReader implements CsvByteReader {
  fileBytes = 0;
  private pending: Promise<Buffer | null> | undefined;
  private readonly free: Buffer[] = [];
  constructor(
    private readonly handle: FileHandle,
    private position: number,
    private readonly chunkBytes: number,
  ) {}

  private read(): Promise<Buffer | null> {
    const position = this.position;
    this.position += this.chunkBytes;
    const chunk = this.free.pop() ?? Buffer.allocUnsafe(this.chunkBytes);
    const reading = this.handle.read(chunk, 0, this.chunkBytes, position).then(({ bytesRead }) => {
      this.fileBytes += bytesRead;
      return bytesRead === 0 ? null : chunk.subarray(0, bytesRead);
    });
    // Awaited by next(); a read left pending when the scan stops must not go unhandled.
    reading.catch(() => undefined);
    return reading;
  }

  recycle(chunk: Uint8Array): void {
    if (chunk.byteOffset === 0 && chunk.buffer.byteLength === this.chunkBytes && this.free.length < 2)
      this.free.push(Buffer.from(chunk.buffer, 0, this.chunkBytes));
  }

  async next(): Promise<Uint8Array | null> {
    const chunk = await (this.pending ?? this.read());
    this.pending = chunk === null || chunk.length < this.chunkBytes ? undefined : this.read();
    return chunk;
  }
}

class GzipReader implements CsvByteReader {
  fileBytes = 0;
  private readonly chunks: AsyncIterator<Buffer>;
  constructor(handle: FileHandle, file: string, chunkBytes: number) {
    const raw = handle.createReadStream({ start: 0, autoClose: false, highWaterMark: 1 << 20 });
    raw.on('data', (chunk: Buffer | string) => (this.fileBytes += chunk.length));
    const gunzip = createGunzip({ chunkSize: Math.min(chunkBytes, 1 << 20) });
    raw.on('error', (error) => gunzip.destroy(error));
    raw.pipe(gunzip);
    this.file = file;
    this.gunzip = gunzip;
    this.chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.raw = raw;
  }
  private readonly file: string;
  private readonly gunzip: ReturnType<typeof createGunzip>;
  private readonly raw: ReturnType<FileHandle['createReadStream']>;

  recycle(): void {
    // zlib hands out fresh buffers.
  }

  async next(): Promise<Uint8Array | null> {
    try {
      const { value, done } = await this.chunks.next();
      return done ? null : value;
    } catch (error) {
      throw new SourceError(
        'SOURCE_FILE_INVALID',
        `gzip-compressed CSV file "${this.file}" cannot be decompressed: ${(error as Error).message}`,
        { details: { file: this.file }, cause: error },
      );
    }
  }

  /** Stops decompressing (the handle stays open: its owner closes it). */
  destroy(): void {
    this.raw.unpipe(this.gunzip);
    this.raw.destroy();
    this.gunzip.destroy();
  }
}

/**
 * A reader of `handle` from `start` (plain) or of its decompressed bytes (gzip: `start`
 * must be 0). Call `release` before closing the handle.
 */
export function csvByteReader(
  handle: FileHandle,
  file: string,
  compression: CsvCompression,
  start: number,
  chunkBytes = CSV_CHUNK_BYTES,
): { reader: CsvByteReader; release: () => void } {
  if (compression === 'gzip') {
    const reader = new GzipReader(handle, file, chunkBytes);
    return { reader, release: () => reader.destroy() };
  }
  return { reader: new PlainReader(handle, start, chunkBytes), release: () => undefined };
}
