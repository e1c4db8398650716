import { createHash } from 'node:crypto';
import { DataError } from '@tributary/common';

/**
 * Runtime helpers of the string functions that work on JS strings (split_part, regexp_*,
 * padding…). Characters are code points, so a non-ASCII character counts as one.
 */

function codePoints(s: string): string[] {
  return Array.from(s);
}

const regexCache = new Map<string, RegExp>();
const MAX_CACHED_REGEXES = 256;

/** A JS RegExp for an RE2 pattern and DuckDB options ('i' case-insensitive, 'g' global, 's', 'c'). */
function compileRegex(pattern: string, options: string, global: boolean): RegExp {
  const key = `${global ? 'g' : ''}${options}/${pattern}`;
  let regex = regexCache.get(key);
  if (regex) return regex;
  let flags = 'u';
  if (global) flags += 'g';
  for (const option of options) {
    if (option === 'i') flags += 'i';
    else if (option === 's') flags += 's';
    else if (option !== 'c' && option !== 'g' && option !== 'n' && option !== 'l' && option !== 'p')
      throw new DataError('INVALID_ARGUMENT', `unrecognized regex option "${option}"`);
  }
  try {
    regex = new RegExp(pattern, [...new Set(flags)].join(''));
  } catch (error) {
    throw new DataError('INVALID_ARGUMENT', `invalid regular expression "${pattern}"`, { cause: error });
  }
  if (regexCache.size >= MAX_CACHED_REGEXES) regexCache.clear();
  regexCache.set(key, regex);
  return regex;
}

/** RE2's replacement text (`\1` a group, `\0` the match) as a JS replacement (`$1`, `$&`). */
function jsReplacement(replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '$') out += '$$';
    else if (c === '\\' && i + 1 < replacement.length) {
      const next = replacement[++i];
      out += /\d/.test(next) ? (next === '0' ? '$&' : `$${next}`) : next;
    } else out += c;
  }
  return out;
}

function pad(s: string, length: number, fill: string, left: boolean): string {
  const chars = codePoints(s);
  if (length <= chars.length) return chars.slice(0, Math.max(0, length)).join('');
  const fillChars = codePoints(fill);
  if (fillChars.length === 0) return s;
  const padding: string[] = [];
  for (let i = 0; padding.length < length - chars.length; i++) padding.push(fillChars[i % fillChars.length]);
  return left ? padding.join('') + s : s + padding.join('');
}

