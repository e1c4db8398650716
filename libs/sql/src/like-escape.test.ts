import { describe, expect, it } from 'vitest';
import { rewriteLikeEscape } from './like-escape.ts';

describe('rewriteLikeEscape', () => {
  it('drops escapes that protect no wildcard', () => {
    expect(rewriteLikeEscape('a!!b%', '!')).toEqual({ kind: 'pattern', pattern: 'a!b%' });
    expect(rewriteLikeEscape('%x_y%', '!')).toEqual({ kind: 'pattern', pattern: '%x_y%' });
  });

  it('turns escaped wildcards into plain string tests', () => {
    expect(rewriteLikeEscape('%!_%', '!')).toEqual({ kind: 'contains', text: '_' });
    expect(rewriteLikeEscape('50!%', '!')).toEqual({ kind: 'equals', text: '50%' });
    expect(rewriteLikeEscape('a\\_b%', '\\')).toEqual({ kind: 'starts_with', text: 'a_b' });
  });

  it('gives up when wildcards remain beside an escaped one', () => {
    expect(rewriteLikeEscape('%!_x_%', '!')).toBeUndefined();
    expect(rewriteLikeEscape('%!%', '!')).toBeUndefined();
  });
});
