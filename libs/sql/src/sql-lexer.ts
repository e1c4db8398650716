import type { SqlPosition } from '@tributary/common';

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'symbol';

/** One lexical token with its place in the text; only used to locate names for error messages. */
export interface SqlToken {
  readonly kind: TokenKind;
  /** Identifier or keyword text (unquoted, quotes removed for `quoted`), or the raw text. */
  readonly text: string;
  readonly offset: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/** [A-Za-z_] or any non-ASCII code unit (\u0080-\uffff). */
function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57) || c === 36;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const UNICODE_SPACE = /\s/;

/** What `/\s/` matches, without a regular expression for ASCII. */
function isSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return UNICODE_SPACE.test(String.fromCharCode(c));
}

/** 1-based line and column of a character offset. */
export function positionAt(sql: string, offset: number): SqlPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < sql.length; i++) {
    if (sql.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A forgiving tokenizer: node-sql-parser keeps locations only on a few nodes and drops
 * whether a name was quoted, so the binder looks names up in these tokens instead.
 */
export function tokenizeSql(sql: string): SqlToken[] {
  // Char codes rather than regular expressions: statements can be megabytes (long IN lists).
  const tokens: SqlToken[] = [];
  const n = sql.length;
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const push = (
    kind: TokenKind,
    text: string,
    start: number,
    startLine: number,
    startLineStart: number,
  ): void => {
    tokens.push({ kind, text, offset: start, end: i, line: startLine, column: start - startLineStart + 1 });
  };
  while (i < n) {
    const c = sql.charCodeAt(i);
    const startLine = line;
    const startLineStart = lineStart;
    const start = i;
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 45 && sql.charCodeAt(i + 1) === 45) {
      while (i < n && sql.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 47 && sql.charCodeAt(i + 1) === 42) {
      i += 2;
      while (i < n && !(sql.charCodeAt(i) === 42 && sql.charCodeAt(i + 1) === 47)) {
        if (sql.charCodeAt(i) === 10) {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      i += 2;
      continue;
    }
    if (c === 39 || c === 34) {
      let text = '';
      let from = ++i;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (d === c) {
          text += sql.slice(from, i);
          if (sql.charCodeAt(i + 1) === c) {
            // A doubled quote stands for one.
            i += 2;
            from = i - 1;
            continue;
          }
          from = ++i;
          break;
        }
        if (d === 10) {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (from < i) text += sql.slice(from, i);
      push(c === 39 ? 'string' : 'quoted', text, start, startLine, startLineStart);
      continue;
    }
    if (isWordStart(c)) {
      while (i < n && isWordPart(sql.charCodeAt(i))) i++;
      push('word', sql.slice(start, i), start, startLine, startLineStart);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(sql.charCodeAt(i + 1)))) {
      for (let d = c; i < n && (isDigit(d) || d === 46 || d === 101 || d === 69); d = sql.charCodeAt(i)) i++;
      push('number', sql.slice(start, i), start, startLine, startLineStart);
      continue;
    }
    i++;
    push('symbol', sql[start], start, startLine, startLineStart);
  }
  return tokens;
}

/** Whether `t` is the word (keyword or name, any case) `texts` lists, one of them. */
export function isWord(t: SqlToken | undefined, ...texts: string[]): boolean {
  return t !== undefined && t.kind === 'word' && texts.includes(t.text.toLowerCase());
}

/** Whether `t` is the symbol `text`. */
export function isSymbol(t: SqlToken | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'symbol' && t.text === text;
}

/** The index of the `(` opening the `)` at `close`, or -1. */
export function opening(tokens: readonly SqlToken[], close: number): number {
  let depth = 0;
  for (let k = close; k >= 0; k--) {
    if (isSymbol(tokens[k], ')')) depth++;
    else if (isSymbol(tokens[k], '(') && --depth === 0) return k;
  }
  return -1;
}

/** The index of the `)` closing the `(` at `open`, or -1. */
export function closing(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (isSymbol(tokens[k], '(')) depth++;
    else if (isSymbol(tokens[k], ')') && --depth === 0) return k;
  }
  return -1;
}
