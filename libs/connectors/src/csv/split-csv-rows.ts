/**
 * Splits decoded CSV text into rows of fields (RFC 4180), for the schema sample only:
 * the scanner works on bytes. Stops after `maxRows`; `complete` is false when the text ended
 * inside the last row (a truncated sample), which is then dropped. `quotedNewline` tells
 * whether a quoted field held a newline (such files cannot be cut into byte-range splits);
 * `end` is where the last row taken ends in `text`.
 */
export function splitCsvRows(
  text: string,
  delimiter: string,
  quote: string,
  maxRows: number,
  atEnd: boolean,
): { rows: { fields: string[]; quoted: boolean[] }[]; quotedNewline: boolean; end: number } {
  const rows: { fields: string[]; quoted: boolean[] }[] = [];
  let quotedNewline = false;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let end = pos;
  const n = text.length;
  while (pos < n && rows.length < maxRows) {
    const fields: string[] = [];
    const quoted: boolean[] = [];
    let complete = false;
    for (;;) {
      if (text[pos] === quote) {
        let value = '';
        let p = pos + 1;
        let closed = false;
        while (p < n) {
          const q = text.indexOf(quote, p);
          if (q < 0) break;
          value += text.slice(p, q);
          if (text[q + 1] === quote) {
            value += quote;
            p = q + 2;
            continue;
          }
          p = q + 1;
          closed = true;
          break;
        }
        if (!closed) break;
        if (value.includes('\n')) quotedNewline = true;
        // Anything between the closing quote and the delimiter is kept, like DuckDB's lenient mode.
        while (p < n && text[p] !== delimiter && text[p] !== '\n') {
          if (text[p] !== '\r') value += text[p];
          p++;
        }
        fields.push(value);
        quoted.push(true);
        pos = p;
      } else {
        let p = pos;
        while (p < n && text[p] !== delimiter && text[p] !== '\n') p++;
        let end = p;
        if (end > pos && text[end - 1] === '\r') end--;
        fields.push(text.slice(pos, end));
        quoted.push(false);
        pos = p;
      }
      if (pos >= n) {
        complete = atEnd;
        break;
      }
      if (text[pos] === delimiter) {
        pos++;
        continue;
      }
      pos++; // newline
      complete = true;
      break;
    }
    if (!complete) break;
    end = pos;
    if (!(fields.length === 1 && fields[0] === '' && !quoted[0])) rows.push({ fields, quoted });
  }
  return { rows, quotedNewline, end };
}
