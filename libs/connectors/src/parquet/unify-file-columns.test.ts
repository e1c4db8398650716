import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  DATE,
  DOUBLE,
  INTEGER,
  VARCHAR,
  decimal,
  typeToString,
  type ColumnDescriptor,
  type UnsupportedColumn,
} from '@tributary/common';
import type { ParquetFileColumns } from './parquet-file-columns.ts';
import { unifiedType, unifyFileColumns } from './unify-file-columns.ts';

/** A file's columns as parquetFileColumns gives them, in the order written (positions unused here). */
function file(...columns: (ColumnDescriptor | UnsupportedColumn)[]): ParquetFileColumns {
  return {
    names: columns.map((c) => c.name),
    columns: columns.flatMap((c, i) =>
      typeof c.type === 'string' ? [] : [{ name: c.name, type: c.type, chunk: i, element: i + 1, field: i }],
    ),
    unsupported: columns.flatMap((c) => (typeof c.type === 'string' ? [c as UnsupportedColumn] : [])),
  };
}

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
        file({ name: 'k', type: INTEGER }, { name: 'v', type: VARCHAR }),
        file({ name: 'w', type: DOUBLE }, { name: 'k', type: BIGINT }),
        file({ name: 'v', type: VARCHAR }),
      ],
      files,
      true,
    );
    expect(show(unified.columns)).toEqual(['k BIGINT', 'v VARCHAR', 'w DOUBLE']);
    expect(() =>
      unifyFileColumns([file({ name: 'k', type: INTEGER }), file({ name: 'k', type: DATE })], files, true),
    ).toThrow(
      expect.objectContaining({
        code: 'SOURCE_SCHEMA_MISMATCH',
        message: expect.stringContaining('b.parquet'),
      }),
    );
    expect(() =>
      unifyFileColumns(
        [file({ name: 'k', type: INTEGER }), file({ name: 'j', type: INTEGER })],
        files,
        false,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'SOURCE_SCHEMA_MISMATCH',
        message: expect.stringContaining('b.parquet'),
      }),
    );
  });

  it('leaves out a column unsupported in any file, and compares all names when not by name', () => {
    const files = ['a.parquet', 'b.parquet'];
    const unified = unifyFileColumns(
      [
        file({ name: 'k', type: INTEGER }, { name: 't', type: INTEGER }),
        file({ name: 'k', type: BIGINT }, { name: 't', type: 'TIME' }, { name: 's', type: 'STRUCT' }),
      ],
      files,
      true,
    );
    expect(show(unified.columns)).toEqual(['k BIGINT']);
    expect(unified.unsupported).toEqual([
      { name: 't', type: 'TIME' },
      { name: 's', type: 'STRUCT' },
    ]);
    const same = unifyFileColumns(
      [
        file({ name: 'k', type: INTEGER }, { name: 's', type: 'STRUCT' }),
        file({ name: 'k', type: INTEGER }, { name: 's', type: 'STRUCT' }),
      ],
      files,
      false,
    );
    expect(show(same.columns)).toEqual(['k INTEGER']);
    expect(() =>
      unifyFileColumns(
        [
          file({ name: 'k', type: INTEGER }, { name: 's', type: 'STRUCT' }),
          file({ name: 'k', type: INTEGER }),
        ],
        files,
        false,
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'SOURCE_SCHEMA_MISMATCH',
        message: expect.stringContaining('(k) unlike'),
      }),
    );
  });
});
