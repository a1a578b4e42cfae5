import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import {
  commandFingerprint, DomainError, idRuleBroken, type CommandIdentity, GetCommandStatus, refuseIfReused, replySubject,
  type Actor, type CommandEnvelope, type CommandStatus, type Contract, type PayloadOf, type Reply, type ReplyOf,
} from '@slipway/contracts';
import { RequestError } from '@nats-io/nats-core';
import type { z } from 'zod';
import type { Bus } from './bus';
import { ensureStreams } from './streams';
import { acceptedRecord, recordAccepted } from './accepted-commands';
import { claimRun } from './refusal-claims';
import { fetchRemainingParts } from './answer-parts';
import { overBusLimit } from './bus-limit';
import { decode, encodeToSend } from './codec';
import { isFinal } from './command-status';
import type { OutgoingMessage } from './atomic-batch';
import { GroupPublisher, PublishNotSent, PublishUnconfirmed } from './group-publisher';
import { HedgedRequests } from './hedged-request';
import { publishWait, waitLeft } from './publish-waits';
import { answerTo } from './reply';
import { ReplyRouter, type Answer, type Waiting } from './reply-router';

export interface SendOptions {
  actor: Actor;
  commandId?: string;
  /**
   * The id came from a client (Idempotency-Key): a resend under it with another payload is
   * refused (CommandIdReused) rather than answered the first command's outcome.
   */
  checkPayload?: boolean;
  correlationId?: string;
  /** The command this one follows from (a write, for its push): recorded in its events' metadata. */
  causationId?: string;
  /** How long to wait for the owning service's answer before reporting "accepted". */
  waitMs?: number;
  /**
   * When the sender began to wait (epoch ms), if before this send: an HTTP request's token
   * check. The wait counts from then, so a request is answered within one bound, not one for
   * the check and another for its command.
   */
  waitingSince?: number;
  /**
   * When the command counts as issued, if not now: one sent on behalf of another (a write's
   * push) as of that one's time, so that commands issued in between come after it.
   */
  issuedAt?: string;
}

export type SendResult<T> =
  | { status: 'completed'; commandId: string; reply: Reply<T> }
  | { status: 'accepted'; commandId: string };

/**
 * A command the NATS server cannot take (over its max_payload) would be refused on every
 * retry: it is the request that is too big for this installation, so say so as bad input,
 * with the limit, rather than as "unavailable, retry shortly".
 */
function refuseOverBusLimit(bus: Bus, data: Uint8Array): void {
  const over = overBusLimit(bus, data.length);
  if (over) throw new DomainError('invalid', `the request makes a command of ${over}: send less, or raise max_payload`);
}

/**
 * How long a keyed send waits for the status read before publishing: the read only guards
 * against another command's record, and a slow status service must not slow every write
 * (the service refuses another command under a recorded id all the same).
 */
const PRE_CHECK_MS = 1_000;

/** The least a read of the ACCEPTED record waits after a status query that took all its time. */
const ACCEPTED_READ_LEAST_MS = 250;

/** How many refusals, each newer than the last, a resend settles and copies after before it waits (resendAfterRefusal). */
const MAX_RESEND_ROUNDS = 3;

const NOT_WAITING: Waiting = { reply: Promise.resolve(undefined), peek: () => Promise.resolve(undefined), publishing: () => undefined, cancel: () => undefined };

/**
 * Publishes commands to JetStream and waits (bounded) for the owning service's reply on
 * `res.<commandId>`. The reply is only sent after the service committed, so "completed"
 * means durable; "accepted" means JetStream holds the command and it will be handled.
 */
export class CommandBus {
  private readonly log = new Logger('CommandBus');
  private readonly replies: ReplyRouter;
  private readonly publisher: GroupPublisher;
  private readonly hedged: HedgedRequests;

  constructor(private readonly bus: Bus, private readonly defaultWaitMs = 5_000, private readonly preCheckMs = PRE_CHECK_MS) {
    this.replies = new ReplyRouter(bus);
    this.publisher = new GroupPublisher(bus);
    this.hedged = new HedgedRequests(bus.nc);
  }

  /** How long a send waits for the reply unless told otherwise (SLIPWAY_COMMAND_WAIT_MS in the gateway). */
  get waitMs(): number {
    return this.defaultWaitMs;
  }

