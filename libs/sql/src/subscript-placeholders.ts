import pkg from 'node-sql-parser';
import { BindError } from '@tributary/common';
import { isSymbol, type SqlToken } from './sql-lexer.ts';
import { overwrite } from './text-edits.ts';

const { Parser } = pkg;
const parser = new Parser();

/** Whether the token before a `[` ends an operand, so the bracket is a subscript (not `ARRAY[`). */
function endsOperand(t: SqlToken | undefined): boolean {
  if (t === undefined) return false;
  if (t.kind === 'quoted') return true;
  if (t.kind === 'word') return t.text.toLowerCase() !== 'array';
  return isSymbol(t, ')') || isSymbol(t, ']');
}

/**
 * The grammar gives `(x[i])[j]` one list of subscripts and the outer one replaces the inner
 * (x[j], a wrong answer): refused, pointing at the outer `[`, until it is written `x[i][j]`.
 */
export function refuseParenthesizedSubscripts(tokens: readonly SqlToken[]): void {
  for (let i = 2; i < tokens.length; i++) {
    if (!isSymbol(tokens[i], '[') || !isSymbol(tokens[i - 1], ')') || !isSymbol(tokens[i - 2], ']')) continue;
    // The `]` before the `)` must close a subscript, not a literal (`(ARRAY[1, 2])[1]` is fine).
    let open = i - 2;
    for (let depth = 0; open >= 0; open--) {
      if (isSymbol(tokens[open], ']')) depth++;
      else if (isSymbol(tokens[open], '[') && --depth === 0) break;
    }
    if (open <= 0 || !endsOperand(tokens[open - 1])) continue;
    const at = tokens[i];
    throw new BindError(
      'UNSUPPORTED_FEATURE',
      'a subscript of a parenthesized subscript is not supported; chain them instead: x[i][j]',
      { position: { line: at.line, column: at.column } },
    );
  }
}

/** The index node of a slice `x[a:b]`, either bound left out; bindSlice reads it. */
export const SLICE = 'slice';

/** The `:` of a slice among tokens (open, close) at the subscript's own level (not a `::` cast). */
function sliceColon(tokens: readonly SqlToken[], open: number, close: number): number | undefined {
  let depth = 0;
  for (let k = open + 1; k < close; k++) {
    const t = tokens[k];
    if (isSymbol(t, '(') || isSymbol(t, '[')) depth++;
    else if (isSymbol(t, ')') || isSymbol(t, ']')) depth--;
    else if (depth === 0 && isSymbol(t, ':')) {
      const glued = (u: SqlToken | undefined) =>
        isSymbol(u, ':') && (u!.end === t.offset || u!.offset === t.end);
      if (glued(tokens[k - 1]) || glued(tokens[k + 1])) continue;
      return k;
    }
  }
  return undefined;
}

/**
 * node-sql-parser reads a subscript only when it is a number (`a[1]`), but Postgres' and
 * DuckDB's are any expression (`prattrs[s]`, `a[i + 1]`, psql's \d), or a slice (`a[2:3]`,
 * `a[:2]`). Every subscript of a statement that has such a one is replaced by its ordinal, a
 * number of the same length or shorter, and `restore` puts the parsed expression (a slice:
 * a SLICE node of its bounds) back as the AST's index.
 */
export function subscriptPlaceholders(
  text: string,
  tokens: readonly SqlToken[],
): { text: string; restore: (ast: unknown) => void } | undefined {
  const subscripts: { open: number; close: number; content: string; colon: number | undefined }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!isSymbol(tokens[i], '[') || !endsOperand(tokens[i - 1])) continue;
    let depth = 0;
    let j = i;
    for (; j < tokens.length; j++) {
      if (isSymbol(tokens[j], '[')) depth++;
      else if (isSymbol(tokens[j], ']') && --depth === 0) break;
    }
    if (j >= tokens.length) return undefined;
    const content = text.slice(tokens[i].end, tokens[j].offset);
    // `int2[]` in a cast is a type, no subscript.
    if (content.trim() === '') continue;
    subscripts.push({ open: i, close: j, content, colon: sliceColon(tokens, i, j) });
  }
  if (!subscripts.some((s) => !/^\s*\d+\s*$/.test(s.content))) return undefined;
  let out = text;
  const indexes: unknown[] = [];
  for (const s of subscripts) {
    const ordinal = String(indexes.length);
    if (ordinal.length > tokens[s.close].offset - tokens[s.open].end) return undefined;
    if (s.colon === undefined) indexes.push(parseExpression(s.content));
    else {
      const [begin, end] = [
        text.slice(tokens[s.open].end, tokens[s.colon].offset),
        text.slice(tokens[s.colon].end, tokens[s.close].offset),
      ].map((part) => (part.trim() === '' ? null : parseExpression(part)));
      indexes.push({ type: SLICE, begin, end });
    }
    out = overwrite(out, tokens[s.open].end, tokens[s.close].offset, ordinal);
  }
  const restore = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) restore(v);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const node = value as Record<string, unknown>;
    const subscriptsOf = node.array_index as { index?: { type?: string; value?: unknown } }[] | undefined;
    if (Array.isArray(subscriptsOf))
      for (const s of subscriptsOf)
        if (s.index?.type === 'number') s.index = indexes[Number(s.index.value)] as typeof s.index;
    for (const [k, v] of Object.entries(node)) if (k !== 'array_index' && k !== 'loc') restore(v);
  };
  return { text: out, restore };
}

function parseExpression(text: string): unknown {
  const parsed = parser.astify(`SELECT ${text}`, { database: 'postgresql' }) as unknown as {
    columns: { expr: unknown }[];
  };
  return parsed.columns[0].expr;
}
