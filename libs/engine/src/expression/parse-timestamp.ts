import { DataError, daysFromCivil, MONTH_NAMES } from '@tributary/common';

const DAY_US = 86_400_000_000;

function cannotParse(text: string, format: string): DataError {
  return new DataError(
    'INVALID_ARGUMENT',
    `could not parse string "${text}" according to format specifier "${format}"`,
  );
}

/**
 * strptime(text, format): a TIMESTAMP in microseconds, read with DuckDB's common specifiers
 * (%Y %y %m %d %e %H %I %p %M %S %f %g %j %b %B %h %z %Z %%); the whole text must match,
 * and a blank in the format matches any run of blanks.
 */
export function parseTimestamp(text: string, format: string): number {
  let at = 0;
  let year = 1900;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let micros = 0;
  let pm: boolean | undefined;
  let dayOfYear: number | undefined;
  let offsetMinutes = 0;
  const digits = (min: number, max: number): number => {
    let end = at;
    while (end < text.length && end - at < max && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57)
      end++;
    if (end - at < min) throw cannotParse(text, format);
    const value = Number(text.slice(at, end));
    at = end;
    return value;
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      if (/\s/.test(c)) {
        while (at < text.length && /\s/.test(text[at])) at++;
        continue;
      }
      if (text[at] !== c) throw cannotParse(text, format);
      at++;
      continue;
    }
    const spec = format[++i];
    switch (spec) {
      case 'Y':
        year = digits(1, 4);
        break;
      case 'y': {
        const y = digits(1, 2);
        year = y < 69 ? 2000 + y : 1900 + y;
        break;
      }
      case 'm':
        month = digits(1, 2);
        break;
      case 'd':
      case 'e':
        day = digits(1, 2);
        break;
      case 'H':
      case 'I':
        hour = digits(1, 2);
        break;
      case 'M':
        minute = digits(1, 2);
        break;
      case 'S':
        second = digits(1, 2);
        break;
      case 'f':
      case 'g': {
        const start = at;
        const value = digits(1, spec === 'g' ? 3 : 6);
        micros = value * 10 ** ((spec === 'g' ? 3 : 6) - (at - start)) * (spec === 'g' ? 1000 : 1);
        break;
      }
      case 'j':
        dayOfYear = digits(1, 3);
        break;
      case 'p': {
        const word = text.slice(at, at + 2).toUpperCase();
        if (word !== 'AM' && word !== 'PM') throw cannotParse(text, format);
        pm = word === 'PM';
        at += 2;
        break;
      }
      case 'b':
      case 'h':
      case 'B': {
        const rest = text.slice(at).toLowerCase();
        const index = MONTH_NAMES.findIndex((m) => rest.startsWith(spec === 'B' ? m : m.slice(0, 3)));
        if (index < 0) throw cannotParse(text, format);
        month = index + 1;
        at += spec === 'B' ? MONTH_NAMES[index].length : 3;
        break;
      }
      case 'z': {
        const match = /^([+-])(\d\d):?(\d\d)?/.exec(text.slice(at));
        if (text[at] === 'Z') {
          at++;
          break;
        }
        if (!match) throw cannotParse(text, format);
        offsetMinutes = (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
        at += match[0].length;
        break;
      }
      case 'Z':
        while (at < text.length && /[A-Za-z_/]/.test(text[at])) at++;
        break;
      case '%':
        if (text[at] !== '%') throw cannotParse(text, format);
        at++;
        break;
      default:
        throw new DataError('INVALID_ARGUMENT', `strptime: unsupported format specifier %${spec}`);
    }
  }
  if (at !== text.length) throw cannotParse(text, format);
  if (pm !== undefined) {
    if (hour < 1 || hour > 12) throw cannotParse(text, format);
    hour = (hour % 12) + (pm ? 12 : 0);
  }
  if (hour > 23 || minute > 59 || second > 59) throw cannotParse(text, format);
  let days = dayOfYear !== undefined ? daysFromCivil(year, 1, 1) : daysFromCivil(year, month, day);
  if (days === undefined) throw cannotParse(text, format);
  if (dayOfYear !== undefined) days += dayOfYear - 1;
  return days * DAY_US + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1_000_000 + micros;
}
