/** How long a publish waits for JetStream's answer when its sender sets no time (the client's own default). */
export const PUBLISH_WAIT_MS = 5_000;

/** The least a publish waits, however late its sender already is: a shorter wait tells nothing. */
export const LEAST_PUBLISH_WAIT_MS = 1_000;

/**
 * How long a publish (or a query made for a sender) waits for its answer when its sender wants to know by `answerBy`
 * (epoch ms): what is left of that, less `keepMs` for what must follow within it (the
 * publish that confirms one not answered in time), never less than a second nor more than
 * the client's default. A gateway answering within its wait bound must not spend two full
 * default waits on a server that restarts (it answered 202 after 10 s, 503 after 16 s).
 */
export function publishWait(answerBy: number | undefined, now: number, keepMs = 0): number {
  if (answerBy === undefined) return PUBLISH_WAIT_MS;
  return Math.min(PUBLISH_WAIT_MS, Math.max(LEAST_PUBLISH_WAIT_MS, answerBy - now - keepMs));
}

/**
 * How long an atomic batch's commit waits: as its most patient sender's publish would, less
 * the time each keeps to be published alone should the commit go unanswered. One sender late
 * already (a slow token check) must not cut the commit short for hundreds, each of which
 * would then be published again and asked its status; a late one waits past its bound here,
 * by at most a default wait.
 */
export function batchWait(answerBys: Array<number | undefined>, now: number): number {
  const latest = answerBys.some((at) => at === undefined) ? undefined : Math.max(...(answerBys as number[]));
  return publishWait(latest, now, 2 * LEAST_PUBLISH_WAIT_MS);
}

/**
 * What is left at `now` of a wait of `waitMs` begun at `since`: at least a millisecond, so a
 * sender whose bound is spent still listens (and is answered 202 at once) rather than reading
 * as one that waits for nothing (0).
 */
export function waitLeft(waitMs: number, since: number, now: number): number {
  return waitMs > 0 ? Math.max(1, waitMs - (now - since)) : 0;
}
