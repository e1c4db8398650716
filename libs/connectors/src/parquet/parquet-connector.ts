import { openAsBlob } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { ParquetFile, wasmMemory } from 'parquet-wasm/node';
import {
  SourceError,
  makeRecordBatch,
  typeToString,
  type ColumnBuffers,
  type ColumnDescriptor,
  type SqlType,
} from '@tributary/common';
import type { Expr, LiteralValue, TableRef, TableStatistics } from '@tributary/plan';
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
import { confinePath } from '../confine-path.ts';
import { confineScanPath } from '../confine-scan-path.ts';
import { listFilesBelow, type FolderFile } from '../list-files.ts';
import { openConfinedFile } from '../open-confined-file.ts';
import { combineTableStatistics } from '../statistics/combine-table-statistics.ts';
import { constantColumn } from './constant-column.ts';
import { FfiReader } from './ffi-column.ts';
import { DecodedColumnCache, decodedColumnCache, type DecodedColumn } from './decoded-column-cache.ts';
import { hivePairs, hivePartitioning } from './hive-partitions.ts';
import { parquetFileColumns } from './parquet-file-columns.ts';
import { parquetOptions, type ParquetOptions } from './parquet-options.ts';
import { pageIndexRanges, type RowRange } from './page-index-ranges.ts';
import { readParquetFooter, type ParquetFooter } from './read-parquet-footer.ts';
import { chunkStats, constantStats, statsMayMatch, type ColumnStats } from './row-group-may-match.ts';
import { parquetTableStatistics } from './parquet-table-statistics.ts';
import { unifiedType, unifyFileColumns } from './unify-file-columns.ts';

/** parquet-wasm decodes a whole row group into batches of this many rows. */
const DECODE_BATCH_ROWS = 131_072;
const EXTENSIONS = ['.parquet', '.parq'];
/** Files of a folder table whose distinct counts are sampled at discovery; the rest only add footers. */
const SAMPLED_FILES = 16;

/** One file of a table, and the values of its Hive partition columns (`partitionColumns` order). */
export interface ParquetFileEntry {
  readonly path: string;
  readonly partition?: readonly LiteralValue[];
}

/**
 * Where a Parquet table's data is: one file (`file`, as tables of one file always were), or
 * the files of a folder (`files`) with the names of the columns their folders give
 * (`partitionColumns`); `settings` are the options it was registered with.
 */
