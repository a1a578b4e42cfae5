import type { LoggerService } from '@nestjs/common';
import type { MessageHandler } from '@nestjs/microservices';
import type { JsMsg } from '@nats-io/jetstream';
import { cutShort, DomainError, fingerprintIn, idRuleBroken, redactTextPatterns, type CommandEnvelope, type Reply } from '@slipway/contracts';
import { markAccepted } from './accepted-commands';
import { RefusalRecordOf } from './answered-refusals';
import type { Bus } from './bus';
import { decodeSent } from './codec';
import type { CommandAnswers } from './command-answers';
import { answerOf, recordDeadLettering, unhandledRefusal } from './command-refusals';
import { erasedIfDeadLettered, erasedOnceHandled, type JetStreamServerOptions } from './jetstream-options';
import { ClockRefusal, envelopeRefusal } from './parse';
import { removeMessage } from './remove-message';
import { errorReply } from './reply';
import { handleRefusal, PoisonMessage, RetryLater, senderWaits } from './settlement';
import { shownError } from './shown-error';
import { DependencyDown } from './transient';

/** An id a command's outcome and reply may be kept and sent under (attempt refuses the others as no envelope). */
const answerable = (id: unknown): id is string => idRuleBroken(id) === undefined;

/** What a command's handling needs of the server that took it. */
export interface CommandHandling {
  bus: Bus;
  answers: CommandAnswers;
  log: LoggerService;
  options: JetStreamServerOptions;
  handlerFor(subject: string): MessageHandler | null;
  /** Runs the handler on the envelope of message `m`: its reply, and its refusal when it threw a DomainError. */
  invoke(handler: MessageHandler, sent: CommandEnvelope, subject: string, m: JsMsg): Promise<{ reply: Reply; refused?: DomainError }>;
}

type RecordedRefusal = Parameters<NonNullable<JetStreamServerOptions['recordRefusal']>>[0];

/**
 * The command id a message was published under: its Nats-Msg-Id, less what a resend after a
 * refusal (`<id>.after-refusal.<time>`, command-bus.ts) or a redrive as a new command
 * (`<id>.redriven.<letter>`, telemetry's dead-letter actions) adds to it.
 */
const commandIdOfMessage = (messageId: string): string => messageId.split(/\.(?:after-refusal|redriven)\./)[0]!;

/**
 * One command message, through its tries (settle-message.ts calls `attempt` once per try,
 * in place through an outage, and for each delivery): what it learnt on one try the next
 * one and its dead-lettering use.
 */
export class CommandDelivery {
  /** As sent, read once for all its tries; undefined when it does not read as JSON. */
  private readonly envelope?: CommandEnvelope;
  /** Why it does not (decodeSent's PoisonMessage): each try is refused with it. */
  private readonly unread?: unknown;
  /** The last refusal that was not its outcome: what a dead letter records. */
  private refusal?: DomainError;
  private tries = 0;
  /** This delivery's "retry shortly" reached its waiting sender, who confirmed it. */
  private answered = false;
  private deadLettered?: Reply;
  /** Whether a refusal of this message reached a client, decided with its sender (answered-refusals.ts). */
  private readonly refusalRecord: RefusalRecordOf;

  constructor(private readonly m: JsMsg, private readonly subject: string, private readonly handling: CommandHandling) {
    this.refusalRecord = new RefusalRecordOf(handling.bus, m);
    // Once, not again on each try: reading a body of megabytes takes its time on the event
    // loop, and it was read twice for every try (here and in attempt).
    try {
      this.envelope = decodeSent<CommandEnvelope>(m.data);
    } catch (error) {
      this.unread = error;
    }
  }

  /** Whether, dead-lettered, the message is kept without its payload. */
  get erasedIfDeadLettered(): boolean {
    return erasedIfDeadLettered(this.handling.handlerFor(this.subject)?.extras, this.envelope);
  }

