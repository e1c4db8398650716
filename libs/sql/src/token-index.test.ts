import { describe, expect, it } from 'vitest';
import { tokenizeSql } from './sql-lexer.ts';
import { firstInRange, firstTokenAtOrAfter, tokenEndingAfter, tokenIndex } from './token-index.ts';

describe('tokenIndex', () => {
  const sql = `select a, "A", 'a', 1.0 from t where a = 1 and A > 'a'`;
  const tokens = tokenizeSql(sql);
  const index = tokenIndex(tokens);
  const texts = (indices: readonly number[] | undefined): string[] =>
    (indices ?? []).map((i) => `${tokens[i].kind}:${tokens[i].text}@${tokens[i].offset}`);

  it('indexes names and symbols by lower-cased text, numbers by value, strings by text', () => {
    expect(texts(index.byLowerText.get('a'))).toEqual(['word:a@7', 'quoted:A@10', 'word:a@37', 'word:A@47']);
    expect(texts(index.numbersByValue.get(1))).toEqual(['number:1.0@20', 'number:1@41']);
    expect(texts(index.stringsByText.get('a'))).toEqual(['string:a@15', 'string:a@51']);
    expect(tokenIndex(tokens)).toBe(index);
  });

  it('finds the first candidate inside a range, and tokens by offset', () => {
    const where = { start: sql.indexOf('where'), end: sql.length };
    expect(tokens[firstInRange(tokens, index.byLowerText.get('a'), where)!].offset).toBe(sql.indexOf('a ='));
    expect(firstInRange(tokens, index.byLowerText.get('a'), where, (i) => tokens[i].text === 'A')).toBe(
      index.byLowerText.get('a')![3],
    );
    expect(firstInRange(tokens, index.byLowerText.get('a'), { start: 0, end: 5 })).toBeUndefined();
    const quoted = sql.indexOf('"A"');
    expect(tokens[firstTokenAtOrAfter(tokens, quoted - 1)].offset).toBe(quoted);
    expect(tokens[tokenEndingAfter(tokens, quoted + 1)].text).toBe('A');
    expect(tokenEndingAfter(tokens, sql.length)).toBe(-1);
  });
});
