import { open } from 'node:fs/promises';
import { closestNames, SourceError, VARCHAR, type ColumnDescriptor } from '@tributary/common';
import type { TableStatistics } from '@tributary/plan';
import { compressionOfName, csvByteReader } from './csv-byte-reader.ts';
import type { CsvCompression, CsvDialect } from './csv-dialect.ts';
import { csvTableStatistics } from './csv-table-statistics.ts';
import { CsvTimeFormat } from './csv-time-format.ts';
import { bomLength, csvSyntax } from './csv-tokenizer.ts';
import { CsvTypeSniffer, type CsvTimeFormats } from './csv-type-sniffer.ts';
import { splitCsvRows } from './split-csv-rows.ts';

/** DuckDB's read_csv sniffs 20480 lines (the header one of them); a byte cap bounds long lines. */
const SAMPLE_BYTES = 8 << 20;
const SAMPLE_LINES = 20_480;

export interface CsvSchema {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
  readonly compression: CsvCompression;
  readonly columns: ColumnDescriptor[];
  readonly header: boolean;
  /** A quoted field of the sample spans lines. */
  readonly quotedNewlines: boolean;
  /** Date/timestamp formats sniffed per column. */
  readonly columnFormats: Record<string, string>;
  /** Columns whose type the options pinned, by name, as type names. */
  readonly pinnedTypes: Record<string, string>;
  /** Row count and column statistics from the sample (csv-table-statistics.ts). */
  readonly statistics: TableStatistics;
}

interface Sample {
  readonly bytes: Uint8Array;
  readonly atEnd: boolean;
  readonly size: number;
  /** Bytes of the file read for the sample (compressed, for gzip). */
  readonly fileBytes: number;
}

/** Reads up to SAMPLE_BYTES of a file's (decompressed) bytes, cut after the last newline unless at its end. */
async function readSample(file: string, compression: CsvCompression): Promise<Sample> {
  const handle = await open(file, 'r');
  const { reader, release } = csvByteReader(handle, file, compression, 0, 1 << 20);
  try {
    const { size } = await handle.stat();
    const chunks: Uint8Array[] = [];
    let length = 0;
    let atEnd = false;
    while (length < SAMPLE_BYTES) {
      const chunk = await reader.next();
      if (chunk === null) {
        atEnd = true;
        break;
      }
      chunks.push(chunk);
      length += chunk.length;
    }
    let bytes: Uint8Array = Buffer.concat(chunks, length);
    if (!atEnd) {
      bytes = bytes.subarray(0, SAMPLE_BYTES);
      bytes = bytes.subarray(0, bytes.lastIndexOf(10) + 1);
    }
    return { bytes, atEnd, size, fileBytes: reader.fileBytes };
  } finally {
    release();
    await handle.close();
  }
}

const DELIMITER_CANDIDATES = [',', ';', '\t', '|'];
const QUOTE_CANDIDATES = ['"', "'"];
const SNIFF_ROWS = 200;

function defaultDelimiter(file: string): string {
  return /\.tsv(\.gz)?$/i.test(file) ? '\t' : ',';
}

export interface CsvSniffedSyntax {
  readonly delimiter: string;
  readonly quote: string;
  readonly escape: string;
}

/**
 * Picks the delimiter, quote and escape under which the sample's rows most consistently
 * have the same number (> 1) of fields, then the most fields, as DuckDB's sniffer does;
 * a reading that leaves text after a closing quote or a quote open scores lower. Ties keep
 * the first candidate: `fallback` (',' or tab for .tsv), '"', and "" doubling. Choices given
 * in `given` are not sniffed.
 */