  async attempt(delivery: number): Promise<void> {
    const { m, subject, handling } = this;
    // Not JSON (or not as strictly as sent things are read): dead-lettered as poison.
    if (this.unread !== undefined) throw this.unread;
    const sent = this.envelope as CommandEnvelope;
    // What a handler compares with an outcome recorded under the id (reusedIdRefusal).
    if (sent && typeof sent === 'object') sent.subject = subject;
    // Without an id that can name its reply and its outcome, nobody could be answered; nor under
    // a secret: its outcome would keep it as its key, in the clear (tokens are kept as hashes),
    // and its reply carry it in a subject. Kept for an operator. (Other envelope faults are the
    // handler's refusal to record.)
    const broken = idRuleBroken(sent?.commandId);
    if (broken) throw new PoisonMessage(`not a command envelope: commandId ${broken}`);
    const handler = handling.handlerFor(subject);
    // A command that carries secrets leaves its stream once it is let go (ERASED_AFTER_HANDLING).
    const erases = erasedOnceHandled(handler?.extras, sent.payload);
    // Its "retry shortly" reached a client on an earlier try or delivery: the client was told
    // it did not happen, so this message never carries it out (a resend is another message).
    // Only letting it go is left. Else the run is claimed, so no sender tells it now.
    if (this.answered || !(await this.refusalRecord.mayRun())) return this.letGoAnswered(sent, erases);
    // Run again (delivered again, or retried in place through an outage): queued for longer
    // than its first try, it reads as pending, not unknown, also when no gateway answered 202.
    if (++this.tries > 1 || m.info.deliveryCount > 1) await noteQueued(handling.bus, sent, subject);
    if (!handler) {
      // A contract this version of the service does not handle (yet): during a rolling
      // upgrade an instance of the next version may, so it is retried as a "retry shortly"
      // is, and kept for an operator once its deliveries are spent.
      this.refusal = unhandledRefusal(subject, handling.options.service);
      throw new RetryLater(`no handler for ${subject} in this version (delivery ${delivery})`);
    }
    // An envelope whose actor, ids or times cannot be kept is refused here, for every handler.
    const refusedEnvelope = envelopeRefusal(sent, Date.now(), m.time.getTime());
    // Its time as the log writes every time (UTC, milliseconds): a sender's `+02:00` or
    // microseconds would otherwise be answered and recorded as sent, and read back normalized.
    if (!refusedEnvelope) sent.issuedAt = new Date(sent.issuedAt).toISOString();
    const { reply, refused } = refusedEnvelope ? { reply: errorReply(refusedEnvelope), refused: refusedEnvelope } : await handling.invoke(handler, sent, subject, m);
    // Only a final refusal is the command's outcome: after "retry shortly" a resend must get its chance.
    const answer = refused ? await this.settleRefusal(sent, reply, refused, delivery, erases) : reply;
    if (answer === undefined) return;
    // Erased before the answer, so that an answer means the secrets are gone. Should the
    // erasure fail, the command is delivered again: handled again (idempotently), erased then.
    await this.erase(erases);
    // The outcome is committed: answer whoever waits, then let JetStream forget the message.
    handling.answers.send(subject, answer, sent.commandId, fingerprintIn(sent));
  }

  /**
   * The id its outcome is recorded and answered under: its envelope's, or, when the envelope
   * cannot be read, its Nats-Msg-Id, which a sender sets to the command id (the COMMANDS
   * stream's dedupe key). Without it a command published unreadable read "pending" for good.
   */
  private get commandId(): unknown {
    if (this.envelope !== undefined) return this.envelope?.commandId;
    return this.unread === undefined ? undefined : commandIdOfMessage(this.m.headers?.get('Nats-Msg-Id') ?? '');
  }

