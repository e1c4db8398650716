import { describe, expect, it } from 'vitest';
import { answerFingerprint } from './answer-fingerprint.ts';

const columns = [
  { name: 'k', type: 'INTEGER' },
  { name: 'v', type: 'VARCHAR' },
];

describe('answerFingerprint', () => {
  it('ignores row order unless the query orders', () => {
    const a = {
      columns,
      rows: [
        [1, 'a'],
        [2, 'b'],
      ],
    };
    const b = {
      columns,
      rows: [
        [2, 'b'],
        [1, 'a'],
      ],
    };
    expect(answerFingerprint(a, false)).toBe(answerFingerprint(b, false));
    expect(answerFingerprint(a, true)).not.toBe(answerFingerprint(b, true));
  });

  it('tells apart values, row counts and columns', () => {
    const a = { columns, rows: [[1, 'a']] };
    expect(answerFingerprint(a, false)).not.toBe(answerFingerprint({ columns, rows: [[1, 'b']] }, false));
    expect(answerFingerprint(a, false)).not.toBe(
      answerFingerprint(
        {
          columns,
          rows: [
            [1, 'a'],
            [1, 'a'],
          ],
        },
        false,
      ),
    );
    expect(answerFingerprint(a, false)).not.toBe(
      answerFingerprint({ columns: [columns[1], columns[0]], rows: [[1, 'a']] }, false),
    );
  });

  it('keeps null apart from the string "null"', () => {
    expect(answerFingerprint({ columns, rows: [[null]] }, false)).not.toBe(
      answerFingerprint({ columns, rows: [['null']] }, false),
    );
  });
});
