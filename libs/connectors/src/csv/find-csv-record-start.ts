import {
  CR,
  INCOMPLETE,
  LF,
  PLAIN,
  tokenizeRow,
  UNTERMINATED,
  type CsvSyntax,
  type RowFields,
} from './csv-tokenizer.ts';

/** Rows after a candidate newline that must read right for a record to start there. */
const CHECK_ROWS = 8;

/**
 * Where the first record starts at or after `from` (an index of `buf`; the candidates are
 * the bytes after each newline at or after `from`), or INCOMPLETE when `buf` (not yet at
 * `eof`) is too short to decide. A newline in a CSV file may lie inside a quoted field, so
 * a byte-range split cannot just start after the first newline. As DuckDB's parallel
 * reader does, a candidate is taken when the rows that follow it read right: each of up to
 * CHECK_ROWS rows (or all up to the end) has exactly `width` fields, no quote inside an
 * unquoted field, nothing after a closing quote and no unterminated quote. Started inside a
 * quoted field, the tokenizer sees the quote that closes it as a quote inside an unquoted
 * field, or the quote that opens the next as closing one, so such a start fails quickly.
 * A candidate whose bytes read right both ways (a quoted field holding whole CSV lines) is
 * ambiguous and passed over for the next newline.
 *
 * (DuckDB's reader does much the same, duckdb/duckdb#14260: parse from the candidate in
 * the unquoted state, then in the quoted one; Spark instead reads a file whole when its
 * records may span lines, `multiLine`, which "splittable": false does here.)
 *
 * The rule is a heuristic, so the scanner makes it safe: the split before runs the very
 * same function on the very same bytes to find where its last row must end, and fails with
 * CSV_SPLIT_AMBIGUOUS if a row of its own runs past that point. Rows are thus never lost or
 * read twice; at worst a file needs the option "splittable": false.
 */
export function findCsvRecordStart(
  buf: Uint8Array,
  from: number,
  eof: boolean,
  syntax: CsvSyntax,
  fields: RowFields,
): number {
  const n = buf.length;
  let at = from;
  for (;;) {
    const nl = buf.indexOf(LF, at);
    if (nl < 0) return eof ? n : INCOMPLETE;
    const verdict = rowsReadRight(buf, nl + 1, eof, syntax, fields);
    if (verdict === INCOMPLETE) return INCOMPLETE;
    if (verdict >= 0) {
      // Ambiguous when the bytes also read right as the rest of a quoted field: skip it.
      const inside = insideQuoteReadsRight(buf, nl + 1, verdict, eof, syntax, fields);
      if (inside === INCOMPLETE) return INCOMPLETE;
      if (!inside) return nl + 1;
    }
    at = nl + 1;
  }
}

/** Where the checked rows end (>= 0), -3 when they do not read right, or INCOMPLETE. */
function rowsReadRight(
  buf: Uint8Array,
  start: number,
  eof: boolean,
  syntax: CsvSyntax,
  fields: RowFields,
): number {
  const n = buf.length;
  const width = fields.start.length;
  let p = start;
  for (let r = 0; r < CHECK_ROWS; r++) {
    if (p >= n) return eof ? p : INCOMPLETE;
    fields.strayAfterQuote = false;
    const next = tokenizeRow(buf, p, n, eof, syntax, fields);
    if (next === INCOMPLETE) return INCOMPLETE;
    if (next === UNTERMINATED || fields.count !== width || fields.strayAfterQuote) return WRONG;
    for (let f = 0; f < width; f++) {
      if (fields.flag[f] !== PLAIN) continue;
      for (let k = fields.start[f]; k < fields.end[f]; k++) if (buf[k] === syntax.quote) return WRONG;
    }
    p = next;
  }
  return p;
}

const WRONG = -3;
/** How far past the checked rows the closing quote of an ambiguous start is looked for. */
const QUOTE_SEARCH_BYTES = 64 << 10;

/**
 * Whether the bytes from `start` also read right as the end of a quoted field: a closing
 * quote within QUOTE_SEARCH_BYTES after `checkedEnd` (the end of the rows rowsReadRight
 * checked), then a delimiter
 * (the rest of that row) or a newline, then rows that read right.
 */
function insideQuoteReadsRight(
  buf: Uint8Array,
  start: number,
  checkedEnd: number,
  eof: boolean,
  syntax: CsvSyntax,
  fields: RowFields,
): boolean | typeof INCOMPLETE {
  const { quote, escape, delimiter } = syntax;
  const n = buf.length;
  // Past the checked rows (a start inside quotes that reads right has its closing quote
  // there), but not without bound: a quoted field longer than this is not looked for.
  const limit = checkedEnd + QUOTE_SEARCH_BYTES;
  let q = start;
  for (;;) {
    while (q < n && q < limit && buf[q] !== quote && buf[q] !== escape) q++;
    if (q >= limit) return false;
    if (q >= n) return eof ? false : INCOMPLETE;
    if (buf[q] !== quote) {
      q += 2; // an escape and the byte it escapes
      continue;
    }
    if (q + 1 >= n) return eof ? false : INCOMPLETE;
    if (escape === quote && buf[q + 1] === quote) {
      q += 2;
      continue;
    }
    break;
  }
  let p = q + 1;
  if (buf[p] === CR) p++;
  if (p >= n) return eof ? false : INCOMPLETE;
  if (buf[p] === delimiter) {
    // The rest of the row the quoted field was in: any number of fields.
    const next = tokenizeRow(buf, p + 1, n, eof, syntax, fields);
    if (next === INCOMPLETE) return INCOMPLETE;
    if (next === UNTERMINATED) return false;
    p = next;
  } else if (buf[p] === LF) p++;
  else return false;
  const rest = rowsReadRight(buf, p, eof, syntax, fields);
  return rest === INCOMPLETE ? INCOMPLETE : rest >= 0;
}
