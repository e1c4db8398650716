import type { SqlToken } from './sql-lexer.ts';

/**
 * Lookups into a statement's tokens, built once per token list. The binder locates every
 * name and literal it reports on by searching the tokens; a scan per lookup made a statement
 * with a 100,000-item IN list take minutes (quadratic), these indexes keep it linear.
 */
export interface TokenIndex {
  /** Indices (ascending) of words, quoted names and symbols by lower-cased text. */
  readonly byLowerText: ReadonlyMap<string, readonly number[]>;
  /** Indices (ascending) of number tokens by their numeric value. */
  readonly numbersByValue: ReadonlyMap<number, readonly number[]>;
  /** Indices (ascending) of string-literal tokens by their (unescaped) text. */
  readonly stringsByText: ReadonlyMap<string, readonly number[]>;
}

const indexes = new WeakMap<readonly SqlToken[], TokenIndex>();

function add<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list) list.push(index);
  else map.set(key, [index]);
}

export function tokenIndex(tokens: readonly SqlToken[]): TokenIndex {
  let index = indexes.get(tokens);
  if (index) return index;
  const byLowerText = new Map<string, number[]>();
  const numbersByValue = new Map<number, number[]>();
  const stringsByText = new Map<string, number[]>();
  tokens.forEach((t, i) => {
    if (t.kind === 'number') add(numbersByValue, Number(t.text), i);
    else if (t.kind === 'string') add(stringsByText, t.text, i);
    else add(byLowerText, t.text.toLowerCase(), i);
  });
  index = { byLowerText, numbersByValue, stringsByText };
  indexes.set(tokens, index);
  return index;
}

/** The first position in ascending `candidates` whose token starts at or after `offset`. */
export function firstAtOrAfter(
  tokens: readonly SqlToken[],
  candidates: readonly number[],
  offset: number,
): number {
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[candidates[mid]].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first token that starts at or after `offset` (tokens.length when none). */
export function firstTokenAtOrAfter(tokens: readonly SqlToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid].offset < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first token that ends after `offset`, or -1. */
export function tokenEndingAfter(tokens: readonly SqlToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid].end > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo < tokens.length ? lo : -1;
}

/**
 * The first of `candidates` (ascending token indices) accepted by `accept` whose token starts
 * inside `range` (anywhere when there is no range), or undefined.
 */
export function firstInRange(
  tokens: readonly SqlToken[],
  candidates: readonly number[] | undefined,
  range: { readonly start: number; readonly end: number } | undefined,
  accept: (index: number) => boolean = () => true,
): number | undefined {
  if (!candidates) return undefined;
  for (let k = range ? firstAtOrAfter(tokens, candidates, range.start) : 0; k < candidates.length; k++) {
    const i = candidates[k];
    if (range && tokens[i].offset >= range.end) return undefined;
    if (accept(i)) return i;
  }
  return undefined;
}
