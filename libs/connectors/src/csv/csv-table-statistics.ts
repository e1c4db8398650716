import { open } from 'node:fs/promises';
import { parseTime, type ColumnDescriptor, type SqlType } from '@tributary/common';
import type { ColumnStatistics, LiteralValue, TableStatistics } from '@tributary/plan';
import { ColumnSample } from '../statistics/column-sample.ts';
import { parseCsvDate, parseCsvTimestamp } from './parse-csv-value.ts';
import type { CsvSyntax } from './csv-tokenizer.ts';
import { splitCsvRows } from './split-csv-rows.ts';

export interface CsvSampleRow {
  readonly fields: readonly string[];
  readonly quoted: readonly boolean[];
}

/** The sniffer's sample: its data rows (header excluded) and the bytes they span. */
export interface CsvHeadSample {
  readonly rows: readonly CsvSampleRow[];
  readonly bytes: number;
  /** The rows are every row of the file. */
  readonly whole: boolean;
  /** Decompressed bytes per byte of the file (gzip), to estimate the rows of the rest. */
  readonly sizeScale?: number;
}

/** Of a head that is not the whole file, this many rows are taken for column statistics. */
const HEAD_STATISTICS_ROWS = 4096;
/** Besides the head, this many pieces of consecutive rows are read spread over the file… */
const SPREAD_CHUNKS = 4;
/** …each this long: clustered columns (sorted keys) show in them, and the file's end. */
const CHUNK_BYTES = 64 << 10;

/** A CSV field as the literal of its column's type; text where it does not parse (counted, unbounded). */
function literalOf(text: string, type: SqlType): LiteralValue {
  switch (type.kind) {
    case 'BIGINT':
    case 'INTEGER': {
      const trimmed = text.trim();
      let value: bigint;
      try {
        value = BigInt(trimmed);
      } catch {
        return text;
      }
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    }
    case 'DOUBLE': {
      const n = Number(text.trim());
      return Number.isFinite(n) ? n : text.trim().toLowerCase();
    }
    case 'DATE':
      return parseCsvDate(text) ?? text;
    case 'TIMESTAMP':
      return parseCsvTimestamp(text) ?? text;
    case 'TIME':
      return parseTime(text.trim()) ?? text;
    case 'BOOLEAN':
      return /^(true|t|yes)$/i.test(text);
    default:
      return text;
  }
}

/**
 * Rows of pieces of `CHUNK_BYTES` read at SPREAD_CHUNKS places after the head (the last at
 * the file's end), each cut to whole lines; none when the head is the whole file or quoted
 * fields may span lines (a cut could then fall inside a field).
 */
async function readSpreadChunks(
  file: string,
  size: number,
  headBytes: number,
  syntax: CsvSyntax,
): Promise<{ rows: CsvSampleRow[]; bytes: number }[]> {
  if (size - headBytes < 2 * CHUNK_BYTES) return [];
  const handle = await open(file, 'r');
  try {
    const chunks: { rows: CsvSampleRow[]; bytes: number }[] = [];
    const buffer = Buffer.alloc(CHUNK_BYTES);
    for (let k = 1; k <= SPREAD_CHUNKS; k++) {
      const position = Math.max(
        headBytes,
        Math.floor(headBytes + ((size - headBytes) * k) / SPREAD_CHUNKS) - CHUNK_BYTES,
      );
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, position);
      const first = buffer.indexOf(10) + 1;
      const last = buffer.lastIndexOf(10, bytesRead - 1) + 1;
      if (first <= 0 || last <= first) continue;
      const { rows } = splitCsvRows(buffer.subarray(first, last), syntax, Infinity, true);
      chunks.push({ rows, bytes: last - first });
    }
    return chunks;
  } finally {
    await handle.close();
  }
}

/**
 * A CSV file's statistics from the sniffer's sample and a few pieces read across the file:
 * the row count exact when the sample was the whole file, else the file's size over the
 * sampled bytes per row; per column min/max (marked `sampled`), NULL share and a distinct
 * estimate (ColumnSample). Bounded: the head the sniffer already parsed plus 256 KB.
 */
export async function csvTableStatistics(
  file: string,
  size: number,
  columns: readonly ColumnDescriptor[],
  head: CsvHeadSample,
  headerBytes: number,
  dialect: { syntax: CsvSyntax; nullStrings: readonly string[]; splittable: boolean },
): Promise<TableStatistics> {
  const chunks =
    head.whole || !dialect.splittable
      ? []
      : await readSpreadChunks(file, size, headerBytes + head.bytes, dialect.syntax);
  const sampledRows = head.rows.length + chunks.reduce((s, p) => s + p.rows.length, 0);
  const sampledBytes = head.bytes + chunks.reduce((s, p) => s + p.bytes, 0);
  const rowCount = head.whole
    ? head.rows.length
    : Math.max(
        sampledRows,
        Math.round(((size * (head.sizeScale ?? 1) - headerBytes) * sampledRows) / Math.max(1, sampledBytes)),
      );
  // Parsing values costs more than splitting rows: a partial sample need not use all the head.
  const parts = [{ rows: head.whole ? head.rows : head.rows.slice(0, HEAD_STATISTICS_ROWS) }, ...chunks];
  const nulls = new Set(dialect.nullStrings);
  const samples = columns.map(
    (c) => new ColumnSample(c.type.kind !== 'VARCHAR' && c.type.kind !== 'BOOLEAN'),
  );
  for (const part of parts) {
    for (const sample of samples) sample.startPart();
    for (const { fields, quoted } of part.rows) {
      columns.forEach((column, c) => {
        const text = fields[c];
        const isNull = text === undefined || (!quoted[c] && text === '') || (text !== '' && nulls.has(text));
        samples[c].add(isNull ? null : literalOf(text, column.type));
      });
    }
  }
  const out: Record<string, ColumnStatistics> = {};
  columns.forEach((column, c) => {
    out[column.name] = samples[c].statistics(rowCount);
  });
  return { rowCount, columns: out };
}
