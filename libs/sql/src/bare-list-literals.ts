import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { isSymbol, type SqlToken } from './sql-lexer.ts';

/** Words after which an expression starts: a `[` there opens a list, not a subscript. */
const BEFORE_EXPRESSION = new Set([
  'select',
  'where',
  'having',
  'qualify',
  'and',
  'or',
  'not',
  'when',
  'then',
  'else',
  'by',
  'on',
  'distinct',
  'all',
  'between',
  'is',
  'like',
  'ilike',
  'in',
  'values',
  'from',
  'return',
]);

/** Whether the `[` after `t` opens a list literal: nothing before it ends an operand. */
function opensList(t: SqlToken | undefined): boolean {
  if (t === undefined) return true;
  if (t.kind === 'word') return BEFORE_EXPRESSION.has(t.text.toLowerCase());
  if (t.kind === 'symbol') return !isSymbol(t, ')') && !isSymbol(t, ']');
  return false;
}

/** The name a bare list literal is rewritten to: DuckDB's, which names `[1, 2]` `main.list_value(1, 2)`. */
export const BARE_LIST_FUNCTION = 'main.list_value';

/**
 * DuckDB's bare list literal `[1, 2, 3]` as the call `main.list_value(1, 2, 3)` it stands for
 * (and is named after): a `[` where no operand ends before it (`a[1]` and `ARRAY[…]` stay),
 * up to its matching `]`. Undefined when the text has none.
 */
export function bareListLiterals(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  const open: (boolean | undefined)[] = [];
  tokens.forEach((t, i) => {
    if (isSymbol(t, '[')) {
      const list = opensList(tokens[i - 1]);
      open.push(list);
      if (list) edits.push({ offset: t.offset, end: t.end, text: `${BARE_LIST_FUNCTION}(` });
    } else if (isSymbol(t, ']') && open.pop()) edits.push({ offset: t.offset, end: t.end, text: ')' });
  });
  return editedText(sql, edits);
}
