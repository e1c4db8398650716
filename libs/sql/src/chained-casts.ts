import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { closing, isSymbol, isWord, type SqlToken } from './sql-lexer.ts';

/**
 * The grammar drops a `::T` written after `CAST(x AS U)` or after a scalar subquery (the AST
 * holds the CAST or the subquery alone, so `CAST('12.5' AS DOUBLE)::INT` gave 12.5): either is
 * put in parentheses, which the grammar reads with its cast. Undefined when the text has none.
 */
export function parenthesizedCasts(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    // A name qualified as `x.cast(…)` is no CAST.
    const cast = isWord(tokens[i], 'cast') && isSymbol(tokens[i + 1], '(') && !isSymbol(tokens[i - 1], '.');
    const subquery = isSymbol(tokens[i], '(') && isWord(tokens[i + 1], 'select', 'with');
    if (!cast && !subquery) continue;
    const end = closing(tokens, cast ? i + 1 : i);
    if (end < 0 || !isSymbol(tokens[end + 1], ':') || !isSymbol(tokens[end + 2], ':')) continue;
    edits.push(
      { offset: tokens[i].offset, end: tokens[i].offset, text: '(' },
      { offset: tokens[end].end, end: tokens[end].end, text: ')' },
    );
  }
  return editedText(sql, edits);
}
