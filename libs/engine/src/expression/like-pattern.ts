/**
 * A LIKE pattern analysed once: when it has no `_` and is case-sensitive it becomes byte
 * segments matched without decoding (prefix, ordered middles, suffix); otherwise a RegExp.
 * `escape` (none by default, as in DuckDB without an ESCAPE clause) makes the next character literal.
 */
export interface LikeSegments {
  readonly kind: 'segments';
  /** Literal pieces between `%`s: the first must start the value, the last end it. */
  readonly pieces: readonly Uint8Array[];
}

export interface LikeRegex {
  readonly kind: 'regex';
  readonly regex: RegExp;
}

export type LikePattern = LikeSegments | LikeRegex;

const encoder = new TextEncoder();

export function likePattern(pattern: string, caseInsensitive: boolean, escape?: string): LikePattern {
  const tokens: (string | { wildcard: '%' | '_' })[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === escape && i + 1 < pattern.length) tokens.push(pattern[++i]);
    else if (c === '%' || c === '_') tokens.push({ wildcard: c });
    else tokens.push(c);
  }
  const hasUnderscore = tokens.some((t) => typeof t !== 'string' && t.wildcard === '_');
  if (!hasUnderscore && !caseInsensitive) {
    const pieces: string[] = [''];
    for (const t of tokens) {
      if (typeof t === 'string') pieces[pieces.length - 1] += t;
      else pieces.push('');
    }
    return { kind: 'segments', pieces: pieces.map((p) => encoder.encode(p)) };
  }
  let source = '^';
  for (const t of tokens) {
    if (typeof t === 'string') source += t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else source += t.wildcard === '%' ? '[^]*' : '[^]';
  }
  return { kind: 'regex', regex: new RegExp(`${source}$`, caseInsensitive ? 'iu' : 'u') };
}

/** Matches a UTF-8 byte range against segments: pieces[0] prefix, last piece suffix, middles in order. */
export function matchSegments(pieces: readonly Uint8Array[], a: Uint8Array, s: number, e: number): boolean {
  const n = pieces.length;
  const first = pieces[0];
  if (n === 1) {
    if (e - s !== first.length) return false;
    for (let i = 0; i < first.length; i++) if (a[s + i] !== first[i]) return false;
    return true;
  }
  const last = pieces[n - 1];
  if (e - s < first.length + last.length) return false;
  for (let i = 0; i < first.length; i++) if (a[s + i] !== first[i]) return false;
  const tail = e - last.length;
  for (let i = 0; i < last.length; i++) if (a[tail + i] !== last[i]) return false;
  let at = s + first.length;
  for (let k = 1; k < n - 1; k++) {
    const p = pieces[k];
    if (p.length === 0) continue;
    const found = indexOf(a, at, tail, p);
    if (found < 0) return false;
    at = found + p.length;
  }
  return true;
}

function indexOf(a: Uint8Array, from: number, end: number, p: Uint8Array): number {
  const n = p.length;
  const first = p[0];
  outer: for (let i = from; i <= end - n; i++) {
    if (a[i] !== first) continue;
    for (let j = 1; j < n; j++) if (a[i + j] !== p[j]) continue outer;
    return i;
  }
  return -1;
}
