import { bitHelpers } from './bit-helpers.ts';
import { dateHelpers } from './date-helpers.ts';
import { listHelpers } from './list-helpers.ts';
import { textHelpers } from './text-helpers.ts';
import { likePattern, matchSegments, type LikePattern } from './like-pattern.ts';
import {
  civilFromDays,
  daysFromCivil,
  daysFromValidCivil,
  daysInMonth,
  DataError,
  formatDate,
  formatDecimal,
  formatDouble,
  formatFloat,
  parseDoubleText,
  formatTime,
  formatTimestamp,
  bigPowerOfTen,
  bigRescale,
  formatExactDecimal,
  parseDate,
  parseExactDecimal,
  parseExactInteger,
  parseTime,
  parseTimestamp,
  powerOfTen,
  TributaryError,
} from '@tributary/common';
import { NEEDS_EXACT } from './codegen-values.ts';

/**
 * The helpers generated expression code calls (as `H.name`). Small and monomorphic so
 * V8 inlines them into the compiled loops.
 */
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const DAY_US = 86_400_000_000;

function decodeUtf8(b: Uint8Array, s: number, e: number): string {
  if (e - s < 24) {
    let out = '';
    for (let i = s; i < e; i++) {
      const c = b[i];
      if (c >= 0x80) return decoder.decode(b.subarray(s, e));
      out += String.fromCharCode(c);
    }
    return out;
  }
  return decoder.decode(b.subarray(s, e));
}

function castError(value: string, target: string): never {
  throw new DataError('CAST_INVALID', `could not cast '${value}' to ${target}`, {
    details: { value, target },
  });
}

function bigOverflow(what: string): never {
  throw new DataError('NUMERIC_OVERFLOW', `numeric overflow in ${what}`);
}

/** A double as an exact bigint unscaled at `scale`, rounded half away from zero. */
function doubleToBig(x: number, scale: number): bigint {
  if (!Number.isFinite(x))
    throw new DataError('NUMERIC_OVERFLOW', `numeric overflow: ${x} has no exact value`);
  const scaled = x * 10 ** scale;
  return BigInt(scaled < 0 ? -Math.round(-scaled) : Math.round(scaled));
}

/** The longest timestamp series a list holds (a list lives in memory whole). */
const MAX_TIMESTAMP_SERIES = 10_000_000;

