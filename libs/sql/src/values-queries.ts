import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { closing, isSymbol, type SqlToken } from './sql-lexer.ts';

const SET_OPERATORS = new Set(['union', 'intersect', 'except']);
/** Before a `(VALUES`, the words that make it a FROM item, which the grammar reads as it is. */
const FROM_ITEM = new Set(['from', 'join', 'lateral']);

const word = (t: SqlToken | undefined): string | undefined =>
  t?.kind === 'word' ? t.text.toLowerCase() : undefined;

/** Whether the VALUES at `i` starts a query of its own (a statement, a subquery, a set operation's branch). */
function startsQuery(tokens: readonly SqlToken[], i: number): boolean {
  const before = tokens[i - 1];
  if (before === undefined) return true;
  const w = word(before);
  if (w === 'explain' || w === 'analyze' || (w !== undefined && SET_OPERATORS.has(w))) return true;
  if ((w === 'all' || w === 'distinct') && SET_OPERATORS.has(word(tokens[i - 2]) ?? '')) return true;
  if (!isSymbol(before, '(')) return false;
  const outer = tokens[i - 2];
  return !isSymbol(outer, ',') && !FROM_ITEM.has(word(outer) ?? '');
}

/**
 * A VALUES list that is a query of its own (`VALUES (1, 'a'), (2, 'b')`, `WITH t(x) AS
 * (VALUES (1))`, `… UNION ALL VALUES (3)`, `IN (VALUES (1))`) as `SELECT * FROM (VALUES …) AS
 * valueslist`: the grammar reads VALUES only as a FROM item, and its columns are then named
 * col0, col1, … as DuckDB names them. Undefined when the text has none.
 */
export function valuesAsQueries(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (word(tokens[i]) !== 'values' || !isSymbol(tokens[i + 1], '(') || !startsQuery(tokens, i)) continue;
    let last = closing(tokens, i + 1);
    while (last >= 0 && isSymbol(tokens[last + 1], ',') && isSymbol(tokens[last + 2], '('))
      last = closing(tokens, last + 2);
    if (last < 0) return undefined;
    const start = tokens[i].offset;
    const end = tokens[last].end;
    edits.push(
      { offset: start, end: start, text: 'SELECT * FROM (' },
      { offset: end, end, text: ') AS valueslist' },
    );
    i = last;
  }
  return editedText(sql, edits);
}
