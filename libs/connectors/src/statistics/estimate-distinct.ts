/**
 * The distinct values of a column of `totalRows` rows, from a sample of `sampleRows` of them in
 * which `frequencies` are the counts of each value seen (f_j = how many values were seen j
 * times). This is Haas and Stokes' Duj1 estimator, the one PostgreSQL's ANALYZE uses:
 * d = n·d_s / (n − f1 + f1·n/N). Unlike GEE (√(N/n)·f1 + Σ_{j≥2} f_j), which puts a
 * key column sampled at 20% at half its true count, Duj1 gives N when every sampled value
 * is unique and d_s when none is, and between the two leans on the share of singletons.
 * The result lies in [d_s, N].
 */
export function estimateDistinct(
  frequencies: Iterable<number>,
  sampleRows: number,
  totalRows: number,
): number {
  let seen = 0;
  let singletons = 0;
  for (const f of frequencies) {
    if (f <= 0) continue;
    seen++;
    if (f === 1) singletons++;
  }
  const n = sampleRows;
  const N = Math.max(totalRows, n);
  if (seen === 0) return 0;
  if (n >= N) return seen;
  const estimate = (n * seen) / (n - singletons + (singletons * n) / N);
  return Math.round(Math.min(N, Math.max(seen, estimate)));
}

/**
 * The distinct values of the union of parts that each hold `distinct` of `rows` values drawn
 * from one domain (row groups of a file, files of a folder), assuming values are spread
 * uniformly over a domain of D values: a part then holds D·(1 − e^(−rows/D)) of them. D is
 * solved from the part that says most, and the union's count follows for the total rows,
 * within [max of the parts, sum of the parts].
 */
export function unionDistinct(parts: readonly { distinct: number; rows: number }[]): number {
  if (parts.length === 0) return 0;
  const largest = Math.max(...parts.map((p) => p.distinct));
  const sum = parts.reduce((s, p) => s + p.distinct, 0);
  const total = parts.reduce((s, p) => s + p.rows, 0);
  if (parts.length === 1) return largest;
  let domain = 0;
  for (const p of parts) domain = Math.max(domain, uniformDomain(p.distinct, p.rows));
  if (!Number.isFinite(domain)) return sum;
  const union = domain * -Math.expm1(-total / domain);
  return Math.round(Math.min(sum, Math.max(largest, union)));
}

/** The D for which D·(1 − e^(−rows/D)) = distinct; Infinity when every row was distinct. */
function uniformDomain(distinct: number, rows: number): number {
  if (distinct <= 0) return 0;
  if (distinct >= rows) return Infinity;
  let low = distinct;
  let high = distinct;
  const filled = (d: number) => d * -Math.expm1(-rows / d);
  while (filled(high) < distinct) {
    high *= 2;
    if (high > 1e15) return Infinity;
  }
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (filled(mid) < distinct) low = mid;
    else high = mid;
  }
  return high;
}

type Bound = number | string | boolean;

/**
 * Whether parts' [min, max] ranges do not overlap (touching ends allowed: a sorted key cut
 * between two row groups repeats at the cut), so their values are disjoint and their distinct
 * counts add up. Unknown when some part has no range: false.
 */
export function rangesDisjoint(ranges: readonly { min?: unknown; max?: unknown }[]): boolean {
  if (ranges.length < 2) return false;
  const known = ranges.filter(
    (r): r is { min: Bound; max: Bound } =>
      r.min !== undefined && r.min !== null && r.max !== undefined && r.max !== null,
  );
  if (known.length !== ranges.length || known.some((r) => typeof r.min !== typeof known[0].min)) return false;
  const ordered = [...known].sort((a, b) => (a.min < b.min ? -1 : b.min < a.min ? 1 : 0));
  return ordered.every((r, i) => i === 0 || !(r.min < ordered[i - 1].max));
}
