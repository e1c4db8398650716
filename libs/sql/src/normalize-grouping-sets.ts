import type { SqlToken } from './sql-lexer.ts';

/** What `()` (the empty grouping set) becomes inside GROUPING SETS: a literal no key is. */
export const EMPTY_GROUPING_SET = '';

/**
 * The grammar lacks `GROUPING SETS (…)` and `GROUP BY ()` (it reads ROLLUP and CUBE as calls). The blanks
 * between GROUPING and SETS become underscores, so it reads a call `grouping_sets(…)`, and
 * each empty set `()` inside becomes the empty string literal `''`; both keep the length,
 * so offsets stay the user's. The binder reads them back (bind-grouping-sets.ts).
 */
export function normalizeGroupingSets(text: string, tokens: readonly SqlToken[]): string {
  let out = text;
  for (let i = 0; i + 3 < tokens.length; i++) {
    // GROUP BY (): one empty grouping set, the grand total.
    const [group, by, open, close] = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3]];
    if (
      group.kind === 'word' &&
      group.text.toLowerCase() === 'group' &&
      by.kind === 'word' &&
      by.text.toLowerCase() === 'by' &&
      open.kind === 'symbol' &&
      open.text === '(' &&
      close.kind === 'symbol' &&
      close.text === ')' &&
      close.offset === open.end
    )
      out = `${out.slice(0, open.offset)}''${out.slice(close.end)}`;
  }
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [grouping, sets, open] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (grouping.kind !== 'word' || grouping.text.toLowerCase() !== 'grouping') continue;
    if (sets.kind !== 'word' || sets.text.toLowerCase() !== 'sets') continue;
    if (open.kind !== 'symbol' || open.text !== '(') continue;
    out = out.slice(0, grouping.end) + '_'.repeat(sets.offset - grouping.end) + out.slice(sets.offset);
    let depth = 0;
    for (let k = i + 2; k < tokens.length; k++) {
      const t = tokens[k];
      if (t.kind !== 'symbol') continue;
      if (t.text === '(') {
        depth++;
        const next = tokens[k + 1];
        if (next?.kind === 'symbol' && next.text === ')' && next.offset === t.end)
          out = `${out.slice(0, t.offset)}''${out.slice(next.end)}`;
      } else if (t.text === ')' && --depth === 0) break;
    }
  }
  return out;
}
