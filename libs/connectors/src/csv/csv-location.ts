/** What an executor needs to scan one CSV table (TableRef.location of csv tables). */
export interface CsvLocation {
  readonly file: string;
  readonly delimiter: string;
  readonly quote: string;
  readonly nullString: string;
  readonly header: boolean;
  /** false when quoted fields may span lines: byte-range splits would then be ambiguous. */
  readonly splittable: boolean;
}

export function csvLocation(location: Readonly<Record<string, unknown>>): CsvLocation {
  return location as unknown as CsvLocation;
}
