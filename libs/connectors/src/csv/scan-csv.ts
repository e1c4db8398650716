import { isUtf8 } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import type { RecordBatch } from 'apache-arrow';
import {
  ColumnBuilder,
  SourceError,
  makeRecordBatch,
  typeToString,
  type ColumnBuffers,
  type ColumnDescriptor,
} from '@tributary/common';
import type { ScanContext } from '../connector.ts';
import { openConfinedFile } from '../open-confined-file.ts';
import { csvByteReader } from './csv-byte-reader.ts';
import type { CsvCompression } from './csv-dialect.ts';
import type { CsvLocation } from './csv-location.ts';
import { CsvTimeFormat } from './csv-time-format.ts';
import { CsvColumn, K_VARCHAR, kindCode } from './csv-column.ts';
import {
  csvRowIndex,
  INDEX_FULL,
  INDEX_ROWS,
  indexCsvRows,
  NEED_BYTES,
  RAGGED,
  UNCLOSED,
  type CsvRowIndex,
  type IndexCursor,
} from './csv-row-index.ts';
import {
  bomLength,
  csvSyntax,
  fieldString,
  INCOMPLETE,
  LF,
  PLAIN,
  rowFields,
  type CsvSyntax,
  type RowFields,
} from './csv-tokenizer.ts';
import { findCsvRecordStart } from './find-csv-record-start.ts';
import { parseCsvColumn, type CsvColumnTarget, type CsvValueOptions } from './parse-csv-columns.ts';

export const CSV_BATCH_ROWS = 65_536;
/** Bad-row descriptions kept for the query's counters. */
const BAD_ROW_SAMPLES = 10;
/** A row longer than this is refused: memory stays bounded whatever the file. */
const MAX_ROW_BYTES = 256 << 20;
/** A split start (or end) undecided after this many bytes is refused rather than buffered on. */
const MAX_RECORD_SEARCH_BYTES = 64 << 20;

export interface CsvRange {
  readonly start: number;
  /** Rows starting at or after the first record start at or after this offset belong to the next split. */
  readonly end: number;
}

/** LF bytes in buf[from, to). */
function countLines(buf: Uint8Array, from: number, to: number): number {
  let lines = 0;
  for (let i = buf.indexOf(LF, from); i >= 0 && i < to; i = buf.indexOf(LF, i + 1)) lines++;
  return lines;
}

/**
 * LF bytes before `offset` of the (decompressed) file, counted by reading it again from the
 * start: only for messages, so the scan itself never counts lines.
 */
async function linesBefore(
  handle: FileHandle,
  file: string,
  compression: CsvCompression,
  offset: number,
): Promise<number> {
  const { reader, release } = csvByteReader(handle, file, compression, 0, 1 << 20);
  let lines = 0;
  try {
    for (let position = 0; position < offset;) {
      const chunk = await reader.next();
      if (chunk === null) break;
      lines += countLines(chunk, 0, Math.min(chunk.length, offset - position));
      position += chunk.length;
    }
  } finally {
    release();
  }
  return lines;
}

/** Offset of the first byte of `bytes` that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let lo = 0;
  let hi = bytes.length;
  // Binary search on the longest valid prefix (a prefix cut inside a sequence is invalid
  // only at its end, so step back over up to 3 continuation bytes).
  const valid = (end: number): boolean => {
    let e = end;
    for (let k = 0; k < 3 && e > 0 && (bytes[e] & 0xc0) === 0x80; k++) e--;
    try {
      decoder.decode(bytes.subarray(0, e));
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (valid(mid)) lo = mid;
    else hi = mid - 1;
  }
  // lo: the longest prefix that is valid up to a sequence boundary.
  let e = lo;
  for (let k = 0; k < 3 && e > 0 && (bytes[e] & 0xc0) === 0x80; k++) e--;
  return e;
}

/** The length of buf up to the start of a UTF-8 sequence that may be cut off at its end. */
function utf8Boundary(buf: Uint8Array, end: number): number {
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = buf[end - k];
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > k ? end - k : end;
  }
  return end;
}

