/** DATE values are days since 1970-01-01; TIMESTAMP values microseconds since then (no zone). */
const MS_PER_DAY = 86_400_000;

/** Parses `YYYY-MM-DD`; undefined when malformed or not a real calendar date. */
export function parseDate(text: string): number | undefined {
  const m = /^\s*(-?\d{4,})-(\d{1,2})-(\d{1,2})\s*$/.exec(text);
  if (!m) return undefined;
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function daysFromCivil(year: number, month: number, day: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  // Date.UTC maps years 0..99 to 1900..1999; fix those up.
  const fixed = year >= 0 && year < 100 ? new Date(ms).setUTCFullYear(year) : ms;
  return Math.round(fixed / MS_PER_DAY);
}

/** Parses `YYYY-MM-DD[ T]HH:MM[:SS[.ffffff]]` (or a bare date) into microseconds. */
export function parseTimestamp(text: string): number | undefined {
  const m =
    /^\s*(-?\d{4,})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*$/.exec(
      text,
    );
  if (!m) return undefined;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  if (days === undefined) return undefined;
  const hours = Number(m[4] ?? 0);
  const minutes = Number(m[5] ?? 0);
  const seconds = Number(m[6] ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const micros = m[7] === undefined ? 0 : Number(m[7].padEnd(6, '0').slice(0, 6));
  return days * 86_400_000_000 + ((hours * 60 + minutes) * 60 + seconds) * 1_000_000 + micros;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * `YYYY-MM-DD` of a day number, by civil-from-days arithmetic (H. Hinnant's algorithm)
 * rather than a Date object: results print millions of dates.
 */
export function formatDate(days: number): string {
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
  const y = year < 0 ? `-${pad(-year, 4)}` : year < 1000 ? pad(year, 4) : String(year);
  return `${y}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/**
 * ISO 8601 without zone (`separator` 'T'; SQL text uses ' '); fractional seconds only when
 * present, to microseconds.
 */
export function formatTimestamp(micros: number, separator: 'T' | ' ' = 'T'): string {
  const days = Math.floor(micros / 86_400_000_000);
  let rest = micros - days * 86_400_000_000;
  const hours = Math.floor(rest / 3_600_000_000);
  rest -= hours * 3_600_000_000;
  const minutes = Math.floor(rest / 60_000_000);
  rest -= minutes * 60_000_000;
  const seconds = Math.floor(rest / 1_000_000);
  const fraction = rest - seconds * 1_000_000;
  const base = `${formatDate(days)}${separator}${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}`;
  return fraction === 0 ? base : `${base}.${pad(fraction, 6).replace(/0+$/, '')}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}

/** Adds calendar months to a date (days since epoch), clamping the day: Jan 31 + 1 month = Feb 28/29. */
export function addMonthsToDate(days: number, months: number): number {
  const d = new Date(days * MS_PER_DAY);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  return daysFromCivil(year, month + 1, Math.min(d.getUTCDate(), daysInMonth(year, month))) as number;
}
