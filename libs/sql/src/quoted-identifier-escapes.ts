import type { SqlToken } from './sql-lexer.ts';
import { mapAstStrings } from './text-edits.ts';

/** Stands in for one `"` of a doubled quote inside a quoted name (two of them for `""`). */
const MARK = '\u0001';

/**
 * node-sql-parser ends a quoted identifier at the first `"`, so `"a""b"` reads as `"a" AS "b"`.
 * Each doubled quote inside a quoted identifier becomes two marker characters (same length),
 * and `restore` turns the marker pairs in the parsed names back into one `"`.
 */
export function escapeDoubledQuotes(
  text: string,
  tokens: readonly SqlToken[],
): { text: string; restore: (ast: unknown) => void } {
  let out = text;
  let changed = false;
  for (const t of tokens) {
    if (t.kind !== 'quoted' || !t.text.includes('"')) continue;
    const inner = out.slice(t.offset + 1, t.end - 1).replace(/""/g, MARK + MARK);
    out = out.slice(0, t.offset + 1) + inner + out.slice(t.end - 1);
    changed = true;
  }
  if (!changed) return { text, restore: () => undefined };
  return {
    text: out,
    restore: (ast) => mapAstStrings(ast, (s) => (s.includes(MARK) ? s.replaceAll(MARK + MARK, '"') : s)),
  };
}
