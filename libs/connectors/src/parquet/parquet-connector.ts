import { openAsBlob } from 'node:fs';
import type { RecordBatch } from 'apache-arrow';
import { ParquetFile, wasmMemory } from 'parquet-wasm/node';
import { SourceError, makeRecordBatch, type ColumnBuffers, type ColumnDescriptor } from '@tributary/common';
import type { Expr, TableRef } from '@tributary/plan';
import { toColumnPredicate, type ColumnPredicate } from '../column-predicate.ts';
import type {
  Connector,
  DiscoverContext,
  DiscoveredTable,
  FilterSupport,
  ScanContext,
  ScanRequest,
  Split,
} from '../connector.ts';
import { confineScanPath } from '../confine-scan-path.ts';
import { listTableFiles } from '../list-files.ts';
import { openConfinedFile } from '../open-confined-file.ts';
import { FfiReader } from './ffi-column.ts';
import { parquetColumnType } from './parquet-column-type.ts';
import { DecodedColumnCache, decodedColumnCache, type DecodedColumn } from './decoded-column-cache.ts';
import { readParquetFooter, type ParquetFooter } from './read-parquet-footer.ts';
import { rowGroupMayMatch } from './row-group-may-match.ts';
import { parquetTableStatistics } from './parquet-table-statistics.ts';

/** parquet-wasm decodes a whole row group into batches of this many rows. */
const DECODE_BATCH_ROWS = 131_072;

export interface ParquetLocation {
  readonly file: string;
}

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

function location(table: TableRef): ParquetLocation {
  return table.location as unknown as ParquetLocation;
}

/** Confines the table's file, then reads its footer through the descriptor just checked. */
async function confinedFooter(
  table: TableRef,
  context: ScanContext,
): Promise<{ real: string; footer: ParquetFooter }> {
  const { handle, real } = await openConfinedFile(location(table).file, context);
  try {
    return { real, footer: await readParquetFooter(real, handle) };
  } finally {
    await handle.close();
  }
}

/** Maps a Parquet footer's flat schema to table columns; nested columns are refused. */
function footerColumns(footer: ParquetFooter, file: string): ColumnDescriptor[] {
  const [root, ...elements] = footer.metadata.schema;
  if (
    elements.length !== (root.num_children ?? 0) ||
    elements.some((e) => e.num_children !== undefined && e.num_children > 0)
  ) {
    throw new SourceError(
      'UNSUPPORTED_TYPE',
      `Parquet file "${file}" has nested columns, which Tributary does not support yet`,
    );
  }
  return elements.map((e) => ({ name: e.name, type: parquetColumnType(e, file) }));
}

function predicatesOf(table: TableRef, filters: readonly Expr[]): ColumnPredicate[] {
  return filters
    .map((f) => toColumnPredicate(f, table.columns))
    .filter((p): p is ColumnPredicate => p !== undefined);
}

/**
 * Parquet files: schema and statistics from the footer (hyparquet), decoding of the chosen
 * row groups and columns by parquet-wasm, copied out of wasm memory through the Arrow C
 * Data Interface into the canonical layout. Filters prune row groups (inexact).
 */
export class ParquetConnector implements Connector {
  readonly type = 'parquet' as const;

  async discover(
    path: string,
    _options: Readonly<Record<string, unknown>>,
    context: DiscoverContext,
  ): Promise<DiscoveredTable[]> {
    const files = await listTableFiles(path, ['.parquet', '.parq'], context.roots);
    const tables: DiscoveredTable[] = [];
    for (const { name, file } of files) {
      const footer = await readParquetFooter(file);
      const location: ParquetLocation = { file };
      const columns = footerColumns(footer, file);
      const table: TableRef = {
        source: '',
        table: name,
        sourceType: 'parquet',
        columns,
        location: { ...location },
      };
      const statistics = await parquetTableStatistics(footer, columns, (group, wanted) =>
        decodeRowGroup(table, file, footer, group, wanted),
      );
      tables.push({
        name,
        columns,
        location: { ...location },
        rowCount: Number(footer.metadata.num_rows),
        statistics,
      });
    }
    return tables;
  }

  filterSupport(table: TableRef, filter: Expr): FilterSupport {
    return toColumnPredicate(filter, table.columns) ? 'inexact' : 'unsupported';
  }

  async planSplits(
    table: TableRef,
    request: ScanRequest,
    _targetSplits: number,
    context: ScanContext,
  ): Promise<Split[]> {
    const { footer } = await confinedFooter(table, context);
    const predicates = predicatesOf(table, request.filters);
    const splits: Split[] = [];
    footer.metadata.row_groups.forEach((group, index) => {
      if (group.num_rows === 0n) return;
      if (predicates.every((p) => rowGroupMayMatch(p, group, table.columns))) {
        splits.push({ info: { rowGroups: [index] }, estimatedRows: Number(group.num_rows) });
      }
    });
    return splits;
  }