  async send<C extends Contract<z.ZodType>>(contract: C, payload: PayloadOf<C>, options: SendOptions): Promise<SendResult<ReplyOf<C>>> {
    const commandId = options.commandId ?? randomUUID();
    // What a service would take for no command (dead-lettered, never answered): refused here,
    // before it is published or recorded as accepted under an id that may hold a secret.
    const broken = idRuleBroken(commandId);
    if (broken) throw new DomainError('invalid', `commandId ${broken}`, 'commandId');
    const fingerprint = options.checkPayload ? commandFingerprint(commandId, payload) : undefined;
    if (fingerprint) {
      // A client's id recorded for another command (its outcome, or its 202) refuses this one
      // before it is published: answered 202, this one's status would read the other's. One
      // recorded with its outcome is answered that outcome.
      const { status: known } = await this.statusOf(commandId, { subject: contract.subject, fingerprint }, this.preCheckMs);
      if (known && isFinal(known)) return { status: 'completed', commandId, reply: known.outcome as Reply<ReplyOf<C>> };
    }
    const now = Date.now();
    const waitMs = waitLeft(options.waitMs ?? this.defaultWaitMs, options.waitingSince ?? now, now);
    const envelope: CommandEnvelope = {
      commandId, correlationId: options.correlationId ?? commandId, ...(options.causationId ? { causationId: options.causationId } : {}), actor: options.actor,
      issuedAt: options.issuedAt ?? new Date(now).toISOString(), repliesUntil: new Date(now + waitMs).toISOString(),
      ...(fingerprint ? { fingerprint } : {}), payload,
    };
    const data = encodeToSend(envelope, 'command');
    refuseOverBusLimit(this.bus, data);
    // Wait before publishing so a fast reply cannot be missed. A sender that does not wait
    // listens for nothing: the router's `res.>` subscription would bring every answer on the
    // bus to this process.
    const waiter = waitMs > 0 ? this.replies.expect(commandId, waitMs) : NOT_WAITING;
    try {
      const subject = this.bus.subject(contract.subject);
      // A sender that waits wants to know within its wait whether JetStream took the command.
      const answerBy = waitMs > 0 ? now + waitMs : undefined;
      const published = await this.publish({ subject, data, msgId: commandId, answerBy }).then((ack) => ({ ack }), async (error: unknown) => {
        // JetStream's answer lost, the service's may be here already: it is the outcome, and a
        // sender told "may still be carried out" could send it again under another id.
        const answered = await waiter.peek();
        if (answered) return { answered };
        throw error;
      });
      if ('answered' in published) return { status: 'completed', commandId, reply: answerTo(envelope, published.answered) as Reply<ReplyOf<C>> };
      const { ack } = published;
      // Whether the copy JetStream holds is this sender's (not an earlier send's under the id).
      let kept = !ack.duplicate;
      // A duplicate after a publish not answered in time may be this send's own copy, or an
      // earlier send's, let go after a "retry shortly": its status tells.
      if (ack.duplicate || ack.unconfirmed) {
        // A resend of a command already taken: its outcome may be recorded by now.
        // Within the sender's wait, as the reply is: a service slow to answer must not hold
        // the client past the bound it was promised.
        const { status: known } = await this.statusOf(commandId, { subject: contract.subject, fingerprint }, Math.max(this.preCheckMs, now + waitMs - Date.now()));
        if (known && isFinal(known)) return { status: 'completed', commandId, reply: known.outcome as Reply<ReplyOf<C>> };
        // JetStream remembers the id, but the command's service refused it with "retry
        // shortly" (not an outcome) and let it go: nothing would answer this resend. It is
        // published again under an id of that refusal (resendAfterRefusal).
        const resent = known?.lastRefusal ? await this.resendAfterRefusal(known.lastRefusal, { commandId, subject, data, answerBy, waiter, identity: { subject: contract.subject, fingerprint }, until: now + waitMs }) : {};
        if ('answered' in resent) return { status: 'completed', commandId, reply: answerTo(envelope, resent.answered) as Reply<ReplyOf<C>> };
        if ('outcome' in resent) return { status: 'completed', commandId, reply: resent.outcome as Reply<ReplyOf<C>> };
        if ('copyKept' in resent) kept = resent.copyKept ?? kept;
      }
      const reply = await waiter.reply;
      if (reply) return { status: 'completed', commandId, reply: answerTo(envelope, reply) as Reply<ReplyOf<C>> };
      // The copy JetStream holds may be another command's, its 202 recorded meanwhile. Not
      // told (no status, no 202 record), this one is not answered 202: its status would then
      // read the other's outcome as its own.
      if (!kept && fingerprint && !(await this.statusOf(commandId, { subject: contract.subject, fingerprint }, this.preCheckMs)).told) {
        throw new DomainError('unavailable', `command id ${commandId} was sent before, and whether with this payload cannot be told now (its status could not be read); retry shortly`);
      }
      // JetStream holds it, so its status reads "pending" from now on, not "unknown" (a 404
      // that says the id was never answered 202): the 202 waits for this record, through an
      // outage of NATS too (recordAccepted). Only the sender of the copy held says what it is
      // (its fingerprint); another only records that the id is pending, if nothing does yet.
      const recorded = await recordAccepted(this.bus, commandId, contract.subject, kept ? { fingerprint } : { onlyIfNone: true }, publishWait(answerBy, Date.now()));
      if (!recorded) this.log.warn(`the 202 of ${contract.subject} ${commandId} could not be recorded in ACCEPTED: its status reads unknown until its outcome`);
      return { status: 'accepted', commandId };
    } finally {
      waiter.cancel();
    }
  }

