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
import { csvDialect } from './csv-dialect.ts';
import { csvLocation, type CsvLocation } from './csv-location.ts';
import { inferCsvSchema } from './infer-csv-schema.ts';
import { scanCsv } from './scan-csv.ts';

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
    const dialect = csvDialect(options);
    const files = await listTableFiles(path, ['.csv', '.tsv', '.txt'], context.roots);
    const tables: DiscoveredTable[] = [];
    for (const { name, file } of files) {
      const schema = await inferCsvSchema(file, dialect);
      const location: CsvLocation = {
        file,
        delimiter: schema.delimiter,
        quote: dialect.quote,
        nullString: dialect.nullString,
        header: schema.header,
        splittable: !schema.quotedNewlines && dialect.splittable !== false,
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
    let size: number;
    let rowsPerByte: number;
    try {
      size = (await handle.stat()).size;
      // Without a known row count, the lines of the first 64 KB give the rows a byte: an
      // estimate for planning (join sides, admission lanes), never used as a count.
      const head = Buffer.alloc(Math.min(size, 65536));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      let lines = 0;
      for (let i = 0; i < bytesRead; i++) if (head[i] === 10) lines++;
      rowsPerByte = bytesRead === 0 ? 0 : Math.max(1, lines) / bytesRead;
    } finally {
      await handle.close();
    }
    // Quoted newlines make a cut ambiguous (a newline may be inside a field): one split.
    const ranges = location.splittable ? csvRanges(size, targetSplits) : [{ start: 0, end: Infinity }];
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