  scan(
    table: TableRef,
    split: Split,
    request: ScanRequest,
    context: ScanContext,
  ): AsyncIterable<RecordBatch> {
    return scanParquet(table, split, request, context);
  }
}

/**
 * Decodes `columns` (table column indices, ascending = file order) of one row group of the
 * real path `real` into per-column pieces, one piece per decoded batch.
 */
async function decodeRowGroup(
  table: TableRef,
  real: string,
  footer: ParquetFooter,
  group: number,
  columns: readonly number[],
): Promise<Map<number, ColumnBuffers[]>> {
  const path = location(table).file;
  const open = await openParquet(real, footer);
  const names = columns.map((c) => table.columns[c].name);
  const read = open.queue.then(() =>
    open.file.read({ columns: names, rowGroups: [group], batchSize: DECODE_BATCH_ROWS }),
  );
  open.queue = read.catch(() => undefined);
  let decoded;
  try {
    decoded = await read;
  } catch (error) {
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `Parquet file "${path}" cannot be decoded (row group ${group}): ${String(error)}`,
      { cause: error },
    );
  }
  const pieces = new Map<number, ColumnBuffers[]>(columns.map((c) => [c, []]));
  const ffi = decoded.intoFFI();
  try {
    const reader = new FfiReader(wasmMemory());
    const schema = ffi.schemaAddr();
    // parquet-wasm 0.7 may report the whole file schema for a projected read.
    const schemaWidth = reader.i64(schema + 24);
    for (let b = 0; b < ffi.numArrays(); b++) {
      reader.refresh();
      const array = ffi.arrayAddr(b);
      columns.forEach((c, position) => {
        const childSchema = reader.schemaChild(schema, schemaWidth === columns.length ? position : c);
        pieces
          .get(c)!
          .push(
            reader.column(
              childSchema,
              reader.arrayChild(array, position),
              table.columns[c].type,
              `column "${table.columns[c].name}" of "${path}"`,
            ),
          );
      });
    }
  } finally {
    ffi.free();
  }
  return pieces;
}

function sameLengths(a: readonly ColumnBuffers[], b: readonly ColumnBuffers[]): boolean {
  return a.length === b.length && a.every((piece, i) => piece.length === b[i].length);
}

async function* scanParquet(
  table: TableRef,
  split: Split,
  request: ScanRequest,
  context: ScanContext,
): AsyncGenerator<RecordBatch> {
  const { signal } = context;
  const { real, footer } = await confinedFooter(table, context);
  const rowGroups =
    (split.info.rowGroups as number[] | undefined) ?? footer.metadata.row_groups.map((_, i) => i);
  const descriptors = request.columns.map((c) => table.columns[c]);
  const fileColumns = [...new Set(request.columns)].sort((a, b) => a - b);
  const limit = request.filters.length === 0 ? request.limit : null;
  let produced = 0;

  for (const group of rowGroups) {
    if (signal?.aborted) return;
    if (limit !== null && produced >= limit) return;
    if (fileColumns.length === 0) {
      const rows = Number(footer.metadata.row_groups[group].num_rows);
      produced += rows;
      yield makeRecordBatch([], [], rows);
      continue;
    }
    // The file is read (or served from the cache) by its path, so the path is confined again
    // for every row group: one swapped for a symlink mid-scan gets neither bytes nor cache.
    await confineScanPath(real, context, location(table).file);
    // Decode only the columns the cache does not hold for this row group.
    const keyOf = (c: number) =>
      DecodedColumnCache.key(real, footer.size, footer.mtimeMs, group, table.columns[c].name);
    const pieces = new Map<number, DecodedColumn>();
    for (const c of fileColumns) {
      const cached = decodedColumnCache.get(keyOf(c));
      if (cached) pieces.set(c, cached);
    }
    let missing = fileColumns.filter((c) => !pieces.has(c));
    if (missing.length > 0) {
      let fresh = await decodeRowGroup(table, real, footer, group, missing);
      const reference = pieces.values().next().value;
      if (reference && !sameLengths(reference, fresh.get(missing[0])!)) {
        // Batches cut differently than the cached ones: decode everything together.
        missing = fileColumns;
        fresh = await decodeRowGroup(table, real, footer, group, fileColumns);
      }
      for (const c of missing) {
        pieces.set(c, fresh.get(c)!);
        decodedColumnCache.set(keyOf(c), fresh.get(c)!);
      }
    }
    const batches = pieces.get(fileColumns[0])!;
    for (let b = 0; b < batches.length; b++) {
      const length = batches[b].length;
      produced += length;
      yield makeRecordBatch(
        descriptors,
        request.columns.map((c) => pieces.get(c)![b]),
        length,
      );
    }
  }
}
