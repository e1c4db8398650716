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
import type { CsvLocation } from './csv-location.ts';
import {
  fieldText,
  parseCsvDate,
  parseDateBytes,
  parseDecimalBytes,
  parseDoubleBytes,
  parseCsvTimestamp,
  parseIntegerBytes,
} from './parse-csv-value.ts';

const CHUNK_BYTES = 4 << 20;
export const CSV_BATCH_ROWS = 65_536;
const LF = 10;
const CR = 13;

/** Field flags: how the bytes [start, end) of a field are to be read. */
const PLAIN = 0;
const QUOTED = 1;
const QUOTED_ESCAPES = 2;
const ABSENT = 3;

export interface CsvRange {
  readonly start: number;
  /** Rows starting at or after this byte offset belong to the next split. */
  readonly end: number;
}

/** 1-based line number of a byte offset, counted only when an error is reported. */
async function lineAt(handle: FileHandle, offset: number): Promise<number> {
  const buffer = Buffer.alloc(CHUNK_BYTES);
  let line = 1;
  for (let position = 0; position < offset;) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK_BYTES, offset - position), position);
    if (bytesRead === 0) break;
    for (let i = 0; i < bytesRead; i++) if (buffer[i] === LF) line++;
    position += bytesRead;
  }
  return line;
}

/**
 * Streams the rows of one byte range of a CSV file as RecordBatches of `output` columns
 * (indices into `table`), parsing bytes straight into typed arrays. Rows belong to the split
 * in which they start; a split at offset > 0 starts after the first newline at or after
 * offset - 1. Only the wanted fields are decoded; the others are skipped. The file is opened
 * only once confined to the context's roots.
 */
