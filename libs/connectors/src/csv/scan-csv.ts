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
import {
  ABSENT,
  bomLength,
  csvSyntax,
  fieldString,
  INCOMPLETE,
  LF,
  PLAIN,
  QUOTED_ESCAPES,
  rowFields,
  tokenizeRow,
  UNTERMINATED,
  unescapeField,
  type CsvSyntax,
  type RowFields,
} from './csv-tokenizer.ts';
import { findCsvRecordStart } from './find-csv-record-start.ts';
import {
  parseCsvDate,
  parseDateBytes,
  parseDecimalBytes,
  parseDoubleBytes,
  parseCsvTimestamp,
  parseIntegerBytes,
} from './parse-csv-value.ts';

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
 * typed arrays with the one tokenizer (csv-tokenizer.ts). A split's rows are those that
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
  const builders = descriptors.map((d) => new ColumnBuilder(d.type, CSV_BATCH_ROWS));
  const fields = rowFields(width);
  const syntax = csvSyntax(location);
  const policy = location.badRows;
  const timeFormats = columnTimeFormats(location, table);
  const row: RowTarget = {
    output: Int32Array.from(output),
    builders,
    kinds: Int32Array.from(output, (c) => kindCode(table[c].type.kind)),
    scales: output.map((c) =>
      table[c].type.kind === 'DECIMAL' ? (table[c].type as { scale: number }).scale : 0,
    ),
    fields,
    syntax,
    nullStrings: location.nullStrings.filter((s) => s !== '').map((s) => Buffer.from(s, 'utf8')),
    timeFormats: output.map((c) => timeFormats[c]),
    emptyIsNull: location.nullStrings.includes(''),
    nullOnError: policy === 'null',
  };
  // Under `skip`, every typed column is checked (not only the wanted ones), so which rows
  // are skipped does not depend on the columns a query reads.
  const checked: RowTarget | undefined =
    policy === 'skip'
      ? {
          ...row,
          output: Int32Array.from(table.keys()),
          builders: [],
          kinds: Int32Array.from(table, (c) => kindCode(c.type.kind)),
          scales: table.map((c) => (c.type.kind === 'DECIMAL' ? (c.type as { scale: number }).scale : 0)),
          timeFormats,
        }
      : undefined;

  const { handle } = await openConfinedFile(file, context);
  const readFrom = range.start > 0 ? range.start - 1 : 0;
  const { reader, release } = csvByteReader(handle, file, gzip ? 'gzip' : 'none', readFrom);
  let produced = 0;
  try {
    let buf: Uint8Array = new Uint8Array(0);
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
        const next = Buffer.allocUnsafe(kept.length + chunk.length);
        next.set(kept, 0);
        next.set(chunk, kept.length);
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
      rows: 0,
      maxRows: CSV_BATCH_ROWS,
      skipHeader,
      rowStart: 0,
      bad: -1,
    };
    const flush = (): RecordBatch => {
      const rows = state.rows;
      const batch = makeRecordBatch(
        descriptors,
        finishColumns(builders, rows, produced, file, descriptors, location.invalidUtf8 === 'replace'),
        rows,
      );
      produced += rows;
      state.rows = 0;
      return batch;
    };
    const loop: LoopTarget = { row, checked, width, syntax, padShortRows: policy === 'null' };

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
          await badRow(state.rowStart, `expected ${width} fields, found ${fields.count}`, 'CSV_RAGGED_ROW');
          break;
        case BAD_VALUE: {
          const c = state.bad;
          await badRow(
            state.rowStart,
            valueProblem(buf, table, c, fields, syntax),
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

/** What parseRows stopped for. */
const STOPPED = 0;
const NEED_BYTES = 1;
const BATCH_FULL = 2;
const UNCLOSED = 3;
const RAGGED = 4;
const BAD_VALUE = 5;

interface LoopState {
  buf: Uint8Array;
  pos: number;
  eof: boolean;
  /** Stop before a row starting at or after this index of buf. */
  stopAt: number;
  rows: number;
  maxRows: number;
  skipHeader: boolean;
  /** The row an UNCLOSED, RAGGED or BAD_VALUE is about, and the bad value's table column. */
  rowStart: number;
  bad: number;
}

interface LoopTarget {
  readonly row: RowTarget;
  /** Under `skip`, every typed column of a row is checked before it is written. */
  readonly checked: RowTarget | undefined;
  readonly width: number;
  readonly syntax: CsvSyntax;
  /** Policy null: short rows are padded with NULLs, long rows cut, and nothing is reported. */
  readonly padShortRows: boolean;
}

/**
 * Tokenises and appends rows until something needs the generator: more bytes, a full
 * batch, a bad row to report, or the stop position. Kept out of the generator so that V8
 * optimises this hot loop as a plain function.
 */
function parseRows(state: LoopState, target: LoopTarget): number {
  const { buf, eof, stopAt, maxRows } = state;
  const { row, checked, width, syntax, padShortRows } = target;
  const fields = row.fields;
  const { start: fieldStart, end: fieldEnd, flag: fieldFlag } = fields;
  const n = buf.length;
  let pos = state.pos;
  let rows = state.rows;
  try {
    for (;;) {
      if (pos >= stopAt) return STOPPED;
      if (pos >= n) return eof ? STOPPED : NEED_BYTES;
      const rowStart = pos;
      const p = tokenizeRow(buf, pos, n, eof, syntax, fields);
      if (p === INCOMPLETE) return NEED_BYTES;
      if (p === UNTERMINATED) {
        state.rowStart = rowStart;
        return UNCLOSED;
      }
      pos = p;
      const fieldCount = fields.count;
      // A blank line is no row.
      if (fieldCount === 1 && fieldFlag[0] === PLAIN && fieldEnd[0] === fieldStart[0]) continue;
      if (state.skipHeader) {
        state.skipHeader = false;
        continue;
      }
      if (fieldCount !== width) {
        if (!padShortRows) {
          state.rowStart = rowStart;
          return RAGGED;
        }
        for (let f = fieldCount; f < width; f++) fieldFlag[f] = ABSENT;
      }
      if (checked !== undefined) {
        const bad = appendRow(buf, -1, checked);
        if (bad >= 0) {
          state.rowStart = rowStart;
          state.bad = bad;
          return BAD_VALUE;
        }
      }
      const failed = appendRow(buf, rows, row);
      if (failed >= 0) {
        state.rowStart = rowStart;
        state.bad = row.output[failed];
        return BAD_VALUE;
      }
      rows++;
      if (rows >= maxRows) return BATCH_FULL;
    }
  } finally {
    state.pos = pos;
    state.rows = rows;
  }
}

/** "column 3 ("l_tax"): expected a DECIMAL(15,2), found "x"". */
function valueProblem(
  buf: Uint8Array,
  table: readonly ColumnDescriptor[],
  c: number,
  fields: RowFields,
  syntax: CsvSyntax,
): string {
  const text = fieldString(buf, fields.start[c], fields.end[c], fields.flag[c], syntax);
  return `column ${c + 1} ("${table[c].name}"): expected a ${typeToString(table[c].type)}, found ${describeValue(text)}`;
}

/**
 * Hands over a batch's columns. Text that is not UTF-8 is repaired (U+FFFD) when `replace`;
 * otherwise it was refused on the raw bytes already.
 */
function finishColumns(
  builders: readonly ColumnBuilder[],
  rows: number,
  produced: number,
  file: string,
  descriptors: readonly ColumnDescriptor[],
  replace: boolean,
): ColumnBuffers[] {
  return builders.map((b, i) => {
    const column = b.finish(rows);
    if (!column.offsets || isUtf8(column.values)) return column;
    if (!replace) {
      throw new SourceError(
        'CSV_ENCODING_INVALID',
        `column "${descriptors[i].name}" of CSV file "${file}" holds text that is not valid UTF-8 (in data row ${produced + 1} or later of the scanned range)`,
        { details: { file, column: descriptors[i].name } },
      );
    }
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

const K_OTHER = 0;
const K_VARCHAR = 1;
const K_BIGINT = 2;
const K_INTEGER = 3;
const K_DECIMAL = 4;
const K_DOUBLE = 5;
const K_DATE = 6;
const K_TIMESTAMP = 7;
const K_BOOLEAN = 8;

function kindCode(kind: string): number {
  switch (kind) {
    case 'VARCHAR':
      return K_VARCHAR;
    case 'BIGINT':
      return K_BIGINT;
    case 'INTEGER':
      return K_INTEGER;
    case 'DECIMAL':
      return K_DECIMAL;
    case 'DOUBLE':
      return K_DOUBLE;
    case 'DATE':
      return K_DATE;
    case 'TIMESTAMP':
      return K_TIMESTAMP;
    case 'BOOLEAN':
      return K_BOOLEAN;
    default:
      return K_OTHER;
  }
}

interface RowTarget {
  readonly output: Int32Array;
  readonly builders: readonly ColumnBuilder[];
  /** Per column, its type as a K_* code (an integer switch is cheaper than a string one). */
  readonly kinds: Int32Array;
  readonly scales: readonly number[];
  readonly fields: RowFields;
  readonly syntax: CsvSyntax;
  /** Null strings other than ''. */
  readonly nullStrings: readonly Uint8Array[];
  /** An empty unquoted text field is NULL ('' is a null string); in typed columns it always is. */
  readonly emptyIsNull: boolean;
  /** Per column: the format of a DATE or TIMESTAMP column read otherwise than by the default cast. */
  readonly timeFormats: readonly (CsvTimeFormat | undefined)[];
  /** Policy null: a value its type cannot hold becomes NULL rather than failing the row. */
  readonly nullOnError: boolean;
}

function isNullString(buf: Uint8Array, fs: number, fe: number, nullStrings: readonly Uint8Array[]): boolean {
  for (let k = 0; k < nullStrings.length; k++) {
    const s = nullStrings[k];
    if (s.length !== fe - fs) continue;
    let same = true;
    for (let j = 0; j < s.length; j++)
      if (buf[fs + j] !== s[j]) {
        same = false;
        break;
      }
    if (same) return true;
  }
  return false;
}

/**
 * Parses the wanted fields of a tokenised row into row `rows` of the builders (or only
 * checks them when `rows` is -1); returns -1, or the index of the first bad value (an
 * output index when writing, a table column when checking).
 */
function appendRow(buf: Uint8Array, rows: number, target: RowTarget): number {
  const { output, builders, kinds, scales, syntax, nullStrings, nullOnError, emptyIsNull } = target;
  const { start: fieldStart, end: fieldEnd, flag: fieldFlag } = target.fields;
  const write = rows >= 0;
  for (let i = 0; i < output.length; i++) {
    const c = output[i];
    const b = builders[i];
    const flag = fieldFlag[c];
    const kind = kinds[i];
    const fs = fieldStart[c];
    const fe = fieldEnd[c];
    if (
      flag === ABSENT ||
      (flag === PLAIN && fe === fs && (emptyIsNull || kind !== K_VARCHAR)) ||
      // A quoted field equal to a null string is NULL too (DuckDB's allow_quoted_nulls); "" is ''.
      (nullStrings.length > 0 && flag !== QUOTED_ESCAPES && isNullString(buf, fs, fe, nullStrings))
    ) {
      if (write) b.setNull(rows);
      continue;
    }
    if (kind === K_VARCHAR) {
      if (!write) continue;
      b.ensureBytes(fe - fs);
      const { bytes, position } = b.rawBytes();
      if (flag === QUOTED_ESCAPES)
        b.commitBytes(rows, unescapeField(buf, fs, fe, syntax, bytes, position) - position);
      else {
        // Copied here rather than through setBytes: no subarray view to allocate per value.
        if (fe - fs < 48) for (let k = fs, w = position; k < fe; k++, w++) bytes[w] = buf[k];
        else bytes.set(buf.subarray(fs, fe), position);
        b.commitBytes(rows, fe - fs);
      }
      continue;
    }
    // Typed values may be padded with blanks (DuckDB's casts trim spaces, tabs, CR, VT, FF).
    let s = fs;
    let e = fe;
    while (s < e && (buf[s] === 32 || (buf[s] >= 9 && buf[s] <= 13))) s++;
    while (e > s && (buf[e - 1] === 32 || (buf[e - 1] >= 9 && buf[e - 1] <= 13))) e--;
    if (e === s) {
      if (write) b.setNull(rows); // "" in a typed column
      continue;
    }
    if (parseTyped(buf, s, e, kind, scales[i], target.timeFormats[i], write ? b : undefined, rows)) continue;
    if (!nullOnError) return i;
    if (write) b.setNull(rows);
  }
  return -1;
}

/** Parses one trimmed typed field into `b` (when given); false when the text is not of the type. */
function parseTyped(
  buf: Uint8Array,
  s: number,
  e: number,
  kind: number,
  scale: number,
  format: CsvTimeFormat | undefined,
  b: ColumnBuilder | undefined,
  rows: number,
): boolean {
  switch (kind) {
    case K_BIGINT:
    case K_INTEGER: {
      const v = parseIntegerBytes(buf, s, e);
      if (v === undefined) return false;
      if (kind === K_INTEGER) {
        if (typeof v !== 'number' || v > 2147483647 || v < -2147483648) return false;
        b?.setNumber(rows, v);
      } else if (typeof v === 'number') b?.setInt64(rows, v);
      else b?.setBigInt64(rows, v);
      return true;
    }
    case K_DECIMAL: {
      const v = parseDecimalBytes(buf, s, e, scale);
      if (v === undefined) return false;
      if (typeof v === 'number') b?.setDecimal(rows, v);
      else b?.setDecimalBig(rows, v);
      return true;
    }
    case K_DOUBLE: {
      const v = parseDoubleBytes(buf, s, e);
      if (Number.isNaN(v) && !/nan/i.test(Buffer.from(buf.subarray(s, e)).toString('latin1'))) return false;
      b?.setNumber(rows, v);
      return true;
    }
    case K_DATE: {
      const v = format
        ? format.parseDays(text(buf, s, e))
        : (parseDateBytes(buf, s, e) ?? parseCsvDate(text(buf, s, e)));
      if (v === undefined) return false;
      b?.setNumber(rows, v);
      return true;
    }
    case K_TIMESTAMP: {
      const v = format ? format.parseMicros(text(buf, s, e)) : parseCsvTimestamp(text(buf, s, e));
      if (v === undefined) return false;
      b?.setInt64(rows, v);
      return true;
    }
    case K_BOOLEAN: {
      const t = text(buf, s, e).toLowerCase();
      if (t === 'true' || t === 't' || t === 'yes' || t === 'y' || t === '1') b?.setBoolean(rows, true);
      else if (t === 'false' || t === 'f' || t === 'no' || t === 'n' || t === '0') b?.setBoolean(rows, false);
      else return false;
      return true;
    }
    default:
      return false;
  }
}

function text(buf: Uint8Array, s: number, e: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString('utf8');
}
