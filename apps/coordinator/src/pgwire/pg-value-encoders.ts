import { parseTime, type SqlType } from '@tributary/common';
import { pgTypeOfColumn } from '@tributary/sql';

/**
 * Encoders of one column's values, as batchToJsonRows gives them (booleans, numbers, exact
 * decimal strings, `YYYY-MM-DD` dates, ISO timestamps), into the bytes of a Postgres DataRow
 * field: the text format every client reads, and the binary format of the common types.
 */
export type PgValueEncoder = (value: unknown) => Buffer;

/** Days from 1970-01-01 to 2000-01-01, Postgres' epoch for binary dates and timestamps. */
const PG_EPOCH_DAYS = 10_957;
const MICROS_PER_DAY = 86_400_000_000n;

/** An array element's text inside `{…}`: quoted when empty, NULL-like or holding a delimiter. */
function arrayElementText(type: SqlType, value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = textOf(type, value);
  if (type.kind === 'LIST') return text;
  return text === '' || /^null$/i.test(text) || /[{}",\\\s]/.test(text)
    ? `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`
    : text;
}

/** A value's text format (Postgres' output functions' form; arrays as `{1,2,"a b",NULL}`). */
export function textOf(type: SqlType, value: unknown): string {
  switch (type.kind) {
    case 'LIST': {
      const element = type.element;
      return `{${(value as unknown[]).map((v) => arrayElementText(element, v)).join(',')}}`;
    }
    case 'BOOLEAN':
      return value ? 't' : 'f';
    case 'TIMESTAMP':
      // JSON's `…T10:00:00+00:00` as Postgres prints it in UTC: `… 10:00:00+00`.
      return String(value)
        .replace('T', ' ')
        .replace(/\+00:00$/, '+00');
    default:
      return String(value);
  }
}

/** Days since 1970-01-01 of `YYYY-MM-DD` (years of any sign and width, as formatDate writes them). */
export function daysOfDate(text: string): number {
  const m = /^(-?\d+)-(\d\d)-(\d\d)/.exec(text);
  if (!m) throw new Error(`not a date: ${text}`);
  const date = new Date(0);
  date.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round(date.getTime() / 86_400_000);
}

/** Microseconds since 1970-01-01 of `YYYY-MM-DD[T ]hh:mm:ss[.ffffff]`. */
export function microsOfTimestamp(text: string): bigint {
  const m = /^(-?\d+-\d\d-\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:\+00(?::00)?)?$/.exec(text);
  if (!m) throw new Error(`not a timestamp: ${text}`);
  const seconds = Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  const fraction = Number((m[5] ?? '').padEnd(6, '0'));
  return BigInt(daysOfDate(m[1])) * MICROS_PER_DAY + BigInt(seconds) * 1_000_000n + BigInt(fraction);
}

/** A decimal's exact text as Postgres' binary NUMERIC: base-10000 digits, weight, sign, scale. */
export function numericBinary(text: string): Buffer {
  if (text === 'NaN') return Buffer.from([0, 0, 0, 0, 0xc0, 0, 0, 0]);
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole, fraction = ''] = body.split('.');
  const intPart = whole.replace(/^0+/, '');
  const padded = intPart.padStart(Math.ceil(intPart.length / 4) * 4, '0');
  const frac = fraction.padEnd(Math.ceil(fraction.length / 4) * 4, '0');
  const groups: number[] = [];
  for (let i = 0; i < padded.length; i += 4) groups.push(Number(padded.slice(i, i + 4)));
  for (let i = 0; i < frac.length; i += 4) groups.push(Number(frac.slice(i, i + 4)));
  let weight = padded.length / 4 - 1;
  let start = 0;
  while (start < groups.length && groups[start] === 0) {
    start++;
    weight--;
  }
  let end = groups.length;
  while (end > start && groups[end - 1] === 0) end--;
  const digits = groups.slice(start, end);
  const out = Buffer.alloc(8 + 2 * digits.length);
  out.writeInt16BE(digits.length, 0);
  out.writeInt16BE(digits.length === 0 ? 0 : weight, 2);
  out.writeUInt16BE(negative && digits.length > 0 ? 0x4000 : 0, 4);
  out.writeInt16BE(fraction.length, 6);
  digits.forEach((d, i) => out.writeInt16BE(d, 8 + 2 * i));
  return out;
}

