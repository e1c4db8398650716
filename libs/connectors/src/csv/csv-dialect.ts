import { parseTypeName, SourceError, type SqlType } from '@tributary/common';
import { checkOptionNames } from '../check-option-names.ts';

/** What to do with a row of the wrong width or with a value its column's type cannot hold. */
export type CsvBadRowPolicy = 'error' | 'skip' | 'null';
/** What to do with bytes that are not UTF-8: fail naming the byte offset, or read U+FFFD. */
export type CsvInvalidUtf8Policy = 'error' | 'replace';
export type CsvCompression = 'none' | 'gzip';

/**
 * How a CSV table is written and read, as given in a source's options (merged with the
 * table's own `tables.<name>` options). undefined means "sniff it from the data".
 */
export interface CsvDialect {
  /** undefined to sniff it from the data (',', ';', tab or '|'), like DuckDB's read_csv. */
  readonly delimiter: string | undefined;
  /** undefined to sniff ('"' or "'"). */
  readonly quote: string | undefined;
  /** Inside quotes, this byte makes the next quote literal; undefined to sniff ('"' doubling or '\'). */
  readonly escape: string | undefined;
  /** Unquoted fields equal to one of these are NULL ([''] by default; in typed columns an empty field always is). */
  readonly nullStrings: readonly string[];
  /** true/false, or undefined to detect from the data. */
  readonly header: boolean | undefined;
  /** false forces one split a file; undefined lets the connector cut large files. */
  readonly splittable: boolean | undefined;
  readonly badRows: CsvBadRowPolicy;
  readonly invalidUtf8: CsvInvalidUtf8Policy;
  /** undefined to decide by the file name (`.gz`). */
  readonly compression: CsvCompression | undefined;
  /** strftime-style formats (`%d/%m/%Y`) for DATE and TIMESTAMP columns, as DuckDB's dateformat. */
  readonly dateFormat: string | undefined;
  readonly timestampFormat: string | undefined;
  /** Column types pinned by name (case-insensitive), overriding the sniffer. */
  readonly types: Readonly<Record<string, SqlType>>;
}

/** Option names a CSV source or table accepts (aliases of DuckDB's read_csv included). */
export const CSV_OPTION_NAMES = [
  'delimiter',
  'delim',
  'sep',
  'quote',
  'escape',
  'header',
  'nullString',
  'nullStrings',
  'nullstr',
  'null',
  'splittable',
  'badRows',
  'invalidUtf8',
  'compression',
  'dateFormat',
  'timestampFormat',
  'columns',
  'types',
] as const;
/** Only a source's options may hold per-table options. */
export const CSV_SOURCE_OPTION_NAMES = [...CSV_OPTION_NAMES, 'tables'] as const;

function invalid(message: string): SourceError {
  return new SourceError('SOURCE_OPTION_INVALID', message);
}

function singleByte(value: unknown, key: string, allowNone: boolean): string | undefined {
  if (value === undefined || value === null || value === 'auto') return undefined;
  if (allowNone && value === '') return '';
  const text = value === '\\t' ? '\t' : String(value);
  if (text.length !== 1 || text.charCodeAt(0) > 127 || text === '\n' || text === '\r') {
    throw invalid(`CSV option "${key}" must be one ASCII character, got ${JSON.stringify(value)}`);
  }
  return text;
}

