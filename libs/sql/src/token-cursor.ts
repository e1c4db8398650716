import { ParseError, type SqlPosition } from '@tributary/common';
import { positionAt, type SqlToken } from './sql-lexer.ts';
import type { NamePart } from './scope.ts';

/** A dotted name read from the tokens, with where it starts. */
export interface ReadName {
  readonly parts: readonly NamePart[];
  readonly position: SqlPosition;
}

/**
 * Reads the few statements node-sql-parser's grammar lacks (CREATE VIEW, DROP VIEW, SHOW,
 * DESCRIBE, …) straight from the tokens: keywords, dotted names, and where the rest begins.
 */
export class TokenCursor {
  private at = 0;
  private readonly end: number;

  constructor(
    private readonly sql: string,
    private readonly tokens: readonly SqlToken[],
  ) {
    // A trailing semicolon ends the statement; it is not part of it.
    let end = tokens.length;
    while (end > 0 && tokens[end - 1].kind === 'symbol' && tokens[end - 1].text === ';') end--;
    this.end = end;
  }

  /** Whether the next tokens are these keywords (case-insensitive); consumes them if so. */
  words(...words: string[]): boolean {
    for (let i = 0; i < words.length; i++) {
      const t = this.tokens[this.at + i];
      if (this.at + i >= this.end || t.kind !== 'word' || t.text.toLowerCase() !== words[i]) return false;
    }
    this.at += words.length;
    return true;
  }

  /** Whether the next token is this symbol (`(`, `,`); consumes it if so. */
  symbol(text: string): boolean {
    const t = this.tokens[this.at];
    if (this.at >= this.end || t.kind !== 'symbol' || t.text !== text) return false;
    this.at++;
    return true;
  }

  /** The next symbol, or a syntax error. */
  expectSymbol(text: string): void {
    if (!this.symbol(text)) throw this.error(`expected "${text}"`);
  }

  /** The next token if it is a word (not consumed): for keyword lists with a "did you mean". */
  peekWord(): string | undefined {
    const t = this.tokens[this.at];
    return this.at < this.end && t.kind === 'word' ? t.text : undefined;
  }

  /** The next keywords, or a syntax error saying what was expected. */
  expect(...words: string[]): void {
    if (!this.words(...words)) throw this.error(`expected ${words.join(' ').toUpperCase()}`);
  }

  /** A dotted name (`a.b."C d"`), or a syntax error. */
  name(what: string): ReadName {
    const parts: NamePart[] = [];
    const first = this.tokens[this.at];
    for (;;) {
      const t = this.tokens[this.at];
      if (this.at >= this.end || (t.kind !== 'word' && t.kind !== 'quoted'))
        throw this.error(`expected ${parts.length === 0 ? what : 'a name after "."'}`);
      parts.push({ text: t.text, quoted: t.kind === 'quoted' });
      this.at++;
      const dot = this.tokens[this.at];
      if (this.at < this.end && dot.kind === 'symbol' && dot.text === '.') this.at++;
      else break;
    }
    return { parts, position: { line: first.line, column: first.column } };
  }

  done(): boolean {
    return this.at >= this.end;
  }

  /** Nothing may follow. */
  expectEnd(): void {
    if (!this.done()) throw this.error('expected the end of the statement');
  }

  /** The character offset where the next token starts (the text from there on is the rest). */
  offset(): number {
    return this.at < this.end ? this.tokens[this.at].offset : this.sql.length;
  }

  error(expected: string): ParseError {
    const t = this.tokens[this.at];
    if (this.at >= this.end || !t)
      return new ParseError(
        `syntax error at end of input: ${expected}`,
        positionAt(this.sql, this.sql.length),
      );
    const text = t.kind === 'quoted' ? t.text : this.sql.slice(t.offset, t.end);
    return new ParseError(`syntax error at or near "${text}": ${expected}`, {
      line: t.line,
      column: t.column,
    });
  }
}
