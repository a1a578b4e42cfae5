/**
 * `work` for each item, at most `limit` at once, the results in the items' order. For reads
 * of many objects from the API server: one after another, a thousand took past the
 * gateway's wait; all at once, they would crowd out everyone else's requests. Once one
 * fails, no more are started, and the failure is thrown when those running have ended: a
 * caller that lets go of its turn on the failure has no work of its own still under way.
 */
export async function inParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    for (let i = next++; i < items.length && !failure; i = next++) {
      try {
        results[i] = await work(items[i]!);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}
