/**
 * Polls `check` until it stops throwing (an `expect` inside it passes) and returns its
 * value; after `timeoutMs` the last failure is rethrown, so a test fails with the real
 * assertion message instead of a timeout. Nothing is timed: the bound only ends a wait.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000, intervalMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
