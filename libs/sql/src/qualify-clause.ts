import { visitAstPostOrder } from './sql-ast.ts';
import { ParseError } from '@tributary/common';
import { isSymbol, isWord, type SqlToken } from './sql-lexer.ts';
import { overwrite } from './text-edits.ts';

/** A QUALIFY condition cut out of the text: where it is written, to be parsed on its own. */
export interface QualifyCondition {
  readonly start: number;
  readonly end: number;
}

/** Words that end a QUALIFY condition at its own nesting level. */
const CLAUSE_AFTER_QUALIFY = new Set(['order', 'limit', 'offset', 'fetch', 'union', 'except', 'intersect']);

const MARKER_NAMES = 'abcdefghijklmnopqrstuvwxyz';

/** Whether the SELECT a QUALIFY at `i` belongs to has a HAVING clause (at its own nesting level). */
function hasHaving(tokens: readonly SqlToken[], i: number): boolean {
  let depth = 0;
  for (let k = i - 1; k >= 0; k--) {
    const t = tokens[k];
    if (isSymbol(t, ')')) depth++;
    else if (isSymbol(t, '(') && --depth < 0) return false;
    else if (depth === 0 && t.kind === 'word') {
      const word = t.text.toLowerCase();
      if (word === 'having') return true;
      if (word === 'select' || word === 'union' || word === 'except' || word === 'intersect') return false;
    }
  }
  return false;
}

/**
 * The grammar lacks DuckDB's `QUALIFY condition`, and drops what follows a WINDOW clause, so
 * QUALIFY takes HAVING's place: it becomes `HAVING _qx` (or `AND _qx` after a HAVING of the
 * same SELECT), written over its blanked text so offsets stay the user's. `attach` takes the
 * marker back out of HAVING and sets the separately parsed condition as `ast.qualify`.
 */
export function cutQualifyClauses(
  text: string,
  tokens: readonly SqlToken[],
): {
  text: string;
  attach(ast: unknown, parseCondition: (condition: QualifyCondition) => unknown): void;
} {
  const lower = text.toLowerCase();
  const prefix = ['_q', '_qq', '_qy'].find((p) => !lower.includes(p)) ?? '_qualify';
  const conditions = new Map<string, QualifyCondition>();
  let out = text;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!isWord(t, 'qualify') || isSymbol(tokens[i - 1], '.') || isSymbol(tokens[i + 1], '(')) continue;
    if (isSymbol(tokens[i + 1], ',') || isSymbol(tokens[i + 1], '.') || !tokens[i + 1]) continue;
    // A column or alias named qualify: after SELECT, a comma, AS or an opening parenthesis.
    const before = tokens[i - 1];
    if (isWord(before, 'select') || isWord(before, 'as') || isSymbol(before, ',') || isSymbol(before, '('))
      continue;
    let depth = 0;
    let last = i;
    for (let k = i + 1; k < tokens.length; k++) {
      const u = tokens[k];
      if (isSymbol(u, '(')) depth++;
      else if (isSymbol(u, ')') && --depth < 0) break;
      else if (
        depth === 0 &&
        (isSymbol(u, ';') || (u.kind === 'word' && CLAUSE_AFTER_QUALIFY.has(u.text.toLowerCase())))
      )
        break;
      last = k;
    }
    if (last === i) throw new ParseError('QUALIFY needs a condition', { line: t.line, column: t.column });
    const letter = MARKER_NAMES[conditions.size];
    if (letter === undefined)
      throw new ParseError('too many QUALIFY clauses in one statement', { line: t.line, column: t.column });
    const name = prefix + letter;
    const replacement = `${hasHaving(tokens, i) ? 'AND' : 'HAVING'} ${name}`;
    // Blanks after the clause on its line make room for a short condition.
    const start = t.offset;
    let end = tokens[last].end;
    while (end - start < replacement.length + 1 && end < out.length && /[ \t]/.test(out[end])) end++;
    if (end - start < replacement.length)
      throw new ParseError('QUALIFY condition too short to read; write it with blanks around it', {
        line: t.line,
        column: t.column,
      });
    conditions.set(name, { start: tokens[i + 1].offset, end: tokens[last].end });
    out = overwrite(out, start, end, replacement);
    i = last;
  }
  if (conditions.size === 0) return { text, attach: () => undefined };
  const markerOf = (node: unknown): QualifyCondition | undefined => {
    const n = node as { type?: unknown; table?: unknown; column?: { expr?: { value?: unknown } } } | null;
    if (!n || n.type !== 'column_ref' || n.table) return undefined;
    const value = n.column?.expr?.value;
    return typeof value === 'string' ? conditions.get(value) : undefined;
  };
  return {
    text: out,
    attach(ast, parseCondition) {
      const visit = (node: Record<string, unknown>): void => {
        if (node.type !== 'select' || !node.having) return;
        const whole = markerOf(node.having);
        if (whole) {
          node.having = null;
          node.qualify = parseCondition(whole);
          return;
        }
        // `HAVING c AND _qx`: the marker is the right operand of the last AND on c's right spine.
        let parent: Record<string, unknown> | undefined;
        let at = node.having as Record<string, unknown>;
        while (at.type === 'binary_expr') {
          const found = markerOf(at.right);
          if (found && String(at.operator).toUpperCase() === 'AND') {
            if (parent) parent.right = at.left;
            else node.having = at.left;
            node.qualify = parseCondition(found);
            return;
          }
          parent = at;
          at = at.right as Record<string, unknown>;
        }
      };
      visitAstPostOrder(ast, visit);
    },
  };
}
