import { daysFromCivil, daysFromValidCivil, daysInMonth } from '@tributary/common';

/**
 * Byte-level parsers of CSV field text into typed values; each returns undefined (or NaN)
 * on malformed text so the scanner can report file, line and column.
 */

const TWO_53 = 9007199254740992;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** Decodes a field as UTF-8 text (for the slow paths and messages). */
export function fieldText(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

/** An integer: a number when exact, a bigint beyond 2^53, undefined when malformed. */
export function parseIntegerBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
): number | bigint | undefined {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 45 || bytes[i] === 43)) {
    negative = bytes[i] === 45;
    i++;
  }
  if (i === end) return undefined;
  let value = 0;
  for (let k = i; k < end; k++) {
    const d = bytes[k] - 48;
    if (d < 0 || d > 9) return radixInteger(latin1(bytes, start, end));
    value = value * 10 + d;
  }
  if (value >= TWO_53) {
    const big = BigInt(latin1(bytes, start, end));
    if (big > 9223372036854775807n || big < -9223372036854775808n) return undefined;
    return big;
  }
  return negative ? -value : value;
}

/** DuckDB's unsigned hexadecimal (0x1F) and binary (0b101) integer text, within 64 bits. */
function radixInteger(text: string): number | bigint | undefined {
  if (!/^0(?:[xX][0-9a-fA-F]+|[bB][01]+)$/.test(text)) return undefined;
  const value = BigInt(text);
  if (value > 9223372036854775807n) return undefined;
  return value < BigInt(TWO_53) ? Number(value) : value;
}

/** A plain decimal at `scale` as its unscaled integer; undefined when it has more (non-zero) fraction digits. */
export function parseDecimalBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  scale: number,
): number | bigint | undefined {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 45 || bytes[i] === 43)) {
    negative = bytes[i] === 45;
    i++;
  }
  let unscaled = 0;
  let digits = 0;
  let fractionDigits = -1;
  for (; i < end; i++) {
    const b = bytes[i];
    if (b === 46 && fractionDigits < 0) {
      fractionDigits = 0;
      continue;
    }
    const d = b - 48;
    if (d < 0 || d > 9) return undefined;
    digits++;
    if (fractionDigits >= 0) {
      // A digit beyond the column's scale would be rounded away silently: refuse the value
      // (the scanner reports it) unless it is a zero.
      if (fractionDigits >= scale) {
        if (d !== 0) return undefined;
        fractionDigits++;
        continue;
      }
      fractionDigits++;
    }
    unscaled = unscaled * 10 + d;
  }
  if (digits === 0) return undefined;
  const kept = fractionDigits < 0 ? 0 : Math.min(fractionDigits, scale);
  if (kept < scale) unscaled *= POW10[scale - kept];
  if (unscaled >= TWO_53) return slowDecimal(latin1(bytes, start, end), scale);
  return negative ? -unscaled : unscaled;
}

function slowDecimal(text: string, scale: number): bigint | undefined {
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m) return undefined;
  const fraction = m[3] ?? '';
  if (/[1-9]/.test(fraction.slice(scale))) return undefined;
  const unscaled = BigInt((m[2] || '0') + fraction.slice(0, scale).padEnd(scale, '0'));
  if (unscaled >= 1n << 127n) return undefined;
  return m[1] === '-' ? -unscaled : unscaled;
}

const DOUBLE_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$|^\s*[+-]?(inf|infinity|nan)\s*$/i;

/** A double; NaN when malformed. Plain short decimals take Clinger's exact fast path. */
export function parseDoubleBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 45 || bytes[i] === 43)) {
    negative = bytes[i] === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < end; i++) {
    const b = bytes[i];
    if (b === 46 && fraction < 0) {
      fraction = 0;
      continue;
    }
    const d = b - 48;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
    digits++;
    if (fraction >= 0) fraction++;
  }
  if (i === end && digits > 0 && digits <= 15) {
    // An integer below 2^53 divided by an exact power of ten rounds correctly once.
    const value = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
    return negative ? -value : value;
  }
  const text = latin1(bytes, start, end);
  if (!DOUBLE_TEXT.test(text)) return NaN;
  const lower = text.trim().toLowerCase().replace(/^\+/, '');
  if (lower.endsWith('nan')) return NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity'))
    return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

