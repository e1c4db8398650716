import { describe, expect, it } from 'vitest';
import { textHelpers as H } from './text-helpers.ts';

describe('text helpers', () => {
  it('split_part counts fields from either end and splits on nothing by character', () => {
    expect(H.splitPart('a,b,c', ',', 2)).toBe('b');
    expect(H.splitPart('a,b,c', ',', -1)).toBe('c');
    expect(H.splitPart('a,b,c', ',', 5)).toBe('');
    expect(H.splitPart('a,b', ',', 0)).toBe('');
    expect(H.splitPart('é→ü', '', 2)).toBe('→');
  });
  it('regexp_replace replaces the first match unless global, with RE2 group references', () => {
    expect(H.regexpReplace('aaa', 'a', 'b', '')).toBe('baa');
    expect(H.regexpReplace('aaa', 'a', 'b', 'g')).toBe('bbb');
    expect(H.regexpReplace('abc', '(b)', '[\\1]', '')).toBe('a[b]c');
    expect(H.regexpReplace('a.b', '.', '$', '')).toBe('$.b');
    expect(H.regexpReplace('ABC', 'b', 'x', 'gi')).toBe('AxC');
    expect(H.regexpMatches('naïve', 'ï', '')).toBe(true);
    expect(() => H.regexpMatches('a', '(', '')).toThrow(/invalid regular expression/);
  });
  it('counts characters, not bytes or UTF-16 units', () => {
    expect(H.leftChars('héllo', -2)).toBe('hél');
    expect(H.rightChars('héllo', 2)).toBe('lo');
    expect(H.rightChars('héllo', -2)).toBe('llo');
    expect(H.reverse('añb𝄞')).toBe('𝄞bña');
    expect(H.lpad('ab', 5, 'xy')).toBe('xyxab');
    expect(H.rpad('ab', 5, 'é')).toBe('abééé');
    expect(H.lpad('abcdef', 3, 'x')).toBe('abc');
  });
});
