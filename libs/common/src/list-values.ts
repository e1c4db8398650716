import type { ColumnBuffers } from './arrow-columns.ts';
import { formatExactDecimal } from './decimal.ts';
import { formatDate, formatTime, formatTimestamp } from './temporal.ts';
import { shortestFloat } from './float-text.ts';
import { isFloat, isZoned, typeToString, type SqlType } from './sql-type.ts';
import { ExecutionError } from './tributary-error.ts';

/**
 * One value of any type as JS holds it when it is taken whole (a list's elements, a list
 * itself): BOOLEAN boolean; INTEGER, DOUBLE, DATE (days) number; BIGINT, TIMESTAMP and TIME (µs),
 * HUGEINT and DECIMAL (the unscaled integer) bigint, exact; VARCHAR string; LIST an array
 * of its elements; NULL null.
 */
export type ListItem = null | boolean | number | bigint | string | readonly ListItem[];

const decoder = new TextDecoder();

/** Row `i` of a column as a ListItem (exact; lists recursively). */
export function readItem(column: ColumnBuffers, i: number): ListItem {
  const validity = column.validity;
  if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) return null;
  const type = column.type;
  switch (type.kind) {
    case 'NULL':
      return null;
    case 'BOOLEAN':
      return (((column.values as Uint8Array)[i >> 3] >> (i & 7)) & 1) === 1;
    case 'INTEGER':
    case 'DATE':
    case 'DOUBLE':
      return (column.values as Int32Array | Float64Array)[i];
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
      return (column.values as BigInt64Array)[i];
    case 'DECIMAL':
    case 'HUGEINT': {
      const w = column.values as Uint32Array;
      const unsigned =
        (BigInt(w[4 * i + 3]) << 96n) |
        (BigInt(w[4 * i + 2]) << 64n) |
        (BigInt(w[4 * i + 1]) << 32n) |
        BigInt(w[4 * i]);
      return BigInt.asIntN(128, unsigned);
    }
    case 'VARCHAR': {
      const o = column.offsets as Int32Array;
      return decoder.decode((column.values as Uint8Array).subarray(o[i], o[i + 1]));
    }
    case 'LIST':
      return listAt(column, i);
  }
}

/** The elements of row `i` of a LIST column, or null when the row is NULL. */
export function listAt(column: ColumnBuffers, i: number): ListItem[] | null {
  const validity = column.validity;
  if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) return null;
  const o = column.offsets as Int32Array;
  const child = column.child!;
  const items: ListItem[] = new Array<ListItem>(o[i + 1] - o[i]);
  for (let j = o[i], k = 0; j < o[i + 1]; j++, k++) items[k] = readItem(child, j);
  return items;
}

/**
 * A ListItem as JSON (DuckDB's JSON form of a list): bigints of integer types as numbers while
 * exact (text beyond 2^53), DECIMAL as its decimal text, DATE and TIMESTAMP as ISO text.
 */
export function itemToJson(item: ListItem, type: SqlType): unknown {
  if (item === null) return null;
  switch (type.kind) {
    case 'LIST':
      return (item as readonly ListItem[]).map((x) => itemToJson(x, type.element));
    case 'BIGINT':
    case 'HUGEINT': {
      const n = Number(item as bigint);
      return Number.isSafeInteger(n) ? n : String(item);
    }
    case 'DECIMAL':
      return formatExactDecimal(item as bigint, type.scale);
    case 'DATE':
      return formatDate(item as number);
    case 'TIMESTAMP':
      return formatTimestamp(Number(item as bigint), 'T', isZoned(type));
    case 'TIME':
      return formatTime(Number(item as bigint));
    case 'DOUBLE':
      return isFloat(type) ? shortestFloat(item as number) : item;
    default:
      return item;
  }
}

/** Characters that make DuckDB quote an element's text in a list's VARCHAR form. */
const QUOTED_IN_LIST = /["'(),:=[\]{}]/;
const SPACE = /[ \t\n\v\f\r]/;

/**
 * An element's text as DuckDB writes it inside a list: bare, or in single quotes (with `'`
 * and `\` escaped by a backslash) when it would not read back as itself: empty, starting or
 * ending with a blank, spelling NULL, or holding one of `"'(),:=[]{}` (so timestamps, with
 * their colons, are quoted and dates are not).
 */
function listElementText(text: string): string {
  const quoted =
    text === '' ||
    SPACE.test(text[0]) ||
    (text.length >= 2 && SPACE.test(text[text.length - 1])) ||
    text.toLowerCase() === 'null' ||
    QUOTED_IN_LIST.test(text);
  return quoted ? `'${text.replace(/['\\]/g, '\\$&')}'` : text;
}

/**
 * A value as DuckDB casts it to VARCHAR: a list as `[1, 2, NULL]`, its elements' text quoted
 * where DuckDB quotes it (listElementText), DOUBLE as JS prints it.
 */
export function itemToText(item: ListItem, type: SqlType): string {
  if (item === null) return 'NULL';
  switch (type.kind) {
    case 'LIST': {
      const element = type.element;
      const text = (x: ListItem): string =>
        x === null || element.kind === 'LIST'
          ? itemToText(x, element)
          : listElementText(itemToText(x, element));
      return `[${(item as readonly ListItem[]).map(text).join(', ')}]`;
    }
    case 'DECIMAL':
      return formatExactDecimal(item as bigint, type.scale);
    case 'DATE':
      return formatDate(item as number);
    case 'TIMESTAMP':
      return formatTimestamp(Number(item as bigint), ' ', isZoned(type));
    case 'TIME':
      return formatTime(Number(item as bigint));
    case 'DOUBLE': {
      // DuckDB prints whole doubles with a fraction: 1.0; a FLOAT with its shortest digits.
      const x = isFloat(type) ? shortestFloat(item as number) : (item as number);
      return Number.isInteger(x) ? `${x}.0` : String(x);
    }
    case 'BOOLEAN':
      return item ? 'true' : 'false';
    default:
      return String(item);
  }
}

/** SQL order of two non-NULL items of one type; lists element by element, NULLs last, shorter first. */
export function compareItems(a: ListItem, b: ListItem): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a[i] as ListItem;
      const y = b[i] as ListItem;
      if (x === null || y === null) {
        if (x !== y) return x === null ? 1 : -1;
        continue;
      }
      const c = compareItems(x, y);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== a) return b !== b ? 0 : 1;
    if (b !== b) return -1;
  }
  return a! < b! ? -1 : a! > b! ? 1 : 0;
}

/** Whether two items are equal as SQL `=` says for non-NULL values (lists: NULL elements equal). */
export function itemsEqual(a: ListItem, b: ListItem): boolean {
  if (a === null || b === null) return a === b;
  return compareItems(a, b) === 0;
}

/** The typed error of a place lists do not reach yet (sorting, grouping or comparing by a list). */
export function listNotSupported(what: string, type: SqlType): ExecutionError {
  return new ExecutionError(
    'UNSUPPORTED_TYPE',
    `${what} of type ${typeToString(type)} is not supported yet`,
    {
      status: 400,
    },
  );
}
