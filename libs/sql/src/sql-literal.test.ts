import { describe, expect, it } from 'vitest';
import { typeToString } from '@tributary/common';
import { numberLiteral } from './sql-literal.ts';

function typed(text: string): [string, unknown] {
  const l = numberLiteral(text, undefined);
  return [typeToString(l.type), l.value];
}

describe('numberLiteral', () => {
  it('types integers by size as DuckDB does, keeping values beyond 2^53 exact', () => {
    expect(typed('2147483647')).toEqual(['INTEGER', 2147483647]);
    expect(typed('2147483648')).toEqual(['BIGINT', 2147483648]);
    expect(typed('-2147483648')).toEqual(['BIGINT', -2147483648]);
    expect(typed('9007199254740993')).toEqual(['BIGINT', '9007199254740993']);
    expect(typed('-9223372036854775808')).toEqual(['BIGINT', '-9223372036854775808']);
    expect(typed('9223372036854775808')).toEqual(['HUGEINT', '9223372036854775808']);
    expect(typed('1' + '0'.repeat(39))).toEqual(['DOUBLE', 1e39]);
  });

  it('types decimals by the digits as written, up to 38', () => {
    expect(typed('1.50')).toEqual(['DECIMAL(3,2)', 150]);
    expect(typed('00.50')).toEqual(['DECIMAL(4,2)', 50]);
    expect(typed('99999999999999999999.99')).toEqual(['DECIMAL(22,2)', '9999999999999999999999']);
    expect(typed('1.5e3')).toEqual(['DOUBLE', 1500]);
    expect(typed(`0.${'1'.repeat(38)}`)[0]).toBe('DOUBLE');
  });
});
