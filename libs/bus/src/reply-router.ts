import type { Msg, Subscription } from '@nats-io/nats-core';
import { DomainError } from '@slipway/contracts';
import { ANSWER_RECORD_WAIT_MS, askOf, recordAnswered, recordedConfirmation } from './answered-refusals';
import type { Bus } from './bus';
import { encode } from './codec';
import { errorReply } from './reply';

/** An answer as a waiting sender reads it. */
export type Answer = Pick<Msg, 'data' | 'headers'>;

interface Waiter {
  deliver(answer: Answer): void;
  /** Stops its clock while its answer is being recorded (a refusal its sender must record before it tells). */
  hold(): void;
  /** Starts its clock again where it stood (the refusal no longer stands: the outcome is awaited). */
  resume(): void;
}

/**
 * One subscription to `res.>` for all commands this process waits on, instead of a
 * subscribe/unsubscribe pair per command (each of which the NATS server must fold into
 * its interest graph). Replies nobody waits for are dropped (and not confirmed).
 */
export class ReplyRouter {
  /** Everyone waiting on each command: the same command may be sent twice at once (a retried request). */
  private readonly waiting = new Map<string, Set<Waiter>>();
  private subscription?: Subscription;

  constructor(private readonly bus: Bus) {}

  /** Starts waiting for a command's reply; call before publishing the command. */
  expect(commandId: string, waitMs: number): { reply: Promise<Answer | undefined>; cancel: () => void } {
    this.subscription ??= this.bus.nc.subscribe(this.bus.subject('res.>'), {
      callback: (error, msg) => {
        if (error) return;
        const id = msg.subject.slice(this.bus.subject('res.').length);
        const waiters = [...(this.waiting.get(id) ?? [])];
        if (waiters.length === 0) return;
        this.route(id, msg, waiters);
      },
    });
    const deadline = Date.now() + waitMs;
    let timer: NodeJS.Timeout | undefined;
    let waiter: Waiter | undefined;
    const cancel = () => {
      clearTimeout(timer);
      const waiters = this.waiting.get(commandId);
      if (waiter) waiters?.delete(waiter);
      if (waiters?.size === 0) this.waiting.delete(commandId);
    };
    const reply = new Promise<Answer | undefined>((resolve) => {
      let done = false;
      const end = (answer: Answer | undefined) => { done = true; cancel(); resolve(answer); };
      const arm = () => { if (!done) timer = setTimeout(() => end(undefined), Math.max(0, deadline - Date.now())); };
      waiter = {
        deliver: end,
        hold: () => clearTimeout(timer),
        resume: arm,
      };
      arm();
      const waiters = this.waiting.get(commandId) ?? new Set();
      waiters.add(waiter);
      this.waiting.set(commandId, waiters);
    });
    return { reply, cancel };
  }

  /**
   * A "retry shortly" answer asks to be confirmed, and the service lets go of the command
   * then; unconfirmed, because nobody here waits any more, the service retries it. One that
   * says where (a service of this version) is recorded before anyone here is told it, and
   * only told if the record stands: the service may have gone on to run the command meanwhile.
   */
  private route(commandId: string, msg: Msg, waiters: Waiter[]): void {
    const ask = msg.reply ? askOf(this.bus, msg) : undefined;
    if (!ask) {
      for (const waiter of waiters) waiter.deliver(msg);
      if (msg.reply) msg.respond();
      return;
    }
    for (const waiter of waiters) waiter.hold();
    void recordAnswered(this.bus, ask, ANSWER_RECORD_WAIT_MS).then((said) => {
      if (said === 'answered') {
        // Told first: the record stands whether or not the confirmation reaches the service.
        for (const waiter of waiters) waiter.deliver(msg);
        msg.respond(recordedConfirmation());
      } else if (said === 'runs') {
        for (const waiter of waiters) waiter.resume();
      } else {
        // Neither the refusal nor the run could be recorded, and either may be stored yet.
        for (const waiter of waiters) waiter.deliver({ data: undecided(commandId), headers: msg.headers });
      }
    }).catch(() => {
      // The confirmation not sent (a connection closing throws): the service reads the record.
      // Should anything before it have thrown, the waiters wait for the outcome again.
      for (const waiter of waiters) waiter.resume();
    });
  }
}

/** What a sender is told when whether the refusal stands could not be recorded: the command may yet run. */
function undecided(commandId: string): Uint8Array {
  return encode(errorReply(new DomainError('unavailable', `the command was refused "retry shortly", but the command bus did not answer whether that refusal stands: it may still be carried out; read its status (/api/v1/commands/${commandId}) before sending it again under another id`)));
}
