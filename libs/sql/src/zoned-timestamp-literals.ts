import { movedText, type MovedText, type TextPiece } from './moved-text.ts';
import { isWord, type SqlToken } from './sql-lexer.ts';

/** The index of the string a zoned timestamp literal's type name starting at `i` types, or -1. */
function zonedLiteralString(tokens: readonly SqlToken[], i: number): number {
  if (isWord(tokens[i], 'timestamptz')) return tokens[i + 1]?.kind === 'string' ? i + 1 : -1;
  const spelled =
    isWord(tokens[i], 'timestamp') &&
    isWord(tokens[i + 1], 'with') &&
    isWord(tokens[i + 2], 'time') &&
    isWord(tokens[i + 3], 'zone');
  return spelled && tokens[i + 4]?.kind === 'string' ? i + 4 : -1;
}

/**
 * `TIMESTAMPTZ '…'` and `TIMESTAMP WITH TIME ZONE '…'`, which the grammar cannot read, as the
 * cast `CAST('…' AS TIMESTAMPTZ)` it can, the name DuckDB gives the literal's column too.
 * Undefined when the text has none.
 */
export function zonedTimestampLiterals(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const pieces: TextPiece[] = [];
  let copied = 0;
  for (let i = 0; i < tokens.length; i++) {
    const s = zonedLiteralString(tokens, i);
    if (s < 0) continue;
    const [start, literal] = [tokens[i], tokens[s]];
    pieces.push(
      { text: sql.slice(copied, start.offset), at: copied },
      { text: 'CAST(', at: undefined },
      { text: sql.slice(literal.offset, literal.end), at: literal.offset },
      { text: ' AS TIMESTAMPTZ)', at: undefined },
    );
    copied = literal.end;
    i = s;
  }
  if (pieces.length === 0) return undefined;
  pieces.push({ text: sql.slice(copied), at: copied });
  return movedText(sql.length, pieces);
}