export const runtimeHelpers = {
  EMPTY_BYTES: new Uint8Array(0),
  ...textHelpers,
  ...listHelpers,
  ...dateHelpers,
  ...bitHelpers,

  /** A fast kernel met a value beyond 2^53: the batch goes to the exact kernel (kernel-cache.ts). */
  needExact(): void {
    throw NEEDS_EXACT;
  },
  /** What TRY_CAST turns into NULL: text that is no value, a value out of the target's range. */
  isCastFailure(error: unknown): boolean {
    return (
      error instanceof TributaryError && (error.code === 'CAST_INVALID' || error.code === 'NUMERIC_OVERFLOW')
    );
  },
  /** A bigint as a double for a function that computes on doubles; beyond 2^53 a typed error. */
  exactNumber(v: bigint, fn: string): number {
    if (v > 9007199254740991n || v < -9007199254740991n)
      throw new DataError('NUMERIC_OUT_OF_RANGE', `${fn}() does not take values beyond 2^53 exactly yet`);
    return Number(v);
  },
  bigRescale,
  doubleToBig,
  formatExactDecimal,
  parseBigInteger(text: string, min: bigint, max: bigint, target: string): bigint {
    const v = parseExactInteger(text);
    if (v === undefined || v < min || v > max) return castError(text, target);
    return v;
  },
  parseBigDecimal(text: string, precision: number, scale: number): bigint {
    const v = parseExactDecimal(text, scale);
    const limit = bigPowerOfTen(precision);
    if (v === undefined || v >= limit || v <= -limit)
      return castError(text, `DECIMAL(${precision},${scale})`);
    return v;
  },
  /** DuckDB casts doubles to integers rounding half to even. */
  doubleToBigInteger(x: number, min: bigint, max: bigint, target: string): bigint {
    if (!Number.isFinite(x)) return bigOverflow(`cast to ${target}`);
    const v = BigInt(runtimeHelpers.roundHalfEven(x));
    if (v < min || v > max) return bigOverflow(`cast to ${target}`);
    return v;
  },
  doubleToBigDecimal(x: number, precision: number, scale: number): bigint {
    const v = doubleToBig(x, scale);
    const limit = bigPowerOfTen(precision);
    if (v >= limit || v <= -limit) return bigOverflow(`cast to DECIMAL(${precision},${scale})`);
    return v;
  },

  overflow(what: string): never {
    throw new DataError('NUMERIC_OVERFLOW', `numeric overflow in ${what}`);
  },
  domainError(message: string): never {
    throw new DataError('NUMERIC_OUT_OF_RANGE', message);
  },

  // ---- numbers
  /** Rounds half away from zero. */
  roundHalfAway(x: number): number {
    return x < 0 ? -Math.round(-x) : Math.round(x);
  },
  /** Rounds half to even (C nearbyint), as DuckDB casts DOUBLE to integers. */
  roundHalfEven(x: number): number {
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  rescale(v: number, from: number, to: number): number {
    if (to >= from) return v * powerOfTen(to - from);
    const divisor = powerOfTen(from - to);
    const q = Math.floor(Math.abs(v) / divisor);
    const rem = Math.abs(v) - q * divisor;
    const rounded = rem * 2 >= divisor ? q + 1 : q;
    return v < 0 ? -rounded : rounded;
  },
  roundDouble(x: number, digits: number): number {
    if (!Number.isFinite(x)) return x;
    const m = 10 ** digits;
    const r = x < 0 ? -Math.round(-x * m) / m : Math.round(x * m) / m;
    return Number.isFinite(r) ? r : x;
  },
  /** round(decimal at scale `s`, digits) as a decimal at scale `t`. */
  roundDecimal(v: number, s: number, digits: number, t: number): number {
    if (digits >= s) return runtimeHelpers.rescale(v, s, t);
    const p = powerOfTen(s - digits);
    const q = Math.floor(Math.abs(v) / p);
    const rounded = (Math.abs(v) - q * p) * 2 >= p ? q + 1 : q;
    const signed = v < 0 ? -rounded : rounded;
    // `signed` is at scale `digits` (possibly negative).
    return digits >= t ? runtimeHelpers.rescale(signed, digits, t) : signed * powerOfTen(t - digits);
  },
  roundInteger(v: number, digits: number): number {
    if (digits >= 0) return v;
    const p = powerOfTen(-digits);
    const q = Math.floor(Math.abs(v) / p);
    const rounded = (Math.abs(v) - q * p) * 2 >= p ? q + 1 : q;
    return (v < 0 ? -rounded : rounded) * p;
  },
  /** floor/ceil of a decimal at scale `s`, as a decimal at scale `t`. */
  floorDecimal(v: number, s: number, t: number): number {
    const p = powerOfTen(s);
    return Math.floor(v / p) * powerOfTen(t);
  },
  ceilDecimal(v: number, s: number, t: number): number {
    const p = powerOfTen(s);
    return Math.ceil(v / p) * powerOfTen(t);
  },

  // ---- strings (UTF-8 byte ranges)
  decode: decodeUtf8,
  eqBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
    if (ae - as !== be - bs) return false;
    for (let i = 0; i < ae - as; i++) if (a[as + i] !== b[bs + i]) return false;
    return true;
  },
  cmpBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
    const n = Math.min(ae - as, be - bs);
    for (let i = 0; i < n; i++) {
      const d = a[as + i] - b[bs + i];
      if (d !== 0) return d;
    }
    return ae - as - (be - bs);
  },
  /** Code point order of JS strings (UTF-16 order differs above U+FFFF). */
  cmpStr(a: string, b: string): number {
    if (a === b) return 0;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      let x = a.charCodeAt(i);
      let y = b.charCodeAt(i);
      if (x !== y) {
        // Surrogates stand for code points above every BMP character.
        if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
        if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
        return x - y;
      }
    }
    return a.length - b.length;
  },
  startsWithBytes(a: Uint8Array, as: number, ae: number, p: Uint8Array, ps: number, pe: number): boolean {
    const n = pe - ps;
    if (ae - as < n) return false;
    for (let i = 0; i < n; i++) if (a[as + i] !== p[ps + i]) return false;
    return true;
  },
  endsWithBytes(a: Uint8Array, as: number, ae: number, p: Uint8Array, ps: number, pe: number): boolean {
    const n = pe - ps;
    if (ae - as < n) return false;
    const at = ae - n;
    for (let i = 0; i < n; i++) if (a[at + i] !== p[ps + i]) return false;
    return true;
  },
  /** Byte index of the first occurrence of p in a[from..ae), or -1. */
  indexOfBytes(a: Uint8Array, from: number, ae: number, p: Uint8Array, ps: number, pe: number): number {
    const n = pe - ps;
    if (n === 0) return from;
    const first = p[ps];
    const last = ae - n;
    outer: for (let i = from; i <= last; i++) {
      if (a[i] !== first) continue;
      for (let j = 1; j < n; j++) if (a[i + j] !== p[ps + j]) continue outer;
      return i;
    }
    return -1;
  },
  /** Code points in a UTF-8 byte range. */
  utf8Length(a: Uint8Array, s: number, e: number): number {
    let n = 0;
    for (let i = s; i < e; i++) if ((a[i] & 0xc0) !== 0x80) n++;
    return n;
  },
  /** Byte offset after skipping `n` code points from `s` (clamped to `e`). */
  skipCodePoints(a: Uint8Array, s: number, e: number, n: number): number {
    let i = s;
    while (n > 0 && i < e) {
      i++;
      while (i < e && (a[i] & 0xc0) === 0x80) i++;
      n--;
    }
    return i;
  },
  strLength(s: string): number {
    let n = s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0xdc00 && c <= 0xdfff) n--;
    }
    return n;
  },
  /** DuckDB substring: 1-based start, 0 and negatives count as in DuckDB; returns [from, to) in code points. */
  substringRange(total: number, start: number, length: number): number {
    let from: number;
    let to: number;
    if (start > 0) from = start - 1;
    else if (start < 0) from = total + start;
    else {
      from = 0;
      length = length - 1;
    }
    if (length < 0) {
      to = from;
      from = from + length;
    } else to = from + length;
    if (from < 0) from = 0;
    if (to > total) to = total;
    if (to < from) to = from;
    if (from > total) from = total;
    // Packed: from * 2^26 + (to - from) keeps one return value; strings stay below 64M code points.
    return from * 67108864 + (to - from);
  },
  encode(s: string): Uint8Array {
    return encoder.encode(s);
  },
  /** Writes `s` as UTF-8 at `at`; the caller reserved s.length * 3 bytes. Returns bytes written. */
  encodeInto(s: string, out: Uint8Array, at: number): number {
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) return i + encoder.encodeInto(s.slice(i), out.subarray(at + i)).written;
      out[at + i] = c;
    }
    return n;
  },
  growBytes(old: Uint8Array, used: number, needed: number): Uint8Array {
    const next = new Uint8Array(Math.max(old.length * 2, needed, 1024));
    next.set(old.subarray(0, used));
    return next;
  },
  replaceAll(s: string, from: string, to: string): string {
    return from === '' ? s : s.split(from).join(to);
  },

  // ---- dates (days since epoch) and timestamps (µs since epoch)
  year(days: number): number {
    return Math.floor(civilFromDays(days) / 512);
  },
  month(days: number): number {
    return (civilFromDays(days) >> 5) & 15;
  },
  day(days: number): number {
    return civilFromDays(days) & 31;
  },
  dayOfYear(days: number): number {
    return days - daysFromValidCivil(Math.floor(civilFromDays(days) / 512), 1, 1) + 1;
  },
  dayOfWeek(days: number): number {
    return (((days + 4) % 7) + 7) % 7;
  },
  tsDays(us: number): number {
    return Math.floor(us / DAY_US);
  },
  tsTimeOfDay(us: number): number {
    return us - Math.floor(us / DAY_US) * DAY_US;
  },
  addMonths(days: number, months: number): number {
    const c = civilFromDays(days);
    const y = Math.floor(c / 512);
    const total = y * 12 + (((c >> 5) & 15) - 1) + months;
    const ny = Math.floor(total / 12);
    const nm = total - ny * 12 + 1;
    const d = Math.min(c & 31, daysInMonth(ny, nm));
    return daysFromValidCivil(ny, nm, d);
  },
  /**
   * generate_series / range over timestamps (µs) by an interval of months, days and µs: each
   * value the one before plus the interval, as DuckDB steps (Jan 31 + 1 month is Feb 29, then
   * Mar 29), up to `stop` (included for generate_series).
   */
  timestampRange(
    start: number,
    stop: number,
    months: number,
    days: number,
    micros: number,
    inclusive: boolean,
  ): bigint[] {
    const size = months * 30 * DAY_US + days * DAY_US + micros;
    const out: bigint[] = [];
    // An interval of 0 steps nowhere: DuckDB's series of it is empty.
    if (size === 0) return out;
    for (
      let at = start;
      size > 0 ? at < stop || (inclusive && at === stop) : at > stop || (inclusive && at === stop);
    ) {
      if (out.length >= MAX_TIMESTAMP_SERIES)
        throw new DataError(
          'INVALID_ARGUMENT',
          `a series of more than ${MAX_TIMESTAMP_SERIES} values is too long`,
        );
      out.push(BigInt(at));
      const day = Math.floor(at / DAY_US);
      at =
        (months === 0 ? day : runtimeHelpers.addMonths(day, months)) * DAY_US +
        (at - day * DAY_US) +
        days * DAY_US +
        micros;
    }
    return out;
  },
  truncYear(days: number): number {
    return daysFromValidCivil(Math.floor(civilFromDays(days) / 512), 1, 1);
  },
  truncQuarter(days: number): number {
    const c = civilFromDays(days);
    const m = (c >> 5) & 15;
    return daysFromValidCivil(Math.floor(c / 512), m - ((m - 1) % 3), 1);
  },
  truncMonth(days: number): number {
    const c = civilFromDays(days);
    return daysFromValidCivil(Math.floor(c / 512), (c >> 5) & 15, 1);
  },

  // ---- casts
  castError,
  formatDouble,
  formatFloat,
  formatDecimal,
  formatDate,
  formatTimestampSql(us: number): string {
    return formatTimestamp(us, ' ');
  },
  formatTimestampTzSql(us: number): string {
    return formatTimestamp(us, ' ', true);
  },
  formatTime,
  parseTime(text: string): number {
    const v = parseTime(text);
    if (v === undefined) return castError(text, 'TIME');
    return v;
  },
  parseInteger(text: string, min: number, max: number, target: string): number {
    const exact = parseExactInteger(text);
    if (exact === undefined) return castError(text, target);
    const v = Number(exact);
    if (v < min || v > max) return castError(text, target);
    return v;
  },
  parseDouble(text: string, type: string): number {
    return parseDoubleText(text) ?? castError(text, type);
  },
  parseDecimal(text: string, precision: number, scale: number): number {
    const v = parseExactDecimal(text, scale);
    const limit = bigPowerOfTen(precision);
    if (v === undefined || v >= limit || v <= -limit)
      return castError(text, `DECIMAL(${precision},${scale})`);
    return Number(v);
  },
  parseBoolean(text: string): boolean {
    switch (text.trim().toLowerCase()) {
      case 'true':
      case 't':
      case 'yes':
      case 'y':
      case '1':
        return true;
      case 'false':
      case 'f':
      case 'no':
      case 'n':
      case '0':
        return false;
      default:
        return castError(text, 'BOOLEAN');
    }
  },
  parseDate(text: string): number {
    const v =
      parseDate(text) ??
      (parseTimestamp(text) === undefined
        ? undefined
        : Math.floor((parseTimestamp(text) as number) / DAY_US));
    if (v === undefined) return castError(text, 'DATE');
    return v;
  },
  parseTimestamp(text: string, applyZone: boolean): number {
    const v = parseTimestamp(text, applyZone);
    if (v === undefined) return castError(text, applyZone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP');
    return v;
  },
  checkDecimal(v: number, precision: number, scale: number, what: string): number {
    if (!(Math.abs(v) < powerOfTen(precision))) {
      throw new DataError('NUMERIC_OVERFLOW', `${what} does not fit DECIMAL(${precision},${scale})`);
    }
    return v;
  },
  daysFromCivil,
  likeDynamic,
  trimChars,
  matchSegments,
};

export type RuntimeHelpers = typeof runtimeHelpers;

const likeCache = new Map<string, LikePattern>();

/** LIKE with a pattern that varies per row; patterns are compiled once and cached. */
function likeDynamic(value: string, pattern: string, caseInsensitive: boolean): boolean {
  const key = (caseInsensitive ? 'i' : 's') + pattern;
  let compiled = likeCache.get(key);
  if (!compiled) {
    if (likeCache.size > 1000) likeCache.clear();
    compiled = likePattern(pattern, caseInsensitive);
    likeCache.set(key, compiled);
  }
  if (compiled.kind === 'regex') return compiled.regex.test(value);
  const bytes = encoder.encode(value);
  return matchSegments(compiled.pieces, bytes, 0, bytes.length);
}

function trimChars(s: string, chars: string, fn: string): string {
  const set = new Set(Array.from(chars));
  const cps = Array.from(s);
  let from = 0;
  let to = cps.length;
  if (fn !== 'rtrim') while (from < to && set.has(cps[from])) from++;
  if (fn !== 'ltrim') while (to > from && set.has(cps[to - 1])) to--;
  return cps.slice(from, to).join('');
}