export const textHelpers = {
  /** string_split(s, sep): the fields between separators; an empty separator splits characters. */
  stringSplit(s: string, separator: string): string[] {
    return separator === '' ? codePoints(s) : s.split(separator);
  },
  /** regexp_split_to_array(s, pattern): the pieces between the matches. */
  regexpSplit(s: string, pattern: string, options: string): string[] {
    return s.split(compileRegex(pattern, options, true));
  },
  /** regexp_extract_all(s, pattern, group): that group of every match, left to right. */
  regexpExtractAll(s: string, pattern: string, group: number): string[] {
    const out: string[] = [];
    for (const m of s.matchAll(compileRegex(pattern, '', true))) out.push(m[group] ?? '');
    return out;
  },
  /** levenshtein(a, b): the edits between the UTF-8 bytes of both, as DuckDB counts them. */
  levenshtein(a: string, b: string): number {
    const x = Buffer.from(a, 'utf8');
    const y = Buffer.from(b, 'utf8');
    let row = Array.from({ length: y.length + 1 }, (_, j) => j);
    for (let i = 1; i <= x.length; i++) {
      const next = [i];
      for (let j = 1; j <= y.length; j++)
        next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
      row = next;
    }
    return row[y.length];
  },
  /** hamming(a, b): the UTF-8 bytes that differ between two strings of as many bytes. */
  hamming(a: string, b: string): number {
    const x = Buffer.from(a, 'utf8');
    const y = Buffer.from(b, 'utf8');
    if (x.length !== y.length)
      throw new DataError('INVALID_ARGUMENT', 'hamming() needs two strings of equal length');
    let n = 0;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) n++;
    return n;
  },
  /** strip_accents(s): each character without its combining marks (é → e, Å → A). */
  stripAccents(s: string): string {
    return s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
  },
  /** unicode(s): the first character's code point, -1 for ''. */
  unicode(s: string): number {
    return s.length === 0 ? -1 : (s.codePointAt(0) as number);
  },
  md5(s: string): string {
    return createHash('md5').update(s, 'utf8').digest('hex');
  },
  sha256(s: string): string {
    return createHash('sha256').update(s, 'utf8').digest('hex');
  },
  /** split_part(s, sep, n): the n-th field (from the end when negative), '' beyond the fields. */
  splitPart(s: string, separator: string, index: number): string {
    const parts = separator === '' ? codePoints(s) : s.split(separator);
    if (index === 0) return '';
    const at = index > 0 ? index - 1 : parts.length + index;
    return at >= 0 && at < parts.length ? parts[at] : '';
  },
  regexpMatches(s: string, pattern: string, options: string): boolean {
    return compileRegex(pattern, options, false).test(s);
  },
  regexpReplace(s: string, pattern: string, replacement: string, options: string): string {
    return s.replace(compileRegex(pattern, options, options.includes('g')), jsReplacement(replacement));
  },
  /** left(s, n): the first n characters, or all but the last -n. */
  leftChars(s: string, n: number): string {
    const chars = codePoints(s);
    return chars.slice(0, n >= 0 ? n : Math.max(0, chars.length + n)).join('');
  },
  /** right(s, n): the last n characters, or all but the first -n. */
  rightChars(s: string, n: number): string {
    const chars = codePoints(s);
    return chars.slice(n >= 0 ? Math.max(0, chars.length - n) : Math.min(chars.length, -n)).join('');
  },
  reverse(s: string): string {
    return codePoints(s).reverse().join('');
  },
  /**
   * translate(s, from, to): each character of `from` in `s` becomes the one at its place in
   * `to`, or is removed when `to` is shorter; a character repeated in `from` keeps its first place.
   */
  translate(s: string, from: string, to: string): string {
    const replacements = codePoints(to);
    const map = new Map<string, string>();
    codePoints(from).forEach((c, i) => {
      if (!map.has(c)) map.set(c, replacements[i] ?? '');
    });
    return codePoints(s)
      .map((c) => map.get(c) ?? c)
      .join('');
  },
  lpad(s: string, length: number, fill: string): string {
    return pad(s, length, fill, true);
  },
  rpad(s: string, length: number, fill: string): string {
    return pad(s, length, fill, false);
  },
  repeat(s: string, count: number): string {
    return count > 0 ? s.repeat(count) : '';
  },
  /** ascii(s): the code point of the first character, 0 for ''. */
  ascii(s: string): number {
    return s.length === 0 ? 0 : (s.codePointAt(0) as number);
  },
  /** chr(n): the character of code point n. */
  chr(n: number): string {
    if (!Number.isInteger(n) || n < 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff))
      throw new DataError('INVALID_ARGUMENT', `invalid Unicode code point ${n}`);
    return String.fromCodePoint(n);
  },
  /** regexp_extract(s, pattern, group): the group of the first match, '' without a match. */
  regexpExtract(s: string, pattern: string, group: number): string {
    const regex = compileRegex(pattern, '', false);
    if (group < 0 || group > groupCount(pattern))
      throw new DataError('INVALID_ARGUMENT', `regexp_extract: group index ${group} is out of range`);
    const match = regex.exec(s);
    return match ? (match[group] ?? '') : '';
  },
  /** `s SIMILAR TO pattern` and regexp_full_match: the pattern, a regular expression, matches all of s. */
  regexpFullMatch(s: string, pattern: string): boolean {
    return compileRegex(`^(?:${pattern})$`, '', false).test(s);
  },
};

/** The number of capturing groups of a pattern. */
function groupCount(pattern: string): number {
  return new RegExp(`${pattern}|`, 'u').exec('')!.length - 1;
}
