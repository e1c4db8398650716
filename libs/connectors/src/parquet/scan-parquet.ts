import type { RecordBatch } from 'apache-arrow';
import { SourceError, makeRecordBatch, typeToString, type ColumnBuffers } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import type { ScanContext, ScanRequest, Split } from '../connector.ts';
import { confineScanPath } from '../confine-scan-path.ts';
import { openConfinedFile } from '../open-confined-file.ts';
import { columnSources, type ColumnSource } from './column-sources.ts';
import { constantColumn } from './constant-column.ts';
import { DecodedColumnCache, decodedColumnCache, type DecodedColumn } from './decoded-column-cache.ts';
import { DECODE_BATCH_ROWS, decodeRowGroup } from './decode-row-group.ts';
import { filesOf } from './parquet-location.ts';
import { statOf } from '../metadata-fs.ts';
import { cachedParquetFooter, readParquetFooter, type ParquetFooter } from './read-parquet-footer.ts';

/**
 * Confines one file of the table, then reads its footer through the descriptor just checked.
 * A footer parsed before for the file's current size and mtime needs no descriptor: no byte
 * of the file is read, and its row groups are read (or served from the cache) by the path
 * confined again just before (a point lookup in a sorted reflection then opens nothing).
 */
async function confinedFooter(
  path: string,
  context: ScanContext,
): Promise<{ real: string; footer: ParquetFooter }> {
  const checked = await confineScanPath(path, context);
  const info = await statOf(checked).catch(() => undefined);
  const cached = info && cachedParquetFooter(checked, info.size, info.mtimeMs);
  if (cached) return { real: checked, footer: cached };
  const { handle, real } = await openConfinedFile(path, context);
  try {
    return { real, footer: await readParquetFooter(real, handle) };
  } finally {
    await handle.close();
  }
}

function sameLengths(a: readonly ColumnBuffers[], b: readonly ColumnBuffers[]): boolean {
  return a.length === b.length && a.every((piece, i) => piece.length === b[i].length);
}

/** The lengths of batches a row group of `rows` rows is cut into when nothing is decoded. */
function batchLengths(rows: number): number[] {
  const lengths: number[] = [];
  for (let at = 0; at < rows; at += DECODE_BATCH_ROWS) lengths.push(Math.min(DECODE_BATCH_ROWS, rows - at));
  return lengths;
}

/**
 * Streams one split (a row group of one file of the table, or the rows of it a page index
 * left) as batches of the requested columns: file columns decoded (or served from the
 * decoded-column cache), partition values and columns the file lacks as constant columns.
 * Counts row groups, rows and column chunk bytes read when the context has counters.
 */
export async function* scanParquet(
  table: TableRef,
  split: Split,
  request: ScanRequest,
  context: ScanContext,
): AsyncGenerator<RecordBatch> {
  const { signal, counters } = context;
  const files = filesOf(table);
  const entry = files[(split.info.file as number | undefined) ?? 0];
  if (!entry) {
    throw new SourceError('SOURCE_CHANGED', `table ${table.table} has no file ${String(split.info.file)}`);
  }
  const { real, footer } = await confinedFooter(entry.path, context);
  const sources = columnSources(table, entry, footer);
  const rowGroups =
    (split.info.rowGroups as number[] | undefined) ?? footer.metadata.row_groups.map((_, i) => i);
  const descriptors = request.columns.map((c) => table.columns[c]);
  const decoded = [...new Set(request.columns)].filter((c) => sources[c].kind === 'chunk');
  const limit = request.filters.length === 0 ? request.limit : null;
  // Rows of a one-row-group split that its page index left (planSplits).
  const rowRange =
    rowGroups.length === 1 && Array.isArray(split.info.rowRange)
      ? (split.info.rowRange as [number, number])
      : undefined;
  let produced = 0;

  for (const group of rowGroups) {
    if (signal?.aborted) return;
    if (limit !== null && produced >= limit) return;
    const meta = footer.metadata.row_groups[group];
    if (!meta)
      throw new SourceError('SOURCE_CHANGED', `Parquet file "${entry.path}" has no row group ${group}`);
    if (counters) counters.rowGroupsRead++;
    const pieces = new Map<number, DecodedColumn>();
    if (decoded.length > 0) {
      // The file is read (or served from the cache) by its path, so the path is confined again
      // for every row group: one swapped for a symlink mid-scan gets neither bytes nor cache.
      await confineScanPath(real, context, entry.path);
      const refOf = (c: number) => sources[c] as ColumnSource & { kind: 'chunk' };
      const wanted = (cs: number[]) =>
        cs.map((c) => ({ ...refOf(c), column: c, type: table.columns[c].type }));
      const chunkBytes = (c: number) =>
        Number(meta.columns[refOf(c).chunk]?.meta_data?.total_compressed_size ?? 0);
      if (rowRange) {
        // Part of a row group: decoded apart from the cache, which holds whole row groups.
        const fresh = await decodeRowGroup(entry.path, real, footer, group, wanted(decoded), rowRange);
        for (const c of decoded) {
          pieces.set(c, fresh.get(c)!);
          // parquet-wasm fetches whole column chunks, then skips the rows before the range.
          if (counters) counters.bytesRead += chunkBytes(c);
        }
      }
      const keyOf = (c: number) =>
        DecodedColumnCache.key(
          real,
          footer.size,
          footer.mtimeMs,
          group,
          `${table.columns[c].name}\u0000${typeToString(table.columns[c].type)}`,
        );
      // Decode only the columns the cache does not hold for this row group.
      for (const c of rowRange ? [] : decoded) {
        const cached = decodedColumnCache.get(keyOf(c));
        if (cached) pieces.set(c, cached);
      }
      let missing = decoded.filter((c) => !pieces.has(c));
      if (missing.length > 0) {
        let fresh = await decodeRowGroup(entry.path, real, footer, group, wanted(missing));
        const reference = pieces.values().next().value;
        if (reference && !sameLengths(reference, fresh.get(missing[0])!)) {
          // Batches cut differently than the cached ones: decode everything together.
          missing = decoded;
          fresh = await decodeRowGroup(entry.path, real, footer, group, wanted(decoded));
        }
        for (const c of missing) {
          pieces.set(c, fresh.get(c)!);
          decodedColumnCache.set(keyOf(c), fresh.get(c)!);
          // Column chunk bytes fetched from the file (compressed, as stored).
          if (counters) counters.bytesRead += chunkBytes(c);
        }
      }
    }
    const lengths =
      decoded.length > 0
        ? pieces.get(decoded[0])!.map((p) => p.length)
        : batchLengths(rowRange ? rowRange[1] - rowRange[0] : Number(meta.num_rows));
    for (let b = 0; b < lengths.length; b++) {
      const length = lengths[b];
      produced += length;
      if (counters) counters.rowsRead += length;
      yield makeRecordBatch(
        descriptors,
        request.columns.map((c) => {
          const source = sources[c];
          return source.kind === 'chunk'
            ? pieces.get(c)![b]
            : constantColumn(table.columns[c].type, source.value, length);
        }),
        length,
      );
    }
  }
}