export interface ParquetLocation {
  readonly file?: string;
  readonly files?: readonly ParquetFileEntry[];
  readonly partitionColumns?: readonly string[];
  readonly settings?: { readonly binaryAsString?: boolean; readonly unionByName?: boolean };
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

/** The files of a table; a location of one `file` is a table of that file alone. */
function filesOf(table: TableRef): readonly ParquetFileEntry[] {
  const loc = location(table);
  return loc.files ?? (loc.file === undefined ? [] : [{ path: loc.file }]);
}

/** Confines one file of the table, then reads its footer through the descriptor just checked. */
async function confinedFooter(
  path: string,
  context: ScanContext,
): Promise<{ real: string; footer: ParquetFooter }> {
  const { handle, real } = await openConfinedFile(path, context);
  try {
    return { real, footer: await readParquetFooter(real, handle) };
  } finally {
    await handle.close();
  }
}

function predicatesOf(table: TableRef, filters: readonly Expr[]): ColumnPredicate[] {
  return filters
    .map((f) => toColumnPredicate(f, table.columns))
    .filter((p): p is ColumnPredicate => p !== undefined);
}

/** Where one table column's values come from in one file. */
type ColumnSource =
  | { readonly kind: 'chunk'; readonly chunk: number }
  | { readonly kind: 'constant'; readonly value: LiteralValue };

const fileColumnsCache = new WeakMap<ParquetFooter, Map<string, ColumnDescriptor[]>>();

/** A file's typed columns, once per parsed footer and options. */
function columnsOfFile(footer: ParquetFooter, path: string, binaryAsString: boolean): ColumnDescriptor[] {
  let byOptions = fileColumnsCache.get(footer);
  if (!byOptions) fileColumnsCache.set(footer, (byOptions = new Map()));
  const key = `${binaryAsString}`;
  let columns = byOptions.get(key);
  if (!columns) byOptions.set(key, (columns = parquetFileColumns(footer, path, { binaryAsString })));
  return columns;
}

/**
 * How each table column is read from one file: a partition column from the file's folder
 * values, a file column from its chunk (found by name), a column the file lacks as NULL.
 * A file column whose type no longer widens to the table's (the file was rewritten) fails
 * with SOURCE_CHANGED.
 */
function columnSources(table: TableRef, entry: ParquetFileEntry, footer: ParquetFooter): ColumnSource[] {
  const loc = location(table);
  const partitions = loc.partitionColumns ?? [];
  const fileColumns = columnsOfFile(footer, entry.path, loc.settings?.binaryAsString === true);
  const chunkByName = new Map(fileColumns.map((c, i) => [c.name, i]));
  return table.columns.map((column) => {
    const p = partitions.indexOf(column.name);
    if (p >= 0) return { kind: 'constant', value: entry.partition?.[p] ?? null };
    const chunk = chunkByName.get(column.name);
    if (chunk === undefined) return { kind: 'constant', value: null };
    const fileType = fileColumns[chunk].type;
    const widened = unifiedType(fileType, column.type);
    if (!widened || typeToString(widened) !== typeToString(column.type)) {
      throw new SourceError(
        'SOURCE_CHANGED',
        `column "${column.name}" of Parquet file "${entry.path}" is now ${typeToString(fileType)}, not ${typeToString(column.type)} as registered; refresh the source`,
        { details: { file: entry.path, column: column.name } },
      );
    }
    return { kind: 'chunk', chunk };
  });
}

/** One table's files found at discovery, by real path and path below the table's folder. */
interface TableFiles {
  readonly name: string;
  readonly files: readonly FolderFile[];
  /** Whether the table is a folder (files may carry partition folders), not a single file. */
  readonly folder: boolean;
}

const tableName = (file: string): string => basename(file, extname(file));

/**
 * The tables a registered path holds: a file is one table; a folder is one table of all its
 * Parquet files (subfolders included) when `folderLayout` says so or, by default, when its
 * subfolders are Hive partitions; else each Parquet file in it and each subfolder is a table.
 */
async function tablesAt(
  path: string,
  options: ParquetOptions,
  roots: readonly string[],
): Promise<TableFiles[]> {
  const real = await confinePath(path, roots);
  if (!(await stat(real)).isDirectory()) {
    return [{ name: tableName(real), files: [{ file: real, relative: basename(real) }], folder: false }];
  }
  const entries = (await readdir(real, { withFileTypes: true }))
    .filter((e) => !e.name.startsWith('.') && !e.name.startsWith('_'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const oneTable =
    options.folderLayout === 'oneTable' ||
    (options.folderLayout === 'auto' && entries.some((e) => e.isDirectory() && e.name.indexOf('=') > 0));
  const tables: TableFiles[] = [];
  if (oneTable) {
    tables.push({ name: basename(real), files: await listFilesBelow(real, EXTENSIONS, roots), folder: true });
  } else {
    for (const entry of entries) {
      // Each entry is re-confined: a symlink inside the folder may point elsewhere.
      const file = await confinePath(join(real, entry.name), roots);
      const info = await stat(file);
      if (info.isDirectory()) {
        const files = await listFilesBelow(file, EXTENSIONS, roots);
        if (files.length > 0) tables.push({ name: entry.name, files, folder: true });
      } else if (info.isFile() && EXTENSIONS.includes(extname(entry.name).toLowerCase())) {
        tables.push({ name: tableName(entry.name), files: [{ file, relative: entry.name }], folder: false });
      }
    }
  }
  if (tables.length === 0 || tables.every((t) => t.files.length === 0)) {
    throw new SourceError('SOURCE_EMPTY', `folder "${path}" holds no ${EXTENSIONS.join('/')} file`);
  }
  return tables.filter((t) => t.files.length > 0);
}

/** The statistics a file's partition values give: one value (or all NULL) per column. */
function partitionStatistics(
  names: readonly string[],
  values: readonly LiteralValue[],
  rows: number,
): TableStatistics['columns'] {
  const out: Record<
    string,
    { min?: LiteralValue; max?: LiteralValue; nullCount: number; distinctCount: number }
  > = {};
  names.forEach((name, i) => {
    const value = values[i];
    out[name] =
      value === null
        ? { nullCount: rows, distinctCount: 0 }
        : { min: value, max: value, nullCount: 0, distinctCount: rows > 0 ? 1 : 0 };
  });
  return out;
}

/**
 * Parquet files: schema and statistics from the footer (hyparquet), decoding of the chosen
 * row groups and columns by parquet-wasm, copied out of wasm memory through the Arrow C
 * Data Interface into the canonical layout. A table is a file or a folder of files unified by
 * column name, with Hive partition folders as columns. Filters prune files by partition
 * values without opening them, and row groups by statistics (inexact).
 */
export class ParquetConnector implements Connector {
  readonly type = 'parquet' as const;

  async discover(
    path: string,
    rawOptions: Readonly<Record<string, unknown>>,
    context: DiscoverContext,
  ): Promise<DiscoveredTable[]> {
    const options = parquetOptions(rawOptions);
    const tables: DiscoveredTable[] = [];
    for (const found of await tablesAt(path, options, context.roots)) {
      tables.push(await discoverTable(found, options));
    }
    return tables;
  }

  filterSupport(table: TableRef, filter: Expr): FilterSupport {
    return toColumnPredicate(filter, table.columns) ? 'inexact' : 'unsupported';
  }

  tableSettings(loc: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const l = loc as ParquetLocation;
    return {
      files: l.files?.length ?? 1,
      partitionColumns: l.partitionColumns ?? [],
      unionByName: l.settings?.unionByName ?? true,
      binaryAsString: l.settings?.binaryAsString ?? false,
    };
  }

  async planSplits(
    table: TableRef,
    request: ScanRequest,
    _targetSplits: number,
    context: ScanContext,
  ): Promise<Split[]> {
    const predicates = predicatesOf(table, request.filters);
    const partitions = location(table).partitionColumns ?? [];
    const counters = context.counters;
    const splits: Split[] = [];
    const files = filesOf(table);
    for (let f = 0; f < files.length; f++) {
      const entry = files[f];
      if (partitions.length > 0 && predicates.length > 0) {
        // A partition's value decides for the whole file, before it is opened.
        const partitionStats = (column: number): ColumnStats => {
          const p = partitions.indexOf(table.columns[column].name);
          return p >= 0 ? constantStats(entry.partition?.[p] ?? null, 1) : { rows: 1 };
        };
        if (!predicates.every((p) => statsMayMatch(p, partitionStats, table.columns))) {
          if (counters) counters.filesSkipped++;
          continue;
        }
      }
      const { handle, real } = await openConfinedFile(entry.path, context);
      try {
        const footer = await readParquetFooter(real, handle);
        if (counters) counters.filesRead++;
        const sources = columnSources(table, entry, footer);
        const chunkOf = (column: number) => {
          const source = sources[column];
          return source.kind === 'chunk' ? source.chunk : undefined;
        };
        const groups = footer.metadata.row_groups;
        for (let index = 0; index < groups.length; index++) {
          const group = groups[index];
          if (group.num_rows === 0n) continue;
          const rows = Number(group.num_rows);
          const statsOf = (column: number): ColumnStats => {
            const source = sources[column];
            return source.kind === 'chunk'
              ? chunkStats(group, source.chunk)
              : constantStats(source.value, rows);
          };
          if (!predicates.every((p) => statsMayMatch(p, statsOf, table.columns))) {
            if (counters) counters.rowGroupsSkipped++;
            continue;
          }
          // Pages whose own statistics rule them out are not decoded (when the file has a page index).
          const ranges =
            predicates.length > 0
              ? await pageIndexRanges(handle, footer, index, predicates, table.columns, chunkOf)
              : undefined;
          if (ranges !== undefined && ranges.length === 0) {
            if (counters) counters.rowGroupsSkipped++;
            continue;
          }
          // One read covers the rows that may match, from the first such page to the last:
          // each read fetches its column chunks, so several small reads would cost more.
          const span = ranges && ([ranges[0][0], ranges[ranges.length - 1][1]] as const);
          if (!span || (span[0] === 0 && span[1] === rows)) {
            splits.push({ info: { file: f, rowGroups: [index] }, estimatedRows: rows });
          } else {
            splits.push({
              info: { file: f, rowGroups: [index], rowRange: [span[0], span[1]] },
              estimatedRows: span[1] - span[0],
            });
          }
        }
      } finally {
        await handle.close();
      }
    }
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

/** Reads the footers of one table's files and makes it: columns, location, statistics. */
async function discoverTable(found: TableFiles, options: ParquetOptions): Promise<DiscoveredTable> {
  const paths = found.files.map((f) => f.file);
  const footers: ParquetFooter[] = [];
  const perFile: ColumnDescriptor[][] = [];
  for (const path of paths) {
    const footer = await readParquetFooter(path);
    footers.push(footer);
    perFile.push(parquetFileColumns(footer, path, options));
  }
  const relatives = found.files.map((f) => f.relative);
  const hive =
    found.folder &&
    (options.hivePartitioning === true ||
      (options.hivePartitioning === 'auto' && relatives.some((r) => hivePairs(r).length > 0)));
  const partitioning = hive ? hivePartitioning(relatives, (i) => paths[i]) : undefined;
  const partitionNames = partitioning?.columns.map((c) => c.name) ?? [];
  const unified = unifyFileColumns(perFile, paths, options.unionByName);
  // A partition column named like a file column takes its place (DuckDB does the same).
  const columns: ColumnDescriptor[] = unified.map((c) => {
    const p = partitionNames.indexOf(c.name);
    return p >= 0 ? { name: c.name, type: partitioning!.columns[p].type } : c;
  });
  for (const c of partitioning?.columns ?? []) {
    if (!unified.some((u) => u.name === c.name)) columns.push({ name: c.name, type: c.type });
  }
  const settings = { binaryAsString: options.binaryAsString, unionByName: options.unionByName };
  const loc: ParquetLocation =
    found.folder || paths.length !== 1
      ? {
          files: paths.map((path, i) =>
            partitioning ? { path, partition: partitioning.values[i] } : { path },
          ),
          ...(partitioning ? { partitionColumns: partitionNames } : {}),
          settings,
        }
      : { file: paths[0], settings };
  const parts: TableStatistics[] = [];
  for (let f = 0; f < paths.length; f++) {
    const fileColumns = perFile[f];
    const sampled = f < SAMPLED_FILES;
    const stats = await parquetTableStatistics(footers[f], fileColumns, (group, wanted) =>
      sampled
        ? decodeRowGroup(
            paths[f],
            paths[f],
            footers[f],
            group,
            wanted.map((c) => ({ column: c, chunk: c, type: fileColumns[c].type })),
          )
        : Promise.resolve(new Map()),
    );
    const rows = Number(footers[f].metadata.num_rows);
    const byName: Record<string, NonNullable<TableStatistics['columns']>[string]> = {};
    for (const column of columns) {
      const fromFile = stats.columns?.[column.name];
      const p = partitionNames.indexOf(column.name);
      if (p >= 0) continue;
      // Distinct counts of files beyond the sampled ones are unknown (estimated below).
      if (fromFile) {
        const { distinctCount, ...rest } = fromFile;
        byName[column.name] = sampled && distinctCount !== undefined ? { ...rest, distinctCount } : rest;
      } else byName[column.name] = { nullCount: rows, distinctCount: 0 };
    }
    Object.assign(byName, partitionStatistics(partitionNames, partitioning?.values[f] ?? [], rows));
    parts.push({ rowCount: rows, columns: byName });
  }
  const statistics = estimateUnsampledDistinct(combineTableStatistics(parts), parts);
  return {
    name: found.name,
    columns,
    location: { ...loc },
    rowCount: statistics.rowCount ?? footers.reduce((s, f) => s + Number(f.metadata.num_rows), 0),
    statistics,
  };
}

/**
 * Distinct counts for a folder with more files than were sampled: the sampled files' count
 * scaled by rows, at most the column's non-NULL rows (an estimate for join ordering only).
 */
function estimateUnsampledDistinct(
  combined: TableStatistics,
  parts: readonly TableStatistics[],
): TableStatistics {
  if (parts.length <= SAMPLED_FILES) return combined;
  const sampledParts = parts.slice(0, SAMPLED_FILES);
  const sampled = combineTableStatistics(sampledParts);
  const sampledRows = sampled.rowCount ?? 0;
  const totalRows = combined.rowCount ?? 0;
  const columns = { ...(combined.columns ?? {}) };
  for (const [name, stats] of Object.entries(columns)) {
    const fromSample = sampled.columns?.[name]?.distinctCount;
    if (stats.distinctCount !== undefined || fromSample === undefined || sampledRows === 0) continue;
    const nonNull = totalRows - (stats.nullCount ?? 0);
    columns[name] = {
      ...stats,
      distinctCount: Math.max(0, Math.min(nonNull, Math.round((fromSample * totalRows) / sampledRows))),
    };
  }
  return { ...combined, columns };
}

/** A table column to decode from a file: its column chunk and the type it is read as. */
interface WantedColumn {
  readonly column: number;
  readonly chunk: number;
  readonly type: SqlType;
}

/**
 * Decodes `wanted` columns of one row group of the real path `real` into per-column pieces
 * (keyed by `column`), one piece per decoded batch. Errors name `shown`.
 */
async function decodeRowGroup(
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

function sameLengths(a: readonly ColumnBuffers[], b: readonly ColumnBuffers[]): boolean {
  return a.length === b.length && a.every((piece, i) => piece.length === b[i].length);
}

/** The lengths of batches a row group of `rows` rows is cut into when nothing is decoded. */
function batchLengths(rows: number): number[] {
  const lengths: number[] = [];
  for (let at = 0; at < rows; at += DECODE_BATCH_ROWS) lengths.push(Math.min(DECODE_BATCH_ROWS, rows - at));
  return lengths;
}

async function* scanParquet(
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
      const chunkOf = (c: number) => (sources[c] as { chunk: number }).chunk;
      const wanted = (cs: number[]) =>
        cs.map((c) => ({ column: c, chunk: chunkOf(c), type: table.columns[c].type }));
      const chunkBytes = (c: number) =>
        Number(meta.columns[chunkOf(c)]?.meta_data?.total_compressed_size ?? 0);
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
