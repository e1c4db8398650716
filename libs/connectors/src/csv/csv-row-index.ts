import {
  ABSENT,
  CR,
  INCOMPLETE,
  LF,
  PLAIN,
  tokenizeRow,
  UNTERMINATED,
  type CsvSyntax,
  type RowFields,
} from './csv-tokenizer.ts';

/** Rows one pass over the bytes indexes before the column parsers take them (small enough to stay in cache). */
export const INDEX_ROWS = 1024;

/**
 * Where the fields of a run of rows lie in a buffer: the first pass of a two-pass CSV
 * reader (as DuckDB's and simdjson-style readers do), which finds field boundaries only,
 * so that the second pass can parse each column as a whole in a tight loop of its own
 * type (parse-csv-columns.ts). Field f of row r is bytes [starts[f*capacity+r], ends[...]):
 * column by column, so that the second pass reads each column's offsets in sequence.
 * Rows found by the fast path (no quote byte, `width` fields) are plain throughout; rows
 * read by the tokenizer (`tokenized[r]` = 1) carry their fields' flags (PLAIN, QUOTED,
 * QUOTED_ESCAPES, ABSENT) in `flags`.
 */
export interface CsvRowIndex {
  readonly width: number;
  /** Rows the index holds. */
  readonly capacity: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly flags: Uint8Array;
  readonly tokenized: Uint8Array;
  /** Where each row starts in the buffer, and where the next byte after it is. */
  readonly rowStarts: Int32Array;
  readonly rowEnds: Int32Array;
  /** Rows indexed. */
  rows: number;
}

export function csvRowIndex(width: number, capacity = INDEX_ROWS): CsvRowIndex {
  return {
    width,
    capacity,
    starts: new Int32Array(capacity * width),
    ends: new Int32Array(capacity * width),
    flags: new Uint8Array(capacity * width),
    tokenized: new Uint8Array(capacity),
    rowStarts: new Int32Array(capacity),
    rowEnds: new Int32Array(capacity),
    rows: 0,
  };
}

const NEWLINES = LF * 0x01010101;
const NO_WORDS = new Int32Array(0);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function holdsByte(buf: Uint8Array, byte: number, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (buf[k] === byte) return true;
  return false;
}

/** indexTokenizedRow's outcomes, with the position after the row: 4 * position + outcome. */
const ROW_INDEXED = 0;
const ROW_PASSED = 1;
const ROW_RAGGED = 2;

/**
 * The slow path of indexCsvRows: the tokenizer reads the row at `rowStart` into index row
 * `row`. A function of its own, so that its property loads, rarely run, never leave the
 * optimised fast path without type feedback (V8 would leave it for the interpreter, again
 * and again, each time such a row comes). Returns INCOMPLETE, UNTERMINATED, or
 * 4 * (the position after the row) + ROW_INDEXED, ROW_PASSED (a blank line or the header)
 * or ROW_RAGGED.
 */
function indexTokenizedRow(
  cursor: IndexCursor,
  index: CsvRowIndex,
  row: number,
  rowStart: number,
  syntax: CsvSyntax,
  fields: RowFields,
  padShortRows: boolean,
): number {
  const { buf, eof } = cursor;
  const next = tokenizeRow(buf, rowStart, buf.length, eof, syntax, fields);
  if (next === INCOMPLETE) return INCOMPLETE;
  if (next === UNTERMINATED) {
    cursor.rowStart = rowStart;
    return UNTERMINATED;
  }
  const count = fields.count;
  if (count === 1 && fields.flag[0] === PLAIN && fields.end[0] === fields.start[0])
    return 4 * next + ROW_PASSED;
  if (cursor.skipHeader) {
    cursor.skipHeader = false;
    return 4 * next + ROW_PASSED;
  }
  const { width, capacity, starts, ends, flags } = index;
  if (count !== width && !padShortRows) {
    cursor.rowStart = rowStart;
    cursor.fieldCount = count;
    return 4 * next + ROW_RAGGED;
  }
  const base = row;
  const kept = Math.min(count, width);
  for (let k = 0; k < kept; k++) {
    starts[base + k * capacity] = fields.start[k];
    ends[base + k * capacity] = fields.end[k];
    flags[base + k * capacity] = fields.flag[k];
  }
  for (let k = kept; k < width; k++) {
    starts[base + k * capacity] = rowStart;
    ends[base + k * capacity] = rowStart;
    flags[base + k * capacity] = ABSENT;
  }
  index.tokenized[row] = 1;
  index.rowStarts[row] = rowStart;
  index.rowEnds[row] = next;
  return 4 * next + ROW_INDEXED;
}

