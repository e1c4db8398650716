import { openAsBlob } from 'node:fs';
import { SourceError, TributaryError, type ColumnBuffers, type SqlType } from '@tributary/common';
import { FfiReader } from './ffi-column.ts';
import type { RowRange } from './page-index-ranges.ts';
import type { ParquetFooter } from './read-parquet-footer.ts';
import type { ParquetChunkRef } from './parquet-file-columns.ts';
import {
  discardParquetWasmAfterTrap,
  onParquetWasm,
  ParquetWasmReset,
  type ParquetWasm,
} from './parquet-wasm-instance.ts';

/** parquet-wasm decodes a whole row group into batches of this many rows. */
export const DECODE_BATCH_ROWS = 131_072;

interface OpenFile {
  readonly file: import('parquet-wasm/node').ParquetFile;
  /** Reads of one ParquetFile are serialised: the wasm object is not re-entrant. */
  queue: Promise<unknown>;
}

/** Open files by instance: a file opened in a discarded instance is opened again in the next. */
const openFiles = new WeakMap<ParquetWasm, Map<string, Promise<OpenFile>>>();
const OPEN_FILES_LIMIT = 16;

/**
 * A ParquetFile over the real path `path` (already confined). Its Blob reopens the path at
 * every read (and refuses to read once the file's size or mtime changed), so callers confine
 * the path again before each read.
 */
function openParquet(wasm: ParquetWasm, path: string, footer: ParquetFooter): Promise<OpenFile> {
  let files = openFiles.get(wasm);
  if (!files) openFiles.set(wasm, (files = new Map()));
  const key = `${path}\u0000${footer.size}\u0000${footer.mtimeMs}`;
  let entry = files.get(key);
  if (!entry) {
    entry = openAsBlob(path)
      .then((blob) => wasm.ParquetFile.fromFile(blob))
      .then((file) => ({ file, queue: Promise.resolve() as Promise<unknown> }));
    const opened = files;
    entry.catch(() => opened.delete(key));
    files.set(key, entry);
    if (files.size > OPEN_FILES_LIMIT) files.delete(files.keys().next().value as string);
  }
  return entry;
}

/** Times a read starts over on a fresh instance after other reads' traps took its instance away. */
const RESET_RETRIES = 2;

/** A table column to decode from a file: where it lies in the file and the type it is read as. */
export interface WantedColumn extends ParquetChunkRef {
  readonly column: number;
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
  for (let attempt = 0; ; attempt++) {
    try {
      return await onParquetWasm((wasm) => decodeWith(wasm, shown, real, footer, group, wanted, range));
    } catch (error) {
      if (error instanceof ParquetWasmReset && attempt < RESET_RETRIES) continue;
      if (error instanceof TributaryError) throw error;
      // The trap is not kept as the cause: the instance is gone, and the thread may live on.
      const trapped = discardParquetWasmAfterTrap(error);
      throw new SourceError(
        'SOURCE_FILE_INVALID',
        `Parquet file "${shown}" cannot be decoded (row group ${group}): ${trapped ? 'its decoder failed' : String(error)}`,
        { ...(trapped ? {} : { cause: error }), details: { file: shown } },
      );
    }
  }
}

async function decodeWith(
  wasm: ParquetWasm,
  shown: string,
  real: string,
  footer: ParquetFooter,
  group: number,
  wanted: readonly WantedColumn[],
  range: RowRange | undefined,
): Promise<Map<number, ColumnBuffers[]>> {
  const ordered = [...wanted].sort((a, b) => a.chunk - b.chunk);
  const open = await openParquet(wasm, real, footer);
  const nameOf = (w: WantedColumn) => footer.metadata.schema[w.element].name;
  const names = ordered.map(nameOf);
  // A range of rows is an offset and limit within the one row group read.
  const rows = range ? { offset: range[0], limit: range[1] - range[0] } : {};
  const read = open.queue.then(() =>
    open.file.read({ columns: names, rowGroups: [group], batchSize: DECODE_BATCH_ROWS, ...rows }),
  );
  open.queue = read.catch(() => undefined);
  const decoded = await read;
  const pieces = new Map<number, ColumnBuffers[]>(ordered.map((w) => [w.column, []]));
  const ffi = decoded.intoFFI();
  try {
    const reader = new FfiReader(wasm.wasmMemory());
    const schema = ffi.schemaAddr();
    // parquet-wasm 0.7 may report the whole file schema for a projected read.
    const schemaWidth = reader.i64(schema + 24);
    for (let b = 0; b < ffi.numArrays(); b++) {
      reader.refresh();
      const array = ffi.arrayAddr(b);
      ordered.forEach((w, position) => {
        const childSchema = reader.schemaChild(schema, schemaWidth === ordered.length ? position : w.field);
        pieces
          .get(w.column)!
          .push(
            reader.column(
              childSchema,
              reader.arrayChild(array, position),
              w.type,
              `column "${nameOf(w)}" of "${shown}"`,
            ),
          );
      });
    }
  } finally {
    ffi.free();
  }
  checkRowCount(shown, footer, group, range, pieces);
  return pieces;
}

/**
 * A corrupt footer can claim fewer (or more) rows for a row group than its column chunks
 * hold; the decoder then yields what the pages hold. Every decoded column must have exactly
 * the rows the footer (or the page range) promises, or the file is refused.
 */
function checkRowCount(
  shown: string,
  footer: ParquetFooter,
  group: number,
  range: RowRange | undefined,
  pieces: Map<number, ColumnBuffers[]>,
): void {
  const expected = range ? range[1] - range[0] : Number(footer.metadata.row_groups[group].num_rows);
  for (const buffers of pieces.values()) {
    const decoded = buffers.reduce((n, b) => n + b.length, 0);
    if (decoded !== expected)
      throw new SourceError(
        'SOURCE_FILE_INVALID',
        `Parquet file "${shown}" is inconsistent: row group ${group} holds ${decoded} rows where its footer says ${expected}`,
        { details: { file: shown } },
      );
  }
}