function binaryEncoder(type: SqlType): PgValueEncoder {
  switch (type.kind) {
    case 'BOOLEAN':
      return (v) => Buffer.from([v ? 1 : 0]);
    case 'INTEGER':
      if (type.bits)
        return (v) => {
          const b = Buffer.alloc(2);
          b.writeInt16BE(v as number);
          return b;
        };
      return (v) => {
        const b = Buffer.alloc(4);
        b.writeInt32BE(v as number);
        return b;
      };
    case 'BIGINT':
      return (v) => {
        const b = Buffer.alloc(8);
        b.writeBigInt64BE(BigInt(v as string));
        return b;
      };
    case 'DOUBLE':
      if (type.single)
        return (v) => {
          const b = Buffer.alloc(4);
          b.writeFloatBE(typeof v === 'number' ? v : Number(v));
          return b;
        };
      return (v) => {
        const b = Buffer.alloc(8);
        b.writeDoubleBE(typeof v === 'number' ? v : Number(v));
        return b;
      };
    case 'DECIMAL':
    case 'HUGEINT':
      return (v) => numericBinary(String(v));
    case 'DATE':
      return (v) => {
        const b = Buffer.alloc(4);
        b.writeInt32BE(daysOfDate(String(v)) - PG_EPOCH_DAYS);
        return b;
      };
    case 'TIMESTAMP':
      return (v) => {
        const b = Buffer.alloc(8);
        b.writeBigInt64BE(microsOfTimestamp(String(v)) - BigInt(PG_EPOCH_DAYS) * MICROS_PER_DAY);
        return b;
      };
    case 'TIME':
      // Postgres' time_send: µs since midnight, as the JSON text `HH:MM:SS[.ffffff]` spells it.
      return (v) => {
        const b = Buffer.alloc(8);
        b.writeBigInt64BE(BigInt(parseTime(String(v)) ?? 0));
        return b;
      };
    case 'NULL':
    case 'VARCHAR':
      return (v) => Buffer.from(String(v), 'utf8');
    case 'LIST': {
      // Postgres' array_send: dimensions, a has-NULL flag, the element OID, each dimension's
      // size and lower bound (1), then every element as a length-prefixed binary value.
      const element = binaryEncoder(type.element);
      const elementOid = pgTypeOfColumn(type.element).oid;
      return (v) => {
        const items = v as unknown[];
        const header = Buffer.alloc(items.length === 0 ? 12 : 20);
        header.writeInt32BE(items.length === 0 ? 0 : 1, 0);
        header.writeInt32BE(items.some((x) => x === null) ? 1 : 0, 4);
        header.writeUInt32BE(elementOid, 8);
        if (items.length > 0) {
          header.writeInt32BE(items.length, 12);
          header.writeInt32BE(1, 16);
        }
        const parts: Buffer[] = [header];
        for (const item of items) {
          const length = Buffer.alloc(4);
          if (item === null) length.writeInt32BE(-1);
          else {
            const bytes = element(item);
            length.writeInt32BE(bytes.length);
            parts.push(length, bytes);
            continue;
          }
          parts.push(length);
        }
        return Buffer.concat(parts);
      };
    }
  }
}

/** The encoder of a column of `type` in format 0 (text) or 1 (binary). */
export function pgValueEncoder(type: SqlType, format: number): PgValueEncoder {
  if (format === 1) return binaryEncoder(type);
  return (value) => Buffer.from(textOf(type, value), 'utf8');
}