export function sniffSyntax(
  bytes: Uint8Array,
  atEnd: boolean,
  given: Partial<CsvSniffedSyntax>,
  fallback: string,
): CsvSniffedSyntax {
  const delimiters = given.delimiter
    ? [given.delimiter]
    : [fallback, ...DELIMITER_CANDIDATES.filter((d) => d !== fallback)];
  const quotes = given.quote ? [given.quote] : QUOTE_CANDIDATES;
  let best: CsvSniffedSyntax = {
    delimiter: delimiters[0],
    quote: quotes[0],
    escape: given.escape ?? quotes[0],
  };
  let bestScore = 0;
  let bestWidth = 1;
  for (const delimiter of delimiters) {
    for (const quote of quotes) {
      if (quote === delimiter) continue;
      const escapes = given.escape ? [given.escape] : [quote, '\\'];
      for (const escape of escapes) {
        const syntax = csvSyntax({ delimiter, quote, escape });
        const { rows, strayAfterQuote, unterminated } = splitCsvRows(bytes, syntax, SNIFF_ROWS, atEnd);
        if (rows.length === 0) continue;
        const counts = new Map<number, number>();
        for (const row of rows) counts.set(row.fields.length, (counts.get(row.fields.length) ?? 0) + 1);
        let width = 1;
        let rowsOfWidth = 0;
        for (const [w, n] of counts)
          if (n > rowsOfWidth || (n === rowsOfWidth && w > width)) [width, rowsOfWidth] = [w, n];
        if (width < 2 && given.delimiter === undefined) continue;
        // The share of rows with the usual width; the header row must have it too.
        let score = (rowsOfWidth / rows.length) * (rows[0].fields.length === width ? 1 : 0.5);
        if (strayAfterQuote) score *= 0.5;
        if (unterminated) score *= 0.25;
        if (score > bestScore + 1e-9 || (Math.abs(score - bestScore) <= 1e-9 && width > bestWidth)) {
          best = { delimiter, quote, escape };
          bestScore = score;
          bestWidth = width;
        }
      }
    }
  }
  return best;
}