/** The format of each DATE/TIMESTAMP column: sniffed for it, else the table's given one. */
function columnTimeFormats(
  location: CsvLocation,
  table: readonly ColumnDescriptor[],
): (CsvTimeFormat | undefined)[] {
  const cache = new Map<string, CsvTimeFormat>();
  const of = (format: string | undefined): CsvTimeFormat | undefined => {
    if (format === undefined) return undefined;
    if (!cache.has(format)) cache.set(format, new CsvTimeFormat(format));
    return cache.get(format);
  };
  return table.map((c) => {
    if (c.type.kind !== 'DATE' && c.type.kind !== 'TIMESTAMP') return undefined;
    const sniffed = location.columnFormats?.[c.name];
    if (sniffed !== undefined) return of(sniffed);
    return of(c.type.kind === 'DATE' ? location.dateFormat : location.timestampFormat);
  });
}

function describeValue(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}

/**
 * Streams the rows of one byte range of a CSV file (or all of a gzip-compressed one) as
 * RecordBatches of `output` columns (indices into `table`), parsing bytes straight into
 * typed arrays in two passes over each run of rows: indexCsvRows finds the fields (reading
 * quotes as the one tokenizer, csv-tokenizer.ts, does), then each wanted column is parsed
 * as a whole (parse-csv-columns.ts). A split's rows are those that
 * start at or after the record start findCsvRecordStart finds from its start, and before
 * the one it finds from its end. Only the wanted fields are decoded. Bad rows follow the
 * location's policy; UTF-8 is checked on the raw bytes (policy error) or repaired in the
 * text columns produced (policy replace). The file is opened only once confined to the
 * context's roots.
 */
