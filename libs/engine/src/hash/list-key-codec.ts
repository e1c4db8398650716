import {
  ColumnBuilder,
  VARCHAR,
  readItem,
  type ColumnBuffers,
  type ListItem,
  type SqlType,
} from '@tributary/common';

/**
 * Lists as hash keys (GROUP BY a list, a join or decorrelation on one): each list is written
 * as one canonical text, equal exactly when the lists are equal as keys (NULL elements equal,
 * -0 and 0 one value, NaNs one value), and read back from it. The key table then holds them
 * as it holds VARCHAR keys.
 */
function encodeItem(item: ListItem): string {
  if (item === null) return 'n';
  if (Array.isArray(item)) return `[${item.map(encodeItem).join(',')}]`;
  switch (typeof item) {
    case 'boolean':
      return item ? 't' : 'f';
    case 'number':
      return `d${item === 0 ? 0 : item}`;
    case 'bigint':
      return `i${item}`;
    default:
      return JSON.stringify(item);
  }
}

/** Reads one encoded item starting at `at`; returns it and where it ends. */
function decodeItem(text: string, at: number): [ListItem, number] {
  const c = text[at];
  if (c === 'n') return [null, at + 1];
  if (c === 't' || c === 'f') return [c === 't', at + 1];
  if (c === '"') {
    let end = at + 1;
    while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
    return [JSON.parse(text.slice(at, end + 1)) as string, end + 1];
  }
  if (c === '[') {
    const items: ListItem[] = [];
    let i = at + 1;
    if (text[i] === ']') return [items, i + 1];
    for (;;) {
      const [item, next] = decodeItem(text, i);
      items.push(item);
      i = next + 1;
      if (text[next] === ']') return [items, i];
    }
  }
  let end = at + 1;
  while (end < text.length && text[end] !== ',' && text[end] !== ']') end++;
  const body = text.slice(at + 1, end);
  return [c === 'i' ? BigInt(body) : Number(body), end];
}

/** A LIST column as the VARCHAR column of its canonical texts (NULL rows stay NULL). */
export function encodeListKeys(column: ColumnBuffers, count: number): ColumnBuffers {
  const out = new ColumnBuilder(VARCHAR, count);
  for (let i = 0; i < count; i++) {
    const item = readItem(column, i);
    if (item === null) out.appendNull();
    else out.appendString(encodeItem(item));
  }
  return out.finish();
}

/** The LIST column of `type` that encodeListKeys wrote as `column`. */
export function decodeListKeys(column: ColumnBuffers, type: SqlType): ColumnBuffers {
  const out = new ColumnBuilder(type, column.length);
  for (let i = 0; i < column.length; i++) {
    const text = readItem(column, i) as string | null;
    out.appendItem(text === null ? null : decodeItem(text, 0)[0]);
  }
  return out.finish();
}
