import type { Msg, NatsConnection } from '@nats-io/nats-core';

/** The soonest a query is sent again: a service's usual answer takes milliseconds. */
const HEDGE_FLOOR_MS = 500;
/** Sent again once it has waited this many times its subject's usual answer time. */
const HEDGE_FACTOR = 4;
/** Copies waiting at once, all subjects together: slowness everywhere (overload) is not met with more load. */
const MAX_HEDGES_IN_FLIGHT = 32;

/**
 * Request/reply to a queue group that goes around an instance that does not answer. NATS
 * hands each request to one member of the group, chosen at random, whether or not it is
 * answering: a service instance that is frozen (stopped, swapping, a paused VM) took its share
 * of every service's queries — token checks included — and each waited out its bound to a
 * 503 while another instance stood idle (a third to a half of all requests, probed with two
 * of each service). A request unanswered for several times its subject's usual time is sent
 * again, and again as long again while time is left, each copy to a member chosen anew (at
 * random: one of two frozen, each copy halves the odds that all went to it); the first
 * answer is taken. Queries only read, so a copy answered too costs its
 * service the read, nothing else. The usual time is learnt per subject, so a query that is
 * always slow (a drift report, a long list) is not sent twice for being slow.
 */
export class HedgedRequests {
  private readonly usualMs = new Map<string, number>();
  private hedgesInFlight = 0;

  constructor(private readonly nc: NatsConnection) {}

  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Msg> {
    const started = Date.now();
    return new Promise<Msg>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (then: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        then();
      };
      const send = (hedge: boolean) => {
        const sentAt = Date.now();
        if (hedge) this.hedgesInFlight++;
        this.nc.request(subject, data, { timeout: Math.max(1, timeoutMs - (sentAt - started)) }).then((msg) => {
          // The time of the copy answered: a member that did not answer is not the service's usual time.
          if (!settled) this.learn(subject, Date.now() - sentAt);
          settle(() => resolve(msg));
        }, (error: unknown) => settle(() => reject(error))).finally(() => {
          if (hedge) this.hedgesInFlight--;
        });
      };
      const hedgeAt = (afterMs: number) => {
        // A copy with less than a floor's time left could not be answered by a member that is.
        if (afterMs + HEDGE_FLOOR_MS > timeoutMs) return;
        timer = setTimeout(() => {
          if (this.hedgesInFlight < MAX_HEDGES_IN_FLIGHT) send(true);
          hedgeAt(afterMs + this.hedgeAfterMs(subject));
        }, Math.max(0, started + afterMs - Date.now()));
      };
      send(false);
      hedgeAt(this.hedgeAfterMs(subject));
    });
  }

  private hedgeAfterMs(subject: string): number {
    return Math.max(HEDGE_FLOOR_MS, HEDGE_FACTOR * (this.usualMs.get(subject) ?? 0));
  }

  /** A moving average of the subject's answer times, as its first answer arrives. */
  private learn(subject: string, ms: number): void {
    const usual = this.usualMs.get(subject);
    this.usualMs.set(subject, usual === undefined ? ms : usual * 0.9 + ms * 0.1);
  }
}