function oneOf<T extends string>(value: unknown, key: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !allowed.includes(value as T))
    throw invalid(`CSV option "${key}" must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return value as T;
}

function nullStringsOf(options: Readonly<Record<string, unknown>>): string[] {
  const given = options.nullStrings ?? options.nullString ?? options.nullstr ?? options.null;
  if (given === undefined || given === null) return [''];
  const list = Array.isArray(given) ? given : [given];
  if (!list.every((s): s is string => typeof s === 'string'))
    throw invalid('CSV option "nullStrings" must be a string or a list of strings');
  return [...new Set(list)];
}

function pinnedTypes(options: Readonly<Record<string, unknown>>): Record<string, SqlType> {
  const given = options.columns ?? options.types;
  if (given === undefined || given === null) return {};
  if (typeof given !== 'object' || Array.isArray(given))
    throw invalid('CSV option "columns" must map column names to type names, e.g. { "l_shipdate": "DATE" }');
  const types: Record<string, SqlType> = {};
  for (const [name, text] of Object.entries(given as Record<string, unknown>)) {
    const type = typeof text === 'string' ? parseTypeName(text) : undefined;
    if (type === undefined || !PINNABLE.has(type.kind))
      throw invalid(
        `CSV option "columns": ${JSON.stringify(text)} for column "${name}" is not a type a CSV column can have (${[...PINNABLE].join(', ')})`,
      );
    types[name.toLowerCase()] = type;
  }
  return types;
}

const PINNABLE = new Set([
  'BOOLEAN',
  'INTEGER',
  'BIGINT',
  'DOUBLE',
  'DECIMAL',
  'DATE',
  'TIMESTAMP',
  'TIME',
  'VARCHAR',
]);

function formatOf(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null || value === 'auto') return undefined;
  if (typeof value !== 'string' || !value.includes('%'))
    throw invalid(`CSV option "${key}" must be a format such as "%d/%m/%Y", got ${JSON.stringify(value)}`);
  return value;
}

/** The options of one table: the source's, overridden by its `tables.<name>` entry. */
export function tableOptions(
  options: Readonly<Record<string, unknown>>,
  table: string,
): Readonly<Record<string, unknown>> {
  const { tables, ...base } = options;
  if (tables === undefined || tables === null) return base;
  if (typeof tables !== 'object' || Array.isArray(tables))
    throw invalid('CSV option "tables" must map table names to their options');
  const own = (tables as Record<string, unknown>)[table];
  if (own === undefined) return base;
  if (typeof own !== 'object' || own === null || Array.isArray(own))
    throw invalid(`CSV option "tables.${table}" must be an object of options`);
  checkOptionNames(own as Record<string, unknown>, CSV_OPTION_NAMES, `CSV option of table "${table}"`);
  return { ...base, ...(own as Record<string, unknown>) };
}

/** Checks a source's option names, and the table names of its `tables` entry against `tableNames`. */
export function checkCsvSourceOptions(
  options: Readonly<Record<string, unknown>>,
  tableNames: readonly string[],
): void {
  checkOptionNames(options, CSV_SOURCE_OPTION_NAMES, 'CSV option');
  const tables = options.tables;
  if (tables && typeof tables === 'object' && !Array.isArray(tables))
    checkOptionNames(tables as Record<string, unknown>, tableNames, 'table in CSV option "tables"');
}

/** Reads the CSV options of a table (already merged by tableOptions). */
export function csvDialect(options: Readonly<Record<string, unknown>>): CsvDialect {
  checkOptionNames(options, CSV_SOURCE_OPTION_NAMES, 'CSV option');
  const header = options.header;
  if (header !== undefined && header !== null && header !== 'auto' && typeof header !== 'boolean') {
    throw invalid('CSV option "header" must be true, false or "auto"');
  }
  const splittable = options.splittable;
  if (splittable !== undefined && splittable !== null && typeof splittable !== 'boolean') {
    throw invalid('CSV option "splittable" must be true or false');
  }
  const compression = options.compression === 'auto' ? undefined : options.compression;
  return {
    delimiter: singleByte(options.delimiter ?? options.delim ?? options.sep, 'delimiter', false),
    quote: singleByte(options.quote, 'quote', false),
    escape: singleByte(options.escape, 'escape', false),
    nullStrings: nullStringsOf(options),
    header: typeof header === 'boolean' ? header : undefined,
    splittable: typeof splittable === 'boolean' ? splittable : undefined,
    badRows: oneOf(options.badRows, 'badRows', ['error', 'skip', 'null'] as const) ?? 'error',
    invalidUtf8: oneOf(options.invalidUtf8, 'invalidUtf8', ['error', 'replace'] as const) ?? 'error',
    compression: oneOf(compression, 'compression', ['none', 'gzip'] as const),
    dateFormat: formatOf(options.dateFormat, 'dateFormat'),
    timestampFormat: formatOf(options.timestampFormat, 'timestampFormat'),
    types: pinnedTypes(options),
  };
}
