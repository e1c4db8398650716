import { openAsBlob } from 'node:fs';
import { ParquetFile, wasmMemory } from 'parquet-wasm/node';
import { SourceError, type ColumnBuffers, type SqlType } from '@tributary/common';
import { FfiReader } from './ffi-column.ts';
import type { RowRange } from './page-index-ranges.ts';
import type { ParquetFooter } from './read-parquet-footer.ts';

/** parquet-wasm decodes a whole row group into batches of this many rows. */
export const DECODE_BATCH_ROWS = 131_072;

interface OpenFile {
  readonly file: ParquetFile;
  /** Reads of one ParquetFile are serialised: the wasm object is not re-entrant. */
  queue: Promise<unknown>;
}

const openFiles = new Map<string, Promise<OpenFile>>();
const OPEN_FILES_LIMIT = 16;

/**
 * A ParquetFile over the real path `path` (already confined). Its Blob reopens the path at
 * every read (and refuses to read once the file's size or mtime changed), so callers confine
 * the path again before each read.
 */
function openParquet(path: string, footer: ParquetFooter): Promise<OpenFile> {
  const key = `${path}\u0000${footer.size}\u0000${footer.mtimeMs}`;
  let entry = openFiles.get(key);
  if (!entry) {
    entry = openAsBlob(path)
      .then((blob) => ParquetFile.fromFile(blob))
      .then((file) => ({ file, queue: Promise.resolve() as Promise<unknown> }));
    entry.catch(() => openFiles.delete(key));
    openFiles.set(key, entry);
    if (openFiles.size > OPEN_FILES_LIMIT) openFiles.delete(openFiles.keys().next().value as string);
  }
  return entry;
}

/** A table column to decode from a file: its column chunk and the type it is read as. */
export interface WantedColumn {
  readonly column: number;
  readonly chunk: number;
  readonly type: SqlType;
}

/**
 * Decodes `wanted` columns of one row group of the real path `real` into per-column pieces
 * (keyed by `column`), one piece per decoded batch. Errors name `shown`.
 */
export async function decodeRowGroup(
  shown: string,
  real: string,
  footer: ParquetFooter,
  group: number,
  wanted: readonly WantedColumn[],
  range?: RowRange,
): Promise<Map<number, ColumnBuffers[]>> {
  const ordered = [...wanted].sort((a, b) => a.chunk - b.chunk);
  const open = await openParquet(real, footer);
  const schemaNames = footer.metadata.schema.slice(1).map((e) => e.name);
  const names = ordered.map((w) => schemaNames[w.chunk]);
  // A range of rows is an offset and limit within the one row group read.
  const rows = range ? { offset: range[0], limit: range[1] - range[0] } : {};
  const read = open.queue.then(() =>
    open.file.read({ columns: names, rowGroups: [group], batchSize: DECODE_BATCH_ROWS, ...rows }),
  );
  open.queue = read.catch(() => undefined);
  let decoded;
  try {
    decoded = await read;
  } catch (error) {
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `Parquet file "${shown}" cannot be decoded (row group ${group}): ${String(error)}`,
      { cause: error, details: { file: shown } },
    );
  }
  const pieces = new Map<number, ColumnBuffers[]>(ordered.map((w) => [w.column, []]));
  const ffi = decoded.intoFFI();
  try {
    const reader = new FfiReader(wasmMemory());
    const schema = ffi.schemaAddr();
    // parquet-wasm 0.7 may report the whole file schema for a projected read.
    const schemaWidth = reader.i64(schema + 24);
    for (let b = 0; b < ffi.numArrays(); b++) {
      reader.refresh();
      const array = ffi.arrayAddr(b);
      ordered.forEach((w, position) => {
        const childSchema = reader.schemaChild(schema, schemaWidth === ordered.length ? position : w.chunk);
        pieces
          .get(w.column)!
          .push(
            reader.column(
              childSchema,
              reader.arrayChild(array, position),
              w.type,
              `column "${schemaNames[w.chunk]}" of "${shown}"`,
            ),
          );
      });
    }
  } finally {
    ffi.free();
  }
  return pieces;
}
