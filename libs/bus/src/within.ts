/**
 * `work`, or a rejection once `ms` have passed without it: for reads of JetStream whose client
 * waits its own (longer) timeout, where a sender has promised an answer within a bound.
 */
export async function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    // Answered (or failed) after the bound: nobody waits for it any more.
    work.catch(() => undefined);
  }
}