/** What indexCsvRows stopped for. */
export const STOPPED = 0;
export const NEED_BYTES = 1;
export const INDEX_FULL = 2;
export const UNCLOSED = 3;
export const RAGGED = 4;

/** The bytes and where to read; `pos` moves past the rows indexed (and a ragged row). */
export interface IndexCursor {
  buf: Uint8Array;
  pos: number;
  eof: boolean;
  /** Stop before a row starting at or after this index of buf. */
  stopAt: number;
  skipHeader: boolean;
  /** The row an UNCLOSED or RAGGED is about, and the ragged row's field count. */
  rowStart: number;
  fieldCount: number;
  /**
   * The next quote byte at or after pos in `quoteBuf` (buf's length when none): kept from
   * pass to pass, as one search may run far ahead of the rows of one pass.
   */
  nextQuote: number;
  quoteBuf: Uint8Array | undefined;
}

/**
 * Indexes up to `maxRows` rows (at most the index's capacity) from `cursor.pos`: blank lines
 * and the header are passed over, a row with a quote byte or the wrong number of fields is
 * read by the one tokenizer (csv-tokenizer.ts), so quoting reads exactly as it does
 * everywhere else. Short rows are padded with ABSENT fields when `padShortRows` (policy
 * null), else the row stops the pass as RAGGED (after the rows before it are indexed).
 */
