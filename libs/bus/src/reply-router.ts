import type { Msg, Subscription } from '@nats-io/nats-core';
import { DomainError } from '@slipway/contracts';
import { ANSWER_RECORD_WAIT_MS, askOf, recordAnswered, recordedConfirmation } from './answered-refusals';
import type { Bus } from './bus';
import { encode } from './codec';
import { errorReply } from './reply';

/** An answer as a waiting sender reads it. */
export type Answer = Pick<Msg, 'data' | 'headers'>;

/** What a sender holds while it waits for a command's answer. */
export interface Waiting {
  /** The answer, or undefined once the wait is over without one. */
  reply: Promise<Answer | undefined>;
  /**
   * The answer if it is here: undefined at once if none has come, else once it is known
   * whether it stands (a refusal being recorded: undefined if the service ran the command).
   */
  peek(): Promise<Answer | undefined>;
  /**
   * The message this sender published last (its Nats-Msg-Id): an ask about another copy of
   * the command is not answered by it (that copy's refusal is not this send's answer).
   */
  publishing(msgId: string): void;
  /** Stops waiting. */
  cancel(): void;
}

/** One sender's wait for one command's answer, its clock stopped while an answer is being recorded. */
class Waiter implements Waiting {
  readonly reply: Promise<Answer | undefined>;
  private resolve!: (answer: Answer | undefined) => void;
  private timer?: NodeJS.Timeout;
  private done = false;
  private answer?: Answer;
  /** Set while answers are being recorded (how many): settled once it is known whether each stands. */
  private held?: { count: number; decided: Promise<void>; decide: () => void };
  /** See Waiting.publishing. */
  msgId: string;

  constructor(commandId: string, private readonly deadline: number, private readonly remove: (waiter: Waiter) => void) {
    this.msgId = commandId;
    this.reply = new Promise((resolve) => { this.resolve = resolve; });
    this.arm();
  }

  deliver(answer: Answer): void {
    this.end(answer);
  }

  /** Stops its clock while its answer is being recorded. */
  hold(): void {
    clearTimeout(this.timer);
    if (this.done) return;
    if (this.held) {
      this.held.count += 1;
      return;
    }
    let decide!: () => void;
    const decided = new Promise<void>((resolve) => { decide = resolve; });
    this.held = { count: 1, decided, decide };
  }

  /** The answer did not stand (the outcome is awaited): once none is being recorded, its clock goes on where it stood. */
  resume(): void {
    if (this.held && --this.held.count > 0) return;
    this.release();
    this.arm();
  }

  publishing(msgId: string): void {
    this.msgId = msgId;
  }

  async peek(): Promise<Answer | undefined> {
    if (this.held) await this.held.decided;
    return this.answer;
  }

  cancel(): void {
    this.end(undefined);
  }

  private arm(): void {
    if (!this.done) this.timer = setTimeout(() => this.end(undefined), Math.max(0, this.deadline - Date.now()));
  }

  private end(answer: Answer | undefined): void {
    if (this.done) return;
    this.done = true;
    this.answer = answer;
    clearTimeout(this.timer);
    this.remove(this);
    this.release();
    this.resolve(answer);
  }

  private release(): void {
    this.held?.decide();
    this.held = undefined;
  }
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
  expect(commandId: string, waitMs: number): Waiting {
    this.subscription ??= this.bus.nc.subscribe(this.bus.subject('res.>'), {
      callback: (error, msg) => {
        if (error) return;
        const id = msg.subject.slice(this.bus.subject('res.').length);
        const waiters = [...(this.waiting.get(id) ?? [])];
        if (waiters.length > 0) this.route(id, msg, waiters);
      },
    });
    const waiter = new Waiter(commandId, Date.now() + waitMs, (ended) => {
      const waiters = this.waiting.get(commandId);
      waiters?.delete(ended);
      if (waiters?.size === 0) this.waiting.delete(commandId);
    });
    const waiters = this.waiting.get(commandId) ?? new Set();
    waiters.add(waiter);
    this.waiting.set(commandId, waiters);
    return waiter;
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
      try {
        if (msg.reply) msg.respond();
      } catch {
        // The connection closing: unconfirmed, the service retries the command.
      }
      return;
    }
    // A sender that published another copy of the command since (this one's refusal read in
    // its status) waits for that copy: it neither tells nor confirms this one's refusal, which
    // then runs (under the same command id, once).
    waiters = waiters.filter((waiter) => ask.msgId === undefined || waiter.msgId === ask.msgId);
    if (waiters.length === 0) return;
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
  return encode(errorReply(new DomainError('unavailable', `the command was refused "retry shortly", but the command bus did not answer whether that refusal stands: it may still be carried out, or may not; read its status (/api/v1/commands/${commandId}) before sending it again under another id; sent again with the same Idempotency-Key, it is carried out once either way`)));
}
