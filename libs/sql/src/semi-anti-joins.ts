import type { AstNode } from './sql-ast.ts';
import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { CLAUSE_WORDS, expressionEnd, JOIN_WORDS, SET_OPERATION_WORDS } from './clause-words.ts';
import { closing, isSymbol, isWord, type SqlToken } from './sql-lexer.ts';

/** The calls that stand around a SEMI or ANTI JOIN's ON condition for the binder. */
export const SEMI_JOIN = '__tributary_semi_join';
export const ANTI_JOIN = '__tributary_anti_join';

/** Words that end an ON condition at its own depth. */
const ENDS_CONDITION = [...JOIN_WORDS, ...CLAUSE_WORDS, ...SET_OPERATION_WORDS];

/**
 * DuckDB's `a SEMI JOIN b ON c` and `a ANTI JOIN b ON c`, which the grammar would read as a
 * table aliased `semi` joined to b: written `a JOIN b ON __tributary_semi_join(c)`, which the
 * binder turns back into a semi (anti) join. One with USING gets the call in its USING list,
 * which the binder refuses. Undefined when the text has none.
 */
export function semiAntiJoins(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (!isWord(tokens[i], 'semi', 'anti') || !isWord(tokens[i + 1], 'join')) continue;
    const marker = isWord(tokens[i], 'semi') ? SEMI_JOIN : ANTI_JOIN;
    let k = i + 2;
    let depth = 0;
    for (; k < tokens.length; k++) {
      if (isSymbol(tokens[k], '(')) depth++;
      else if (isSymbol(tokens[k], ')')) depth--;
      else if (depth === 0 && isWord(tokens[k], 'on', 'using')) break;
    }
    if (k >= tokens.length) continue;
    edits.push({ offset: tokens[i].offset, end: tokens[i + 1].offset, text: '' });
    if (isWord(tokens[k], 'using')) {
      const close = closing(tokens, k + 1);
      if (close > 0)
        edits.push({ offset: tokens[k + 1].offset, end: tokens[close].end, text: `(${marker})` });
      continue;
    }
    const end = expressionEnd(tokens, k + 1, ENDS_CONDITION);
    if (end === k + 1) continue;
    edits.push(
      { offset: tokens[k + 1].offset, end: tokens[k + 1].offset, text: `${marker}(` },
      { offset: tokens[end - 1].end, end: tokens[end - 1].end, text: ')' },
    );
  }
  return editedText(sql, edits);
}

/** The join a marker call around an ON condition stands for, and the condition; undefined for any other ON. */
export function semiAntiJoinOf(on: AstNode): { type: 'semi' | 'anti'; condition: AstNode } | undefined {
  if (on.type !== 'function') return undefined;
  const name = (on.name as { name?: readonly { value: string }[] } | undefined)?.name;
  const called = name?.length === 1 ? name[0].value : undefined;
  if (called !== SEMI_JOIN && called !== ANTI_JOIN) return undefined;
  const condition = (on.args as { value?: AstNode[] } | undefined)?.value?.[0];
  return condition && { type: called === SEMI_JOIN ? 'semi' : 'anti', condition };
}
