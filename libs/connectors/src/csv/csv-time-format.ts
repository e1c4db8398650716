import { daysFromCivil, MONTH_NAMES, SourceError } from '@tributary/common';

const MONTHS = MONTH_NAMES.map((m) => m.slice(0, 3));

type Part = 'Y' | 'y' | 'm' | 'd' | 'H' | 'I' | 'M' | 'S' | 'f' | 'p' | 'b' | 'B';

const PATTERN: Record<Part, string> = {
  Y: '(\\d{4})',
  y: '(\\d{2})',
  m: '(\\d{1,2})',
  d: '(\\d{1,2})',
  H: '(\\d{1,2})',
  I: '(\\d{1,2})',
  M: '(\\d{1,2})',
  S: '(\\d{1,2})',
  f: '(\\d{1,9})',
  p: '(AM|PM)',
  b: `(${MONTHS.join('|')})`,
  B: `(${MONTH_NAMES.join('|')})`,
};

/**
 * A date or timestamp format in DuckDB's strftime notation (`%d/%m/%Y %H:%M:%S`), compiled
 * to a parser. Known specifiers: %Y %y %m %d %H %I %M %S %f %p %b %B and %%; one or two
 * digits are accepted where DuckDB pads to two.
 */
export class CsvTimeFormat {
  private readonly regex: RegExp;
  private readonly parts: Part[] = [];

  constructor(readonly format: string) {
    let source = '';
    for (let i = 0; i < format.length; i++) {
      const c = format[i];
      if (c !== '%') {
        source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        continue;
      }
      const spec = format[++i];
      if (spec === '%') source += '%';
      else if (spec !== undefined && spec in PATTERN) {
        this.parts.push(spec as Part);
        source += PATTERN[spec as Part];
      } else
        throw new SourceError(
          'SOURCE_OPTION_INVALID',
          `CSV date/timestamp format ${JSON.stringify(format)} has an unknown specifier "%${spec ?? ''}" (known: %Y %y %m %d %H %I %M %S %f %p %b %B)`,
        );
    }
    this.regex = new RegExp(`^\\s*${source}\\s*$`, 'i');
  }

  /** Microseconds since the epoch (UTC), or undefined when the text does not match. */
  parseMicros(text: string): number | undefined {
    const m = this.regex.exec(text);
    if (!m) return undefined;
    let [year, month, day, hour, minute, second, micros] = [1970, 1, 1, 0, 0, 0, 0];
    let pm: boolean | undefined;
    this.parts.forEach((part, k) => {
      const v = m[k + 1];
      switch (part) {
        case 'Y':
          year = Number(v);
          break;
        case 'y':
          // DuckDB: 00-68 are 20xx, 69-99 are 19xx.
          year = Number(v) + (Number(v) < 69 ? 2000 : 1900);
          break;
        case 'm':
          month = Number(v);
          break;
        case 'b':
          month = MONTHS.indexOf(v.toLowerCase()) + 1;
          break;
        case 'B':
          month = MONTH_NAMES.indexOf(v.toLowerCase()) + 1;
          break;
        case 'd':
          day = Number(v);
          break;
        case 'H':
        case 'I':
          hour = Number(v);
          break;
        case 'M':
          minute = Number(v);
          break;
        case 'S':
          second = Number(v);
          break;
        case 'f':
          micros = Number(v.padEnd(6, '0').slice(0, 6));
          break;
        case 'p':
          pm = v.toUpperCase() === 'PM';
          break;
      }
    });
    if (pm !== undefined) {
      if (hour < 1 || hour > 12) return undefined;
      hour = (hour % 12) + (pm ? 12 : 0);
    }
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    const days = daysFromCivil(year, month, day);
    if (days === undefined) return undefined;
    return ((days * 24 + hour) * 60 + minute) * 60_000_000 + second * 1_000_000 + micros;
  }

  /** Days since the epoch, or undefined when the text does not match. */
  parseDays(text: string): number | undefined {
    const micros = this.parseMicros(text);
    return micros === undefined ? undefined : Math.floor(micros / 86_400_000_000);
  }
}
