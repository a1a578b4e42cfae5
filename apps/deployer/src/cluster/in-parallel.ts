/**
 * `work` for each item, at most `limit` at once, the results in the items' order. For reads
 * of many objects from the API server: one after another, a thousand took past the
 * gateway's wait; all at once, they would crowd out everyone else's requests.
 */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await work(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