export function indexCsvRows(
  cursor: IndexCursor,
  index: CsvRowIndex,
  maxRows: number,
  syntax: CsvSyntax,
  fields: RowFields,
  padShortRows: boolean,
): number {
  const { buf, eof, stopAt } = cursor;
  const n = buf.length;
  const { width, capacity, starts, ends, flags, tokenized, rowStarts, rowEnds } = index;
  const { delimiter, quote, escape } = syntax;
  // The bytes as little-endian words when aligned (Buffers of more than 4 KB are), else none.
  const words =
    (buf.byteOffset & 3) === 0 && LITTLE_ENDIAN
      ? new Int32Array(buf.buffer, buf.byteOffset, n >> 2)
      : NO_WORDS;
  const delimiters = delimiter * 0x01010101;
  const limitRows = Math.min(maxRows, tokenized.length);
  let pos = cursor.pos;
  let rows = 0;
  // Rows before the next quote byte take the fast path.
  let nextQuote = cursor.quoteBuf === buf ? cursor.nextQuote : -1;
  try {
    for (;;) {
      if (rows >= limitRows) return INDEX_FULL;
      if (pos >= stopAt) return STOPPED;
      if (pos >= n) return eof ? STOPPED : NEED_BYTES;
      const rowStart = pos;
      if (nextQuote < pos) {
        const q = buf.indexOf(quote, pos);
        nextQuote = q < 0 ? n : q;
      }
      const base = rows;
      // Fast path: unquoted fields, and quoted ones (not empty, without escapes) closed right
      // before a delimiter or newline, which read as the bytes between their quotes.
      let p = pos;
      let f = 0;
      let s = p;
      let fast = true;
      let lastRecorded = false;
      for (;;) {
        const scanEnd = nextQuote;
        scan: while (p < scanEnd) {
          if ((p & 3) === 0 && p + 4 <= scanEnd && words.length > 0) {
            // Four bytes at a time (SWAR): a mask of the delimiter and newline bytes in the word.
            const x = words[p >> 2];
            const xd = x ^ delimiters;
            const xl = x ^ NEWLINES;
            let m =
              ~(((xd & 0x7f7f7f7f) + 0x7f7f7f7f) | xd | 0x7f7f7f7f) |
              ~(((xl & 0x7f7f7f7f) + 0x7f7f7f7f) | xl | 0x7f7f7f7f);
            while (m !== 0) {
              const q = p + ((31 - Math.clz32(m & -m)) >> 3);
              if (buf[q] === LF) {
                p = q;
                break scan;
              }
              if (f === width - 1) {
                p = q;
                fast = false; // too many fields: the tokenizer counts them
                break scan;
              }
              starts[base + f * capacity] = s;
              ends[base + f * capacity] = q > s && buf[q - 1] === CR ? q - 1 : q;
              f++;
              s = q + 1;
              m &= m - 1;
            }
            p += 4;
            continue;
          }
          const b = buf[p];
          if (b === delimiter) {
            if (f === width - 1) {
              fast = false;
              break;
            }
            starts[base + f * capacity] = s;
            ends[base + f * capacity] = p > s && buf[p - 1] === CR ? p - 1 : p;
            f++;
            s = p + 1;
          } else if (b === LF) break;
          p++;
        }
        if (!fast || p >= n || p < scanEnd) break;
        // A quote byte at p: the tokenizer reads it literally inside an unquoted field.
        const close = p === s ? buf.indexOf(quote, p + 1) : -1;
        const after = close + 1;
        if (
          close < 0 ||
          close === p + 1 ||
          after >= n ||
          buf[after] === quote ||
          (escape !== quote && holdsByte(buf, escape, p + 1, close))
        ) {
          fast = false;
          break;
        }
        let b = buf[after];
        let lf = after;
        if (b === CR && after + 1 < n && buf[after + 1] === LF) {
          b = LF;
          lf = after + 1;
        }
        if (b !== delimiter && b !== LF) {
          fast = false; // text after the closing quote
          break;
        }
        if (b === delimiter && f === width - 1) {
          fast = false;
          break;
        }
        starts[base + f * capacity] = p + 1;
        ends[base + f * capacity] = close;
        f++;
        p = b === LF ? lf : after + 1;
        s = p;
        const q = buf.indexOf(quote, p);
        nextQuote = q < 0 ? n : q;
        if (b === LF) {
          lastRecorded = true;
          break;
        }
      }
      if (fast) {
        if (p >= n && !eof) return NEED_BYTES;
        if (!lastRecorded) {
          starts[base + f * capacity] = s;
          ends[base + f * capacity] = p > s && buf[p - 1] === CR ? p - 1 : p;
          f++;
        }
        const next = p < n ? p + 1 : p;
        // A blank line is no row.
        if (f === 1 && !lastRecorded && ends[base] === s) {
          pos = next;
          continue;
        }
        if (cursor.skipHeader) {
          cursor.skipHeader = false;
          pos = next;
          continue;
        }
        if (f !== width) {
          if (!padShortRows) {
            cursor.rowStart = rowStart;
            cursor.fieldCount = f;
            pos = next;
            return RAGGED;
          }
          for (let k = 0; k < f; k++) flags[base + k * capacity] = PLAIN;
          for (let k = f; k < width; k++) flags[base + k * capacity] = ABSENT;
          tokenized[rows] = 1;
        } else tokenized[rows] = 0;
        rowStarts[rows] = rowStart;
        rowEnds[rows] = next;
        rows++;
        pos = next;
        continue;
      }
      // Slow path: the tokenizer reads the row.
      const read = indexTokenizedRow(cursor, index, rows, rowStart, syntax, fields, padShortRows);
      if (read === INCOMPLETE) return NEED_BYTES;
      if (read === UNTERMINATED) return UNCLOSED;
      const outcome = read % 4;
      pos = (read - outcome) / 4;
      if (outcome === ROW_RAGGED) return RAGGED;
      if (outcome === ROW_INDEXED) rows++;
    }
  } finally {
    cursor.pos = pos;
    cursor.nextQuote = nextQuote;
    cursor.quoteBuf = buf;
    index.rows = rows;
  }
}
