import { isSymbol, isWord, type SqlToken } from './sql-lexer.ts';

/** Words that start a clause after FROM at a query's own nesting level. */
export const CLAUSE_WORDS = [
  'where',
  'group',
  'having',
  'qualify',
  'window',
  'order',
  'limit',
  'offset',
  'fetch',
];

export const SET_OPERATION_WORDS = ['union', 'intersect', 'except'];

/** Words that start a join. */
export const JOIN_WORDS = ['join', 'inner', 'left', 'right', 'full', 'cross', 'natural', 'semi', 'anti'];

/**
 * The index after the expression starting at `k`: up to a `;`, a `)` it did not open, or, at
 * its own depth, a comma or one of the words `ends` (a word called like a function, `left(`,
 * is no end).
 */
export function expressionEnd(tokens: readonly SqlToken[], k: number, ends: readonly string[]): number {
  let depth = 0;
  for (let j = k; j < tokens.length; j++) {
    const t = tokens[j];
    if (isSymbol(t, '(')) depth++;
    else if (isSymbol(t, ')')) {
      if (depth === 0) return j;
      depth--;
    } else if (depth === 0 && (isSymbol(t, ';') || isSymbol(t, ','))) return j;
    else if (depth === 0 && isWord(t, ...ends) && !isSymbol(tokens[j + 1], '(')) return j;
  }
  return tokens.length;
}