export async function* scanCsv(
  location: CsvLocation,
  table: readonly ColumnDescriptor[],
  output: readonly number[],
  range: CsvRange,
  limit: number | null,
  context: ScanContext,
): AsyncGenerator<RecordBatch> {
  const signal = context.signal;
  const width = table.length;
  const descriptors = output.map((c) => table[c]);
  const builders = descriptors.map((d) => new ColumnBuilder(d.type, CSV_BATCH_ROWS));
  const fields: RowFields = {
    start: new Int32Array(width),
    end: new Int32Array(width),
    flag: new Uint8Array(width),
    count: 0,
    quotedNewline: false,
  };
  const { start: fieldStart, end: fieldEnd, flag: fieldFlag } = fields;

  const delimiter = location.delimiter.charCodeAt(0);
  const quote = location.quote.charCodeAt(0);
  const nullBytes = Buffer.from(location.nullString, 'utf8');
  const row: RowTarget = {
    output: Int32Array.from(output),
    builders,
    kinds: output.map((c) => table[c].type.kind),
    scales: output.map((c) =>
      table[c].type.kind === 'DECIMAL' ? (table[c].type as { scale: number }).scale : 0,
    ),
    fields,
    quote,
    nullBytes,
  };
  const { handle } = await openConfinedFile(location.file, context);
  try {
    const size = (await handle.stat()).size;
    // A quoted newline is harmless when this split is the whole file, fatal when cut.
    const cutFile = range.start > 0 || range.end < size;
    let buf = Buffer.alloc(0);
    let base = range.start > 0 ? range.start - 1 : 0; // file offset of buf[0]
    let eof = base >= size;
    let pos = 0;

    const refill = async (keepFrom: number): Promise<void> => {
      const kept = buf.length - keepFrom;
      const next = Buffer.allocUnsafe(kept + CHUNK_BYTES);
      buf.copy(next, 0, keepFrom);
      const { bytesRead } = await handle.read(next, kept, CHUNK_BYTES, base + buf.length);
      base += keepFrom;
      buf = next.subarray(0, kept + bytesRead);
      if (bytesRead === 0 || base + buf.length >= size) eof = true;
      pos -= keepFrom;
    };

    // Position on the first row of the split.
    if (range.start > 0) {
      for (;;) {
        const nl = buf.indexOf(LF, pos);
        if (nl >= 0) {
          pos = nl + 1;
          break;
        }
        if (eof) return;
        pos = buf.length;
        await refill(buf.length);
      }
    } else {
      await refill(0);
      if (buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    }
    let skipHeader = range.start === 0 && location.header;

    const fail = async (code: string, message: string, rowOffset: number): Promise<never> => {
      const line = await lineAt(handle, rowOffset);
      throw new SourceError(code, `${message} in CSV file "${location.file}" at line ${line}`, {
        details: { file: location.file, line },
      });
    };

    let rows = 0;
    let produced = 0;
    for (;;) {
      if (signal?.aborted) return;
      if (base + pos >= range.end) break;
      if (pos >= buf.length) {
        if (eof) break;
        await refill(pos);
        continue;
      }
      // Tokenise one row starting at pos; on running out of bytes, refill and retry.
      const rowStart = pos;
      const p = tokenizeRow(buf, pos, eof, delimiter, quote, width, fields);
      if (p === UNTERMINATED)
        await fail('CSV_QUOTE_UNTERMINATED', 'a quoted field is not closed', base + rowStart);
      if (p === INCOMPLETE) {
        await refill(rowStart);
        continue;
      }
      const fieldCount = fields.count;
      pos = p;
      if (fields.quotedNewline && cutFile) {
        await fail(
          'CSV_QUOTED_NEWLINE',
          'a quoted field spans lines beyond the sampled start of the file, so the file cannot be read in byte ranges; register it with the option "splittable": false',
          base + rowStart,
        );
      }
      // A blank line is no row.
      if (fieldCount === 1 && fieldFlag[0] === PLAIN && fieldEnd[0] === fieldStart[0]) continue;
      if (skipHeader) {
        skipHeader = false;
        continue;
      }
      if (fieldCount > width) {
        await fail(
          'CSV_RAGGED_ROW',
          `a row has ${fieldCount} fields where the header has ${width}`,
          base + rowStart,
        );
      }
      for (let f = fieldCount; f < width; f++) fieldFlag[f] = ABSENT;

      const failed = appendRow(buf, rows, row);
      if (failed >= 0) {
        const c = output[failed];
        const text = fieldText(buf, fieldStart[c], fieldEnd[c]);
        await fail(
          'CSV_VALUE_INVALID',
          `value ${JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text)} of column "${table[c].name}" is not a valid ${typeToString(table[c].type)}`,
          base + rowStart,
        );
      }
      rows++;
      if (rows === CSV_BATCH_ROWS || (limit !== null && produced + rows >= limit)) {
        yield makeRecordBatch(
          descriptors,
          finishColumns(builders, rows, produced, location.file, descriptors),
          rows,
        );
        produced += rows;
        rows = 0;
        if (limit !== null && produced >= limit) return;
      }
    }
    if (rows > 0)
      yield makeRecordBatch(
        descriptors,
        finishColumns(builders, rows, produced, location.file, descriptors),
        rows,
      );
  } finally {
    await handle.close();
  }
}

/**
 * Hands over a batch's columns, refusing text that is not UTF-8 (a Latin-1 file, say) with a
 * typed error as DuckDB does, rather than passing broken strings on. One native check per
 * column and batch; the row is searched only on failure.
 */
function finishColumns(
  builders: readonly ColumnBuilder[],
  rows: number,
  produced: number,
  file: string,
  descriptors: readonly ColumnDescriptor[],
): ColumnBuffers[] {
  return builders.map((b, i) => {
    const column = b.finish(rows);
    if (column.offsets && !isUtf8(column.values)) {
      const { values, offsets } = column;
      let row = 0;
      while (row < rows && isUtf8(values.subarray(offsets[row], offsets[row + 1]))) row++;
      throw new SourceError(
        'CSV_ENCODING_INVALID',
        `column "${descriptors[i].name}" of CSV file "${file}" holds text that is not valid UTF-8 (in data row ${produced + row + 1} of the scanned range); convert the file to UTF-8`,
        { details: { file, column: descriptors[i].name } },
      );
    }
    return column;
  });
}

/** Field boundaries of the current row: bytes [start, end) of buf, and how to read them. */
interface RowFields {
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly flag: Uint8Array;
  count: number;
  /** Set once a quoted field holding a newline is seen. */
  quotedNewline: boolean;
}

const INCOMPLETE = -1;
const UNTERMINATED = -2;

/**
 * Finds the fields of the row starting at `p` (kept apart from the generator so that V8
 * optimises this hot loop with everything in registers). Returns the position after the
 * row, INCOMPLETE when buf ends inside it (and more bytes may come), or UNTERMINATED.
 */
function tokenizeRow(
  buf: Uint8Array,
  p: number,
  eof: boolean,
  delimiter: number,
  quote: number,
  width: number,
  fields: RowFields,
): number {
  const n = buf.length;
  const { start: fieldStart, end: fieldEnd, flag: fieldFlag } = fields;
  let field = 0;
  for (;;) {
    let start = p;
    let end: number;
    let flag = PLAIN;
    if (p < n && buf[p] === quote) {
      flag = QUOTED;
      start = p + 1;
      let q = start;
      for (;;) {
        for (; q < n; q++) {
          const b = buf[q];
          if (b === quote) break;
          if (b === LF) fields.quotedNewline = true;
        }
        if (q + 1 < n && buf[q + 1] === quote) {
          flag = QUOTED_ESCAPES;
          q += 2;
          continue;
        }
        break;
      }
      if (q + 1 >= n && !eof) return INCOMPLETE; // need the byte after the closing quote
      if (q >= n) return UNTERMINATED;
      end = q;
      p = q + 1;
      while (p < n && buf[p] !== delimiter && buf[p] !== LF) p++;
    } else {
      while (p < n) {
        const b = buf[p];
        if (b === delimiter || b === LF) break;
        p++;
      }
      end = p;
      if (end > start && buf[end - 1] === CR) end--;
    }
    if (p >= n && !eof) return INCOMPLETE;
    if (field < width) {
      fieldStart[field] = start;
      fieldEnd[field] = end;
      fieldFlag[field] = flag;
    }
    field++;
    if (p < n && buf[p] === delimiter) {
      p++;
      continue;
    }
    fields.count = field;
    return p < n ? p + 1 : p;
  }
}

interface RowTarget {
  readonly output: Int32Array;
  readonly builders: readonly ColumnBuilder[];
  readonly kinds: readonly string[];
  readonly scales: readonly number[];
  readonly fields: RowFields;
  readonly quote: number;
  readonly nullBytes: Uint8Array;
}

/** Parses the wanted fields of a tokenised row into row `rows` of the builders; returns -1, or the output index of a bad value. */
function appendRow(buf: Buffer, rows: number, target: RowTarget): number {
  const { output, builders, kinds, scales, quote, nullBytes } = target;
  const { start: fieldStart, end: fieldEnd, flag: fieldFlag } = target.fields;
  for (let i = 0; i < output.length; i++) {
    const c = output[i];
    const b = builders[i];
    const flag = fieldFlag[c];
    const kind = kinds[i];
    const fs = fieldStart[c];
    const fe = fieldEnd[c];
    if (
      flag === ABSENT ||
      (flag === PLAIN &&
        (fe === fs ||
          (fe - fs === nullBytes.length && buf.compare(nullBytes, 0, nullBytes.length, fs, fe) === 0)))
    ) {
      b.setNull(rows);
      continue;
    }
    if (kind === 'VARCHAR') {
      if (flag === QUOTED_ESCAPES) {
        b.ensureBytes(fe - fs);
        const { bytes, position } = b.rawBytes();
        let w = position;
        for (let k = fs; k < fe; k++) {
          bytes[w++] = buf[k];
          if (buf[k] === quote) k++;
        }
        b.commitBytes(rows, w - position);
      } else b.setBytes(rows, buf, fs, fe);
      continue;
    }
    // Typed values may be padded with blanks (DuckDB's casts trim spaces, tabs, CR, VT, FF).
    let s = fs;
    let e = fe;
    while (s < e && (buf[s] === 32 || (buf[s] >= 9 && buf[s] <= 13))) s++;
    while (e > s && (buf[e - 1] === 32 || (buf[e - 1] >= 9 && buf[e - 1] <= 13))) e--;
    if (e === s) {
      b.setNull(rows); // "" in a typed column
      continue;
    }
    switch (kind) {
      case 'BIGINT':
      case 'INTEGER': {
        const v = parseIntegerBytes(buf, s, e);
        if (v === undefined) return i;
        if (kind === 'INTEGER') {
          if (typeof v !== 'number' || v > 2147483647 || v < -2147483648) return i;
          b.setNumber(rows, v);
        } else if (typeof v === 'number') b.setInt64(rows, v);
        else b.setBigInt64(rows, v);
        break;
      }
      case 'DECIMAL': {
        const v = parseDecimalBytes(buf, s, e, scales[i]);
        if (v === undefined) return i;
        if (typeof v === 'number') b.setDecimal(rows, v);
        else b.setDecimalBig(rows, v);
        break;
      }
      case 'DOUBLE': {
        const v = parseDoubleBytes(buf, s, e);
        if (Number.isNaN(v) && !/nan/i.test(fieldText(buf, s, e))) return i;
        b.setNumber(rows, v);
        break;
      }
      case 'DATE': {
        const v = parseDateBytes(buf, s, e) ?? parseCsvDate(fieldText(buf, s, e));
        if (v === undefined) return i;
        b.setNumber(rows, v);
        break;
      }
      case 'TIMESTAMP': {
        const v = parseCsvTimestamp(fieldText(buf, s, e));
        if (v === undefined) return i;
        b.setInt64(rows, v);
        break;
      }
      case 'BOOLEAN': {
        const text = fieldText(buf, s, e).trim().toLowerCase();
        if (text === 'true' || text === 't' || text === 'yes' || text === '1') b.setBoolean(rows, true);
        else if (text === 'false' || text === 'f' || text === 'no' || text === '0') b.setBoolean(rows, false);
        else return i;
        break;
      }
      default:
        return i;
    }
  }
  return -1;
}
