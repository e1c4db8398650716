import type { SqlType } from '@tributary/common';

/** A column type as Dremio's v3 API writes it: `{"name":"DECIMAL","precision":15,"scale":2}`. */
export interface DremioType {
  readonly name: string;
  readonly precision?: number;
  readonly scale?: number;
}

/**
 * Dremio's name for a Tributary type. Dremio has no 128-bit integer: HUGEINT (what SUM of
 * integers gives) is the DECIMAL(38,0) it is stored as; nor 8- or 16-bit ones: TINYINT and
 * SMALLINT are the INTEGER it reads them as. FLOAT is Dremio's FLOAT; the untyped NULL
 * literal is NULL, as Dremio names it.
 */
export function dremioType(type: SqlType): DremioType {
  switch (type.kind) {
    case 'DECIMAL':
      return { name: 'DECIMAL', precision: type.precision, scale: type.scale };
    case 'HUGEINT':
      return { name: 'DECIMAL', precision: 38, scale: 0 };
    case 'DOUBLE':
      return { name: type.single ? 'FLOAT' : 'DOUBLE' };
    default:
      return { name: type.kind };
  }
}

/** `{name, type}` as Dremio's job results `schema` and a dataset's `fields` list a column. */
export function dremioField(field: { readonly name: string; readonly type: SqlType }) {
  return { name: field.name, type: dremioType(field.type) };
}

/**
 * Dremio's TIMESTAMP text, `2013-02-10 20:00:00.000`: a space, milliseconds always. Tributary's
 * timestamps are microseconds: a value with a part below the millisecond keeps all six digits
 * rather than lose it.
 */
export function dremioTimestamp(iso: string): string {
  // Dremio's TIMESTAMP has no zone: a zoned value is its UTC time (`+00:00`, always UTC).
  const [date, time = '00:00:00'] = iso.replace(/\+00:00$/, '').split('T');
  return `${date} ${dremioClock(time)}`;
}

/** A time of day as Dremio writes one, `20:00:00.000`: milliseconds always, microseconds when there are some. */
function dremioClock(time: string): string {
  const [whole, fraction = ''] = time.split('.');
  const digits = fraction.padEnd(3, '0');
  return `${whole}.${digits.length > 3 ? digits.padEnd(6, '0') : digits}`;
}

/**
 * The JSON text of one value in Dremio's job results, from its JSON-ready value
 * (@tributary/engine batchToJsonRows). Dremio writes every number as a JSON number, exact
 * decimals and 64-bit integers included: their digits are written as they are (never through
 * a double), so `12345678901234567.89` arrives digit for digit. DOUBLE's NaN and infinities,
 * which JSON numbers cannot hold, stay the strings "NaN", "Infinity", "-Infinity". DATE is
 * `YYYY-MM-DD`; TIMESTAMP dremioTimestamp; BOOLEAN true/false; VARCHAR a string; NULL null.
 */
export function dremioValueJson(type: SqlType, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (type.kind) {
    case 'BIGINT':
    case 'HUGEINT':
    case 'DECIMAL':
      return String(value);
    case 'TIMESTAMP':
      return JSON.stringify(dremioTimestamp(String(value)));
    case 'TIME':
      // Dremio's TIME text has milliseconds always, as its TIMESTAMP does.
      return JSON.stringify(dremioClock(String(value)));
    default:
      return JSON.stringify(value);
  }
}

/** One result row as Dremio's `{"column": value, …}` JSON text (names in result order). */
export function dremioRowJson(
  fields: readonly { readonly name: string; readonly type: SqlType }[],
  keys: readonly string[],
  row: readonly unknown[],
): string {
  let text = '{';
  for (let i = 0; i < fields.length; i++)
    text += `${i > 0 ? ',' : ''}${keys[i]}:${dremioValueJson(fields[i].type, row[i])}`;
  return `${text}}`;
}
