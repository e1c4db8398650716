import { describe, expect, it } from 'vitest';
import { LikeAnyMatcher } from './like-any-matcher.ts';
import { likePattern, matchSegments } from './like-pattern.ts';

const encoder = new TextEncoder();

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function matchesOne(pattern: string, bytes: Uint8Array): boolean {
  const compiled = likePattern(pattern, false);
  return compiled.kind === 'segments' && matchSegments(compiled.pieces, bytes, 0, bytes.length);
}

describe('LikeAnyMatcher', () => {
  it('matches exactly when one of its patterns matches alone', () => {
    const r = random(3);
    const alphabet = ['a', 'b', 'c', 'ä', '日', '😀', ' ', '%', '_'];
    const word = (n: number): string =>
      Array.from({ length: n }, () => alphabet[Math.floor(r() * 6)]).join('');
    const patterns = Array.from({ length: 120 }, () => {
      const parts = Array.from({ length: 1 + Math.floor(r() * 3) }, () => word(1 + Math.floor(r() * 2)));
      const wild = (): string => (r() < 0.5 ? '%' : r() < 0.5 ? '_' : '');
      return wild() + parts.join(r() < 0.7 ? '%' : '_') + wild();
    });
    const matcher = LikeAnyMatcher.create(patterns)!;
    let hits = 0;
    for (let i = 0; i < 3000; i++) {
      const value = encoder.encode(word(Math.floor(r() * 12)));
      const want = patterns.some((p) => matchesOne(p, value));
      expect(matcher.test(value, 0, value.length)).toBe(want);
      if (want) hits++;
    }
    // Both outcomes are exercised.
    expect(hits).toBeGreaterThan(100);
    expect(hits).toBeLessThan(2900);
  });

  it('matches within a range of a larger buffer, and patterns without literals', () => {
    const matcher = LikeAnyMatcher.create(['%needle%', 'hay_', '___'])!;
    const bytes = encoder.encode('[a needle][hays][abc][ab][xyz1]');
    const test = (from: string, to: string): boolean => {
      const text = new TextDecoder().decode(bytes);
      const s = text.indexOf(from);
      return matcher.test(bytes, s, text.indexOf(to, s) + to.length);
    };
    expect(test('a needle', 'needle')).toBe(true);
    expect(test('hays', 'hays')).toBe(true);
    expect(test('abc', 'abc')).toBe(true);
    expect(test('ab]', 'ab')).toBe(false);
    expect(test('xyz1', 'xyz1')).toBe(false);
  });
});
