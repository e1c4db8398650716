import { editedText, type MovedText } from './moved-text.ts';
import { isSymbol, isWord, type SqlToken } from './sql-lexer.ts';

/**
 * DuckDB lets an aggregate's FILTER leave out its WHERE (`count(*) FILTER (x > 1)`), which the
 * grammar needs: it is written in. Only after a call's `)`: a column or function named filter
 * stays. Undefined when there is none to write.
 */
export function filterWithWhere(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits = [];
  for (let i = 1; i + 2 < tokens.length; i++) {
    if (!isWord(tokens[i], 'filter') || !isSymbol(tokens[i - 1], ')') || !isSymbol(tokens[i + 1], '('))
      continue;
    if (isWord(tokens[i + 2], 'where')) continue;
    edits.push({ offset: tokens[i + 2].offset, end: tokens[i + 2].offset, text: 'WHERE ' });
  }
  return editedText(sql, edits);
}
