import { describe, expect, it } from 'vitest';
import { BIGINT, DATE, DOUBLE, INTEGER, VARCHAR, decimal, typeToString } from '@tributary/common';
import { unifiedType, unifyFileColumns } from './unify-file-columns.ts';

const show = (columns: { name: string; type: Parameters<typeof typeToString>[0] }[]) =>
  columns.map((c) => `${c.name} ${typeToString(c.type)}`);

describe('unifyFileColumns', () => {
  it('widens only where the decoder converts exactly', () => {
    expect(typeToString(unifiedType(INTEGER, BIGINT)!)).toBe('BIGINT');
    expect(typeToString(unifiedType(BIGINT, DOUBLE)!)).toBe('DOUBLE');
    expect(typeToString(unifiedType(decimal(9, 2), decimal(18, 2))!)).toBe('DECIMAL(18,2)');
    expect(unifiedType(decimal(9, 2), decimal(9, 3))).toBeUndefined();
    expect(unifiedType(INTEGER, VARCHAR)).toBeUndefined();
    expect(unifiedType(DATE, BIGINT)).toBeUndefined();
  });

  it('orders columns by first appearance and names the file that disagrees', () => {
    const files = ['a.parquet', 'b.parquet', 'c.parquet'];
    const unified = unifyFileColumns(
      [
        [
          { name: 'k', type: INTEGER },
          { name: 'v', type: VARCHAR },
        ],
        [
          { name: 'w', type: DOUBLE },
          { name: 'k', type: BIGINT },
        ],
        [{ name: 'v', type: VARCHAR }],
      ],
      files,
      true,
    );
    expect(show(unified)).toEqual(['k BIGINT', 'v VARCHAR', 'w DOUBLE']);
    expect(() =>
      unifyFileColumns([[{ name: 'k', type: INTEGER }], [{ name: 'k', type: DATE }]], files, true),
    ).toThrow(
      expect.objectContaining({
        code: 'SOURCE_SCHEMA_MISMATCH',
        message: expect.stringContaining('b.parquet'),
      }),
    );
    expect(() =>
      unifyFileColumns([[{ name: 'k', type: INTEGER }], [{ name: 'j', type: INTEGER }]], files, false),
    ).toThrow(
      expect.objectContaining({
        code: 'SOURCE_SCHEMA_MISMATCH',
        message: expect.stringContaining('b.parquet'),
      }),
    );
  });
});