  /** To be dead-lettered: its refusal is recorded before JetStream lets it go (settle-message.ts). */
  async recordDeadLetter(): Promise<void> {
    const { commandId } = this;
    if (!answerable(commandId) || this.refusal instanceof ClockRefusal) return;
    const unreadable = this.envelope === undefined && this.unread instanceof Error;
    // Unreadable, it is refused as such, saying why (which quotes none of its values; a key's
    // path may be long, and is cut as a dead letter's reason is).
    if (unreadable) this.refusal ??= new DomainError('invalid', cutShort(`the command could not be read: ${redactTextPatterns((this.unread as Error).message)}`, 1_000));
    // Not run on a delivery past its last (its record failed in an outage): why it is let go
    // is said again where it can be (no handler in this version).
    this.refusal ??= this.handling.handlerFor(this.subject) ? undefined : unhandledRefusal(this.subject, this.handling.options.service);
    // An unreadable copy of a command already carried out is no news of it: its recorded
    // success is not noted dead-lettered (which a redrive would clear; this letter has no
    // command to redrive), only an id without an outcome is recorded refused.
    const record = unreadable ? this.handling.options.recordRefusal : this.handling.options.recordDeadLettered ?? this.handling.options.recordRefusal;
    this.deadLettered = await recordDeadLettering(record, this.handling.log, { commandId, subject: this.subject, fingerprint: fingerprintIn(this.envelope), refusal: this.refusal });
  }

  /** Once dead-lettered: whoever waits is told what was recorded. */
  answerDeadLettered(): void {
    const { commandId } = this;
    if (this.deadLettered && answerable(commandId)) this.handling.answers.send(this.subject, this.deadLettered, commandId, fingerprintIn(this.envelope));
  }

  /**
   * A refusal: its outcome (the answer to send), or undefined when it was answered already (a
   * "retry shortly" its sender confirmed). Throws to have the message retried or dead-lettered.
   */
  private async settleRefusal(sent: CommandEnvelope, reply: Reply, refused: DomainError, delivery: number, erases: boolean): Promise<Reply | undefined> {
    const { m, subject, handling } = this;
    const record: RecordedRefusal = { commandId: sent.commandId, subject, reply, fingerprint: fingerprintIn(sent) };
    let settling = handleRefusal(refused, { waits: senderWaits(sent.repliesUntil, m.info.deliveryCount) }, delivery, handling.options.maxDeliveries);
    // A resend claimed the run (answered-refusals.ts): its client waits for the outcome, so a
    // refusal is retried, never told to a sender who could have the message let go.
    if (settling === 'answer' && this.refusalRecord.runClaimedByResend) settling = 'retry';
    // Dated wrongly by its sender's clock, no later delivery takes it; each retry would hold one
    // of the consumer's places meanwhile (probe: 32 such commands held every config write for a
    // minute). Given up at once: kept for an operator, and sent again, it is dated anew.
    if (settling === 'retry' && refused instanceof ClockRefusal && refused.senders) settling = 'give-up';
    switch (settling) {
      case 'outcome':
        return answerOf(sent, subject, reply, await handling.options.recordRefusal?.(record));
      case 'answer':
        return this.answerRefusal(sent, reply, refused, record, erases);
      case 'retry':
        // Not recorded as the last refusal: that tells a resend the command is gone from
        // the queue (CommandBus publishes it again), and this one is still in it.
        await noteQueued(handling.bus, sent, subject);
        throw new RetryLater(`${refused.message} (delivery ${delivery}; retried)`);
      case 'give-up': {
        if (refused instanceof ClockRefusal) {
          // Kept for an operator. One that carries secrets is filed without them and could not
          // be redriven: its refusal is its outcome then (recorded as it is filed); another's is
          // not, its last refusal recorded (redriven, it is dated when sent again).
          this.refusal = erases ? new DomainError(refused.code, `${refused.message} (tried ${delivery} times; gave up: kept in the dead-letter stream without its secrets, it cannot be sent again from there)`, refused.field, true) : refused;
          // Its status says it was given up (still pending: not an outcome), so that a client
          // following a 202 learns it waits for an operator or a resend, not for a service.
          const filed = `${refused.message} (tried ${delivery} times; gave up: kept in the dead-letter stream, not run; sent again under its id, or redriven, it is dated anew)`;
          if (!erases) await handling.options.recordRetryable?.({ ...record, reply: errorReply(new ClockRefusal(filed)) });
          throw new PoisonMessage(`${refused.message} (tried ${delivery} times; kept in the dead-letter stream${erases ? ' without its secrets, its refusal recorded as its outcome' : ', not recorded as its outcome: redriven, it is dated when sent again'})`);
        }
        const gaveUp = errorReply(new DomainError(refused.code, `${refused.message} (tried ${delivery} times; gave up)`, refused.field, true));
        return answerOf(sent, subject, gaveUp, await handling.options.recordRefusal?.({ ...record, reply: gaveUp }));
      }
    }
  }

