import {
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
    if (verdict) return nl + 1;
    at = nl + 1;
  }
}

function rowsReadRight(
  buf: Uint8Array,
  start: number,
  eof: boolean,
  syntax: CsvSyntax,
  fields: RowFields,
): boolean | typeof INCOMPLETE {
  const n = buf.length;
  const width = fields.start.length;
  let p = start;
  for (let r = 0; r < CHECK_ROWS; r++) {
    if (p >= n) return eof ? true : INCOMPLETE;
    fields.strayAfterQuote = false;
    const next = tokenizeRow(buf, p, n, eof, syntax, fields);
    if (next === INCOMPLETE) return INCOMPLETE;
    if (next === UNTERMINATED || fields.count !== width || fields.strayAfterQuote) return false;
    for (let f = 0; f < width; f++) {
      if (fields.flag[f] !== PLAIN) continue;
      for (let k = fields.start[f]; k < fields.end[f]; k++) if (buf[k] === syntax.quote) return false;
    }
    p = next;
  }
  return true;
}