/** Picks the delimiter as sniffSyntax does, for '"' quoting. */
export function sniffDelimiter(bytes: Uint8Array, atEnd: boolean, fallback: string): string {
  return sniffSyntax(bytes, atEnd, { quote: '"', escape: '"' }, fallback).delimiter;
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

function fileError(file: string, error: unknown): SourceError {
  if (error instanceof SourceError) return error;
  return new SourceError(
    'SOURCE_FILE_INVALID',
    `CSV file "${file}" cannot be read: ${(error as Error).message}`,
    {
      cause: error,
    },
  );
}

/**
 * Infers the dialect, column names and types of a CSV file from its first 20480 lines or
 * 8 MB (decompressed), typed as DuckDB's read_csv sniffer types them (CsvTypeSniffer), and
 * whether its first row is a header: with header auto-detection, the first row is a header
 * when none of its fields has the type the rest of its column has (and some column is
 * typed). Types pinned by the options replace the sniffed ones.
 */
export async function inferCsvSchema(file: string, dialect: CsvDialect): Promise<CsvSchema> {
  const compression = dialect.compression ?? compressionOfName(file);
  let sample: Sample;
  try {
    sample = await readSample(file, compression);
  } catch (error) {
    throw fileError(file, error);
  }
  if (sample.bytes.includes(0)) {
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `file "${file}" is not a CSV text file (it holds NUL bytes)`,
    );
  }
  const sniffed = sniffSyntax(
    sample.bytes,
    sample.atEnd,
    { delimiter: dialect.delimiter, quote: dialect.quote, escape: dialect.escape },
    defaultDelimiter(file),
  );
  const syntax = csvSyntax(sniffed);
  const formats: CsvTimeFormats = {
    ...(dialect.dateFormat === undefined ? {} : { date: new CsvTimeFormat(dialect.dateFormat) }),
    ...(dialect.timestampFormat === undefined
      ? {}
      : { timestamp: new CsvTimeFormat(dialect.timestampFormat) }),
  };
  const {
    rows,
    quotedNewline,
    end: sampleEnd,
  } = splitCsvRows(sample.bytes, syntax, SAMPLE_LINES, sample.atEnd);
  const base = {
    ...sniffed,
    compression,
    quotedNewlines: quotedNewline,
  };
  // An empty file is an empty table of one text column, as DuckDB reads it.
  if (rows.length === 0 && sample.atEnd)
    return {
      ...base,
      columns: [{ name: 'column0', type: VARCHAR }],
      header: false,
      pinnedTypes: {},
      columnFormats: {},
      statistics: { rowCount: 0, columns: { column0: { nullCount: 0, distinctCount: 0 } } },
    };
  if (rows.length === 0)
    throw new SourceError(
      'SOURCE_FILE_INVALID',
      `CSV file "${file}" has no complete row in its first ${SAMPLE_BYTES >> 20} MB`,
    );
  // The first row (header or not) fixes the width; other widths are bad rows for the scanner.
  const width = rows[0].fields.length;
  const nulls = new Set(dialect.nullStrings);
  // An empty field types no column, whatever the null strings (as DuckDB's sniffer).
  const isNull = (text: string, quoted: boolean): boolean =>
    (!quoted && text === '') || (text !== '' && nulls.has(text));
  const infer = (from: number): CsvTypeSniffer[] => {
    const candidates = Array.from({ length: width }, () => new CsvTypeSniffer(formats));
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
        // A name is text, or at least not of its column's type (`t` over a TIME column).
        return (
          types[c].kind === 'VARCHAR' ||
          CsvTypeSniffer.typeOf(f, formats).kind === 'VARCHAR' ||
          !body[c].accepts(f)
        );
      });
    // With nothing typed to contrast (all text, or a lone row), DuckDB takes a first row of
    // text as the header; a lone row of numbers or dates stays data.
    const firstIsText = first.fields.every((f) => CsvTypeSniffer.typeOf(f, formats).kind === 'VARCHAR');
    header = firstLooksLikeNames && (typed || firstIsText);
  }
  const candidates = header ? body : infer(0);
  const names = header
    ? uniqueNames(Array.from({ length: width }, (_, c) => rows[0].fields[c] ?? ''))
    : Array.from({ length: width }, (_, c) => `column${c}`);
  const columns = names.map((name, c) => ({ name, type: candidates[c].type() }));
  const columnFormats: Record<string, string> = {};
  candidates.forEach((candidate, c) => {
    const format = candidate.format();
    if (format !== undefined) columnFormats[names[c]] = format;
  });
  const pinnedTypes = pinTypes(file, columns, dialect);
  // A pinned type is read by its default cast or the given format, not a sniffed one.
  for (const name of Object.keys(pinnedTypes)) delete columnFormats[name];
  const headerEnd = header
    ? splitCsvRows(sample.bytes, syntax, 1, sample.atEnd).end
    : bomLength(sample.bytes);
  let statistics: TableStatistics;
  try {
    statistics = await csvTableStatistics(
      file,
      sample.size,
      columns,
      {
        rows: header ? rows.slice(1) : rows,
        bytes: sampleEnd - headerEnd,
        whole: sample.atEnd && rows.length < SAMPLE_LINES,
        // Compressed: the file's size in decompressed bytes, estimated from the sample's ratio.
        ...(compression === 'gzip' ? { sizeScale: sample.bytes.length / Math.max(1, sample.fileBytes) } : {}),
      },
      headerEnd,
      {
        syntax,
        nullStrings: dialect.nullStrings,
        splittable: compression === 'none' && !quotedNewline && dialect.splittable !== false,
      },
    );
  } catch (error) {
    throw fileError(file, error);
  }
  return { ...base, columns, header, pinnedTypes, columnFormats, statistics };
}

/** Replaces sniffed types by the options' pinned ones; a pinned name that is no column is refused. */
function pinTypes(file: string, columns: ColumnDescriptor[], dialect: CsvDialect): Record<string, string> {
  const pinned: Record<string, string> = {};
  const byName = new Map(columns.map((c, i) => [c.name.toLowerCase(), i]));
  for (const [name, type] of Object.entries(dialect.types)) {
    const index = byName.get(name);
    if (index === undefined) {
      const suggestions = closestNames(
        name,
        columns.map((c) => c.name),
      );
      throw new SourceError(
        'SOURCE_OPTION_INVALID',
        `CSV option "columns" names column "${name}", which CSV file "${file}" does not have${suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : ''}`,
        { suggestions },
      );
    }
    columns[index] = { name: columns[index].name, type };
    pinned[columns[index].name] = typeName(type);
  }
  return pinned;
}

function typeName(type: ColumnDescriptor['type']): string {
  return type.kind === 'DECIMAL' ? `DECIMAL(${type.precision},${type.scale})` : type.kind;
}