export async function* scanCsv(
  location: CsvLocation,
  table: readonly ColumnDescriptor[],
  output: readonly number[],
  range: CsvRange,
  limit: number | null,
  context: ScanContext,
): AsyncGenerator<RecordBatch> {
  const { signal, counters } = context;
  const file = location.file;
  const gzip = location.compression === 'gzip';
  // A compressed file is one split: only the first reads it.
  if (gzip && range.start > 0) return;
  const width = table.length;
  const descriptors = output.map((c) => table[c]);
  const columns = descriptors.map((d) => new CsvColumn(d.type, CSV_BATCH_ROWS));
  const fields = rowFields(width);
  const syntax = csvSyntax(location);
  const policy = location.badRows;
  const timeFormats = columnTimeFormats(location, table);
  const targetOf = (c: number, column: CsvColumn): CsvColumnTarget => ({
    field: c,
    column,
    scale: table[c].type.kind === 'DECIMAL' ? (table[c].type as { scale: number }).scale : 0,
    format: timeFormats[c],
  });
  const outputs = output.map((c, i) => targetOf(c, columns[i]));
  // Under `skip`, every typed column is checked (not only the wanted ones), so which rows
  // are skipped does not depend on the columns a query reads; the columns not read are
  // parsed into scratch columns. A bad row names the first bad column in table order
  // (under `error`, in output order).
  const parseOrder =
    policy === 'skip'
      ? [
          ...outputs,
          ...table
            .map((d, c) => ({ d, c }))
            .filter(({ d, c }) => !output.includes(c) && kindCode(d.type.kind) !== K_VARCHAR)
            .map(({ d, c }) => targetOf(c, new CsvColumn(d.type, CSV_BATCH_ROWS))),
        ].sort((a, b) => a.field - b.field)
      : outputs;
  const options: CsvValueOptions = {
    syntax,
    nullStrings: location.nullStrings.filter((s) => s !== '').map((s) => Buffer.from(s, 'utf8')),
    emptyIsNull: location.nullStrings.includes(''),
    nullOnError: policy === 'null',
  };

  const { handle } = await openConfinedFile(file, context);
  const readFrom = range.start > 0 ? range.start - 1 : 0;
  const { reader, release } = csvByteReader(handle, file, gzip ? 'gzip' : 'none', readFrom);
  let produced = 0;
  try {
    let buf: Uint8Array = new Uint8Array(0);
    // The buffer buf is a view of, and the one the next refill fills.
    let own = Buffer.alloc(0);
    let spare = Buffer.alloc(0);
    let base = readFrom; // offset of buf[0] in the (decompressed) file
    let eof = false;
    let pos = 0;
    let validated = -1; // UTF-8 is checked from here on, once the first record is found
    // Under `skip`, lines are counted as bytes are dropped (bad rows may be many); otherwise
    // only an error needs a line number, and it is counted then (linesBefore).
    const countAsRead = policy === 'skip';
    let lines = 0; // newlines in the bytes dropped from buf since readFrom, when countAsRead

    const checkUtf8 = (): void => {
      if (location.invalidUtf8 !== 'error' || validated < 0) return;
      const upTo = eof ? buf.length : utf8Boundary(buf, buf.length);
      if (upTo <= validated) return;
      const region = buf.subarray(validated, upTo);
      if (!isUtf8(region)) {
        const offset = base + validated + firstInvalidUtf8(region);
        throw new SourceError(
          'CSV_ENCODING_INVALID',
          `CSV file "${file}" is not valid UTF-8 at byte offset ${offset}${gzip ? ' (of the decompressed data)' : ''}; convert the file to UTF-8 or register it with the option "invalidUtf8": "replace"`,
          { details: { file, byteOffset: offset } },
        );
      }
      validated = upTo;
    };

    const refill = async (keepFrom: number): Promise<void> => {
      if (buf.length - keepFrom > MAX_ROW_BYTES) {
        throw new SourceError(
          'CSV_ROW_TOO_LARGE',
          `CSV file "${file}": a row starting at byte ${base + keepFrom} is longer than ${MAX_ROW_BYTES >> 20} MB (an unclosed quote?)`,
          { details: { file, byteOffset: base + keepFrom } },
        );
      }
      if (buf.length - keepFrom > MAX_RECORD_SEARCH_BYTES && validated < 0) {
        throw new SourceError(
          'CSV_SPLIT_AMBIGUOUS',
          `CSV file "${file}": no row start could be recognised within ${MAX_RECORD_SEARCH_BYTES >> 20} MB after byte ${base}; register it with the option "splittable": false`,
          { details: { file } },
        );
      }
      const chunk = await reader.next();
      if (countAsRead) lines += countLines(buf, 0, keepFrom);
      const kept = buf.subarray(keepFrom);
      if (chunk === null) {
        eof = true;
        buf = kept;
      } else {
        // Two buffers take turns (the rows are parsed out of one before it is refilled).
        const needed = kept.length + chunk.length;
        const target = spare.length >= needed ? spare : Buffer.allocUnsafe(needed + (needed >> 4));
        const next = target.subarray(0, needed);
        next.set(kept, 0);
        next.set(chunk, kept.length);
        reader.recycle(chunk);
        spare = own;
        own = target;
        buf = next;
      }
      base += keepFrom;
      pos -= keepFrom;
      if (validated >= 0) validated = Math.max(0, validated - keepFrom);
      checkUtf8();
    };

    const lineOf = async (index: number): Promise<number> => {
      const compression = gzip ? 'gzip' : 'none';
      if (!countAsRead) return 1 + (await linesBefore(handle, file, compression, base + index));
      const before = readFrom > 0 ? await linesBefore(handle, file, compression, readFrom) : 0;
      return 1 + before + lines + countLines(buf, 0, index);
    };

    const recordStartFrom = async (offset: number): Promise<number> => {
      for (;;) {
        const at = findCsvRecordStart(buf, offset - base, eof, syntax, rowFields(width));
        if (at !== INCOMPLETE) return base + at;
        await refill(Math.min(offset - base, pos));
      }
    };

    // Position on the first row of the split.
    if (range.start > 0) {
      pos = (await recordStartFrom(readFrom)) - base;
    } else {
      while (buf.length < 3 && !eof) await refill(0);
      pos = bomLength(buf);
    }
    validated = pos;
    checkUtf8();
    const skipHeader = range.start === 0 && location.header;
    let endRecord = Number.isFinite(range.end) ? undefined : Infinity;

    const badRow = async (rowStart: number, what: string, code: string, column?: string): Promise<void> => {
      const line = await lineOf(rowStart);
      if (policy === 'skip' && counters) {
        counters.badRowsSkipped++;
        if (counters.badRowSamples.length < BAD_ROW_SAMPLES)
          counters.badRowSamples.push(`${file} line ${line}: ${what}`);
      }
      if (policy === 'error')
        throw new SourceError(code, `CSV file "${file}" line ${line}: ${what}`, {
          details: { file, line, ...(column === undefined ? {} : { column }) },
        });
    };

    const state: LoopState = {
      buf,
      pos,
      eof,
      stopAt: 0,
      skipHeader,
      rowStart: 0,
      fieldCount: 0,
      nextQuote: -1,
      quoteBuf: undefined,
      rows: 0,
      maxRows: CSV_BATCH_ROWS,
      chunk: INDEX_ROWS,
      bad: -1,
      badStart: 0,
      badEnd: 0,
      badFlag: PLAIN,
    };
    const flush = (): RecordBatch => {
      const rows = state.rows;
      const batch = makeRecordBatch(
        descriptors,
        finishColumns(columns, rows, location.invalidUtf8 === 'replace'),
        rows,
      );
      produced += rows;
      state.rows = 0;
      return batch;
    };
    const loop: LoopTarget = {
      index: csvRowIndex(width),
      outputs,
      parseOrder,
      options,
      fields,
      syntax,
      padShortRows: policy === 'null',
    };

    for (;;) {
      if (signal?.aborted) return;
      if (endRecord === undefined && base + pos >= range.end)
        endRecord = await recordStartFrom(range.end - 1);
      if (base + pos >= endRecord!) {
        if (base + pos > endRecord!)
          throw new SourceError(
            'CSV_SPLIT_AMBIGUOUS',
            `CSV file "${file}": a row crosses byte ${endRecord}, where a split was taken to start (a quoted field spans lines there); register it with the option "splittable": false`,
            { details: { file } },
          );
        break;
      }
      if (pos >= buf.length) {
        if (eof) break;
        await refill(pos);
        continue;
      }
      // Rows up to the split's end (or the range's end, until the split's end is known).
      Object.assign(state, {
        buf,
        pos,
        eof,
        stopAt: (endRecord ?? range.end) - base,
        maxRows: limit === null ? CSV_BATCH_ROWS : Math.min(CSV_BATCH_ROWS, limit - produced),
      });
      const event = parseRows(state, loop);
      pos = state.pos;
      switch (event) {
        case NEED_BYTES:
          await refill(pos);
          break;
        case UNCLOSED: {
          const line = await lineOf(state.rowStart);
          throw new SourceError(
            'CSV_QUOTE_UNTERMINATED',
            `CSV file "${file}" line ${line}: a quoted field is not closed before the end of the file`,
            { details: { file, line } },
          );
        }
        case RAGGED:
          await badRow(
            state.rowStart,
            `expected ${width} fields, found ${state.fieldCount}`,
            'CSV_RAGGED_ROW',
          );
          break;
        case BAD_VALUE: {
          const c = state.bad;
          await badRow(
            state.rowStart,
            valueProblem(buf, table, c, state, syntax),
            'CSV_VALUE_INVALID',
            table[c].name,
          );
          break;
        }
        case BATCH_FULL:
          yield flush();
          if (limit !== null && produced >= limit) return;
          break;
        default: // STOPPED: the loop above decides
      }
    }
    if (state.rows > 0) yield flush();
  } finally {
    release();
    if (counters) {
      counters.bytesRead += reader.fileBytes;
      counters.rowsRead += produced;
      if (range.start === 0) counters.filesRead++;
    }
    await handle.close();
  }
}

