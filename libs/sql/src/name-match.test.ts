import { describe, expect, it } from 'vitest';
import { matchNames } from './name-match.ts';

const id = (s: string): string => s;

describe('matchNames', () => {
  it('matches unquoted names case-insensitively, preferring the folded spelling', () => {
    expect(matchNames(['LineItem'], id, 'LINEITEM', false)).toEqual(['LineItem']);
    expect(matchNames(['LineItem', 'lineitem'], id, 'LINEITEM', false)).toEqual(['lineitem']);
  });

  it('matches quoted names exactly, else only by a unique case-insensitive match', () => {
    expect(matchNames(['LineItem', 'lineitem'], id, 'LineItem', true)).toEqual(['LineItem']);
    expect(matchNames(['LineItem'], id, 'lineitem', true)).toEqual(['LineItem']);
    expect(matchNames(['LineItem', 'LINEITEM'], id, 'lineitem', true)).toEqual([]);
  });
});
