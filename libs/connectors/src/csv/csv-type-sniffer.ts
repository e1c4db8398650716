import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  parseTime,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
  VARCHAR,
  type SqlType,
} from '@tributary/common';
import { CsvTimeFormat } from './csv-time-format.ts';
import { csvTimestampHasZone, parseCsvDate, parseCsvTimestamp } from './parse-csv-value.ts';

/** Formats given by the options (dateFormat, timestampFormat): they replace the default casts. */
export interface CsvTimeFormats {
  readonly date?: CsvTimeFormat;
  readonly timestamp?: CsvTimeFormat;
}

/**
 * The candidate types of DuckDB's read_csv sniffer, most specific first: a column starts at
 * the first that its first value casts to and only ever moves down. TIME and TIMESTAMP WITH
 * TIME ZONE are kept as steps so that a column moves exactly as DuckDB's does, although
 * Tributary reads them as VARCHAR and (UTC) TIMESTAMP.
 */
const Candidate = {
  Boolean: 0,
  Time: 1,
  Date: 2,
  Timestamp: 3,
  TimestampTz: 4,
  Bigint: 5,
  Double: 6,
  Varchar: 7,
} as const;
type Candidate = (typeof Candidate)[keyof typeof Candidate];

const SPACE = /^[ \t\n\v\f\r]*/;
const INT64_MAX = 9223372036854775807n;

/** DuckDB's strict boolean text: true/false, t/f, yes/no in any case, not padded. */
function isStrictBoolean(text: string): boolean {
  return /^(true|false|t|f|yes|no)$/i.test(text);
}

/** A time of day as DuckDB's TIME cast reads it: H:MM[:SS[.fraction]], up to 24:00:00. */
function isTime(text: string): boolean {
  return (
    /^[ \t\n\v\f\r]*\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d*)?)?[ \t\n\v\f\r]*$/.test(text) &&
    parseTime(text.trim()) !== undefined
  );
}

/** DuckDB's infinite and named dates and timestamps, which Tributary cannot hold. */
const SPECIAL_TIME_POINT = /^[ \t\n\v\f\r]*(?:-?(?:inf|infinity)|epoch)[ \t\n\v\f\r]*$/i;

/**
 * DuckDB's strict integer cast: leading blanks, an optional minus (a plus is refused), no
 * leading zero before another digit unless signed, hexadecimal 0x… and binary 0b…,
 * trailing blanks, and the value within 64 bits.
 */
function isStrictBigint(text: string): boolean {
  const body = text.replace(SPACE, '');
  const m = /^(-?)(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)[ \t\n\v\f\r]*$/.exec(body);
  if (!m) return false;
  const [, sign, digits] = m;
  if (/^0[xXbB]/.test(digits)) return sign === '' && BigInt(digits) <= INT64_MAX;
  if (sign === '' && /^0\d/.test(digits)) return false;
  if (digits.replace(/^0+/, '').length < 19) return true;
  const value = BigInt(sign + digits);
  return value <= INT64_MAX && value >= -INT64_MAX - 1n;
}

/**
 * DuckDB's strict double cast (fast_float): leading blanks but no trailing ones, no plus,
 * no leading zero before another digit (checked before the sign, as DuckDB does), decimals
 * with an optional exponent, and nan / inf / infinity in any case.
 */
function isStrictDouble(text: string): boolean {
  const body = text.replace(SPACE, '');
  if (/^0\d/.test(body)) return false;
  return /^-?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf|infinity)$/i.test(body);
}

function castsTo(candidate: Candidate, text: string, formats: CsvTimeFormats): boolean {
  switch (candidate) {
    case Candidate.Boolean:
      return isStrictBoolean(text);
    case Candidate.Time:
      return isTime(text);
    case Candidate.Date:
      if (formats.date) return formats.date.parseDays(text) !== undefined;
      return parseCsvDate(text) !== undefined || SPECIAL_TIME_POINT.test(text);
    case Candidate.Timestamp:
      if (formats.timestamp) return formats.timestamp.parseMicros(text) !== undefined;
      return (
        (parseCsvTimestamp(text) !== undefined && !csvTimestampHasZone(text)) || SPECIAL_TIME_POINT.test(text)
      );
    case Candidate.TimestampTz:
      if (formats.timestamp) return false;
      return parseCsvTimestamp(text) !== undefined || SPECIAL_TIME_POINT.test(text);
    case Candidate.Bigint:
      return isStrictBigint(text);
    case Candidate.Double:
      return isStrictDouble(text);
    case Candidate.Varchar:
      return true;
  }
}

/** DuckDB's sniffer's date and timestamp format candidates, in its order, for each separator. */
function formatCandidates(templates: readonly string[]): CsvTimeFormat[] {
  return templates.flatMap((t) => ['-', '/', '.'].map((sep) => new CsvTimeFormat(t.replace(/-/g, sep))));
}
const DATE_FORMATS = formatCandidates([
  '%m-%d-%Y',
  '%m-%d-%y',
  '%d-%m-%Y',
  '%d-%m-%y',
  '%Y-%m-%d',
  '%y-%m-%d',
]);
const TIMESTAMP_FORMATS = formatCandidates([
  '%Y-%m-%d %H:%M:%S.%f',
  '%m-%d-%Y %I:%M:%S %p',
  '%m-%d-%y %I:%M:%S %p',
  '%d-%m-%Y %H:%M:%S',
  '%d-%m-%y %H:%M:%S',
  '%Y-%m-%d %H:%M:%S',
  '%y-%m-%d %H:%M:%S',
]);

