import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { isWord, type SqlToken } from './sql-lexer.ts';

/**
 * `SELECT ALL …`, the explicit opposite of DISTINCT, which the grammar does not read: the
 * ALL is left out, which means the same. Undefined when the text has none.
 */
export function withoutSelectAll(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  for (let i = 0; i + 1 < tokens.length; i++)
    if (isWord(tokens[i], 'select') && isWord(tokens[i + 1], 'all'))
      edits.push({ offset: tokens[i + 1].offset, end: tokens[i + 1].end, text: '' });
  return editedText(sql, edits);
}
