import { parseTimestamp } from './parse-timestamp.ts';
import { civilFromDays, daysFromCivil, daysFromValidCivil, DataError } from '@tributary/common';

/**
 * Runtime helpers of the date functions beyond the basic parts: ISO weeks, epoch, date_diff
 * by unit, make_date, make_time and strftime. DATE is days since 1970-01-01, TIMESTAMP
 * microseconds, TIME microseconds since midnight.
 */

const DAY_US = 86_400_000_000;
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function yearOf(days: number): number {
  return Math.floor(civilFromDays(days) / 512);
}

/** Monday = 1 … Sunday = 7. */
function isoDayOfWeek(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** The ISO-8601 year and week of a day: weeks start on Monday, week 1 holds the first Thursday. */
function isoWeek(days: number): { year: number; week: number } {
  const thursday = days - isoDayOfWeek(days) + 4;
  const year = yearOf(thursday);
  const week = Math.floor((thursday - daysFromValidCivil(year, 1, 1)) / 7) + 1;
  return { year, week };
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Weeks of the year counting from the first `firstDay` (0 Sunday, 1 Monday); days before are week 0. */
function weekOfYear(days: number, firstDay: number): number {
  const doy = days - daysFromValidCivil(yearOf(days), 1, 1);
  const dow = (((days + 4) % 7) + 7) % 7;
  return Math.floor((doy + 7 - ((dow - firstDay + 7) % 7)) / 7);
}

export const dateHelpers = {
  isoWeek(days: number): number {
    return isoWeek(days).week;
  },
  isoYear(days: number): number {
    return isoWeek(days).year;
  },
  isoDayOfWeek,
  /** date_diff by calendar unit: boundaries crossed, as DuckDB counts them. */
  diffMonths(start: number, end: number): number {
    const a = civilFromDays(start);
    const b = civilFromDays(end);
    return (Math.floor(b / 512) - Math.floor(a / 512)) * 12 + (((b >> 5) & 15) - ((a >> 5) & 15));
  },
  diffQuarters(start: number, end: number): number {
    const a = civilFromDays(start);
    const b = civilFromDays(end);
    const quarter = (c: number): number => Math.floor(c / 512) * 4 + Math.floor((((c >> 5) & 15) - 1) / 3);
    return quarter(b) - quarter(a);
  },
  diffYears(start: number, end: number): number {
    return yearOf(end) - yearOf(start);
  },
  makeDate(year: number, month: number, day: number): number {
    const days = daysFromCivil(year, month, day);
    if (days === undefined)
      throw new DataError('INVALID_ARGUMENT', `date out of range: ${year}-${month}-${day}`);
    return days;
  },
  /** make_time(h, m, s): µs since midnight, up to 24:00:00 as DuckDB allows. */
  makeTime(hours: number, minutes: number, seconds: number): number {
    const micros = Math.round(((hours * 60 + minutes) * 60 + seconds) * 1_000_000);
    if (!(hours >= 0 && minutes >= 0 && minutes < 60 && seconds >= 0 && seconds < 60 && micros <= DAY_US))
      throw new DataError('INVALID_ARGUMENT', `time out of range: ${hours}:${minutes}:${seconds}`);
    return micros;
  },
  /** A time of day moved by `micros`, around the clock (TIME ± INTERVAL). */
  addToTime(time: number, micros: number): number {
    return (((time + micros) % DAY_US) + DAY_US) % DAY_US;
  },
  /** strptime(s, format): a TIMESTAMP in microseconds. */
  strptime(text: string, format: string): number {
    return parseTimestamp(text, format);
  },
  /** to_timestamp(seconds): epoch seconds as a TIMESTAMP in microseconds. */
  toTimestamp(seconds: number): number {
    const us = Math.round(seconds * 1_000_000);
    if (!Number.isFinite(us) || Math.abs(us) > 9.2e18)
      throw new DataError('INVALID_ARGUMENT', `to_timestamp: ${seconds} is out of the TIMESTAMP range`);
    return us;
  },
  /**
   * strftime(t, format) for a TIMESTAMP in microseconds, with DuckDB's common specifiers; a
   * zoned one (`withZone`) names its zone, UTC, for %Z.
   */
  strftime(us: number, format: string, withZone = false): string {
    const days = Math.floor(us / DAY_US);
    const tod = us - days * DAY_US;
    const c = civilFromDays(days);
    const year = Math.floor(c / 512);
    const month = (c >> 5) & 15;
    const day = c & 31;
    const hour = Math.floor(tod / 3_600_000_000);
    const minute = Math.floor(tod / 60_000_000) % 60;
    const second = Math.floor(tod / 1_000_000) % 60;
    const micros = tod % 1_000_000;
    const dow = (((days + 4) % 7) + 7) % 7;
    const doy = days - daysFromValidCivil(year, 1, 1) + 1;
    const hour12 = hour % 12 === 0 ? 12 : hour % 12;
    let out = '';
    for (let i = 0; i < format.length; i++) {
      const ch = format[i];
      if (ch !== '%' || i + 1 >= format.length) {
        out += ch;
        continue;
      }
      let spec = format[++i];
      const unpadded = spec === '-' && i + 1 < format.length;
      if (unpadded) spec = format[++i];
      const num = (n: number, width = 2): string => (unpadded ? String(n) : String(n).padStart(width, '0'));
      switch (spec) {
        case 'Y':
          out += String(year);
          break;
        case 'y':
          out += num(((year % 100) + 100) % 100);
          break;
        case 'm':
          out += num(month);
          break;
        case 'd':
          out += num(day);
          break;
        case 'H':
          out += num(hour);
          break;
        case 'I':
          out += num(hour12);
          break;
        case 'M':
          out += num(minute);
          break;
        case 'S':
          out += num(second);
          break;
        case 'f':
          out += String(micros).padStart(6, '0');
          break;
        case 'g':
          out += String(Math.floor(micros / 1000)).padStart(3, '0');
          break;
        case 'n':
          out += String(micros * 1000).padStart(9, '0');
          break;
        case 'p':
          out += hour < 12 ? 'AM' : 'PM';
          break;
        case 'b':
        case 'h':
          out += MONTHS[month - 1].slice(0, 3);
          break;
        case 'B':
          out += MONTHS[month - 1];
          break;
        case 'a':
          out += WEEKDAYS[dow].slice(0, 3);
          break;
        case 'A':
          out += WEEKDAYS[dow];
          break;
        case 'w':
          out += String(dow);
          break;
        case 'u':
          out += String(isoDayOfWeek(days));
          break;
        case 'j':
          out += num(doy, 3);
          break;
        case 'U':
          out += num(weekOfYear(days, 0));
          break;
        case 'W':
          out += num(weekOfYear(days, 1));
          break;
        case 'V':
          out += num(isoWeek(days).week);
          break;
        case 'G':
          out += String(isoWeek(days).year);
          break;
        case 'z':
          out += '+00';
          break;
        case 'Z':
          if (withZone) out += 'UTC';
          break;
        case 'c':
          out += `${year}-${two(month)}-${two(day)} ${two(hour)}:${two(minute)}:${two(second)}`;
          break;
        case 'x':
          out += `${year}-${two(month)}-${two(day)}`;
          break;
        case 'X':
          out += `${two(hour)}:${two(minute)}:${two(second)}`;
          break;
        case '%':
          out += '%';
          break;
        default:
          throw new DataError('INVALID_ARGUMENT', `strftime: unsupported format specifier %${spec}`);
      }
    }
    return out;
  },
};
