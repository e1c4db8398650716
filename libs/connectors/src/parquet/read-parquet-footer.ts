import { open, stat, type FileHandle } from 'node:fs/promises';
import { parquetMetadata, type FileMetaData } from 'hyparquet';
import { SourceError } from '@tributary/common';

/** Statistics decoded to comparable numbers: DATE days, TIMESTAMP microseconds (floored). */
export const PARSERS = {
  dateFromDays: (days: number) => days,
  timestampFromMilliseconds: (ms: bigint) => Number(ms) * 1000,
  timestampFromMicroseconds: (us: bigint) => Number(us),
  timestampFromNanoseconds: (ns: bigint) => Math.floor(Number(ns) / 1000),
};

export interface ParquetFooter {
  readonly metadata: FileMetaData;
  readonly size: number;
  readonly mtimeMs: number;
}

const CACHE_LIMIT = 64;
/** Parsed footers by file, valid while size and mtime are unchanged; insertion order = LRU. */
const cache = new Map<string, ParquetFooter>();

/**
 * Reads and parses only the footer of a Parquet file (cached by path, size and mtime),
 * through `opened` when given: a descriptor the caller has already checked (and closes).
 */
export async function readParquetFooter(file: string, opened?: FileHandle): Promise<ParquetFooter> {
  let info;
  try {
    info = opened ? await opened.stat() : await stat(file);
  } catch (error) {
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `Parquet file "${file}" cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const cached = cache.get(file);
  if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs) {
    cache.delete(file);
    cache.set(file, cached);
    return cached;
  }
  const invalid = (why: string, cause?: unknown) =>
    new SourceError('SOURCE_FILE_INVALID', `file "${file}" is not a valid Parquet file: ${why}`, {
      cause,
      details: { file },
    });
  if (info.size < 12) throw invalid('too short');
  const handle = opened ?? (await open(file, 'r'));
  let metadata: FileMetaData;
  try {
    const tail = Buffer.alloc(8);
    await handle.read(tail, 0, 8, info.size - 8);
    if (tail.toString('latin1', 4, 8) !== 'PAR1') throw invalid('no PAR1 magic at its end');
    const footerLength = tail.readUInt32LE(0);
    if (footerLength + 12 > info.size) throw invalid('footer length beyond the file');
    const footer = new Uint8Array(footerLength + 8);
    await handle.read(footer, 0, footerLength + 8, info.size - footerLength - 8);
    try {
      metadata = parquetMetadata(footer.buffer, { parsers: PARSERS });
    } catch (error) {
      throw invalid((error as Error).message, error);
    }
  } finally {
    if (!opened) await handle.close();
  }
  const footer: ParquetFooter = { metadata, size: info.size, mtimeMs: info.mtimeMs };
  cache.set(file, footer);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return footer;
}
