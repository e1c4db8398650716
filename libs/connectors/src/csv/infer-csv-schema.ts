import { open } from 'node:fs/promises';
import { VARCHAR, SourceError, type ColumnDescriptor } from '@tributary/common';
import type { TableStatistics } from '@tributary/plan';
import { csvTableStatistics } from './csv-table-statistics.ts';
import type { CsvDialect } from './csv-dialect.ts';
import { CsvTypeSniffer } from './csv-type-sniffer.ts';
import { splitCsvRows } from './split-csv-rows.ts';

/** DuckDB's read_csv sniffs 20480 lines (the header one of them); a byte cap bounds long lines. */
const SAMPLE_BYTES = 8 << 20;
const SAMPLE_LINES = 20_480;

export interface CsvSchema {
  readonly delimiter: string;
  readonly columns: ColumnDescriptor[];
  readonly header: boolean;
  /** A quoted field of the sample spans lines: the file is then read as one split. */
  readonly quotedNewlines: boolean;
  /** Row count and column statistics from the sample (csv-table-statistics.ts). */
  readonly statistics: TableStatistics;
}

/** Reads the first SAMPLE_BYTES of a file (whole rows only, unless the file is shorter). */
async function readSample(file: string): Promise<{ text: string; atEnd: boolean; size: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
    const atEnd = bytesRead < SAMPLE_BYTES;
    let end = bytesRead;
    // Cut at the last newline so no UTF-8 sequence is split.
    if (!atEnd) end = buffer.lastIndexOf(10, bytesRead - 1) + 1;
    return { text: buffer.toString('utf8', 0, end), atEnd, size };
  } finally {
    await handle.close();
  }
}

const DELIMITER_CANDIDATES = [',', ';', '\t', '|'];
const SNIFF_ROWS = 200;

function defaultDelimiter(file: string): string {
  return /\.tsv$/i.test(file) ? '\t' : ',';
}

/**
 * Picks the delimiter under which the sample's rows most consistently have the same number
 * (> 1) of fields, then the most fields; `fallback` when none splits the rows (one column).
 */
export function sniffDelimiter(text: string, quote: string, atEnd: boolean, fallback: string): string {
  let best = fallback;
  let bestScore = 0;
  let bestWidth = 1;
  for (const candidate of [fallback, ...DELIMITER_CANDIDATES.filter((d) => d !== fallback)]) {
    const { rows } = splitCsvRows(text, candidate, quote, SNIFF_ROWS, atEnd);
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.fields.length, (counts.get(row.fields.length) ?? 0) + 1);
    let width = 1;
    let rowsOfWidth = 0;
    for (const [w, n] of counts)
      if (n > rowsOfWidth || (n === rowsOfWidth && w > width)) [width, rowsOfWidth] = [w, n];
    if (width < 2) continue;
    // The share of rows with the usual width; the header row must have it too.
    const score = (rowsOfWidth / rows.length) * (rows[0].fields.length === width ? 1 : 0.5);
    if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && width > bestWidth)) {
      best = candidate;
      bestScore = score;
      bestWidth = width;
    }
  }
  return best;
}

function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((raw, i) => {
    let name = raw.trim() === '' ? `column${i}` : raw.trim();
    const key = name.toLowerCase();
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    if (count > 0) name = `${name}_${count}`;
    return name;
  });
}

/**
 * Infers column names and types of a CSV file from its first 20480 lines or 8 MB, typed as
 * DuckDB's read_csv sniffer types them (CsvTypeSniffer), and whether
 * its first row is a header: with header auto-detection, the first row is a header when
 * none of its fields has the type the rest of its column has (and some column is typed).
 */
export async function inferCsvSchema(file: string, dialect: CsvDialect): Promise<CsvSchema> {
  let sample: { text: string; atEnd: boolean; size: number };
  try {
    sample = await readSample(file);
  } catch (error) {
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `CSV file "${file}" cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (sample.text.includes('\u0000')) {
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `file "${file}" is not a CSV text file (it holds NUL bytes)`,
    );
  }
  const delimiter =
    dialect.delimiter ?? sniffDelimiter(sample.text, dialect.quote, sample.atEnd, defaultDelimiter(file));
  const {
    rows,
    quotedNewline,
    end: sampleEnd,
  } = splitCsvRows(sample.text, delimiter, dialect.quote, SAMPLE_LINES, sample.atEnd);
  // An empty file is an empty table of one text column, as DuckDB reads it.
  if (rows.length === 0 && sample.atEnd)
    return {
      delimiter,
      columns: [{ name: 'column0', type: VARCHAR }],
      header: false,
      quotedNewlines: false,
      statistics: { rowCount: 0, columns: { column0: { nullCount: 0, distinctCount: 0 } } },
    };
  if (rows.length === 0)
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `CSV file "${file}" has no complete row in its first ${SAMPLE_BYTES >> 20} MB`,
    );
  // The first row (header or not) fixes the width; longer rows are reported by the scanner.
  const width = rows[0].fields.length;
  const isNull = (text: string, quoted: boolean): boolean =>
    !quoted && (text === dialect.nullString || text === '');
  const infer = (from: number): CsvTypeSniffer[] => {
    const candidates = Array.from({ length: width }, () => new CsvTypeSniffer());
    for (let r = from; r < rows.length; r++) {
      const { fields, quoted } = rows[r];
      for (let c = 0; c < Math.min(width, fields.length); c++)
        if (!isNull(fields[c], quoted[c])) candidates[c].add(fields[c]);
    }
    return candidates;
  };
  const body = infer(1);
  let header = dialect.header;
  if (header === undefined) {
    const first = rows[0];
    const types = body.map((c) => c.type());
    const typed = types.some((t) => t.kind !== 'VARCHAR');
    // An empty name is allowed (DuckDB names it columnN), as long as some name is given.
    const firstLooksLikeNames =
      first.fields.some((f) => f.trim() !== '') &&
      first.fields.every((f, c) => {
        if (f.trim() === '') return true;
        return types[c].kind === 'VARCHAR' || CsvTypeSniffer.typeOf(f).kind === 'VARCHAR';
      });
    // With nothing typed to contrast (all text, or a lone row), DuckDB takes a first row of
    // text as the header; a lone row of numbers or dates stays data.
    const firstIsText = first.fields.every((f) => CsvTypeSniffer.typeOf(f).kind === 'VARCHAR');
    header = firstLooksLikeNames && (typed || firstIsText);
  }
  const candidates = header ? body : infer(0);
  const names = header
    ? uniqueNames(Array.from({ length: width }, (_, c) => rows[0].fields[c] ?? ''))
    : Array.from({ length: width }, (_, c) => `column${c}`);
  const columns = names.map((name, c) => ({ name, type: candidates[c].type() }));
  const headerEnd = header ? splitCsvRows(sample.text, delimiter, dialect.quote, 1, sample.atEnd).end : 0;
  const bytes = (from: number, to: number) => Buffer.byteLength(sample.text.slice(from, to));
  let statistics: TableStatistics;
  try {
    statistics = await csvTableStatistics(
      file,
      sample.size,
      columns,
      {
        rows: header ? rows.slice(1) : rows,
        bytes: bytes(headerEnd, sampleEnd),
        whole: sample.atEnd && rows.length < SAMPLE_LINES,
      },
      bytes(0, headerEnd),
      {
        delimiter,
        quote: dialect.quote,
        nullString: dialect.nullString,
        splittable: !quotedNewline && dialect.splittable !== false,
      },
    );
  } catch (error) {
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `CSV file "${file}" cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { delimiter, columns, header, quotedNewlines: quotedNewline, statistics };
}
