import type { AstNode } from './sql-ast.ts';
import { editedText, type MovedText, type TextEdit } from './moved-text.ts';
import { isSymbol, type SqlToken } from './sql-lexer.ts';

/** The call that marks the divisor of DuckDB's `//` for the grammar, which reads `/` only. */
export const INTEGER_DIVISOR = '__tributary_intdiv';

const word = (t: SqlToken | undefined): string | undefined =>
  t?.kind === 'word' ? t.text.toLowerCase() : undefined;

/** The index of the token closing the bracket opened at `open` (`(…)`, `[…]`), or -1. */
function closing(tokens: readonly SqlToken[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (isSymbol(tokens[k], '(') || isSymbol(tokens[k], '[')) depth++;
    else if ((isSymbol(tokens[k], ')') || isSymbol(tokens[k], ']')) && --depth === 0) return k;
  }
  return -1;
}

/**
 * The last token of the operand starting at `k` that binds as tightly as a factor of `*`:
 * unary signs, then a name (dotted), a call, a literal (`DATE '…'` too), a parenthesized
 * expression or a CASE, then any casts (`::t`) and subscripts; -1 when there is none.
 */
function operandEnd(tokens: readonly SqlToken[], start: number): number {
  let k = start;
  while (isSymbol(tokens[k], '-') || isSymbol(tokens[k], '+')) k++;
  const t = tokens[k];
  if (t === undefined) return -1;
  let end: number;
  if (isSymbol(t, '(')) end = closing(tokens, k);
  else if (word(t) === 'case') {
    end = -1;
    for (let depth = 0, j = k; j < tokens.length; j++) {
      if (word(tokens[j]) === 'case') depth++;
      else if (word(tokens[j]) === 'end' && --depth === 0) {
        end = j;
        break;
      }
    }
  } else if (t.kind === 'word' || t.kind === 'quoted') {
    end = k;
    while (isSymbol(tokens[end + 1], '.') && tokens[end + 2] && tokens[end + 2].kind !== 'symbol') end += 2;
    if (isSymbol(tokens[end + 1], '(')) end = closing(tokens, end + 1);
    else if (tokens[end + 1]?.kind === 'string' && t.kind === 'word') end++;
  } else if (t.kind === 'number' || t.kind === 'string') end = k;
  else return -1;
  for (;;) {
    if (end < 0) return -1;
    const next = tokens[end + 1];
    if (isSymbol(next, ':') && isSymbol(tokens[end + 2], ':') && tokens[end + 3]?.kind === 'word') {
      end += 3;
      if (isSymbol(tokens[end + 1], '(')) end = closing(tokens, end + 1);
    } else if (isSymbol(next, '[')) end = closing(tokens, end + 1);
    else return end;
  }
}

/**
 * DuckDB's integer division `a // b` as `a / __tributary_intdiv(b)`: the grammar reads `/`
 * at the same precedence, and the call around the divisor (its operand alone, as `//` binds
 * like `*`) tells the binder this `/` is `//`. Undefined when the text has no `//`.
 */
export function integerDivisionCalls(sql: string, tokens: readonly SqlToken[]): MovedText | undefined {
  // Point edits (the second `/` becomes the call's name, a `)` follows the divisor), so that
  // a `//` inside another's divisor is rewritten too.
  const edits: TextEdit[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [a, b] = [tokens[i], tokens[i + 1]];
    if (!isSymbol(a, '/') || !isSymbol(b, '/') || b.offset !== a.end) continue;
    const end = operandEnd(tokens, i + 2);
    if (end < 0) continue;
    edits.push(
      { offset: b.offset, end: b.end, text: ` ${INTEGER_DIVISOR}(` },
      { offset: tokens[end].end, end: tokens[end].end, text: ')' },
    );
    i++;
  }
  return editedText(sql, edits);
}

/** The divisor of `a // b` when `node` is the marked right side of such a `/`, else undefined. */
export function integerDivisor(node: AstNode): AstNode | undefined {
  if (node.type !== 'function') return undefined;
  const name = (node.name as { name?: readonly { value: string }[] } | undefined)?.name;
  if (name?.length !== 1 || name[0].value !== INTEGER_DIVISOR) return undefined;
  return (node.args as { value?: AstNode[] } | undefined)?.value?.[0];
}
