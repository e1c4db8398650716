import { describe, expect, it } from 'vitest';
import {
  canonicalNumber,
  canonicalTimestamp,
  compareResults,
  type ComparableResult,
} from './compare-results.ts';

function result(types: string[], rows: unknown[][]): ComparableResult {
  return { columns: types.map((type, i) => ({ name: `c${i}`, type })), rows };
}

describe('canonical forms', () => {
  it('writes numbers without trailing zeros or signs of zero', () => {
    expect(canonicalNumber('17.00')).toBe('17');
    expect(canonicalNumber(17)).toBe('17');
    expect(canonicalNumber(17n)).toBe('17');
    expect(canonicalNumber('-0.50')).toBe('-0.5');
    expect(canonicalNumber('-0.00')).toBe('0');
    expect(canonicalNumber(2152189760.47)).toBe('2152189760.47');
    expect(canonicalNumber('12345678901234567890.12')).toBe('12345678901234567890.12');
  });

  it('writes timestamps as ISO without trailing fraction zeros', () => {
    expect(canonicalTimestamp('1996-03-13 00:00:00')).toBe('1996-03-13T00:00:00');
    expect(canonicalTimestamp('1996-03-13T00:00:00.000')).toBe('1996-03-13T00:00:00');
    expect(canonicalTimestamp('1996-03-13T10:00:00.120')).toBe('1996-03-13T10:00:00.12');
    expect(canonicalTimestamp('1996-03-13')).toBe('1996-03-13T00:00:00');
    // A zone stays, in one spelling: DuckDB's `+00` is JSON's `+00:00`.
    expect(canonicalTimestamp('2024-01-01 10:00:00.500+00')).toBe('2024-01-01T10:00:00.5+00:00');
    expect(canonicalTimestamp('2024-01-01T10:00:00+00:00')).toBe('2024-01-01T10:00:00+00:00');
    expect(canonicalTimestamp('2024-01-01T10:00:00Z')).toBe('2024-01-01T10:00:00+00:00');
    expect(canonicalTimestamp('2024-01-01 10:00:00-0530')).toBe('2024-01-01T10:00:00-05:30');
    expect(canonicalTimestamp('2024-01-01 10:00:00')).not.toBe(canonicalTimestamp('2024-01-01 10:00:00+00'));
  });
});

