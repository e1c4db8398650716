import type { CsvBadRowPolicy, CsvCompression, CsvInvalidUtf8Policy } from './csv-dialect.ts';

/**
 * What an executor needs to scan one CSV table (TableRef.location of csv tables): every
 * choice the sniffer made or the options gave, so that all executors parse alike and the
 * API can show them (CsvConnector.tableSettings).
 */
export interface CsvLocation {
  readonly file: string;
  readonly delimiter: string;
  readonly quote: string;
  /** Equal to `quote` for "" doubling (RFC 4180), else e.g. '\'. */
  readonly escape: string;
  readonly header: boolean;
  /** Unquoted fields equal to one of these are NULL (an empty one in typed columns always is). */
  readonly nullStrings: readonly string[];
  readonly badRows: CsvBadRowPolicy;
  readonly invalidUtf8: CsvInvalidUtf8Policy;
  readonly compression: CsvCompression;
  /** false when the options ask for one split a file (compressed files always are). */
  readonly splittable: boolean;
  readonly dateFormat?: string;
  readonly timestampFormat?: string;
  /** Date/timestamp formats the sniffer found, by column name (columns read by the default cast are absent). */
  readonly columnFormats?: Readonly<Record<string, string>>;
  /** Column types given by the options rather than sniffed, by column name. */
  readonly pinnedTypes?: Readonly<Record<string, string>>;
}

/** A stored location, with the defaults of fields that locations stored before them lack. */
export function csvLocation(location: Readonly<Record<string, unknown>>): CsvLocation {
  const l = location as Partial<CsvLocation> & { file: string; nullString?: string };
  const quote = l.quote ?? '"';
  return {
    ...l,
    delimiter: l.delimiter ?? ',',
    quote,
    escape: l.escape ?? quote,
    header: l.header ?? true,
    nullStrings: l.nullStrings ?? [...new Set(['', l.nullString ?? ''])],
    badRows: l.badRows ?? 'error',
    invalidUtf8: l.invalidUtf8 ?? 'error',
    compression: l.compression ?? 'none',
    splittable: l.splittable ?? true,
  };
}
