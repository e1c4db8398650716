/**
 * Candidates whose name matches `want`: quoted names exactly (falling back to a unique
 * case-insensitive match), unquoted ones case-insensitively, preferring the lower-case
 * spelling the way PostgreSQL folds unquoted names.
 */
export function matchNames<T>(
  candidates: readonly T[],
  nameOf: (c: T) => string,
  want: string,
  quoted: boolean,
): T[] {
  if (quoted) {
    const exact = candidates.filter((c) => nameOf(c) === want);
    if (exact.length > 0) return exact;
  }
  const folded = candidates.filter((c) => nameOf(c).toLowerCase() === want.toLowerCase());
  const distinct = new Set(folded.map(nameOf));
  if (distinct.size <= 1) return folded;
  if (quoted) return [];
  const lower = folded.filter((c) => nameOf(c) === want.toLowerCase());
  return lower.length > 0 ? lower : folded;
}
