import { canonicalNumber, type ComparableResult } from '@tributary/common/testing';

/** Exact sum of decimal texts (`12.5`, `-3`, `0.25`) as canonical decimal text. */
export function addDecimalTexts(values: readonly string[]): string {
  const parts = values.map((v) => {
    const [integer, fraction = ''] = canonicalNumber(v).split('.');
    return { integer, fraction };
  });
  const scale = Math.max(0, ...parts.map((p) => p.fraction.length));
  let total = 0n;
  for (const p of parts) {
    const negative = p.integer.startsWith('-');
    const digits = BigInt(p.integer.replace('-', '') + p.fraction.padEnd(scale, '0'));
    total += negative ? -digits : digits;
  }
  const negative = total < 0n;
  const text = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const whole =
    scale === 0 ? text : `${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`;
  return canonicalNumber(negative ? `-${whole}` : whole);
}

function isNumberText(value: unknown): boolean {
  return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
}

function less(a: unknown, b: unknown): boolean {
  if (isNumberText(a) && isNumberText(b)) return Number(a) < Number(b);
  return String(a) < String(b);
}

/**
 * The one row the whole aggregate query (n, s, lo, hi) should give, from the one row each
 * partition gave: counts and sums add up (NULL sums skipped), min of the mins, max of the maxes.
 */
export function combineAggregatePartitions(parts: readonly ComparableResult[]): ComparableResult {
  const rows = parts.map((p) => p.rows[0]);
  const present = (i: number): unknown[] =>
    rows.map((r) => r[i]).filter((v) => v !== null && v !== undefined);
  const sums = present(1);
  const floatSum = parts[0].columns[1].type === 'DOUBLE';
  const sum =
    sums.length === 0
      ? null
      : floatSum
        ? sums.reduce((t: number, v) => t + Number(v), 0)
        : addDecimalTexts(sums.map(String));
  const extreme = (i: number, pickLess: boolean): unknown => {
    const values = present(i);
    if (values.length === 0) return null;
    return values.reduce((best, v) => (less(v, best) === pickLess ? v : best));
  };
  return {
    columns: parts[0].columns,
    rows: [[addDecimalTexts(rows.map((r) => String(r[0]))), sum, extreme(2, true), extreme(3, false)]],
  };
}
