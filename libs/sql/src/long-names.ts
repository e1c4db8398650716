import { isSymbol, type SqlToken } from './sql-lexer.ts';
import { mapAstStrings, overwrite } from './text-edits.ts';
import { placeholderOf } from './keyword-identifiers.ts';

/** Joins the leading parts of a long name in the AST; bind-from splits them again. */
export const NAME_PART_SEPARATOR = '\u001f';

/** CJK ideographs, letters to the grammar, from the upper half of the range keywordsAsNames starts low in. */
const PLACEHOLDER_BASE = 0x7800;

const isName = (t: SqlToken | undefined) => t !== undefined && (t.kind === 'word' || t.kind === 'quoted');

/**
 * node-sql-parser reads names of at most three parts, but a view in a folder of a folder
 * (`space.f1.f2.view`) has more: the leading parts of such a name are replaced by one
 * placeholder of the same length, which `restore` turns back into those parts joined by
 * NAME_PART_SEPARATOR.
 */
export function longNamesAsPlaceholders(
  text: string,
  tokens: readonly SqlToken[],
): { text: string; restore: (ast: unknown) => void } {
  const originals = new Map<string, string>();
  let out = text;
  let next = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (!isName(tokens[i]) || isSymbol(tokens[i - 1], '.')) continue;
    let end = i;
    while (isSymbol(tokens[end + 1], '.') && isName(tokens[end + 2])) end += 2;
    const parts = (end - i) / 2 + 1;
    if (parts < 4) continue;
    // The last two parts stay; the others become one part.
    const lead = tokens.slice(i, end - 3).filter((_, k) => k % 2 === 0);
    const last = tokens[end - 4];
    let placeholder: string;
    do placeholder = placeholderOf(next++, last.end - tokens[i].offset, PLACEHOLDER_BASE);
    while (text.includes(placeholder));
    originals.set(placeholder, lead.map((t) => t.text).join(NAME_PART_SEPARATOR));
    out = overwrite(out, tokens[i].offset, last.end, placeholder);
    i = end;
  }
  if (originals.size === 0) return { text, restore: () => undefined };
  return {
    text: out,
    restore: (ast) => mapAstStrings(ast, (s) => originals.get(s.trimEnd()) ?? s),
  };
}
