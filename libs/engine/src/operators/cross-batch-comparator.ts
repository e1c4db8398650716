import { compareItems, listAt, type ColumnBuffers, type SqlType } from '@tributary/common';
import { compareBytes } from './hash-aggregate-accumulators.ts';
import type { SortOrder } from './sort-permutation.ts';

/** One evaluated sort key column of a batch, as the typed arrays a comparator reads. */
export interface KeyView {
  readonly validity: Uint8Array | undefined;
  readonly allNull: boolean;
  /** INTEGER, DATE Int32Array; DOUBLE Float64Array; BOOLEAN the bitmap. */
  readonly numbers: Int32Array | Float64Array | Uint8Array;
  /** BIGINT, TIMESTAMP (2 words a value) and DECIMAL (4): little-endian two's complement. */
  readonly words: Int32Array;
  readonly offsets: Int32Array;
  /** The column itself, for keys compared whole (LIST). */
  readonly column: ColumnBuffers;
}

const EMPTY_WORDS = new Int32Array(0);

/** The key columns of one batch, ready for `crossBatchComparator`. */
export function keyViews(columns: readonly ColumnBuffers[]): KeyView[] {
  return columns.map((c): KeyView => {
    const kind = c.type.kind;
    const wide =
      kind === 'BIGINT' ||
      kind === 'TIMESTAMP' ||
      kind === 'TIME' ||
      kind === 'DECIMAL' ||
      kind === 'HUGEINT';
    const values = c.values as ColumnBuffers['values'] | undefined;
    return {
      validity: kind === 'NULL' ? undefined : c.validity,
      allNull: kind === 'NULL',
      numbers: wide || kind === 'NULL' || !values ? EMPTY_WORDS : (values as Int32Array),
      words:
        wide && values
          ? new Int32Array(
              values.buffer,
              values.byteOffset,
              c.length * (kind === 'DECIMAL' || kind === 'HUGEINT' ? 4 : 2),
            )
          : EMPTY_WORDS,
      offsets: c.offsets ?? EMPTY_WORDS,
      column: c,
    };
  });
}

type ViewComparator = (a: KeyView, i: number, b: KeyView, j: number) => number;

function wordsComparator(stride: number): ViewComparator {
  const top = stride - 1;
  return (a, i, b, j) => {
    const x = a.words[i * stride + top];
    const y = b.words[j * stride + top];
    if (x !== y) return x < y ? -1 : 1;
    for (let k = top - 1; k >= 0; k--) {
      const p = a.words[i * stride + k] >>> 0;
      const q = b.words[j * stride + k] >>> 0;
      if (p !== q) return p < q ? -1 : 1;
    }
    return 0;
  };
}

/** Ascending and NULL-blind, in exactly the value order sortPermutation uses. */
function valueComparator(type: SqlType): ViewComparator {
  switch (type.kind) {
    case 'LIST':
      return (a, i, b, j) => compareItems(listAt(a.column, i) ?? [], listAt(b.column, j) ?? []);
    case 'NULL':
      return () => 0;
    case 'BOOLEAN':
      return (a, i, b, j) => ((a.numbers[i >> 3] >> (i & 7)) & 1) - ((b.numbers[j >> 3] >> (j & 7)) & 1);
    case 'INTEGER':
    case 'DATE':
      return (a, i, b, j) => {
        const x = a.numbers[i];
        const y = b.numbers[j];
        return x < y ? -1 : x > y ? 1 : 0;
      };
    case 'DOUBLE':
      // NaN sorts above every number and equals itself; -0 equals 0, as in sortPermutation.
      return (a, i, b, j) => {
        const x = a.numbers[i];
        const y = b.numbers[j];
        if (x < y) return -1;
        if (x > y) return 1;
        if (x === y) return 0;
        return x !== x ? (y !== y ? 0 : 1) : -1;
      };
    case 'BIGINT':
    case 'TIME':
    case 'TIMESTAMP':
      return wordsComparator(2);
    case 'DECIMAL':
    case 'HUGEINT':
      return wordsComparator(4);
    case 'VARCHAR':
      return (a, i, b, j) =>
        compareBytes(
          a.numbers as Uint8Array,
          a.offsets[i],
          a.offsets[i + 1] - a.offsets[i],
          b.numbers as Uint8Array,
          b.offsets[j],
          b.offsets[j + 1] - b.offsets[j],
        );
  }
}

function keyComparator(type: SqlType, order: SortOrder): ViewComparator {
  const compare = valueComparator(type);
  const direction = order.ascending ? 1 : -1;
  const nullOrder = order.nullsFirst ? -1 : 1;
  return (a, i, b, j) => {
    const na = a.allNull || (a.validity !== undefined && ((a.validity[i >> 3] >> (i & 7)) & 1) === 0);
    const nb = b.allNull || (b.validity !== undefined && ((b.validity[j >> 3] >> (j & 7)) & 1) === 0);
    if (na || nb) return na && nb ? 0 : na ? nullOrder : -nullOrder;
    return direction * compare(a, i, b, j);
  };
}

/**
 * Compares row i of one batch's key views with row j of another's, ordering exactly as
 * sortPermutation orders rows of one batch (ASC/DESC, NULLS FIRST/LAST, strings by bytes,
 * 64- and 128-bit integers exactly, NaN above every number); 0 for rows whose keys tie.
 * A merge of runs sorted by sortPermutation therefore gives the order of one big sort.
 */
export function crossBatchComparator(
  types: readonly SqlType[],
  orders: readonly SortOrder[],
): (a: readonly KeyView[], i: number, b: readonly KeyView[], j: number) => number {
  const comparators = types.map((t, k) => keyComparator(t, orders[k]));
  const count = comparators.length;
  if (count === 1) {
    const only = comparators[0];
    return (a, i, b, j) => only(a[0], i, b[0], j);
  }
  return (a, i, b, j) => {
    for (let k = 0; k < count; k++) {
      const c = comparators[k](a[k], i, b[k], j);
      if (c !== 0) return c;
    }
    return 0;
  };
}
