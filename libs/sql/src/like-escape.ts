/**
 * A LIKE pattern with an ESCAPE character, restated for a plan whose LIKE has no escape:
 * either an equivalent pattern without escapes (when no wildcard character is escaped), or,
 * when a literal `%` or `_` is needed, a plain string test (equality, prefix or substring).
 * Undefined when neither can express it.
 */
export type EscapedLike =
  | { readonly kind: 'pattern'; readonly pattern: string }
  | { readonly kind: 'equals' | 'starts_with' | 'contains'; readonly text: string };

export function rewriteLikeEscape(pattern: string, escape: string): EscapedLike | undefined {
  const tokens: (string | '%wild' | '_wild')[] = [];
  let escapesWildcard = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === escape && i + 1 < pattern.length) {
      const next = pattern[++i];
      if (next === '%' || next === '_') escapesWildcard = true;
      tokens.push(next);
    } else if (c === '%' || c === '_') tokens.push(c === '%' ? '%wild' : '_wild');
    else tokens.push(c);
  }
  const isWild = (t: string): boolean => t === '%wild' || t === '_wild';
  if (!escapesWildcard) {
    return { kind: 'pattern', pattern: tokens.map((t) => (isWild(t) ? t[0] : t)).join('') };
  }
  let start = 0;
  let end = tokens.length;
  const leading = tokens[0] === '%wild';
  const trailing = tokens.length > 0 && tokens[tokens.length - 1] === '%wild';
  if (leading) start++;
  if (trailing && end - 1 >= start) end--;
  const middle = tokens.slice(start, end);
  if (middle.some(isWild)) return undefined;
  const text = middle.join('');
  if (!leading && !trailing) return { kind: 'equals', text };
  if (!leading && trailing) return { kind: 'starts_with', text };
  if (leading && trailing) return { kind: 'contains', text };
  return undefined;
}