  /**
   * A resend JetStream took as a duplicate, of a command whose last refusal ("retry shortly")
   * its status holds: published again under an id of that refusal, so that resends after the
   * same refusal are one copy (a still-running copy is waited for, never doubled). The refused
   * message may still run (its ask not answered yet, or not even made): it is settled first
   * (claimRun), so that a copy is published only once that message never runs, and no client is
   * told a copy's "retry shortly" while it runs (a status from a service of the version before
   * names no record: the copy is published as it did). A copy another resend published already
   * may since have been refused in turn and let go, nothing left to answer this one: the status
   * is read again, and a newer refusal settled the same way, a few times at most. Resolves to
   * the answer that came meanwhile, the outcome, or whether JetStream holds this send's copy.
   */
  private async resendAfterRefusal(
    lastRefusal: NonNullable<CommandStatus['lastRefusal']>,
    resend: { commandId: string; subject: string; data: Uint8Array; answerBy?: number; waiter: Waiting; identity: CommandIdentity; until: number },
  ): Promise<{ answered: Answer } | { outcome: unknown } | { copyKept?: boolean }> {
    const { commandId, subject, data, answerBy, waiter, identity, until } = resend;
    const left = () => Math.max(this.preCheckMs, until - Date.now());
    let refused: CommandStatus['lastRefusal'] = lastRefusal;
    let copyKept: boolean | undefined;
    for (let round = 1; refused; round++) {
      const settled = refused.record ? await claimRun(this.bus, refused.record, left()) : 'answered';
      if (settled === 'unknown') {
        throw new DomainError('unavailable', `the command was refused "retry shortly" and may still be carried out (whether it runs could not be settled now); read its status (/api/v1/commands/${commandId}) before sending it again under another id`);
      }
      if (settled === 'runs') return { copyKept };
      // Answered, the refusal is most likely this send's own answer, here already (or being
      // recorded: peek waits): it is the answer (its client told "retry shortly", a copy
      // published now would run unknown to it).
      const answered = await waiter.peek();
      if (answered) return { answered };
      const msgId = `${commandId}.after-refusal.${refused.refusedAt}`;
      // Answered by this copy from now on, not by the refused one's ask, should it come late.
      waiter.publishing(msgId);
      const copy = await this.publish({ subject, data, msgId, answerBy }).catch(() => {
        // Not "retry shortly": JetStream may hold the copy (its answer lost), and run it; so
        // may the first message, where a service of the version before named no record.
        throw new DomainError('unavailable', `the command was refused "retry shortly" and may still be carried out (sending it again failed); read its status (/api/v1/commands/${commandId}) before sending it again under another id`);
      });
      copyKept = !copy.duplicate;
      if (copyKept || round === MAX_RESEND_ROUNDS) break;
      const { status: again } = await this.statusOf(commandId, identity, left());
      if (again && isFinal(again)) return { outcome: again.outcome };
      refused = again?.lastRefusal && again.lastRefusal.refusedAt !== refused.refusedAt ? again.lastRefusal : undefined;
    }
    return { copyKept };
  }

