import pkg from 'node-sql-parser';
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
 * node-sql-parser reads a subscript only when it is a number (`a[1]`), but Postgres' and
 * DuckDB's are any expression (`prattrs[s]`, `a[i + 1]`, psql's \d). Every subscript of a
 * statement that has such a one is replaced by its ordinal, a number of the same length or
 * shorter, and `restore` puts the parsed expression back as the AST's index.
 */
export function subscriptPlaceholders(
  text: string,
  tokens: readonly SqlToken[],
): { text: string; restore: (ast: unknown) => void } | undefined {
  const subscripts: { open: number; close: number; content: string }[] = [];
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
    subscripts.push({ open: i, close: j, content });
  }
  if (!subscripts.some((s) => !/^\s*\d+\s*$/.test(s.content))) return undefined;
  let out = text;
  const indexes: unknown[] = [];
  for (const s of subscripts) {
    const ordinal = String(indexes.length);
    if (ordinal.length > tokens[s.close].offset - tokens[s.open].end || s.content.includes(':'))
      return undefined;
    const parsed = parser.astify(`SELECT ${s.content}`, { database: 'postgresql' }) as unknown as {
      columns: { expr: unknown }[];
    };
    indexes.push(parsed.columns[0].expr);
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
