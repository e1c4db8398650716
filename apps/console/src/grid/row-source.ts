import type { ResultColumn } from '../results/result-pager.ts';

/** What the grid draws from: a pager over a job's spooled rows, or rows held in memory (sorted). */
export interface RowSource {
  readonly columns: readonly ResultColumn[];
  readonly totalRows: number;
  row(index: number): readonly unknown[] | undefined;
  ensure(first: number, last: number): Promise<void>;
}

/** Rows in memory, in an order of their own (the grid's sort of a small result). */
export class MemoryRows implements RowSource {
  constructor(
    readonly columns: readonly ResultColumn[],
    private readonly rows: readonly (readonly unknown[])[],
  ) {}

  get totalRows(): number {
    return this.rows.length;
  }

  row(index: number): readonly unknown[] | undefined {
    return this.rows[index];
  }

  async ensure(): Promise<void> {}
}

const NUMERIC =
  /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL)/i;

export function isNumericType(type: string): boolean {
  return NUMERIC.test(type);
}

/**
 * Compares two values of one column for a sort: NULLs last, numbers (exact decimals and big
 * integers arrive as strings) by value, the rest as text.
 */
export function compareValues(a: unknown, b: unknown, numeric: boolean): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1;
  if (b === null || b === undefined) return -1;
  if (numeric) {
    const x = Number(a);
    const y = Number(b);
    if (x !== y) return x < y ? -1 : 1;
    // Beyond a double's precision, the longer (or greater) text is the greater value.
    const sa = String(a);
    const sb = String(b);
    return sa === sb ? 0 : x < 0 ? (sa < sb ? 1 : -1) : sa.length - sb.length || (sa < sb ? -1 : 1);
  }
  const sa = typeof a === 'object' ? JSON.stringify(a) : String(a);
  const sb = typeof b === 'object' ? JSON.stringify(b) : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** A value as the grid and copied text show it. */
export function displayValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
