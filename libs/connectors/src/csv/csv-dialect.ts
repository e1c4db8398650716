import { SourceError } from '@tributary/common';

/** How a CSV file is written; stored in a table's location so executors parse it alike. */
export interface CsvDialect {
  /** undefined to sniff it from the data (',', ';', tab or '|'), like DuckDB's read_csv. */
  readonly delimiter: string | undefined;
  readonly quote: string;
  /** Unquoted fields equal to this are NULL ('' by default: an empty field). */
  readonly nullString: string;
  /** true/false, or undefined to detect from the data. */
  readonly header: boolean | undefined;
  /** false forces one split a file (quoted newlines beyond the sample); undefined to detect. */
  readonly splittable: boolean | undefined;
}

function singleByte<F extends string | undefined>(value: unknown, key: string, fallback: F): string | F {
  if (value === undefined || value === null || value === 'auto') return fallback;
  const text = value === '\\t' ? '\t' : String(value);
  if (text.length !== 1 || text.charCodeAt(0) > 127 || text === '\n' || text === '\r') {
    throw new SourceError(
      'SOURCE_OPTION_INVALID',
      `CSV option "${key}" must be one ASCII character, got ${JSON.stringify(value)}`,
    );
  }
  return text;
}

/** Reads the CSV options of a source (delimiter, quote, header, nullString). */
export function csvDialect(options: Readonly<Record<string, unknown>>): CsvDialect {
  const header = options.header;
  if (header !== undefined && header !== null && header !== 'auto' && typeof header !== 'boolean') {
    throw new SourceError('SOURCE_OPTION_INVALID', 'CSV option "header" must be true, false or "auto"');
  }
  const splittable = options.splittable;
  if (splittable !== undefined && splittable !== null && typeof splittable !== 'boolean') {
    throw new SourceError('SOURCE_OPTION_INVALID', 'CSV option "splittable" must be true or false');
  }
  const nullString = options.nullString ?? options.null ?? options.nullstr ?? '';
  if (typeof nullString !== 'string')
    throw new SourceError('SOURCE_OPTION_INVALID', 'CSV option "nullString" must be a string');
  return {
    delimiter: singleByte(options.delimiter ?? options.delim ?? options.sep, 'delimiter', undefined),
    quote: singleByte(options.quote, 'quote', '"'),
    nullString,
    header: typeof header === 'boolean' ? header : undefined,
    splittable: typeof splittable === 'boolean' ? splittable : undefined,
  };
}