const TYPE_OF: Record<Candidate, SqlType> = {
  [Candidate.Boolean]: BOOLEAN,
  [Candidate.Time]: TIME,
  [Candidate.Date]: DATE,
  [Candidate.Timestamp]: TIMESTAMP,
  [Candidate.TimestampTz]: TIMESTAMPTZ, // zoned values are read as the UTC instants they name
  [Candidate.Bigint]: BIGINT,
  [Candidate.Double]: DOUBLE,
  [Candidate.Varchar]: VARCHAR,
};

/**
 * The type of one CSV column as DuckDB's read_csv sniffer finds it from the non-null values
 * of a sample. The first value picks the most specific candidate it casts to; a later value
 * that does not cast moves the column down to the next candidate it does cast to, except
 * that a column held as BOOLEAN, TIME, DATE or TIMESTAMP WITH TIME ZONE (or TIMESTAMP whose
 * value is not even a zoned timestamp) falls straight to VARCHAR, as DuckDB's sniffer does.
 * So `1, 2.5` is DOUBLE, `1, 2024-01-02` and `2024-01-02, 1` are VARCHAR. A date or
 * timestamp column holding `infinity` or `epoch` is VARCHAR: Tributary has no infinite dates.
 */
export class CsvTypeSniffer {
  private candidate: Candidate | undefined;
  /** An infinite or named date/timestamp was taken: DuckDB keeps the type, Tributary reads text. */
  private special = false;
  /** Every date (timestamp) so far read by the default cast; else the formats all of them match. */
  private isoDate = true;
  private isoTimestamp = true;
  private dateGuesses = DATE_FORMATS;
  private timestampGuesses = TIMESTAMP_FORMATS;

  constructor(private readonly formats: CsvTimeFormats = {}) {}

  /** castsTo, with the sniffing of a date or timestamp format when the options give none. */
  private casts(candidate: Candidate, text: string): boolean {
    if (candidate === Candidate.Date && !this.formats.date) {
      const iso = this.isoDate && castsTo(candidate, text, this.formats);
      const guesses = this.dateGuesses.filter((f) => f.parseDays(text) !== undefined);
      if (!iso && guesses.length === 0) return false;
      [this.isoDate, this.dateGuesses] = [iso, guesses];
      return true;
    }
    if (candidate === Candidate.Timestamp && !this.formats.timestamp) {
      const iso = this.isoTimestamp && castsTo(candidate, text, this.formats);
      const guesses = this.timestampGuesses.filter((f) => f.parseMicros(text) !== undefined);
      if (!iso && guesses.length === 0) return false;
      [this.isoTimestamp, this.timestampGuesses] = [iso, guesses];
      return true;
    }
    return castsTo(candidate, text, this.formats);
  }

  private firstCandidate(text: string, from: Candidate): Candidate {
    let candidate: number = from;
    while (!this.casts(candidate as Candidate, text)) candidate++;
    return candidate as Candidate;
  }

  /**
   * The format a DATE or TIMESTAMP column was found in, when the default cast (ISO 8601)
   * does not read it: of DuckDB's candidates that read every value, the last, as DuckDB's
   * sniffer picks (`02/01/2024` is %d/%m/%Y).
   */
  format(): string | undefined {
    if (this.candidate === Candidate.Date && !this.formats.date && !this.isoDate)
      return this.dateGuesses[this.dateGuesses.length - 1].format;
    if (this.candidate === Candidate.Timestamp && !this.formats.timestamp && !this.isoTimestamp)
      return this.timestampGuesses[this.timestampGuesses.length - 1].format;
    return undefined;
  }

  add(text: string): void {
    this.addValue(text);
    if (!this.special && this.candidate !== undefined && SPECIAL_TIME_POINT.test(text))
      this.special = this.candidate >= Candidate.Date && this.candidate <= Candidate.TimestampTz;
  }

  private addValue(text: string): void {
    const current = this.candidate;
    if (current === undefined) {
      this.candidate = this.firstCandidate(text, Candidate.Boolean);
      return;
    }
    if (this.casts(current, text)) return;
    switch (current) {
      case Candidate.Boolean:
      case Candidate.Time:
      case Candidate.Date:
      case Candidate.TimestampTz:
        this.candidate = Candidate.Varchar;
        return;
      case Candidate.Timestamp:
        this.candidate = castsTo(Candidate.TimestampTz, text, this.formats)
          ? Candidate.TimestampTz
          : Candidate.Varchar;
        return;
      default:
        this.candidate = this.firstCandidate(text, (current + 1) as Candidate);
    }
  }

  /** Whether `text` reads as the column's type so far (any text does for VARCHAR or no type yet). */
  accepts(text: string): boolean {
    const candidate = this.candidate;
    return (
      candidate === undefined || candidate === Candidate.Varchar || castsTo(candidate, text, this.formats)
    );
  }

  /** The column's type; VARCHAR when it held no value. */
  type(): SqlType {
    if (this.candidate === undefined || this.special) return VARCHAR;
    return TYPE_OF[this.candidate];
  }

  /** The type DuckDB's sniffer gives a single value. */
  static typeOf(text: string, formats: CsvTimeFormats = {}): SqlType {
    const one = new CsvTypeSniffer(formats);
    one.add(text);
    return one.type();
  }
}
