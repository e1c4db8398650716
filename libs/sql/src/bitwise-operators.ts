import type { AstNode } from './sql-ast.ts';
import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { isSymbol, type SqlToken } from './sql-lexer.ts';

/** The call that stands for one of DuckDB's bitwise operators between two `||` for the grammar. */
export const BITWISE_OPERATOR = '__tributary_operator';

export type BitwiseOperator = '&' | '|' | '<<' | '>>';

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
 * DuckDB's bitwise operators `&`, `|`, `<<` and `>>`, which the PostgreSQL grammar does not
 * read, as `|| __tributary_operator('&') ||`: `||` stands at their precedence (PostgreSQL's
 * "any other operator"), so the grammar parses the statement, and operator-precedence.ts
 * folds each marked pair of `||` back into the operator. `&&`, `||`, `->>`, `#>>` and the like
 * are left alone. Undefined when the text has none.
 */
export function bitwiseOperatorCalls(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  const edits: TextEdit[] = [];
  const mark = (from: SqlToken, to: SqlToken, op: BitwiseOperator) =>
    edits.push({ offset: from.offset, end: to.end, text: ` || ${BITWISE_OPERATOR}('${op}') || ` });
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'symbol') continue;
    if ((t.text === '&' || t.text === '|') && standsAlone(tokens, i, i)) mark(t, t, t.text);
    else if (
      (t.text === '<' || t.text === '>') &&
      isSymbol(tokens[i + 1], t.text) &&
      standsAlone(tokens, i, i + 1)
    ) {
      mark(t, tokens[i + 1], t.text === '<' ? '<<' : '>>');
      i++;
    }
  }
  return editedText(sql, edits);
}

/** The operator a marker call stands for, when `node` is one (see bitwiseOperatorCalls). */
export function bitwiseOperatorOf(node: AstNode): BitwiseOperator | undefined {
  if (node.type !== 'function' || node.parentheses) return undefined;
  const name = (node.name as { name?: readonly { value: string }[] } | undefined)?.name;
  if (name?.length !== 1 || name[0].value !== BITWISE_OPERATOR) return undefined;
  const arg = (node.args as { value?: AstNode[] } | undefined)?.value?.[0];
  const op = arg?.value;
  return op === '&' || op === '|' || op === '<<' || op === '>>' ? op : undefined;
}
