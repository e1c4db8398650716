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

function isWordStart(c: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(c);
}

function isWordPart(c: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(c);
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
  const tokens: SqlToken[] = [];
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
  while (i < sql.length) {
    const c = sql[i];
    const startLine = line;
    const startLineStart = lineStart;
    const start = i;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      i += 2;
      while (i < sql.length && !(sql[i] === '*' && sql[i + 1] === '/')) {
        if (sql[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      i += 2;
      continue;
    }
    if (c === "'" || c === '"') {
      let text = '';
      i++;
      while (i < sql.length) {
        if (sql[i] === c) {
          if (sql[i + 1] === c) {
            text += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (sql[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        text += sql[i++];
      }
      push(c === "'" ? 'string' : 'quoted', text, start, startLine, startLineStart);
      continue;
    }
    if (isWordStart(c)) {
      while (i < sql.length && isWordPart(sql[i])) i++;
      push('word', sql.slice(start, i), start, startLine, startLineStart);
      continue;
    }
    if (/[0-9.]/.test(c) && /[0-9]/.test(c === '.' ? (sql[i + 1] ?? '') : c)) {
      while (i < sql.length && /[0-9.eE]/.test(sql[i])) i++;
      push('number', sql.slice(start, i), start, startLine, startLineStart);
      continue;
    }
    i++;
    push('symbol', c, start, startLine, startLineStart);
  }
  return tokens;
}
