/** DATE values are days since 1970-01-01; TIMESTAMP values microseconds since then (no zone). */

/** Parses `YYYY-MM-DD`; undefined when malformed or not a real calendar date. */
export function parseDate(text: string): number | undefined {
  const m = /^\s*(-?\d{4,})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (!m) return undefined;
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Days in a month (1-12) of the proleptic Gregorian calendar. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 of a valid civil date, by H. Hinnant's days-from-civil arithmetic
 * (no Date object: dates are computed per row).
 */
export function daysFromValidCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days since 1970-01-01, or undefined when the date does not exist (2001-02-29). */
export function daysFromCivil(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromValidCivil(year, month, day);
}

/**
 * The civil date of a day number, packed as year * 512 + month * 32 + day so one call
 * yields all three parts without allocating (H. Hinnant's civil-from-days).
 */
export function civilFromDays(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return year * 512 + month * 32 + day;
}

const TIMESTAMP_TEXT =
  /^\s*(-?\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|([+-])(\d{2})(?::?(\d{2}))?)?)?\s*$/i;

/**
 * Parses `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]][zone]` (or a bare date) into microseconds, the
 * zone being `Z`, `+02`, `-05:30` or `+0530`. With `applyZone` (TIMESTAMP WITH TIME ZONE) the
 * zone converts the time to the UTC instant; without, the zone is ignored and the time read
 * as written, as DuckDB's cast to TIMESTAMP reads it.
 */
export function parseTimestamp(text: string, applyZone = false): number | undefined {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return undefined;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  if (days === undefined) return undefined;
  const hours = Number(m[4] ?? 0);
  const minutes = Number(m[5] ?? 0);
  const seconds = Number(m[6] ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const micros = m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0').slice(0, 6));
  const local = days * 86_400_000_000 + ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + micros;
  if (!applyZone || m[9] === undefined) return local;
  const offsetMinutes = Number(m[10]) * 60 + Number(m[11] ?? 0);
  return local - (m[9] === '-' ? -1 : 1) * offsetMinutes * 60_000_000;
}

const TIME_TEXT =
  /^(?:-?\d{4,}-\d{1,2}-\d{1,2}[ T])?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** µs in a day: the largest TIME, 24:00:00. */
export const DAY_MICROS = 86_400_000_000;

/**
 * A time of day as DuckDB's cast to TIME reads it: `H:M[:S[.fraction]]` (one or two digits
 * each, digits past microseconds cut), maybe after a date and before a zone, both ignored;
 * 24:00:00 is the day's end. µs since midnight, undefined when malformed.
 */
export function parseTime(text: string): number | undefined {
  const m = TIME_TEXT.exec(text);
  if (!m) return undefined;
  const [hours, minutes, seconds] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const micros = Number((m[4] ?? '').slice(0, 6).padEnd(6, '0'));
  if (minutes > 59 || seconds > 59) return undefined;
  const value = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + micros;
  return value > DAY_MICROS ? undefined : value;
}

/** `HH:MM:SS`, fractional seconds only when present, as DuckDB prints a TIME. */
export function formatTime(micros: number): string {
  const hours = Math.floor(micros / 3_600_000_000);
  let rest = micros - hours * 3_600_000_000;
  const minutes = Math.floor(rest / 60_000_000);
  rest -= minutes * 60_000_000;
  const seconds = Math.floor(rest / 1_000_000);
  const fraction = rest - seconds * 1_000_000;
  const base = `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}`;
  return fraction === 0 ? base : `${base}.${pad(fraction, 6).replace(/0+$/, '')}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD` of a day number; results print millions of dates, so no Date object. */
export function formatDate(days: number): string {
  const civil = civilFromDays(days);
  const year = Math.floor(civil / 512);
  const month = (civil >> 5) & 15;
  const day = civil & 31;
  const y = year < 0 ? `-${pad(-year, 4)}` : year < 1000 ? pad(year, 4) : String(year);
  return `${y}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/**
 * ISO 8601 without zone (`separator` 'T'; SQL text uses ' '); fractional seconds only when
 * present, to microseconds. A TIMESTAMP WITH TIME ZONE adds its zone, always UTC, after it:
 * `+00` in SQL text (as DuckDB and Postgres print it), `+00:00` in JSON (ISO 8601).
 */
export function formatTimestamp(micros: number, separator: 'T' | ' ' = 'T', withZone = false): string {
  const days = Math.floor(micros / DAY_MICROS);
  const time = `${formatDate(days)}${separator}${formatTime(micros - days * DAY_MICROS)}`;
  return withZone ? `${time}${separator === ' ' ? '+00' : '+00:00'}` : time;
}

/** Adds calendar months to a date (days since epoch), clamping the day: Jan 31 + 1 month = Feb 28/29. */
export function addMonthsToDate(days: number, months: number): number {
  const civil = civilFromDays(days);
  const total = Math.floor(civil / 512) * 12 + ((civil >> 5) & 15) - 1 + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return daysFromValidCivil(year, month, Math.min(civil & 31, daysInMonth(year, month)));
}

/** English month names, lower case, January first (strptime's %B; %b is their first three letters). */
export const MONTH_NAMES: readonly string[] = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
