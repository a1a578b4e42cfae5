/**
 * Whether work was done on another thread, and its outcome (its value, or what it threw): an
 * answer from another thread comes as a message, after the event loop's turn, while work done
 * at once on this one has settled before the turn's promise jobs end.
 */
export async function settledOffThread<T>(working: Promise<T>): Promise<{ elsewhere: boolean; outcome: unknown }> {
  let settled = false;
  const outcome = working.then((value) => value, (error: unknown) => error).finally(() => { settled = true; });
  for (let job = 0; job < 20; job += 1) await null;
  return { elsewhere: !settled, outcome: await outcome };
}
