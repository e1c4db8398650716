/**
 * A LIKE pattern analysed once: case-sensitive patterns become byte pieces matched on the
 * UTF-8 bytes without decoding (prefix, ordered middles, suffix); case-insensitive ones a
 * RegExp. `escape` (none by default, as in DuckDB without an ESCAPE clause) makes the next
 * character literal.
 */
export interface LikeSegments {
  readonly kind: 'segments';
  /**
   * Literal pieces between `%`s, `_` written as ANY_CHAR: the first must start the value,
   * the last end it, the others occur in order between.
   */
  readonly pieces: readonly Uint8Array[];
}

export interface LikeRegex {
  readonly kind: 'regex';
  readonly regex: RegExp;
}

export type LikePattern = LikeSegments | LikeRegex;

/** Stands for `_` (one character) inside a piece: the byte 0xFF never occurs in UTF-8. */
export const ANY_CHAR = 0xff;

const encoder = new TextEncoder();

type LikeToken = string | { wildcard: '%' | '_' };

function isPercent(t: LikeToken | undefined): boolean {
  return t !== undefined && typeof t !== 'string' && t.wildcard === '%';
}

export function likePattern(pattern: string, caseInsensitive: boolean, escape?: string): LikePattern {
  const tokens: LikeToken[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === escape && i + 1 < pattern.length) tokens.push(pattern[++i]);
    else if (c === '%' || c === '_') tokens.push({ wildcard: c });
    else tokens.push(c);
  }
  if (!caseInsensitive) {
    const pieces: number[][] = [[]];
    for (const t of tokens) {
      if (typeof t === 'string') pieces[pieces.length - 1].push(...encoder.encode(t));
      else if (t.wildcard === '_') pieces[pieces.length - 1].push(ANY_CHAR);
      else pieces.push([]);
    }
    return { kind: 'segments', pieces: pieces.map((p) => Uint8Array.from(p)) };
  }
  // Leading and trailing `%` drop the anchors instead of becoming `[^]*`: an unanchored
  // search does not backtrack over every prefix of a value that does not match.
  let first = 0;
  while (isPercent(tokens[first])) first++;
  let last = tokens.length - 1;
  while (last >= first && isPercent(tokens[last])) last--;
  let source = first === 0 ? '^' : '';
  for (let i = first; i <= last; i++) {
    const t = tokens[i];
    if (typeof t === 'string') source += t.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (t.wildcard === '_') source += '[^]';
    else if (!isPercent(tokens[i - 1])) source += '[^]*';
  }
  if (last === tokens.length - 1) source += '$';
  return { kind: 'regex', regex: new RegExp(source, 'iu') };
}

/** Bytes of the UTF-8 character starting with `lead`. */
function charWidth(lead: number): number {
  return lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** The end of piece `p` matched at `at` (not beyond `end`), or -1. */
function matchForward(p: Uint8Array, a: Uint8Array, at: number, end: number): number {
  let i = at;
  for (let j = 0; j < p.length; j++) {
    if (i >= end) return -1;
    const c = p[j];
    if (c === ANY_CHAR) {
      i += charWidth(a[i]);
      if (i > end) return -1;
    } else if (a[i++] !== c) return -1;
  }
  return i;
}

/** The start of piece `p` matched so that it ends at `end` (not before `from`), or -1. */
function matchBackward(p: Uint8Array, a: Uint8Array, from: number, end: number): number {
  let i = end;
  for (let j = p.length - 1; j >= 0; j--) {
    if (i <= from) return -1;
    const c = p[j];
    if (c === ANY_CHAR) {
      i--;
      while (i > from && (a[i] & 0xc0) === 0x80) i--;
    } else if (a[--i] !== c) return -1;
  }
  return i;
}

/** The end of the leftmost match of piece `p` in a[from, end), or -1. */
function findForward(p: Uint8Array, a: Uint8Array, from: number, end: number): number {
  const first = p[0];
  for (let i = from; i < end; i++) {
    // A match starts on a character boundary: at its first literal byte, or any lead byte.
    if (first === ANY_CHAR ? (a[i] & 0xc0) === 0x80 : a[i] !== first) continue;
    const to = matchForward(p, a, i, end);
    if (to >= 0) return to;
  }
  return -1;
}

/**
 * Matches a UTF-8 byte range against pieces: pieces[0] prefix, the last piece suffix, middles
 * in order between. Taking each middle piece at its leftmost occurrence is enough: a piece
 * matches a fixed number of characters, so an earlier start also ends earlier.
 */
export function matchSegments(pieces: readonly Uint8Array[], a: Uint8Array, s: number, e: number): boolean {
  const n = pieces.length;
  if (n === 1) return matchForward(pieces[0], a, s, e) === e;
  const head = matchForward(pieces[0], a, s, e);
  if (head < 0) return false;
  const tail = matchBackward(pieces[n - 1], a, head, e);
  if (tail < 0) return false;
  let at = head;
  for (let k = 1; k < n - 1; k++) {
    const p = pieces[k];
    if (p.length === 0) continue;
    at = findForward(p, a, at, tail);
    if (at < 0) return false;
  }
  return true;
}

/** Whether a piece is plain bytes (no `_`), for the byte-search fast paths. */
export function isPlainPiece(p: Uint8Array): boolean {
  return !p.includes(ANY_CHAR);
}