/** What parseRows stopped for, besides indexCsvRows's STOPPED, NEED_BYTES, UNCLOSED and RAGGED. */
const BATCH_FULL = 5;
const BAD_VALUE = 6;
/** Rows a pass indexes right after a bad row (growing back to INDEX_ROWS): rows after a bad one are indexed again. */
const AFTER_BAD_ROWS = 16;

interface LoopState extends IndexCursor {
  /** Rows of the batch written. */
  rows: number;
  maxRows: number;
  /** Rows the next pass indexes. */
  chunk: number;
  /** A BAD_VALUE's table column and field. */
  bad: number;
  badStart: number;
  badEnd: number;
  badFlag: number;
}

interface LoopTarget {
  readonly index: CsvRowIndex;
  /** The wanted columns, in output order. */
  readonly outputs: readonly CsvColumnTarget[];
  /** The columns parsed, in the order that names a bad row's column. */
  readonly parseOrder: readonly CsvColumnTarget[];
  readonly options: CsvValueOptions;
  readonly fields: RowFields;
  readonly syntax: CsvSyntax;
  /** Policy null: short rows are padded with NULLs, long rows cut, and nothing is reported. */
  readonly padShortRows: boolean;
}

/**
 * Reads rows until something needs the generator: more bytes, a full batch, a bad row to
 * report, or the stop position. Two passes at a time over a run of rows: indexCsvRows finds
 * their fields, then each column is parsed as a whole (parse-csv-columns.ts). A bad value
 * ends the batch's rows before its row, and the rows after it are read again once it is
 * reported. Kept out of the generator so that V8 optimises it as a plain function.
 */
