import type { Msg, NatsConnection } from '@nats-io/nats-core';

/** The soonest a query is sent again: a service's usual answer takes milliseconds. */
const HEDGE_FLOOR_MS = 500;
/** Sent again once it has waited this many times its subject's slowest recent answer. */
const HEDGE_FACTOR = 2;
/** How much the slowest recent answer is forgotten with each answer (a fiftieth). */
const SLOWEST_DECAY = 0.98;
/** Copies of one query besides the first: one of two instances frozen, 1 in 16 still goes unanswered. */
const MAX_COPIES = 3;
/** Queries sending copies at once, all subjects together: slowness everywhere (overload) is not met with much more load. */
const MAX_QUERIES_HEDGING = 32;

/**
 * Request/reply to a queue group that goes around an instance that does not answer. NATS
 * hands each request to one member of the group, chosen at random, whether or not it is
 * answering: a service instance that is frozen (stopped, swapping, a paused VM) took its share
 * of every service's queries — token checks included — and each waited out its bound to a
 * 503 while another instance stood idle (a third to a half of all requests, probed with two
 * of each service). A request unanswered for twice its subject's slowest recent answer is
 * sent again, and again as long after while time is left, up to MAX_COPIES, each copy to a
 * member chosen anew; the first answer is taken. Only queries marked `hedged` (reads with no
 * effect, no limit of their own on how many run at once, no meaning in which instance answers)
 * go this way, so a copy answered too costs its service the read, nothing else. Measured by the slowest answer, not the mean, a
 * query whose time varies (a list, by the namespace's size; a drift report) is not sent again
 * for being as slow as it has been.
 */
export class HedgedRequests {
  private readonly slowestMs = new Map<string, number>();
  private queriesHedging = 0;

  constructor(private readonly nc: NatsConnection) {}

  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Msg> {
    const started = Date.now();
    return new Promise<Msg>((resolve, reject) => {
      let settled = false;
      let hedging = false;
      let copies = 0;
      let timer: NodeJS.Timeout | undefined;
      const settle = (then: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (hedging) this.queriesHedging--;
        then();
      };
      const send = (copy: boolean) => {
        const sentAt = Date.now();
        this.nc.request(subject, data, { timeout: Math.max(1, timeoutMs - (sentAt - started)) }).then((msg) => {
          // The time of the copy answered: a member that did not answer is not the service's time.
          if (!settled) this.learn(subject, Date.now() - sentAt);
          settle(() => resolve(msg));
        }, (error: unknown) => {
          // A copy's failure is not the query's: no member left to take it (the one that has the
          // query draining) while the first is still answered; its wait ends with the first's.
          if (!copy) settle(() => reject(error));
        });
      };
      const copyAt = (afterMs: number) => {
        // A copy with less than a floor's time left could not be answered by a member that is.
        if (copies === MAX_COPIES || afterMs + HEDGE_FLOOR_MS > timeoutMs) return;
        timer = setTimeout(() => {
          if (!hedging && this.queriesHedging < MAX_QUERIES_HEDGING) {
            hedging = true;
            this.queriesHedging++;
          }
          if (!hedging) return;
          copies++;
          send(true);
          copyAt(afterMs + this.hedgeAfterMs(subject));
        }, Math.max(0, started + afterMs - Date.now()));
      };
      send(false);
      copyAt(this.hedgeAfterMs(subject));
    });
  }

  private hedgeAfterMs(subject: string): number {
    return Math.max(HEDGE_FLOOR_MS, HEDGE_FACTOR * (this.slowestMs.get(subject) ?? 0));
  }

  /** The subject's slowest answer of late: the slowest yet, forgotten a little with each answer. */
  private learn(subject: string, ms: number): void {
    this.slowestMs.set(subject, Math.max(ms, (this.slowestMs.get(subject) ?? 0) * SLOWEST_DECAY));
  }
}
