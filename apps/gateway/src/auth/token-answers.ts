import type { Principal } from '@slipway/contracts';

/** How long an answer is kept: a token revoked, changed or issued elsewhere takes effect within it. */
export const KEEP_MS = 5_000;
const MOST_PRINCIPALS = 10_000;
/** Refusals are kept fewer: a flood of distinct unknown tokens would otherwise fill memory. */
export const MOST_REFUSALS = 1_000;

export type TokenAnswer = { principal: Principal } | { refused: string };

interface Kept { answer: TokenAnswer; until: number }

/**
 * What the deployer's token store answered of each token, by the token's hash (its id; the
 * secret is never kept): whom it stands for, or that it is not valid (its message). A flood
 * of requests carrying one unknown token then costs the token store one query every KEEP_MS,
 * not one each. Refusals past MOST_REFUSALS drop the oldest.
 */
export class TokenAnswers {
  private readonly principals = new Map<string, Kept>();
  private readonly refusals = new Map<string, Kept>();

  recall(tokenHash: string): TokenAnswer | undefined {
    const kept = this.principals.get(tokenHash) ?? this.refusals.get(tokenHash);
    return kept && kept.until > Date.now() ? kept.answer : undefined;
  }

  keep(tokenHash: string, answer: TokenAnswer): void {
    const until = Date.now() + KEEP_MS;
    if ('principal' in answer) {
      if (this.principals.size >= MOST_PRINCIPALS) this.principals.clear();
      this.refusals.delete(tokenHash);
      this.principals.set(tokenHash, { answer, until });
      return;
    }
    this.principals.delete(tokenHash);
    // Deleted first, so that one kept again goes to the end: the oldest is the first.
    this.refusals.delete(tokenHash);
    if (this.refusals.size >= MOST_REFUSALS) this.refusals.delete(this.refusals.keys().next().value!);
    this.refusals.set(tokenHash, { answer, until });
  }

  forget(tokenHash: string): void {
    this.principals.delete(tokenHash);
    this.refusals.delete(tokenHash);
  }
}
