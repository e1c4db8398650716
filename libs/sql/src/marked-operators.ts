import type { AstNode } from './sql-ast.ts';
import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { isSymbol, type SqlToken } from './sql-lexer.ts';

/** The call that stands for an operator the grammar does not read, between two `||`. */
export const MARKED_OPERATOR = '__tributary_operator';

/** DuckDB's bitwise operators, and its power operators `^` and `**`. */
export type MarkedOperator = '&' | '|' | '<<' | '>>' | '^' | '**';

const MARKED = new Set<string>(['&', '|', '<<', '>>', '^', '**']);

/** Whether `b` follows `a` with nothing between them. */
const touching = (a: SqlToken | undefined, b: SqlToken | undefined): boolean =>
  a !== undefined && b !== undefined && a.end === b.offset;

/** Symbols that make one operator with a neighbour they touch (PostgreSQL's lexer reads `&&`, `->>`, `<<=`). */
const OPERATOR_CHARS = new Set('&|<>=!~+-*/%@#^?:');

const operatorSymbol = (t: SqlToken | undefined): boolean =>
  t?.kind === 'symbol' && OPERATOR_CHARS.has(t.text);

/** Whether tokens `from..to` are written together, with no operator symbol against either end. */
function standsAlone(tokens: readonly SqlToken[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (!touching(tokens[k], tokens[k + 1])) return false;
  const [before, after] = [tokens[from - 1], tokens[to + 1]];
  return (
    !(operatorSymbol(before) && touching(before, tokens[from])) &&
    !(operatorSymbol(after) && touching(tokens[to], after))
  );
}

/**
 * DuckDB's operators that the PostgreSQL grammar does not read, bitwise `&`, `|`, `<<` and
 * `>>` and power `^` and `**`, as `|| __tributary_operator('&') ||`, so that the grammar
 * parses the statement; operator-precedence.ts folds each marked pair of `||` back into the
 * operator at its own precedence. `&&`, `||`, `->>`, `#>>` and the like are left alone.
 * Undefined when the text has none.
 */
export function markedOperatorCalls(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  const mark = (from: SqlToken, to: SqlToken, op: MarkedOperator) =>
    edits.push({ offset: from.offset, end: to.end, text: ` || ${MARKED_OPERATOR}('${op}') || ` });
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'symbol') continue;
    const doubled = `${t.text}${t.text}`;
    if (MARKED.has(t.text) && standsAlone(tokens, i, i)) mark(t, t, t.text as MarkedOperator);
    else if (MARKED.has(doubled) && isSymbol(tokens[i + 1], t.text) && standsAlone(tokens, i, i + 1)) {
      mark(t, tokens[i + 1], doubled as MarkedOperator);
      i++;
    }
  }
  return editedText(sql, edits);
}

/** The operator a marker call stands for, when `node` is one (see markedOperatorCalls). */
export function markedOperatorOf(node: AstNode): MarkedOperator | undefined {
  if (node.type !== 'function' || node.parentheses) return undefined;
  const name = (node.name as { name?: readonly { value: string }[] } | undefined)?.name;
  if (name?.length !== 1 || name[0].value !== MARKED_OPERATOR) return undefined;
  const arg = (node.args as { value?: AstNode[] } | undefined)?.value?.[0];
  const op = arg?.value;
  return typeof op === 'string' && MARKED.has(op) ? (op as MarkedOperator) : undefined;
}
