import { tokenizeSql } from '@tributary/sql';
import { RequestError } from '@tributary/common';

export interface StatementText {
  readonly sql: string;
  /** Where it starts in the message's text (error positions count from there). */
  readonly offset: number;
}

/**
 * The statements of a simple Query message, cut at semicolons outside strings, quoted names
 * and comments (psql sends `select 1; select 2` as one message).
 */
export function splitStatements(text: string): StatementText[] {
  const out: StatementText[] = [];
  let start = 0;
  const push = (end: number) => {
    const piece = text.slice(start, end);
    const lead = piece.length - piece.trimStart().length;
    if (piece.trim() !== '') out.push({ sql: piece.trim(), offset: start + lead });
  };
  for (const token of tokenizeSql(text)) {
    if (token.kind === 'symbol' && token.text === ';') {
      push(token.offset);
      start = token.end;
    }
  }
  push(text.length);
  return out;
}

interface Placeholder {
  readonly index: number;
  readonly offset: number;
  readonly end: number;
}

function placeholders(sql: string): Placeholder[] {
  const tokens = tokenizeSql(sql);
  const out: Placeholder[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i];
    const n = tokens[i + 1];
    if (
      t.kind === 'symbol' &&
      t.text === '$' &&
      n.kind === 'number' &&
      n.offset === t.end &&
      /^\d+$/.test(n.text)
    )
      out.push({ index: Number(n.text), offset: t.offset, end: n.end });
  }
  return out;
}

/** How many parameters ($1 … $n) a statement takes: the highest n. */
export function parameterCount(sql: string): number {
  return placeholders(sql).reduce((max, p) => Math.max(max, p.index), 0);
}

/** A parameter's value as a SQL literal of the text it stands for. */
export type ParameterLiteral = string;

/**
 * The statement with each `$n` replaced by its bound value, written as a literal: Tributary
 * plans text, so parameters are inlined the way pgJDBC's simple mode does, quoted and escaped
 * so that a value can never become SQL.
 */
export function inlineParameters(sql: string, literals: readonly ParameterLiteral[]): string {
  return inlineWithOffsets(sql, literals).sql;
}

/** A statement with its parameters inlined, and where a character of it was in the client's text. */
export interface InlinedStatement {
  readonly sql: string;
  /** A 1-based position in `sql` as a 1-based position in the client's text (a literal: its `$n`). */
  readonly clientPosition: (position: number) => number;
}

/** inlineParameters, keeping the way back to the client's positions (for errors). */
export function inlineWithOffsets(sql: string, literals: readonly ParameterLiteral[]): InlinedStatement {
  let out = '';
  let at = 0;
  /** Each literal: where it starts and ends in the output, and where its `$n` started in the input. */
  const spans: { from: number; to: number; original: number; shift: number }[] = [];
  for (const p of placeholders(sql)) {
    if (p.index < 1 || p.index > literals.length)
      throw new RequestError(
        'INVALID_PARAMETER',
        `the statement refers to $${p.index} but ${literals.length} parameter(s) were bound`,
      );
    out += sql.slice(at, p.offset);
    const from = out.length;
    out += literals[p.index - 1];
    spans.push({ from, to: out.length, original: p.offset, shift: out.length - p.end });
    at = p.end;
  }
  out += sql.slice(at);
  const clientPosition = (position: number): number => {
    const offset = position - 1;
    let shift = 0;
    for (const span of spans) {
      if (offset < span.from) break;
      if (offset < span.to) return span.original + 1;
      shift = span.shift;
    }
    return offset - shift + 1;
  };
  return { sql: out, clientPosition };
}
