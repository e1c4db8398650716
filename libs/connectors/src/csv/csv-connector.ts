import type { RecordBatch } from 'apache-arrow';
import type { Expr, TableRef } from '@tributary/plan';
import type {
  Connector,
  DiscoverContext,
  DiscoveredTable,
  FilterSupport,
  ScanContext,
  ScanRequest,
  Split,
} from '../connector.ts';
import { listTableFiles } from '../list-files.ts';
import { openConfinedFile } from '../open-confined-file.ts';
import { checkCsvSourceOptions, csvDialect, tableOptions } from './csv-dialect.ts';
import { csvLocation, type CsvLocation } from './csv-location.ts';
import { inferCsvSchema } from './infer-csv-schema.ts';
import { scanCsv } from './scan-csv.ts';

const CSV_EXTENSIONS = ['.csv', '.tsv', '.txt', '.gz'];

/** Splits smaller than this cost more in scheduling than they gain in parallelism. */
export const MIN_CSV_SPLIT_BYTES = 8 << 20;

/** Cuts a file of `size` bytes into about `target` byte ranges of at least `minBytes`. */
export function csvRanges(
  size: number,
  target: number,
  minBytes = MIN_CSV_SPLIT_BYTES,
): { start: number; end: number }[] {
  const count = Math.max(1, Math.min(Math.floor(target), Math.floor(size / minBytes)));
  const ranges: { start: number; end: number }[] = [];
  for (let i = 0; i < count; i++) {
    ranges.push({
      start: Math.floor((size * i) / count),
      end: i === count - 1 ? Infinity : Math.floor((size * (i + 1)) / count),
    });
  }
  return ranges;
}

/**
 * CSV files: our own byte-level parser into typed columns, byte-range splits cut at line
 * ends. Filters are left to the engine (none is evaluated here); a limit stops early.
 */
export class CsvConnector implements Connector {
  readonly type = 'csv' as const;

  async discover(
    path: string,
    options: Readonly<Record<string, unknown>>,
    context: DiscoverContext,
  ): Promise<DiscoveredTable[]> {
    const listed = await listTableFiles(path, CSV_EXTENSIONS, context.roots);
    // A folder's .gz files are tables only when they hold CSV text (x.csv.gz, y.tsv.gz).
    const files = listed
      .filter(({ file }) => !/\.gz$/i.test(file) || /\.(csv|tsv|txt)\.gz$/i.test(file) || listed.length === 1)
      .map(({ name, file }) => ({ name: name.replace(/\.(csv|tsv|txt)$/i, ''), file }));
    checkCsvSourceOptions(
      options,
      files.map((f) => f.name),
    );
    const tables: DiscoveredTable[] = [];
    for (const { name, file } of files) {
      const dialect = csvDialect(tableOptions(options, name));
      const schema = await inferCsvSchema(file, dialect);
      const location: CsvLocation = {
        file,
        delimiter: schema.delimiter,
        quote: schema.quote,
        escape: schema.escape,
        header: schema.header,
        nullStrings: dialect.nullStrings,
        badRows: dialect.badRows,
        invalidUtf8: dialect.invalidUtf8,
        compression: schema.compression,
        splittable: schema.compression === 'none' && dialect.splittable !== false,
        ...(dialect.dateFormat === undefined ? {} : { dateFormat: dialect.dateFormat }),
        ...(dialect.timestampFormat === undefined ? {} : { timestampFormat: dialect.timestampFormat }),
        ...(Object.keys(schema.pinnedTypes).length === 0 ? {} : { pinnedTypes: schema.pinnedTypes }),
        ...(Object.keys(schema.columnFormats).length === 0 ? {} : { columnFormats: schema.columnFormats }),
      };
      tables.push({
        name,
        columns: schema.columns,
        location: { ...location },
        // An estimate unless the sample was the whole file: kept with the statistics only.
        statistics: schema.statistics,
      });
    }
    return tables;
  }

  /** The dialect and policies a table is read with, sniffed or given, as the API shows them. */
  tableSettings(stored: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const location = csvLocation(stored);
    return {
      delimiter: location.delimiter,
      quote: location.quote,
      escape: location.escape,
      header: location.header,
      nullStrings: [...location.nullStrings],
      badRows: location.badRows,
      invalidUtf8: location.invalidUtf8,
      compression: location.compression,
      splittable: location.splittable,
      ...(location.dateFormat === undefined ? {} : { dateFormat: location.dateFormat }),
      ...(location.timestampFormat === undefined ? {} : { timestampFormat: location.timestampFormat }),
      ...(location.pinnedTypes === undefined ? {} : { columns: { ...location.pinnedTypes } }),
      ...(location.columnFormats === undefined ? {} : { columnFormats: { ...location.columnFormats } }),
    };
  }

  filterSupport(_table: TableRef, _filter: Expr): FilterSupport {
    return 'unsupported';
  }

  async planSplits(
    table: TableRef,
    _request: ScanRequest,
    targetSplits: number,
    context: ScanContext,
  ): Promise<Split[]> {
    const location = csvLocation(table.location);
    const { handle } = await openConfinedFile(location.file, context);
    const gzip = location.compression === 'gzip';
    let size: number;
    let rowsPerByte: number;
    try {
      size = (await handle.stat()).size;
      // Without a known row count, the lines of the first 64 KB give the rows a byte: an
      // estimate for planning (join sides, admission lanes), never used as a count.
      const head = Buffer.alloc(Math.min(size, 65536));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      let lines = 0;
      for (let i = head.indexOf(10, 0); i >= 0 && i < bytesRead; i = head.indexOf(10, i + 1)) lines++;
      // Compressed bytes are no lines: a guess of 25 bytes a row (only used without statistics).
      rowsPerByte = gzip ? 1 / 25 : bytesRead === 0 ? 0 : Math.max(1, lines) / bytesRead;
    } finally {
      await handle.close();
    }
    // Where a split really starts is found by the scanner (find-csv-record-start.ts).
    const ranges =
      location.splittable && !gzip ? csvRanges(size, targetSplits) : [{ start: 0, end: Infinity }];
    const rowCount = table.statistics?.rowCount ?? table.rowCount;
    return ranges.map(({ start, end }) => ({
      info: { start, end: Number.isFinite(end) ? end : null },
      estimatedRows: Math.round(
        rowCount === undefined
          ? ((Number.isFinite(end) ? end : size) - start) * rowsPerByte
          : (rowCount * ((Number.isFinite(end) ? end : size) - start)) / Math.max(1, size),
      ),
    }));
  }

  scan(
    table: TableRef,
    split: Split,
    request: ScanRequest,
    context: ScanContext,
  ): AsyncIterable<RecordBatch> {
    const start = typeof split.info.start === 'number' ? split.info.start : 0;
    const end = typeof split.info.end === 'number' ? split.info.end : Infinity;
    // Unapplied filters may reject rows, so the limit only helps without them.
    const limit = request.filters.length === 0 ? request.limit : null;
    return scanCsv(
      csvLocation(table.location),
      table.columns,
      request.columns,
      { start, end },
      limit,
      context,
    );
  }
}
