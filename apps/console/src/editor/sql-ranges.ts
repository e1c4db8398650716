export interface TextRange {
  readonly from: number;
  readonly to: number;
}

/**
 * The statement around `pos`: the text between the semicolons that bound it (semicolons in
 * strings, quoted names and comments do not count), trimmed. A cursor just after a `;`
 * belongs to the statement that ends there.
 */
export function statementAt(doc: string, pos: number): TextRange {
  const ends: number[] = [];
  for (let i = 0; i < doc.length; i++) {
    const c = doc[i];
    if (c === "'" || c === '"' || c === '`') {
      const close = doc.indexOf(c, i + 1);
      i = close < 0 ? doc.length : close;
    } else if (c === '-' && doc[i + 1] === '-') {
      const eol = doc.indexOf('\n', i);
      i = eol < 0 ? doc.length : eol;
    } else if (c === '/' && doc[i + 1] === '*') {
      const close = doc.indexOf('*/', i + 2);
      i = close < 0 ? doc.length : close + 1;
    } else if (c === ';') ends.push(i);
  }
  let from = 0;
  let to = doc.length;
  for (const end of ends) {
    if (end >= pos - 1) {
      to = end;
      break;
    }
    from = end + 1;
  }
  // An empty statement after the last semicolon (the cursor at the end): run the one before.
  if (doc.slice(from, to).trim() === '' && from > 0) return statementAt(doc, from - 1);
  while (from < to && /\s/.test(doc[from])) from++;
  while (to > from && /\s/.test(doc[to - 1])) to--;
  return { from, to };
}

/**
 * Where a service error's 1-based line and column, counted in the text that ran (which
 * starts at `base` in the document: a selection or one statement), lie in the document: from
 * that character to the end of the name or token there, so the underline covers the word the
 * message is about. Clamped to the document.
 */
export function errorRange(doc: string, base: number, line: number, column: number): TextRange {
  let offset = base;
  for (let l = 1; l < line; l++) {
    const eol = doc.indexOf('\n', offset);
    if (eol < 0) break;
    offset = eol + 1;
  }
  const eol = doc.indexOf('\n', offset);
  const lineEnd = eol < 0 ? doc.length : eol;
  let from = Math.min(offset + Math.max(0, column - 1), lineEnd);
  // At the end of a line or on blank space: the token before it is what is wrong.
  if (from === lineEnd || /\s/.test(doc[from] ?? '')) {
    let back = from;
    while (back > offset && /\s/.test(doc[back - 1])) back--;
    if (back > offset) from = back - 1;
  }
  let to = from + 1;
  if (/[\w$]/.test(doc[from] ?? '')) {
    while (from > offset && /[\w$]/.test(doc[from - 1])) from--;
    while (to < lineEnd && /[\w$]/.test(doc[to])) to++;
  } else if (doc[from] === '"') {
    const close = doc.indexOf('"', from + 1);
    if (close > 0 && close < lineEnd) to = close + 1;
  }
  return { from: Math.max(0, Math.min(from, doc.length)), to: Math.max(0, Math.min(to, doc.length)) };
}
