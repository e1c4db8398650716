/**
 * The one CSV tokenizer: finds the fields of a row in bytes (RFC 4180 quoting, with "" or
 * another escape byte inside quotes). The scanner, the sniffer's sample, the statistics'
 * chunks and the split-start search all use it, so they can never disagree on where a row
 * or a field ends.
 */

export const LF = 10;
export const CR = 13;

/** Field flags: how the bytes [start, end) of a field are to be read. */
export const PLAIN = 0;
export const QUOTED = 1;
/** Quoted, and holding escaped quotes (or escapes) that must be removed. */
export const QUOTED_ESCAPES = 2;
/** Missing from a short row. */
export const ABSENT = 3;

/** tokenizeRow: the bytes end inside the row, and more may come. */
export const INCOMPLETE = -1;
/** tokenizeRow: the input ends inside a quoted field. */
export const UNTERMINATED = -2;

/** The dialect's bytes. */
export interface CsvSyntax {
  readonly delimiter: number;
  readonly quote: number;
  /** Equal to quote for "" doubling. */
  readonly escape: number;
}

export function csvSyntax(dialect: { delimiter: string; quote: string; escape: string }): CsvSyntax {
  return {
    delimiter: dialect.delimiter.charCodeAt(0),
    quote: dialect.quote.charCodeAt(0),
    escape: dialect.escape.charCodeAt(0),
  };
}

/** Field boundaries of the current row: bytes [start, end) of buf, and how to read them. */
export interface RowFields {
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly flag: Uint8Array;
  /** Fields the row has (may exceed the arrays' length: only the first ones are kept). */
  count: number;
  /** Set once a quoted field holding a newline is seen. */
  quotedNewline: boolean;
  /** Set when text follows a closing quote before the delimiter (read leniently, kept out). */
  strayAfterQuote: boolean;
}

export function rowFields(width: number): RowFields {
  return {
    start: new Int32Array(width),
    end: new Int32Array(width),
    flag: new Uint8Array(width),
    count: 0,
    quotedNewline: false,
    strayAfterQuote: false,
  };
}

/**
 * Finds the fields of the row starting at `p` (a plain function, so that V8 optimises this
 * hot loop with everything in registers). Returns the position after the row's newline,
 * INCOMPLETE when buf ends inside the row and `eof` is false, or UNTERMINATED. A CR before
 * the newline is left out of the last field. Bytes between a closing quote and the next
 * delimiter are skipped (DuckDB's lenient reading) and flagged.
 */
export function tokenizeRow(
  buf: Uint8Array,
  p: number,
  n: number,
  eof: boolean,
  syntax: CsvSyntax,
  fields: RowFields,
): number {
  const { delimiter, quote, escape } = syntax;
  const { start: fieldStart, end: fieldEnd, flag: fieldFlag } = fields;
  const width = fieldStart.length;
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
          if (b === quote || b === escape) break;
          if (b === LF) fields.quotedNewline = true;
        }
        if (q >= n) break;
        if (buf[q] !== quote) {
          // An escape byte other than the quote: the byte after it is literal.
          flag = QUOTED_ESCAPES;
          if (buf[q + 1] === LF) fields.quotedNewline = true;
          q += 2;
          if (q > n) q = n;
          continue;
        }
        if (escape === quote && q + 1 < n && buf[q + 1] === quote) {
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
      if (p < n && buf[p] !== delimiter && buf[p] !== LF) {
        if (!(buf[p] === CR && (p + 1 >= n || buf[p + 1] === LF))) fields.strayAfterQuote = true;
        while (p < n && buf[p] !== delimiter && buf[p] !== LF) p++;
      }
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

/**
 * Copies the quoted field [start, end) to `out` at `w` with its escapes removed; returns
 * where the copy ends. `out` needs end - start bytes of room.
 */
export function unescapeField(
  buf: Uint8Array,
  start: number,
  end: number,
  syntax: CsvSyntax,
  out: Uint8Array,
  w: number,
): number {
  const { quote, escape } = syntax;
  for (let k = start; k < end; k++) {
    const b = buf[k];
    if (b === escape && k + 1 < end && (buf[k + 1] === quote || buf[k + 1] === escape || escape !== quote)) {
      out[w++] = buf[++k];
      continue;
    }
    out[w++] = b;
  }
  return w;
}

/** A field as text (escapes removed), for the sample and messages. */
export function fieldString(
  buf: Uint8Array,
  start: number,
  end: number,
  flag: number,
  syntax: CsvSyntax,
): string {
  if (flag !== QUOTED_ESCAPES)
    return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
  const out = Buffer.allocUnsafe(end - start);
  const w = unescapeField(buf, start, end, syntax, out, 0);
  return out.toString('utf8', 0, w);
}

/** The UTF-8 byte order mark's length at `p`, or 0. */
export function bomLength(buf: Uint8Array, p = 0): number {
  return buf.length >= p + 3 && buf[p] === 0xef && buf[p + 1] === 0xbb && buf[p + 2] === 0xbf ? 3 : 0;
}
