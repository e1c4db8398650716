import { compareItems, isWide, listAt, type ColumnBuffers } from '@tributary/common';
import { KeyTable } from '../hash/key-table.ts';
import { compareBytes } from './hash-aggregate-accumulators.ts';

/** How one key orders rows: ascending or not, and where NULLs go. */
export interface SortOrder {
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

type RowComparator = (a: number, b: number) => number;

const SAFE = 2 ** 53;

/** A key column as numbers when every value is exactly representable, else undefined. */
function asNumbers(column: ColumnBuffers): Float64Array | undefined {
  const n = column.length;
  switch (column.type.kind) {
    case 'INTEGER':
    case 'DATE':
    case 'DOUBLE':
      return Float64Array.from(column.values as Int32Array | Float64Array);
    case 'BOOLEAN': {
      const bits = column.values as Uint8Array;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = (bits[i >> 3] >> (i & 7)) & 1;
      return out;
    }
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
    case 'DECIMAL':
    case 'HUGEINT': {
      const stride = isWide(column.type) ? 4 : 2;
      const v = column.values as BigInt64Array | Uint32Array;
      const words = new Int32Array(v.buffer, v.byteOffset, n * stride);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const hi = words[stride * i + 1];
        if (stride === 4) {
          const ext = hi < 0 ? -1 : 0;
          if (words[4 * i + 2] !== ext || words[4 * i + 3] !== ext) return undefined;
        }
        const x = hi * 4294967296 + (words[stride * i] >>> 0);
        if (x > SAFE || x < -SAFE) return undefined;
        out[i] = x;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Compares the multi-word integers of rows a and b: top word signed, the rest unsigned. */
function wordComparator(column: ColumnBuffers, stride: number): RowComparator {
  const v = column.values as BigInt64Array | Uint32Array;
  const words = new Int32Array(v.buffer, v.byteOffset, column.length * stride);
  return (a, b) => {
    const top = stride - 1;
    const x = words[a * stride + top];
    const y = words[b * stride + top];
    if (x !== y) return x < y ? -1 : 1;
    for (let j = top - 1; j >= 0; j--) {
      const p = words[a * stride + j] >>> 0;
      const q = words[b * stride + j] >>> 0;
      if (p !== q) return p < q ? -1 : 1;
    }
    return 0;
  };
}

/** An ascending, NULL-blind comparator of one key column. */
function valueComparator(column: ColumnBuffers): RowComparator {
  if (column.type.kind === 'NULL') return () => 0;
  if (column.type.kind === 'LIST') {
    // Lists compare element by element (list-values.ts compareItems), read once a row.
    const lists = Array.from({ length: column.length }, (_, i) => listAt(column, i) ?? []);
    return (a, b) => compareItems(lists[a], lists[b]);
  }
  if (column.type.kind === 'VARCHAR') {
    const offsets = column.offsets as Int32Array;
    const bytes = column.values as Uint8Array;
    return (a, b) =>
      compareBytes(
        bytes,
        offsets[a],
        offsets[a + 1] - offsets[a],
        bytes,
        offsets[b],
        offsets[b + 1] - offsets[b],
      );
  }
  const numbers = asNumbers(column);
  if (numbers) {
    // NaN sorts above every number, as in DuckDB and Postgres.
    return (a, b) => {
      const x = numbers[a];
      const y = numbers[b];
      if (x < y) return -1;
      if (x > y) return 1;
      if (x === y) return 0;
      return x !== x ? (y !== y ? 0 : 1) : -1;
    };
  }
  return wordComparator(column, isWide(column.type) ? 4 : 2);
}

function keyComparator(column: ColumnBuffers, order: SortOrder): RowComparator {
  const compare = valueComparator(column);
  const direction = order.ascending ? 1 : -1;
  const validity = column.validity;
  if (!validity && column.type.kind !== 'NULL') return order.ascending ? compare : (a, b) => -compare(a, b);
  const nullOrder = order.nullsFirst ? -1 : 1;
  const isNull = (i: number): boolean =>
    column.type.kind === 'NULL' || ((validity![i >> 3] >> (i & 7)) & 1) === 0;
  return (a, b) => {
    const na = isNull(a);
    const nb = isNull(b);
    if (na || nb) return na && nb ? 0 : na ? nullOrder : -nullOrder;
    return direction * compare(a, b);
  };
}

/**
 * A VARCHAR key as ranks: its distinct values (NULL one of them), hashed, are sorted once by
 * the comparator, and each row is ranked by its value's place, so that the rows can be
 * radix-sorted by it (TPC-H Q16's 18,000 groups ordered by brand and type: 25 and 150
 * values). Undefined when most values are distinct: ranking them is a comparator sort too.
 */
function stringRanks(
  column: ColumnBuffers,
  order: SortOrder,
  rows: number,
): { ranks: Uint32Array; max: number } | undefined {
  const table = new KeyTable([column.type]);
  const ids = new Int32Array(rows);
  table.findOrInsert(table.encode([column], rows), ids);
  const distinct = table.size;
  if (distinct > rows / 2) return undefined;
  const compare = keyComparator(table.keyColumns(0, distinct)[0], order);
  const sorted = new Uint32Array(distinct);
  for (let i = 0; i < distinct; i++) sorted[i] = i;
  sorted.sort(compare);
  const rankOf = new Uint32Array(distinct);
  for (let r = 0; r < distinct; r++) rankOf[sorted[r]] = r + 1;
  const ranks = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) ranks[i] = rankOf[ids[i]];
  return { ranks, max: distinct + 1 };
}

/**
 * A key as integer ranks below 2^32 (NULLs ranked first or last), when it is integer-like
 * with a small enough range or a VARCHAR of few values, so that rows can be radix-sorted by it.
 */
function firstKeyRanks(
  column: ColumnBuffers,
  order: SortOrder,
  rows: number,
): { ranks: Uint32Array; max: number } | undefined {
  const kind = column.type.kind;
  if (kind === 'VARCHAR' && rows > 0) return stringRanks(column, order, rows);
  if (kind === 'VARCHAR' || kind === 'DOUBLE' || kind === 'NULL' || kind === 'LIST' || rows === 0)
    return undefined;
  const numbers = asNumbers(column);
  if (!numbers) return undefined;
  const validity = column.validity;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < rows; i++) {
    if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
    const x = numbers[i];
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (min === Infinity) min = max = 0;
  const range = max - min;
  if (range + 2 >= 4294967296) return undefined;
  const nullRank = order.nullsFirst ? 0 : range + 2;
  const ranks = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) {
    if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) ranks[i] = nullRank;
    else ranks[i] = order.ascending ? numbers[i] - min + 1 : max - numbers[i] + 1;
  }
  return { ranks, max: range + 2 };
}

/**
 * Below this many rows the comparator sorts: a radix pass costs two walks over its 65,536
 * counts whatever the rows, about 0.15 ms, so the few dozen rows of a selective query sorted
 * by two keys paid half a millisecond in counts alone.
 */
export const RADIX_SORT_MIN_ROWS = 1024;

/** A stable LSD radix sort of row indices by rank, 16 bits a pass. */
function radixSort(ranks: Uint32Array, maxRank: number, rows: number, order: Uint32Array): Uint32Array {
  let from = order;
  let to: Uint32Array = new Uint32Array(rows);
  const counts = new Uint32Array(65536);
  for (let shift = 0; shift < 32 && maxRank >>> shift > 0; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < rows; i++) counts[(ranks[from[i]] >>> shift) & 0xffff]++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < rows; i++) {
      const row = from[i];
      to[counts[(ranks[row] >>> shift) & 0xffff]++] = row;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  return from;
}

/**
 * The row order of `keys` (evaluated key columns, all of one length) as a permutation; ties
 * keep input order so results are deterministic. An integer-like first key (dates, ids) or
 * a VARCHAR one of few values is radix-sorted (when there are RADIX_SORT_MIN_ROWS rows or
 * more), by every key when all are such; otherwise only runs of equal first keys then need
 * the comparator.
 */
export function sortPermutation(
  keys: readonly ColumnBuffers[],
  orders: readonly SortOrder[],
  rows: number,
): Uint32Array {
  const comparators = keys.map((k, i) => keyComparator(k, orders[i]));
  const count = comparators.length;
  const compareFrom =
    (first: number) =>
    (a: number, b: number): number => {
      for (let k = first; k < count; k++) {
        const c = comparators[k](a, b);
        if (c !== 0) return c;
      }
      return a - b;
    };
  const identity = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) identity[i] = i;
  const ranked =
    count > 0 && rows >= RADIX_SORT_MIN_ROWS ? firstKeyRanks(keys[0], orders[0], rows) : undefined;
  if (!ranked) return identity.sort(compareFrom(0));
  const rest = keys.slice(1).map((k, i) => firstKeyRanks(k, orders[i + 1], rows));
  if (rest.every((r) => r !== undefined)) {
    // Every key is rankable: stable radix passes from the last key to the first.
    let permutation: Uint32Array = identity;
    for (let k = rest.length - 1; k >= 0; k--)
      permutation = radixSort(rest[k]!.ranks, rest[k]!.max, rows, permutation);
    return radixSort(ranked.ranks, ranked.max, rows, permutation);
  }
  const permutation = radixSort(ranked.ranks, ranked.max, rows, identity);
  if (count === 1) return permutation;
  // Within each run of equal first keys, order by the remaining keys.
  const ranks = ranked.ranks;
  const compareRest = compareFrom(1);
  let start = 0;
  while (start < rows) {
    const rank = ranks[permutation[start]];
    let end = start + 1;
    while (end < rows && ranks[permutation[end]] === rank) end++;
    if (end - start > 1) permutation.subarray(start, end).sort(compareRest);
    start = end;
  }
  return permutation;
}
