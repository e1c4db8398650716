import { describe, expect, it } from 'vitest';
import { positionAt, tokenizeSql } from './sql-lexer.ts';

describe('tokenizeSql', () => {
  it('keeps positions and tells quoted names from words, skipping comments', () => {
    const tokens = tokenizeSql(`select "My Col", x -- note\n/* block\n */ from 'it''s' t`);
    expect(tokens.map((t) => [t.kind, t.text, t.line, t.column])).toEqual([
      ['word', 'select', 1, 1],
      ['quoted', 'My Col', 1, 8],
      ['symbol', ',', 1, 16],
      ['word', 'x', 1, 18],
      ['word', 'from', 3, 5],
      ['string', "it's", 3, 10],
      ['word', 't', 3, 18],
    ]);
  });

  it('reads numbers, including a leading dot', () => {
    expect(tokenizeSql('1.5 .06 12e3').map((t) => [t.kind, t.text])).toEqual([
      ['number', '1.5'],
      ['number', '.06'],
      ['number', '12e3'],
    ]);
  });

  it('maps offsets to 1-based lines and columns', () => {
    expect(positionAt('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt('ab', 0)).toEqual({ line: 1, column: 1 });
  });
});
