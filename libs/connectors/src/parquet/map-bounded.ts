/**
 * `fn` over `items` with at most `limit` calls in flight, results in the items' order: a
 * folder's files are opened a few at a time, not one by one nor all at once (descriptors).
 * The first failure rejects the whole; calls already started still finish.
 */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