describe('compareResults', () => {
  it('accepts the same rows in another order when unordered', () => {
    const a = result(
      ['VARCHAR', 'BIGINT'],
      [
        ['b', 2],
        ['a', 1],
      ],
    );
    const e = result(
      ['VARCHAR', 'BIGINT'],
      [
        ['a', '1'],
        ['b', '2'],
      ],
    );
    expect(compareResults(a, e)).toEqual([]);
  });

  it('rejects another order when ordered', () => {
    const a = result(['VARCHAR'], [['b'], ['a']]);
    const e = result(['VARCHAR'], [['a'], ['b']]);
    expect(compareResults(a, e, { ordered: true })).toHaveLength(2);
  });

  it('accepts reordering only among ties of the order keys', () => {
    const e = result(
      ['INTEGER', 'VARCHAR'],
      [
        [1, 'x'],
        [1, 'y'],
        [2, 'z'],
      ],
    );
    const tiesSwapped = result(
      ['INTEGER', 'VARCHAR'],
      [
        [1, 'y'],
        [1, 'x'],
        [2, 'z'],
      ],
    );
    const crossed = result(
      ['INTEGER', 'VARCHAR'],
      [
        [2, 'z'],
        [1, 'x'],
        [1, 'y'],
      ],
    );
    expect(compareResults(tiesSwapped, e, { ordered: true, orderKeys: [0] })).toEqual([]);
    expect(compareResults(crossed, e, { ordered: true, orderKeys: [0] }).length).toBeGreaterThan(0);
  });

  it('compares decimals exactly and doubles within tolerance', () => {
    const decimals = result(['DECIMAL(15,2)'], [['100.01']]);
    expect(compareResults(result(['DECIMAL(15,2)'], [[100.01]]), decimals)).toEqual([]);
    expect(compareResults(result(['DECIMAL(15,2)'], [[100.0100000001]]), decimals)).toHaveLength(1);
    const values = { compareTypes: false };
    expect(compareResults(result(['DOUBLE'], [[100.0100000001]]), decimals, values)).toEqual([]);
    expect(compareResults(result(['DOUBLE'], [[100.011]]), decimals, values)).toHaveLength(1);
    expect(compareResults(result(['DOUBLE'], [[1e-12]]), result(['DOUBLE'], [[0]]))).toEqual([]);
    expect(
      compareResults(result(['BIGINT'], [[100.0100000001]]), decimals, { ...values, tolerantNumbers: true }),
    ).toEqual([]);
  });

  it('treats null as equal only to null', () => {
    expect(compareResults(result(['VARCHAR'], [[null]]), result(['VARCHAR'], [[null]]))).toEqual([]);
    expect(compareResults(result(['VARCHAR'], [[null]]), result(['VARCHAR'], [['']]))).toHaveLength(1);
    expect(compareResults(result(['INTEGER'], [[0]]), result(['INTEGER'], [[null]]))).toHaveLength(1);
  });

  it('reports different column and row counts', () => {
    expect(compareResults(result(['INTEGER'], [[1]]), result(['INTEGER', 'INTEGER'], [[1, 1]]))[0]).toMatch(
      /column count/,
    );
    expect(compareResults(result(['INTEGER'], [[1]]), result(['INTEGER'], [[1], [1]]))[0]).toMatch(
      /row count/,
    );
  });

  it('matches dates as text and strings exactly', () => {
    expect(compareResults(result(['DATE'], [['1996-03-13']]), result(['DATE'], [['1996-03-13']]))).toEqual(
      [],
    );
    expect(
      compareResults(result(['VARCHAR'], [['1996-03-13']]), result(['DATE'], [['1996-03-14']]), {
        compareTypes: false,
      }),
    ).toHaveLength(1);
    expect(compareResults(result(['VARCHAR'], [['abc ']]), result(['VARCHAR'], [['abc']]))).toHaveLength(1);
    expect(compareResults(result(['BOOLEAN'], [[true]]), result(['BOOLEAN'], [[false]]))).toHaveLength(1);
  });

  it('compares column names and types, accepting only the named allowances', () => {
    const expected: ComparableResult = {
      columns: [
        { name: 'k', type: 'BIGINT' },
        { name: 's', type: 'HUGEINT' },
      ],
      rows: [['1', '2']],
    };
    const actual = (names: string[], types: string[]): ComparableResult => ({
      columns: names.map((name, i) => ({ name, type: types[i] })),
      rows: [[1, 2]],
    });
    expect(compareResults(actual(['k', 's'], ['BIGINT', 'HUGEINT']), expected)).toEqual([]);
    expect(compareResults(actual(['k', 'sum'], ['BIGINT', 'HUGEINT']), expected)).toEqual([
      'column 1 is named "sum" ≠ expected "s"',
    ]);
    expect(compareResults(actual(['k', 's'], ['BIGINT', 'BIGINT']), expected)).toEqual([
      'column 1 (s) has type BIGINT ≠ expected HUGEINT',
    ]);
    const allowance = { column: 's', actual: 'BIGINT', expected: 'HUGEINT' };
    const allowed = { typeAllowances: [allowance] };
    expect(compareResults(actual(['k', 's'], ['BIGINT', 'BIGINT']), expected, allowed)).toEqual([]);
    // An allowance covers its own column and type pair only.
    expect(compareResults(actual(['k', 's'], ['INTEGER', 'BIGINT']), expected, allowed)).toHaveLength(1);
    expect(compareResults(actual(['k', 's'], ['BIGINT', 'DOUBLE']), expected, allowed)).toHaveLength(1);
    expect(
      compareResults(actual(['k', 's'], ['BIGINT', 'BIGINT']), expected, { compareTypes: false }),
    ).toEqual([]);
  });

  it('never accepts DECIMAL for DOUBLE', () => {
    const expected = result(['DOUBLE'], [[1.5]]);
    expect(compareResults(result(['DECIMAL(18,2)'], [['1.50']]), expected)).toHaveLength(1);
  });
});
