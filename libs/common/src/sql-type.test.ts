import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  commonSupertype,
  DATE,
  decimal,
  DOUBLE,
  FLOAT,
  HUGEINT,
  int32Range,
  INTEGER,
  integerAsDecimal,
  SMALLINT,
  TINYINT,
  isZoned,
  listOf,
  parseTypeName,
  sameType,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
  typeToString,
} from './sql-type.ts';

describe('TIME', () => {
  it('is named and parsed as DuckDB does, and unifies with nothing else', () => {
    expect(typeToString(TIME)).toBe('TIME');
    expect(parseTypeName('time')).toEqual(TIME);
    expect(parseTypeName('time without time zone')).toEqual(TIME);
    expect(parseTypeName('time with time zone')).toBeUndefined();
    expect(commonSupertype(TIME, TIME)).toEqual(TIME);
    expect(commonSupertype(TIME, TIMESTAMP)).toBeUndefined();
    expect(commonSupertype(DATE, TIME)).toBeUndefined();
  });
});

describe('TIMESTAMP WITH TIME ZONE', () => {
  it('is named, parsed and told apart from TIMESTAMP as DuckDB does', () => {
    expect(typeToString(TIMESTAMPTZ)).toBe('TIMESTAMP WITH TIME ZONE');
    expect(typeToString(listOf(TIMESTAMPTZ))).toBe('TIMESTAMP WITH TIME ZONE[]');
    for (const name of ['TIMESTAMPTZ', 'timestamp with time zone', 'TIMESTAMP  WITH TIME ZONE'])
      expect(parseTypeName(name)).toEqual(TIMESTAMPTZ);
    expect(parseTypeName('timestamp without time zone')).toEqual(TIMESTAMP);
    expect(parseTypeName(typeToString(listOf(TIMESTAMPTZ)))).toEqual(listOf(TIMESTAMPTZ));
    expect(sameType(TIMESTAMP, TIMESTAMPTZ)).toBe(false);
    expect(sameType(TIMESTAMPTZ, { kind: 'TIMESTAMP', withTimeZone: true })).toBe(true);
    expect([TIMESTAMP, TIMESTAMPTZ, DATE].map(isZoned)).toEqual([false, true, false]);
  });

  it('is what a TIMESTAMP or DATE meets it in, as DuckDB unifies them', () => {
    expect(commonSupertype(TIMESTAMP, TIMESTAMPTZ)).toEqual(TIMESTAMPTZ);
    expect(commonSupertype(DATE, TIMESTAMPTZ)).toEqual(TIMESTAMPTZ);
    expect(commonSupertype(TIMESTAMPTZ, DATE)).toEqual(TIMESTAMPTZ);
    expect(commonSupertype(DATE, TIMESTAMP)).toEqual(TIMESTAMP);
    expect(commonSupertype(listOf(TIMESTAMP), listOf(TIMESTAMPTZ))).toEqual(listOf(TIMESTAMPTZ));
    expect(commonSupertype(INTEGER, TIMESTAMPTZ)).toBeUndefined();
  });
});

describe('TINYINT, SMALLINT and FLOAT', () => {
  it('are named and parsed by every name DuckDB gives them', () => {
    expect([TINYINT, SMALLINT, FLOAT, listOf(SMALLINT)].map(typeToString)).toEqual([
      'TINYINT',
      'SMALLINT',
      'FLOAT',
      'SMALLINT[]',
    ]);
    for (const name of ['TINYINT', 'int1']) expect(parseTypeName(name)).toEqual(TINYINT);
    for (const name of ['smallint', 'INT2', 'short']) expect(parseTypeName(name)).toEqual(SMALLINT);
    for (const name of ['FLOAT', 'float4', 'REAL']) expect(parseTypeName(name)).toEqual(FLOAT);
    expect(parseTypeName('FLOAT8')).toEqual(DOUBLE);
    expect(sameType(SMALLINT, INTEGER)).toBe(false);
    expect(sameType(FLOAT, DOUBLE)).toBe(false);
    expect(sameType(TINYINT, { kind: 'INTEGER', bits: 8 })).toBe(true);
  });

  it('widen to the narrowest type that holds both, as DuckDB unifies them', () => {
    expect(commonSupertype(TINYINT, SMALLINT)).toEqual(SMALLINT);
    expect(commonSupertype(SMALLINT, TINYINT)).toEqual(SMALLINT);
    expect(commonSupertype(SMALLINT, INTEGER)).toEqual(INTEGER);
    expect(commonSupertype(TINYINT, BIGINT)).toEqual(BIGINT);
    expect(commonSupertype(HUGEINT, SMALLINT)).toEqual(HUGEINT);
    expect(commonSupertype(FLOAT, INTEGER)).toEqual(FLOAT);
    expect(commonSupertype(FLOAT, decimal(10, 2))).toEqual(FLOAT);
    expect(commonSupertype(FLOAT, DOUBLE)).toEqual(DOUBLE);
    expect(commonSupertype(DOUBLE, FLOAT)).toEqual(DOUBLE);
    expect(commonSupertype(listOf(TINYINT), listOf(INTEGER))).toEqual(listOf(INTEGER));
  });

  it('hold the ranges and decimal widths of 8 and 16 bits', () => {
    expect(int32Range({ kind: 'INTEGER', bits: 8 })).toEqual([-128, 127]);
    expect(int32Range({ kind: 'INTEGER', bits: 16 })).toEqual([-32768, 32767]);
    expect(int32Range({ kind: 'INTEGER' })).toEqual([-(2 ** 31), 2 ** 31 - 1]);
    expect(integerAsDecimal(TINYINT)).toEqual({ precision: 3, scale: 0 });
    expect(integerAsDecimal(SMALLINT)).toEqual({ precision: 5, scale: 0 });
  });
});
