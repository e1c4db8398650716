import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  TIMESTAMP,
  VARCHAR,
  parseTimestamp,
  parseTypeName,
  type SqlType,
} from '@tributary/common';
import { parseIsoDate } from '../iso-date.ts';
import { sqliteAffinity } from './sqlite-location.ts';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

/** Whether a text value is an ISO date the DATE reader and text comparisons both accept. */
export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== undefined;
}

function fromSample(samples: readonly unknown[], allowNumbers: boolean): SqlType {
  const values = samples.filter((v) => v !== null && v !== undefined);
  if (values.length === 0) return VARCHAR;
  if (
    allowNumbers &&
    values.every((v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)))
  )
    return BIGINT;
  if (allowNumbers && values.every((v) => typeof v === 'number' || typeof v === 'bigint')) return DOUBLE;
  if (values.every((v) => typeof v === 'string')) {
    const texts = values as string[];
    if (texts.every(isIsoDate)) return DATE;
    if (texts.every((t) => ISO_TIMESTAMP.test(t) && parseTimestamp(t) !== undefined)) return TIMESTAMP;
  }
  return VARCHAR;
}

/**
 * The SQL type of a SQLite column from its declared type, and from a sample of its values
 * when the declaration is vague (no type, bare NUMERIC) or says TEXT (ISO dates in TEXT
 * columns become DATE). Other names are VARCHAR, as DuckDB's scanner types them.
 */
export function sqliteColumnType(declared: string, samples: readonly unknown[]): SqlType {
  const name = declared.trim().toUpperCase();
  const affinity = sqliteAffinity(name);
  if (affinity === 'INTEGER') return BIGINT;
  if (/^(DECIMAL|NUMERIC)\s*\(/.test(name)) {
    const parsed = parseTypeName(name);
    if (parsed) return parsed;
  }
  if (name === 'DATE') return DATE;
  if (name === 'TIMESTAMP' || name === 'DATETIME') return TIMESTAMP;
  if (name === 'BOOLEAN' || name === 'BOOL') return BOOLEAN;
  if (affinity === 'REAL') return DOUBLE;
  if (affinity === 'TEXT') return fromSample(samples, false);
  // A declared type SQLite gives NUMERIC affinity by default (none of its keywords) is text to
  // DuckDB's scanner: a made-up or damaged name ("MONEY", "I?TEGER") is no promise of numbers.
  if (name !== '' && !/NUM|DEC/.test(name)) return VARCHAR;
  return fromSample(samples, true);
}
