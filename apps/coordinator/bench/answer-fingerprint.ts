/**
 * One string standing for a query's answer: its columns and rows as JSON, the rows sorted
 * unless the query orders them, so two answers are equal exactly when their fingerprints are.
 */
export function answerFingerprint(
  answer: { columns?: readonly unknown[]; rows: readonly unknown[] },
  ordered: boolean,
): string {
  const rows = answer.rows.map((row) => JSON.stringify(row));
  if (!ordered) rows.sort();
  return `${JSON.stringify(answer.columns ?? [])}\n${rows.join('\n')}`;
}
