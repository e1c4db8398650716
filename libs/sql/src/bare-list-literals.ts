import { movedText, type MovedText, type TextPiece } from './moved-text.ts';
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

/**
 * DuckDB's bare list literal `[1, 2, 3]` as Postgres' `ARRAY[1, 2, 3]`, which the grammar
 * reads: a `[` where no operand ends before it (`a[1]` and `ARRAY[…]` stay). Undefined when
 * the text has none.
 */
export function bareListLiterals(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const pieces: TextPiece[] = [];
  let copied = 0;
  tokens.forEach((t, i) => {
    if (!isSymbol(t, '[') || !opensList(tokens[i - 1])) return;
    pieces.push({ text: sql.slice(copied, t.offset), at: copied }, { text: 'ARRAY', at: undefined });
    copied = t.offset;
  });
  if (pieces.length === 0) return undefined;
  pieces.push({ text: sql.slice(copied), at: copied });
  return movedText(sql.length, pieces);
}