function parseRows(state: LoopState, target: LoopTarget): number {
  const { index, outputs, parseOrder, options, fields, syntax, padShortRows } = target;
  const buf = state.buf;
  for (;;) {
    const event = indexCsvRows(
      state,
      index,
      Math.min(state.chunk, state.maxRows - state.rows),
      syntax,
      fields,
      padShortRows,
    );
    const indexed = index.rows;
    if (indexed > 0) {
      const row0 = state.rows;
      // The first bad row, and the first column (in parseOrder) bad in it.
      let first = indexed;
      let badTarget: CsvColumnTarget | undefined;
      for (let t = 0; t < parseOrder.length; t++) {
        const r = parseCsvColumn(buf, index, 0, first, parseOrder[t], row0, options);
        if (r >= 0) {
          first = r;
          badTarget = parseOrder[t];
        }
      }
      if (badTarget !== undefined) {
        for (let t = 0; t < outputs.length; t++) outputs[t].column.truncate(row0 + first, row0 + indexed);
        const at = badTarget.field * index.capacity + first;
        state.rows = row0 + first;
        state.pos = index.rowEnds[first];
        state.rowStart = index.rowStarts[first];
        state.bad = badTarget.field;
        state.badStart = index.starts[at];
        state.badEnd = index.ends[at];
        state.badFlag = index.tokenized[first] === 0 ? PLAIN : index.flags[at];
        state.chunk = AFTER_BAD_ROWS;
        return BAD_VALUE;
      }
      state.rows = row0 + indexed;
      if (state.chunk < INDEX_ROWS) state.chunk = Math.min(INDEX_ROWS, state.chunk * 2);
    }
    if (event !== INDEX_FULL) return event;
    if (state.rows >= state.maxRows) return BATCH_FULL;
  }
}

/** "column 3 ("l_tax"): expected a DECIMAL(15,2), found "x"". */
function valueProblem(
  buf: Uint8Array,
  table: readonly ColumnDescriptor[],
  c: number,
  state: LoopState,
  syntax: CsvSyntax,
): string {
  const text = fieldString(buf, state.badStart, state.badEnd, state.badFlag, syntax);
  return `column ${c + 1} ("${table[c].name}"): expected a ${typeToString(table[c].type)}, found ${describeValue(text)}`;
}

/**
 * Hands over a batch's columns. Text that is not UTF-8 is repaired (U+FFFD) when `replace`;
 * otherwise the raw bytes were refused already, and text cut out of valid UTF-8 at ASCII
 * delimiters and quotes is valid too, so it is not checked again.
 */
function finishColumns(columns: readonly CsvColumn[], rows: number, replace: boolean): ColumnBuffers[] {
  return columns.map((c) => {
    const column = c.finish(rows);
    if (!replace || !column.offsets || isUtf8(column.values)) return column;
    const repaired = new ColumnBuilder(column.type, rows);
    const { values, offsets } = column;
    for (let r = 0; r < rows; r++) {
      const valid = !column.validity || ((column.validity[r >> 3] >> (r & 7)) & 1) === 1;
      if (!valid) repaired.appendNull();
      else
        repaired.appendString(
          Buffer.from(values.buffer, values.byteOffset + offsets[r], offsets[r + 1] - offsets[r]).toString(
            'utf8',
          ),
        );
    }
    return repaired.finish(rows);
  });
}