/** YYYY-MM-DD as days since 1970-01-01; undefined when malformed or not a calendar date. */
export function parseDateBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  if (end - start !== 10 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45) return undefined;
  const y0 = bytes[start] - 48;
  const y1 = bytes[start + 1] - 48;
  const y2 = bytes[start + 2] - 48;
  const y3 = bytes[start + 3] - 48;
  const m0 = bytes[start + 5] - 48;
  const m1 = bytes[start + 6] - 48;
  const d0 = bytes[start + 8] - 48;
  const d1 = bytes[start + 9] - 48;
  // Straight-line digit check (the hot path of DATE columns): d is 0-9 exactly when neither
  // d nor d + 6 has a bit above the lowest four.
  const bits =
    y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1 | (y0 + 6) | (y1 + 6) | (y2 + 6) | (y3 + 6) | (m0 + 6) | (m1 + 6);
  if (((bits | (d0 + 6) | (d1 + 6)) & ~15) !== 0) return undefined;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (month < 1 || month > 12 || day < 1) return undefined;
  const year = ((y0 * 10 + y1) * 10 + y2) * 10 + y3;
  const index = year * 12 + month - 1;
  let first = MONTH_STARTS[index];
  if (first === UNKNOWN) {
    first = MONTH_STARTS[index] = daysFromValidCivil(year, month, 1);
    MONTH_LENGTHS[index] = daysInMonth(year, month);
  }
  if (day > MONTH_LENGTHS[index]) return undefined;
  return first + day - 1;
}

/** Days since 1970-01-01 of the 1st of each month of years 0-9999, and the month's length, filled as met. */
const UNKNOWN = -2147483648;
const MONTH_STARTS = new Int32Array(10_000 * 12).fill(UNKNOWN);
const MONTH_LENGTHS = new Uint8Array(10_000 * 12);

const CSV_DATE = /^[ \t\n\v\f\r]*(\d{4,})([-/])(\d{1,2})\2(\d{1,2})[ \t\n\v\f\r]*$/;

/**
 * A date as DuckDB's DATE cast reads it in a CSV file: year, month and day separated by
 * the same `-` or `/`, padded or not; days since 1970-01-01, undefined when malformed.
 */
export function parseCsvDate(text: string): number | undefined {
  const m = CSV_DATE.exec(text);
  if (!m) return undefined;
  return daysFromCivil(Number(m[1]), Number(m[3]), Number(m[4]));
}

const BLANK = '[ \\t\\n\\v\\f\\r]*';
const CSV_TIMESTAMP = new RegExp(
  `^${BLANK}(\\d{4,})([-/])(\\d{1,2})\\2(\\d{1,2})` +
    `(?:(?:T| +)(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d*))?)?` +
    `(Z|([+-])(\\d{2})(?::?(\\d{2})(?::?(\\d{2}))?)?)?)?${BLANK}$`,
  'i',
);

/**
 * A timestamp as DuckDB's cast reads one in a CSV file: a date (as parseCsvDate), then after
 * `T` or spaces H:M[:S[.fraction]] (one or two digits each, 24:00:00 being the next day's
 * start, digits past microseconds cut), then maybe a zone right after it (`Z`, `+02`,
 * `-05:30`, `+0530`), which converts it to UTC as DuckDB reads it into TIMESTAMPTZ
 * (Tributary's TIMESTAMP has no zone). Microseconds, undefined when malformed.
 */
export function parseCsvTimestamp(text: string): number | undefined {
  return parseTimestampParts(text)?.micros;
}

/** Whether a CSV timestamp names a zone (DuckDB: TIMESTAMP WITH TIME ZONE). */
export function csvTimestampHasZone(text: string): boolean {
  return parseTimestampParts(text)?.zoned === true;
}

function parseTimestampParts(text: string): { micros: number; zoned: boolean } | undefined {
  const m = CSV_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const days = daysFromCivil(Number(m[1]), Number(m[3]), Number(m[4]));
  if (days === undefined) return undefined;
  const [hours, minutes, seconds] = [Number(m[5] ?? 0), Number(m[6] ?? 0), Number(m[7] ?? 0)];
  const fraction = m[8] ?? '';
  if (minutes > 59 || seconds > 59) return undefined;
  if (hours > 24 || (hours === 24 && (minutes > 0 || seconds > 0 || /[1-9]/.test(fraction))))
    return undefined;
  const micros = fraction === '' ? 0 : Number(fraction.slice(0, 6).padEnd(6, '0'));
  const local = days * 86_400_000_000 + ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + micros;
  if (m[9] === undefined) return { micros: local, zoned: false };
  const offsetSeconds =
    m[10] === undefined ? 0 : (Number(m[11]) * 60 + Number(m[12] ?? 0)) * 60 + Number(m[13] ?? 0);
  return { micros: local - (m[10] === '-' ? -1 : 1) * offsetSeconds * 1_000_000, zoned: true };
}
