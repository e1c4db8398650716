import { movedText, type MovedText, type TextPiece } from './moved-text.ts';
import { CLAUSE_WORDS, SET_OPERATION_WORDS } from './clause-words.ts';
import { isSymbol, isWord, type SqlToken } from './sql-lexer.ts';

/** Clauses that end a FROM list or a select list at its own nesting level. */
const CLAUSES = CLAUSE_WORDS;
const SET_OPERATIONS = SET_OPERATION_WORDS;
/** Functions whose arguments may start with FROM (`trim(FROM s)`, `substring(s FROM 2)`). */
const FROM_ARGUMENT = new Set(['trim', 'substring', 'substr', 'extract', 'position', 'overlay']);

/**
 * DuckDB's FROM-first syntax, `FROM t [SELECT list] [WHERE …] …`, wherever a query may stand
 * (a statement, a subquery, a CTE's body, a set operation's side): rewritten as
 * `SELECT list FROM t …`, `SELECT *` when the list is left out. Undefined when the text has
 * none. The text moves, so positions in the rewritten text are taken back with `userOffset`.
 */
export function rewriteFromFirst(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const matching = matchingParentheses(tokens);
  const startsQuery = (k: number): boolean => {
    if (!isWord(tokens[k], 'from')) return false;
    let before = k - 1;
    while (isWord(tokens[before], 'explain', 'analyze') && before >= 0) before--;
    if (before < 0) return true;
    const prev = tokens[before];
    if (isSymbol(prev, '(')) return !isWord(tokens[before - 1], ...FROM_ARGUMENT);
    if (isWord(prev, ...SET_OPERATIONS)) return true;
    if (isWord(prev, 'all', 'distinct')) return isWord(tokens[before - 1], ...SET_OPERATIONS);
    // The end of a CTE's body: `WITH a AS (…) FROM a`.
    if (isSymbol(prev, ')')) {
      const open = matching.get(before);
      return open !== undefined && isWord(tokens[open - 1], 'as', 'materialized');
    }
    return false;
  };
  if (!tokens.some((t, k) => t.kind === 'word' && t.text.toLowerCase() === 'from' && startsQuery(k)))
    return undefined;

  /** The original text of tokens [lo, hi), up to the last one's end. */
  const slice = (lo: number, hi: number): TextPiece[] =>
    lo >= hi ? [] : [{ text: sql.slice(tokens[lo].offset, tokens[hi - 1].end), at: tokens[lo].offset }];

  /** The first index in [lo, hi) at nesting depth 0 whose token satisfies `stop`, or hi. */
  const scan = (lo: number, hi: number, stop: (t: SqlToken) => boolean): number => {
    let depth = 0;
    for (let k = lo; k < hi; k++) {
      const t = tokens[k];
      if (isSymbol(t, '(')) depth++;
      else if (isSymbol(t, ')')) {
        if (--depth < 0) return k;
      } else if (depth === 0 && stop(t)) return k;
    }
    return hi;
  };

  /** Tokens [lo, hi) with their FROM-first queries rewritten; the one at lo is not looked for again. */
  const render = (lo: number, hi: number, skipFirst = false): TextPiece[] => {
    const out: TextPiece[] = [];
    let copied = lo;
    const copyTo = (k: number) => {
      if (k > copied)
        out.push({ text: sql.slice(tokens[copied].offset, tokens[k].offset), at: tokens[copied].offset });
      copied = k;
    };
    for (let k = lo; k < hi; k++) {
      if ((skipFirst && k === lo) || !startsQuery(k)) continue;
      copyTo(k);
      const end = scan(k + 1, hi, (t) => isSymbol(t, ';') || isWord(t, ...SET_OPERATIONS));
      const listEnd = scan(k + 1, end, (t) => isWord(t, 'select') || isWord(t, ...CLAUSES));
      const select = isWord(tokens[listEnd], 'select') && listEnd < end;
      const selectEnd = select ? scan(listEnd + 1, end, (t) => isWord(t, ...CLAUSES)) : listEnd;
      if (select) out.push(...render(listEnd, selectEnd, true));
      else out.push({ text: 'SELECT *', at: undefined });
      out.push({ text: ' ', at: undefined }, ...render(k, listEnd, true));
      if (selectEnd < hi && !isSymbol(tokens[selectEnd], ')')) out.push({ text: ' ', at: undefined });
      copied = selectEnd;
      k = selectEnd - 1;
    }
    if (copied < hi) out.push(...slice(copied, hi));
    return out;
  };

  return movedText(sql.length, render(0, tokens.length));
}

/** For each `)` its `(`, by token index. */
function matchingParentheses(tokens: readonly SqlToken[]): Map<number, number> {
  const open: number[] = [];
  const matching = new Map<number, number>();
  tokens.forEach((t, k) => {
    if (isSymbol(t, '(')) open.push(k);
    else if (isSymbol(t, ')') && open.length > 0) matching.set(k, open.pop()!);
  });
  return matching;
}
