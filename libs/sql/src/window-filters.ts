import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { closing, isSymbol, isWord, opening, type SqlToken } from './sql-lexer.ts';

/**
 * `agg(x) FILTER (WHERE c) OVER (…)` as `agg(CASE WHEN (c) THEN (x) END) OVER (…)` (count(*)
 * counts `1`): every aggregate a window computes skips NULLs, so the rows the filter drops
 * count for nothing, as DuckDB has it. Undefined when the text has no such call.
 */
export function windowFiltersAsCase(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  const text = (from: number, to: number) => sql.slice(tokens[from].offset, tokens[to].end);
  for (let i = 1; i + 2 < tokens.length; i++) {
    if (!isWord(tokens[i], 'filter') || !isSymbol(tokens[i - 1], ')') || !isSymbol(tokens[i + 1], '('))
      continue;
    const filterEnd = closing(tokens, i + 1);
    if (filterEnd < 0 || !isWord(tokens[filterEnd + 1], 'over')) continue;
    const open = opening(tokens, i - 1);
    if (open < 1 || isWord(tokens[open + 1], 'distinct')) continue;
    const condition = text(isWord(tokens[i + 2], 'where') ? i + 3 : i + 2, filterEnd - 1);
    const star = isSymbol(tokens[open + 1], '*') && open + 2 === i - 1;
    const value = open + 1 === i - 1 || star ? '1' : text(open + 1, i - 2);
    edits.push({
      offset: tokens[open + 1].offset,
      end: tokens[filterEnd].end,
      text: `CASE WHEN (${condition}) THEN (${value}) END)`,
    });
  }
  return editedText(sql, edits);
}