  /**
   * The command's status, if its service answers in time; one recorded for another command
   * under the same id (an outcome or a 202 with another fingerprint) refuses this one.
   * Unanswered, the record of a 202 this bus keeps itself (ACCEPTED) is looked at instead, so
   * that a slow or stopped status service does not let another payload through under an id
   * answered 202. `told`: whether either said what the id is.
   */
  private async statusOf(commandId: string, sent: CommandIdentity, timeoutMs = 5_000): Promise<{ status?: CommandStatus; told: boolean }> {
    const deadline = Date.now() + timeoutMs;
    const known = await this.query(GetCommandStatus, { commandId }, timeoutMs).catch(() => undefined);
    if (known?.ok) {
      refuseIfReused(known.value, { commandId, ...sent });
      return { status: known.value, told: true };
    }
    // Within what the query left of the time (a little at least): the stream's default wait
    // (5 s) after a query that timed out held a keyed send 6 s before it was even published.
    const accepted = await acceptedRecord(this.bus, commandId, Math.max(ACCEPTED_READ_LEAST_MS, deadline - Date.now())).catch(() => undefined);
    refuseIfReused(accepted, { commandId, ...sent });
    return { told: accepted !== undefined };
  }

  private publish(message: OutgoingMessage) {
    return this.publisher.publish(message).catch(async (error: unknown) => {
      // No stream takes the subject (JetStream's "no responders"): another version may have
      // written COMMANDS's subjects from an older read, dropping this one's. Ensured again, once.
      if (!isNoStreamFor(error)) throw error;
      await ensureStreams(this.bus);
      return this.publisher.publish(message);
    }).catch((error: unknown) => {
      // Not answered, even when published again: JetStream may hold it, and may run it.
      if (error instanceof PublishUnconfirmed) {
        throw new DomainError('unavailable', `the command bus did not answer in time whether it took the command ${message.msgId}: it may still be carried out; read its status (/api/v1/commands/${message.msgId}) before sending it again under another id`);
      }
      if (error instanceof PublishNotSent) {
        throw new DomainError('unavailable', 'the command bus is slow to take commands: this one was not sent; retry shortly');
      }
      if (isNoStreamFor(error)) {
        throw new DomainError('unavailable', `the command bus takes no command on ${this.bus.unprefix(message.subject)}: its COMMANDS stream does not list the subject (is JetStream on, and the stream's subjects as a Slipway of this version makes them?); retry shortly`);
      }
      // Refused: nothing was accepted, so nothing happened; the client may retry safely. The
      // client's reason is ours; the NATS client's own words are for the log.
      this.log.warn(`publishing ${message.msgId} on ${this.bus.unprefix(message.subject)} was refused: ${error instanceof Error ? error.message : String(error)}`);
      throw new DomainError('unavailable', 'the command bus did not accept the command; retry shortly');
    });
  }

  /** Request/reply to the owning service's read models. */
  async query<C extends Contract<z.ZodType>>(contract: C, payload: PayloadOf<C>, timeoutMs = 5_000, actor?: Actor): Promise<Reply<ReplyOf<C>>> {
    try {
      const subject = this.bus.subject(contract.subject);
      const data = encodeToSend({ payload, actor }, 'query');
      const msg = contract.hedged ? await this.hedged.request(subject, data, timeoutMs) : await this.bus.nc.request(subject, data, { timeout: timeoutMs });
      return decode<Reply<ReplyOf<C>>>(await fetchRemainingParts(this.bus, msg, timeoutMs));
    } catch (error) {
      if (error instanceof DomainError) throw error;
      // No instance listening is not a slow one: said so, as NATS tells it at once.
      const message = error instanceof RequestError && error.isNoResponders()
        ? `no ${contract.subject.split('.')[1]} service is running to answer ${contract.subject}; retry shortly`
        : `the service answering ${contract.subject} did not respond in time; retry shortly`;
      return { ok: false, error: { code: 'unavailable', message } };
    }
  }
}

/**
 * JetStream's answer to a publish no stream takes (no responders), which its client names
 * JetStreamNotEnabled (a class it does not export).
 */
function isNoStreamFor(error: unknown): boolean {
  return error instanceof Error && error.name === 'JetStreamNotEnabled';
}
