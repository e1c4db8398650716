import {
  ColumnBuilder,
  DataError,
  ExecutionError,
  compareItems,
  itemToText,
  itemsEqual,
  listAt,
  VARCHAR,
  makeRecordBatch,
  readItem,
  type ListItem,
  type SqlType,
} from '@tributary/common';
import type { RecordBatch } from 'apache-arrow';
import { listAggregate } from './list-aggregate.ts';

/** Casts a list's elements from one type to another (set by compile-expression.ts, which compiles casts). */
type ElementCaster = (items: readonly ListItem[], from: SqlType, to: SqlType) => ListItem[];

let elementCaster: ElementCaster | undefined;

/** Registers how list elements are cast: a compiled CAST over a column of the elements. */
export function setElementCaster(caster: ElementCaster): void {
  elementCaster = caster;
}

/** A column of these items of `type`, as a one-column batch for a compiled expression. */
export function itemsBatch(items: readonly ListItem[], type: SqlType): RecordBatch {
  const builder = new ColumnBuilder(type, items.length);
  for (const item of items) builder.appendItem(item);
  return makeRecordBatch([{ name: 'e', type }], [builder.finish()], items.length);
}

/** Reads every row of a column as items. */
export function columnItems(column: Parameters<typeof readItem>[0]): ListItem[] {
  const out: ListItem[] = new Array<ListItem>(column.length);
  for (let i = 0; i < column.length; i++) out[i] = readItem(column, i);
  return out;
}

/**
 * Splits the text of a list into its elements' texts: DuckDB's `[1, 2, NULL]` and Postgres'
 * `{1,2,"a b",NULL}` (double quotes and backslashes escape; a bare NULL is NULL).
 */
export function splitListText(text: string): (string | null)[] {
  const s = text.trim();
  const open = s[0];
  const close = open === '[' ? ']' : open === '{' ? '}' : '';
  if (close === '' || s[s.length - 1] !== close)
    throw new DataError('CAST_INVALID', `could not convert '${text}' to a list`);
  const body = s.slice(1, -1);
  const items: (string | null)[] = [];
  if (body.trim() === '') return items;
  let i = 0;
  while (i <= body.length) {
    while (body[i] === ' ') i++;
    if (body[i] === '"' || body[i] === "'") {
      const quote = body[i++];
      let value = '';
      while (i < body.length && body[i] !== quote) {
        if (body[i] === '\\') i++;
        value += body[i++] ?? '';
      }
      i++;
      while (body[i] === ' ') i++;
      items.push(value);
    } else {
      let depth = 0;
      let start = i;
      while (i < body.length && (depth > 0 || body[i] !== ',')) {
        if (body[i] === '[' || body[i] === '{') depth++;
        else if (body[i] === ']' || body[i] === '}') depth--;
        i++;
      }
      const raw = body.slice(start, i).trim();
      start = i;
      items.push(raw.toUpperCase() === 'NULL' ? null : raw);
    }
    if (i >= body.length) break;
    i++; // the comma
  }
  return items;
}

/** The longest series a list holds (a list lives in memory whole). */
const MAX_SERIES = 10_000_000;