  /**
   * A "retry shortly" for a sender that waits: told it (answered-refusals.ts), the message is let
   * go, and never runs; else it goes back to be retried, its run claimed. Resolves to undefined:
   * the answer went to the sender as the request for its confirmation.
   */
  private async answerRefusal(sent: CommandEnvelope, reply: Reply, refused: DomainError, record: RecordedRefusal, erases: boolean): Promise<undefined> {
    const { m, subject, handling } = this;
    // With where this message's record is: a resend that reads the refusal settles it there first.
    await handling.options.recordRetryable?.({ ...record, record: this.refusalRecord.where });
    // Recording took time: a sender whose wait ran out meanwhile has been told 202 and
    // would never see this answer, so the bus retries the command instead of acking it.
    if (!senderWaits(sent.repliesUntil, m.info.deliveryCount)) throw new RetryLater(`${refused.message} (answered too late to the sender; retried)`);
    // Letting go of the command is right only once the sender has the answer: a reply
    // lost on the way (the sender reconnecting) would leave a command it answered 202
    // to nobody. The sender records that it tells its client on top of this ask, unless
    // a later try of this message claimed the run first.
    const ask = await this.refusalRecord.ask().catch((error: unknown) => {
      throw new RetryLater(`${refused.message} (its sender could not be asked: ${shownError(error)}; retried)`);
    });
    // Recording the ask took time: a sender told 202 meanwhile is not asked (another
    // waiting under the id would confirm for it, and the command be let go unrun).
    const confirmed = senderWaits(sent.repliesUntil, m.info.deliveryCount) && await handling.answers.confirmed(subject, reply, sent, ask);
    // Unconfirmed, decided before the message goes back, so that its next delivery, on a
    // service of the version before too (which reads only what a won answer leaves for it),
    // finds the run claimed or the refusal answered (a sender's answer stored after the wait
    // ran out stands: the message is let go here).
    if (!confirmed && await this.refusalRecord.mayRun()) throw new RetryLater(`${refused.message} (the sender did not confirm the answer; retried)`);
    if (confirmed === 'unrecorded') {
      const said = await this.refusalRecord.recordAnswer(ask);
      // A resend claimed the run first (claimRun): its client was answered 202 or waits for the
      // outcome, and it runs (the older sender's client, told "retry shortly", gets that outcome
      // if it sends it again with the same key).
      if (said === 'runs') throw new RetryLater(`${refused.message} (a resend claimed its run before its sender's answer was recorded; retried)`);
      if (said === 'unknown') handling.log.warn(`${subject} ${sent.commandId}: that its sender (of the version before) has its refusal could not be recorded; let go all the same`);
    }
    // From here it must never run: should letting it go fail, or the process die before
    // the ack, its next delivery reads the record and settles it as answered.
    this.answered = true;
    await this.letGoAnswered(sent, erases);
    return undefined;
  }

  private async erase(erases: boolean): Promise<void> {
    if (erases) await removeMessage(this.handling.bus, this.m.info.stream, this.m.seq, { erase: true });
  }

  /** Its sender has its refusal: an erasure that fails is retried in place, never by running it again. */
  private async letGoAnswered(sent: CommandEnvelope, erases: boolean): Promise<void> {
    await this.erase(erases).catch((error: unknown) => {
      throw new DependencyDown(`erasing ${this.subject} ${sent.commandId}, whose refusal its sender has: ${shownError(error)}`, { cause: error });
    });
  }
}

/**
 * Records that a command is queued, as a gateway records the commands it answered 202 (its
 * status then reads pending), where nothing did yet: one published on NATS directly that
 * the bus retries. Best effort: without it, the status lags until the outcome.
 */
async function noteQueued(bus: Bus, sent: CommandEnvelope, subject: string): Promise<void> {
  const fingerprint = fingerprintIn(sent);
  // Within a second: the command waits for it.
  await markAccepted(bus, sent.commandId, subject, { onlyIfNone: true, timeoutMs: 1_000, ...(fingerprint ? { fingerprint } : {}) }).catch(() => undefined);
}
