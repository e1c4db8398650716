import { describe, expect, it } from 'vitest';
import {
  commonSupertype,
  DATE,
  INTEGER,
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
