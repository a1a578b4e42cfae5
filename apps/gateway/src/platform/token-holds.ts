import { DomainError } from '@slipway/contracts';

/**
 * How many of something costly (an open event stream, a page of the audit log being read or
 * written) each token holds on this gateway at once: each holds memory until its client has
 * read it, so one token's are bounded, as its requests are by their bodies' limit. Past the
 * bound, refused 429 (`limited`) until one is released.
 */
export class TokenHolds {
  private readonly held = new Map<string, number>();

  constructor(private readonly most: number, private readonly refusal: (held: number) => string) {}

  /** Counts one more for `token`, or refuses it; returns its release (idempotent). */
  hold(token: string): () => void {
    const held = this.held.get(token) ?? 0;
    if (held >= this.most) throw new DomainError('limited', this.refusal(held));
    this.held.set(token, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(token) ?? 1) - 1;
      if (left > 0) this.held.set(token, left);
      else this.held.delete(token);
    };
  }
}
