import {
  bomLength,
  fieldString,
  INCOMPLETE,
  PLAIN,
  rowFields,
  tokenizeRow,
  UNTERMINATED,
  type CsvSyntax,
} from './csv-tokenizer.ts';

export interface CsvTextRow {
  readonly fields: string[];
  readonly quoted: boolean[];
}

/** At most this many fields of a row are kept as text (wider rows are counted, not kept). */
const MAX_KEPT_FIELDS = 4096;

/**
 * Splits the bytes of a sample into rows of text fields with the scanner's tokenizer (for
 * the sniffer and the statistics; the scanner itself never makes strings). Stops after
 * `maxRows`; a row cut off by the end of a sample that is not the file's end (`atEnd`
 * false) is dropped. Blank lines are no rows. `quotedNewline` tells whether a quoted field
 * held a newline; `end` is the byte offset where the last row taken ends. Fields beyond
 * MAX_KEPT_FIELDS are not kept.
 */
export function splitCsvRows(
  bytes: Uint8Array,
  syntax: CsvSyntax,
  maxRows: number,
  atEnd: boolean,
): {
  rows: CsvTextRow[];
  quotedNewline: boolean;
  strayAfterQuote: boolean;
  unterminated: boolean;
  end: number;
} {
  const rows: CsvTextRow[] = [];
  const fields = rowFields(MAX_KEPT_FIELDS);
  let pos = bomLength(bytes);
  let end = pos;
  let unterminated = false;
  const n = bytes.length;
  while (pos < n && rows.length < maxRows) {
    const next = tokenizeRow(bytes, pos, n, atEnd, syntax, fields);
    if (next === INCOMPLETE) break;
    if (next === UNTERMINATED) {
      unterminated = true;
      break;
    }
    pos = next;
    end = pos;
    const count = fields.count;
    if (count === 1 && fields.flag[0] === PLAIN && fields.end[0] === fields.start[0]) continue;
    const kept = Math.min(count, MAX_KEPT_FIELDS);
    const texts: string[] = new Array<string>(kept);
    const quoted: boolean[] = new Array<boolean>(kept);
    for (let f = 0; f < kept; f++) {
      texts[f] = fieldString(bytes, fields.start[f], fields.end[f], fields.flag[f], syntax);
      quoted[f] = fields.flag[f] !== PLAIN;
    }
    rows.push({ fields: texts, quoted });
  }
  return {
    rows,
    quotedNewline: fields.quotedNewline,
    strayAfterQuote: fields.strayAfterQuote,
    unterminated,
    end,
  };
}
