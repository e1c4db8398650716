import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { expressionEnd, SET_OPERATION_WORDS } from './clause-words.ts';
import { isSymbol, isWord, type SqlToken } from './sql-lexer.ts';

/** Words that end a LIMIT or OFFSET count. */
const ENDS_COUNT = ['limit', 'offset', 'fetch', 'row', 'rows', 'for', ...SET_OPERATION_WORDS];

/**
 * The standard row-limiting clauses as the grammar reads them, `LIMIT n OFFSET m`: it drops
 * the LIMIT of `OFFSET m LIMIT n` (all rows came back), and reads neither `OFFSET m ROWS` nor
 * `FETCH FIRST|NEXT [n] ROW|ROWS ONLY`. Undefined when the text has none of those.
 */
export function standardRowLimits(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  const text = (from: number, to: number) => sql.slice(tokens[from].offset, tokens[to - 1].end);
  for (let i = 0; i < tokens.length; i++) {
    const startsOffset = isWord(tokens[i], 'offset') && !isSymbol(tokens[i - 1], '.');
    const startsFetch = isWord(tokens[i], 'fetch') && isWord(tokens[i + 1], 'first', 'next');
    if (!startsOffset && !startsFetch) continue;
    let j = i;
    let offset: string | undefined;
    let limit: string | undefined;
    let rewritten = false;
    if (startsOffset) {
      const end = expressionEnd(tokens, i + 1, ENDS_COUNT);
      if (end === i + 1) continue;
      offset = text(i + 1, end);
      j = end;
      if (isWord(tokens[j], 'row', 'rows')) {
        j++;
        rewritten = true;
      }
    }
    if (isWord(tokens[j], 'limit')) {
      const end = expressionEnd(tokens, j + 1, ENDS_COUNT);
      if (end === j + 1) continue;
      limit = text(j + 1, end);
      j = end;
      rewritten = true;
    } else if (isWord(tokens[j], 'fetch') && isWord(tokens[j + 1], 'first', 'next')) {
      const end = expressionEnd(tokens, j + 2, ENDS_COUNT);
      // FETCH FIRST ROW ONLY: one row.
      limit = end > j + 2 ? text(j + 2, end) : '1';
      if (!isWord(tokens[end], 'row', 'rows') || !isWord(tokens[end + 1], 'only')) continue;
      j = end + 2;
      rewritten = true;
    }
    if (!rewritten) continue;
    const clauses = [
      limit === undefined ? '' : `LIMIT ${limit}`,
      offset === undefined ? '' : `OFFSET ${offset}`,
    ];
    edits.push({ offset: tokens[i].offset, end: tokens[j - 1].end, text: clauses.filter(Boolean).join(' ') });
    i = j - 1;
  }
  return editedText(sql, edits);
}
