import { describe, expect, it } from 'vitest';
import { likePattern, matchSegments } from './like-pattern.ts';

const encoder = new TextEncoder();

/** LIKE the plain way: a regular expression over code points. */
function reference(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = [...pattern]
    .map((c) => (c === '%' ? '[^]*' : c === '_' ? '[^]' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u').test(value);
}

function like(pattern: string, value: string, caseInsensitive = false): boolean {
  const compiled = likePattern(pattern, caseInsensitive);
  if (compiled.kind === 'regex') return compiled.regex.test(value);
  const bytes = encoder.encode(`<${value}>`);
  return matchSegments(compiled.pieces, bytes, 1, bytes.length - 1);
}

describe('LIKE patterns', () => {
  const values = [
    '',
    'a',
    'ab',
    'abc',
    'aXc',
    'aäc',
    'a😀c',
    'straße',
    'ß',
    'xyz abc xyz',
    'a_c',
    'a%c',
    'ÄBC',
  ];
  const patterns = [
    '',
    '%',
    '_',
    '__',
    'a_c',
    '%_',
    '_%',
    'a%',
    '%c',
    '%b%',
    'a%c',
    '%a_c%',
    '_b_',
    'a__',
    '%ß%',
    'stra_e',
    '%x_z%',
    '%%',
    'a%%c',
    '%abc%',
    'äbc',
  ];

  it('match case-sensitively on UTF-8 bytes, `_` being one character', () => {
    for (const p of patterns)
      for (const v of values)
        expect({ p, v, match: like(p, v) }).toEqual({ p, v, match: reference(p, v, false) });
  });

  it('match case-insensitively through an unanchored regular expression', () => {
    for (const p of [...patterns, 'A%', '%B%', 'ÄBC', 'STRASSE'])
      for (const v of values)
        expect({ p, v, match: like(p, v, true) }).toEqual({ p, v, match: reference(p, v, true) });
  });
});
