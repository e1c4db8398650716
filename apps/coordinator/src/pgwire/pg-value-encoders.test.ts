import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  FLOAT,
  INTEGER,
  SMALLINT,
  TIMESTAMP,
  TINYINT,
  VARCHAR,
  decimal,
  listOf,
} from '@tributary/common';
import { daysOfDate, microsOfTimestamp, numericBinary, pgValueEncoder } from './pg-value-encoders.ts';

/** Postgres' binary NUMERIC read back to its text (the receiving side of numeric_send). */
function numericText(bytes: Buffer): string {
  const n = bytes.readInt16BE(0);
  const weight = bytes.readInt16BE(2);
  const sign = bytes.readUInt16BE(4);
  const scale = bytes.readInt16BE(6);
  let digits = 0n;
  for (let i = 0; i < n; i++) digits = digits * 10000n + BigInt(bytes.readInt16BE(8 + 2 * i));
  // The value is digits × 10000^(weight - n + 1); as an integer count of 10^-scale units:
  const exponent = 4 * (weight - n + 1) + scale;
  const units = exponent >= 0 ? digits * 10n ** BigInt(exponent) : digits / 10n ** BigInt(-exponent);
  const text = units.toString().padStart(scale + 1, '0');
  const body = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  return sign === 0x4000 ? `-${body}` : body;
}

describe('pgValueEncoder', () => {
  it('writes NUMERIC as Postgres does: base-10000 digits, weight, sign and display scale', () => {
    const fields = (b: Buffer) => [b.readInt16BE(0), b.readInt16BE(2), b.readUInt16BE(4), b.readInt16BE(6)];
    expect(fields(numericBinary('1234.5678'))).toEqual([2, 0, 0, 4]);
    expect(fields(numericBinary('-0.05'))).toEqual([1, -1, 0x4000, 2]);
    expect(numericBinary('-0.05').readInt16BE(8)).toBe(500);
    expect(fields(numericBinary('10000'))).toEqual([1, 1, 0, 0]);
    expect(fields(numericBinary('0.00'))).toEqual([0, 0, 0, 2]);
    for (const text of [
      '0',
      '1',
      '-1',
      '12.30',
      '99999999999999999999999999999999.999999',
      '-0.000001',
      '100000000.0001',
      '7',
    ]) {
      expect(numericText(numericBinary(text))).toBe(text);
    }
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const scale = next() % 8;
      const whole = String(next()).slice(0, 1 + (next() % 9));
      const fraction = scale ? `.${String(next()).padStart(10, '0').slice(0, scale)}` : '';
      const text = `${next() % 2 ? '-' : ''}${whole}${fraction}`;
      expect(numericText(numericBinary(text))).toBe(
        text.startsWith('-') && Number(text) === 0 ? text.slice(1) : text,
      );
    }
  });

  it('writes dates and timestamps from Postgres epoch (2000-01-01)', () => {
    expect(pgValueEncoder(DATE, 1)('2000-01-02').readInt32BE(0)).toBe(1);
    expect(pgValueEncoder(DATE, 1)('1999-12-31').readInt32BE(0)).toBe(-1);
    expect(pgValueEncoder(DATE, 1)('1992-01-01').readInt32BE(0)).toBe(-2922);
    expect(pgValueEncoder(TIMESTAMP, 1)('2000-01-01T00:00:01.5').readBigInt64BE(0)).toBe(1_500_000n);
    expect(pgValueEncoder(TIMESTAMP, 1)('1999-12-31T23:59:59').readBigInt64BE(0)).toBe(-1_000_000n);
    expect(daysOfDate('1970-01-01')).toBe(0);
    expect(microsOfTimestamp('1970-01-02 00:00:00.000001')).toBe(86_400_000_001n);
  });

  it('writes integers, doubles, booleans and text in binary and text formats', () => {
    expect(pgValueEncoder(INTEGER, 1)(-2).readInt32BE(0)).toBe(-2);
    expect(pgValueEncoder(BIGINT, 1)('9007199254740993').readBigInt64BE(0)).toBe(9007199254740993n);
    expect(pgValueEncoder(DOUBLE, 1)(0.1).readDoubleBE(0)).toBe(0.1);
    expect(pgValueEncoder(DOUBLE, 1)('NaN').readDoubleBE(0)).toBeNaN();
    // SMALLINT and TINYINT are int2 (2 bytes), FLOAT float4 (4 bytes), as their OIDs say.
    for (const type of [SMALLINT, TINYINT]) {
      const bytes = pgValueEncoder(type, 1)(-120);
      expect([bytes.length, bytes.readInt16BE(0)]).toEqual([2, -120]);
    }
    const single = pgValueEncoder(FLOAT, 1)(0.1);
    expect([single.length, single.readFloatBE(0)]).toEqual([4, Math.fround(0.1)]);
    expect(pgValueEncoder(FLOAT, 0)(0.1).toString()).toBe('0.1');
    expect([...pgValueEncoder(BOOLEAN, 1)(true)]).toEqual([1]);
    expect(pgValueEncoder(VARCHAR, 1)('é').toString('utf8')).toBe('é');
    expect(pgValueEncoder(BOOLEAN, 0)(false).toString()).toBe('f');
    expect(pgValueEncoder(TIMESTAMP, 0)('1996-03-13T10:00:00.5').toString()).toBe('1996-03-13 10:00:00.5');
    expect(pgValueEncoder(decimal(15, 2), 0)('12.30').toString()).toBe('12.30');
  });
});

describe('arrays', () => {
  it("writes Postgres' text form: braces, quotes where needed, NULL bare", () => {
    const text = (type: Parameters<typeof pgValueEncoder>[0], value: unknown) =>
      pgValueEncoder(type, 0)(value).toString('utf8');
    expect(text(listOf(INTEGER), [1, 2, null])).toBe('{1,2,NULL}');
    expect(text(listOf(VARCHAR), ['a', 'b c', '', 'null', 'x"y', 'a,b'])).toBe(
      '{a,"b c","","null","x\\"y","a,b"}',
    );
    expect(text(listOf(BOOLEAN), [true, false])).toBe('{t,f}');
    expect(text(listOf(listOf(INTEGER)), [[1], [2, 3]])).toBe('{{1},{2,3}}');
    expect(text(listOf(INTEGER), [])).toBe('{}');
  });

  it("writes array_send's binary form: dimensions, NULL flag, element OID, bounds, elements", () => {
    const bytes = pgValueEncoder(listOf(INTEGER), 1)([7, null]);
    expect([0, 4, 8, 12, 16].map((at) => bytes.readInt32BE(at))).toEqual([1, 1, 23, 2, 1]);
    expect([bytes.readInt32BE(20), bytes.readInt32BE(24), bytes.readInt32BE(28)]).toEqual([4, 7, -1]);
    expect(bytes.length).toBe(32);
    const empty = pgValueEncoder(listOf(VARCHAR), 1)([]);
    expect([empty.readInt32BE(0), empty.readInt32BE(4), empty.readInt32BE(8), empty.length]).toEqual([
      0, 0, 1043, 12,
    ]);
  });
});