export const listHelpers = {
  EMPTY_LIST: [] as readonly ListItem[],
  listAt,
  listAggregate,

  /** list_sort(l, order, nulls): the elements in order, NULLs first or last. */
  listSort(list: readonly ListItem[], descending: boolean, nullsFirst: boolean): ListItem[] {
    const values = list.filter((x) => x !== null).sort((a, b) => (descending ? -1 : 1) * compareItems(a, b));
    const nulls: ListItem[] = list.filter((x) => x === null);
    return nullsFirst ? nulls.concat(values) : values.concat(nulls);
  },
  /** list_distinct(l): each value once (first occurrences, in order), NULLs left out. */
  listDistinct(list: readonly ListItem[]): ListItem[] {
    const seen = new Set<unknown>();
    const out: ListItem[] = [];
    for (const x of list) {
      if (x === null) continue;
      // Nested lists compare by their text; numbers and bigints of one value by their digits.
      const key =
        typeof x === 'object'
          ? JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))
          : `${typeof x === 'string' ? 's' : 'n'}${String(x)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(x);
    }
    return out;
  },
  /** flatten(l): the elements of its lists, one level down; NULL lists add none. */
  listFlatten(list: readonly ListItem[]): ListItem[] {
    const out: ListItem[] = [];
    for (const inner of list) if (Array.isArray(inner)) for (const x of inner) out.push(x);
    return out;
  },
  /** Element `index` (1-based; negative counts from the end, as DuckDB's list_extract) or null. */
  listGet(list: readonly ListItem[], index: number): ListItem {
    const at = index > 0 ? index - 1 : index < 0 ? list.length + index : -1;
    return at >= 0 && at < list.length ? list[at] : null;
  },
  castList(items: readonly ListItem[], from: SqlType, to: SqlType): ListItem[] {
    if (elementCaster === undefined) throw new Error('no list element caster registered');
    return elementCaster(items, from, to);
  },
  /** Text to a list of `element`: its element texts cast from VARCHAR. */
  parseList(text: string, element: SqlType): ListItem[] {
    const parts = splitListText(text);
    if (element.kind === 'VARCHAR') return parts;
    if (elementCaster === undefined) throw new Error('no list element caster registered');
    if (element.kind === 'LIST')
      return parts.map((p) => (p === null ? null : listHelpers.parseList(p, element.element)));
    return elementCaster(parts, VARCHAR, element);
  },
  listText(list: readonly ListItem[], type: SqlType): string {
    return itemToText(list, type);
  },
  /** array_to_string: the non-NULL elements as text, joined. */
  listJoin(list: readonly ListItem[], element: SqlType, separator: string): string {
    return list
      .filter((x) => x !== null)
      .map((x) => itemToText(x, element))
      .join(separator);
  },
  /**
   * DuckDB's list_slice of a list or a string (by characters): from `begin` to `end`, 1-based
   * and both included, a negative bound counting from the end (-1 the last), clamped to it.
   */
  listSlice<T extends readonly ListItem[] | string>(value: T, begin: number, end: number): T {
    const items = typeof value === 'string' ? Array.from(value) : value;
    const n = items.length;
    const from = Math.max(1, begin < 0 ? n + begin + 1 : begin);
    const to = Math.min(n, end < 0 ? n + end + 1 : end);
    const kept = from > to ? [] : items.slice(from - 1, to);
    return (typeof value === 'string' ? (kept as string[]).join('') : kept) as T;
  },
  /** 1-based position of the first element equal to `x`, 0 when none. */
  listPosition(list: readonly ListItem[], x: ListItem): number {
    for (let i = 0; i < list.length; i++) if (list[i] !== null && itemsEqual(list[i], x)) return i + 1;
    return 0;
  },
  /** `x = ANY(list)`: 1 true, 0 false, -1 unknown (no match but a NULL element). */
  listAnyEq(list: readonly ListItem[], x: ListItem): number {
    let unknown = false;
    for (const e of list) {
      if (e === null) unknown = true;
      else if (itemsEqual(e, x)) return 1;
    }
    return unknown ? -1 : 0;
  },
  /** The BIGINTs from start to stop (included or not) by step; a zero step is an error. */
  listRange(start: number, stop: number, step: number, inclusive: boolean): bigint[] {
    if (step === 0) throw new DataError('INVALID_ARGUMENT', 'the step of a series cannot be 0');
    const count = Math.max(
      0,
      Math.floor((stop - start) / step) + (inclusive || (stop - start) % step !== 0 ? 1 : 0),
    );
    if (count > MAX_SERIES)
      throw new ExecutionError('RESOURCE_LIMIT', `a series of ${count} values is longer than ${MAX_SERIES}`, {
        status: 400,
      });
    const out = new Array<bigint>(count);
    for (let i = 0; i < count; i++) out[i] = BigInt(start + i * step);
    return out;
  },
  compareLists(a: readonly ListItem[], b: readonly ListItem[]): number {
    return compareItems(a, b);
  },
  newListBuilder(type: SqlType, count: number): ColumnBuilder {
    return new ColumnBuilder(type, count);
  },
};
