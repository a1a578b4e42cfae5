import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos, type Msg, type Subscription } from '@nats-io/nats-core';
import { DomainError, fingerprintIn, isCommandId, type CommandEnvelope, type Reply } from '@slipway/contracts';
import { lastValueFrom } from 'rxjs';
import { Bus } from './bus';
import { removeMessage } from './remove-message';
import { markAccepted } from './accepted-commands';
import { erasedIfDeadLettered, erasedOnceHandled, JetStreamContext, type JetStreamServerOptions } from './jetstream-options';
import { AnswerParts } from './answer-parts';
import { CommandAnswers } from './command-answers';
import { decode, encode } from './codec';
import { keepConsuming, type DurableConsumer } from './durable-consumer';
import { ClockRefusal, decodedQuery, envelopeRefusal } from './parse';
import { wholeEvent } from './relay';
import { errorReply, toReply } from './reply';
import { settleMessage } from './settle-message';
import { shownError } from './shown-error';
import { ACK_WAIT_MS, handleRefusal, PoisonMessage, RetryLater, senderWaits } from './settlement';
import { answerOf, recordDeadLettering, unhandledRefusal } from './command-refusals';
import { DependencyDown, isTransient } from './transient';
import { recordRefusalAnswered, refusalAnswered } from './answered-refusals';

/**
 * Nest transport over JetStream: commands from a durable pull consumer on COMMANDS
 * (acked only after the handler's transaction has committed), queries over core NATS
 * request/reply in a queue group, events from a durable consumer on EVENTS. Settlement
 * decisions live in settlement.ts.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  private bus?: Bus;
  private parts?: AnswerParts;
  private answers?: CommandAnswers;
  private readonly subscriptions: Subscription[] = [];
  private readonly consumers = new Set<ConsumerMessages>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Tells work retrying through an outage to hand its message back: the service is stopping. */
  private readonly stopping = new AbortController();
  /** Aborted when this instance may no longer write what its commands write (leftToAnother): it takes no more. */
  private readonly takingCommands = new AbortController();
  private readonly commandConsumers = new Set<ConsumerMessages>();
  private readonly log = new Logger('JetStreamServer');
  /** Nest normalises the pattern on every lookup; subjects are few, so remember them. */
  private readonly handlerCache = new Map<string, MessageHandler>();

  constructor(private readonly options: JetStreamServerOptions) {
    super();
  }

  async listen(callback: (...optional: unknown[]) => void): Promise<void> {
    try {
      this.bus = await Bus.connect({ ...this.options, name: this.options.name ?? this.options.service });
      this.parts = new AnswerParts(this.bus);
      this.answers = new CommandAnswers(this.bus, this.log);
      this.subscribeQueries();
      await this.consumeCommands();
      await this.consumeEvents();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    this.stopping.abort();
    for (const consumer of [...this.consumers, ...this.commandConsumers]) consumer.stop();
    for (const sub of this.subscriptions) sub.unsubscribe();
    await Promise.allSettled([...this.inFlight]);
    this.parts?.close();
    await this.bus?.close();
  }

  on(): void {
    throw new Error('JetStreamServer does not emit events');
  }

  unwrap<T>(): T {
    return this.bus as T;
  }

  private handlersFor(kind: 'cmd' | 'qry'): boolean {
    const prefix = `${kind}.${this.options.service}.`;
    return [...this.messageHandlers.keys()].some((pattern) => pattern.startsWith(prefix));
  }

  private subscribeQueries(): void {
    if (!this.handlersFor('qry')) return;
    const bus = this.bus!;
    this.subscriptions.push(bus.nc.subscribe(bus.subject(`qry.${this.options.service}.>`), {
      queue: this.options.service,
      callback: (error: Error | null, msg: Msg) => {
        if (!error) this.track(this.answerQuery(msg));
      },
    }));
  }

  private async answerQuery(msg: Msg): Promise<void> {
    const subject = this.bus!.unprefix(msg.subject);
    const handler = this.handlerFor(subject);
    const query = decodedQuery(msg.data);
    const reply = !handler ? errorReply(new DomainError('not-found', `no handler for ${subject}`))
      : query.ok ? await this.invoke(handler, () => query.value, new JetStreamContext([subject, msg]))
        : query;
    const answer = this.parts!.first(encode(reply));
    msg.respond(answer.data, answer.headers ? { headers: answer.headers } : undefined);
  }

  private async consumeCommands(): Promise<void> {
    if (!this.handlersFor('cmd')) return;
    const bus = this.bus!;
    const durable = `${this.options.service}-commands`;
    await this.consume(bus.stream('COMMANDS'), {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: bus.subject(`cmd.${this.options.service}.>`),
      ack_wait: nanos(ACK_WAIT_MS),
      // No server bound: at its bound the server stops delivering a message without telling
      // anyone (no dead letter, no outcome). Our settlement dead-letters past maxDeliveries.
      max_deliver: -1,
      max_ack_pending: this.options.inFlight ?? 1000,
    }, (m) => this.handleCommand(m), this.options.concurrency ?? 64, { until: AbortSignal.any([this.stopping.signal, this.takingCommands.signal]), running: this.commandConsumers });
  }

  /**
   * Stops taking commands, for good: this instance is of a version older than the rules its
   * projection was rebuilt with (a rolling upgrade), so every command it takes would be handed
   * back; taking them, it would win the pulls the newer instances need. Queries are still answered.
   */
  private stopTakingCommands(): void {
    if (this.takingCommands.signal.aborted) return;
    this.log.error(`${this.options.service}: a newer version rebuilt this service's projection with newer rules: this instance takes no more commands (stop it; the newer instances take them)`);
    this.takingCommands.abort();
    for (const consumer of this.commandConsumers) consumer.stop();
  }

  private async consumeEvents(): Promise<void> {
    const patterns = [...this.messageHandlers.entries()].filter(([, h]) => h.isEventHandler).map(([p]) => p);
    if (patterns.length === 0) return;
    const bus = this.bus!;
    const durable = `${this.options.service}-events`;
    await this.consume(bus.stream('EVENTS'), {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subjects: patterns.map((p) => bus.subject(p)),
      ack_wait: nanos(ACK_WAIT_MS),
      max_deliver: -1,
    }, (m) => this.handleEventMessage(m), 64);
  }

  /**
   * Runs each message's handler as it arrives, without blocking the pull. The client pulls
   * again as messages arrive, not as handlers finish, so what bounds the handlers in flight
   * (and what a killed process leaves unacked) is the consumer's max_ack_pending.
   */
  private consume(
    stream: string, config: DurableConsumer['config'], handle: (m: JsMsg) => Promise<void>, maxMessages: number,
    { until = this.stopping.signal, running = this.consumers }: { until?: AbortSignal; running?: Set<ConsumerMessages> } = {},
  ): Promise<void> {
    return keepConsuming(this.bus!, { stream, config, maxMessages, onMessage: (m) => this.track(handle(m)) }, { stopping: until, log: this.log, running });
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.log.error(shownError(error))).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async handleCommand(m: JsMsg): Promise<void> {
    const subject = this.bus!.unprefix(m.subject);
    let envelope: CommandEnvelope | undefined;
    try {
      envelope = decode<CommandEnvelope>(m.data);
    } catch {
      // Not JSON: the work below finds that out again and dead-letters it as poison.
    }
    let refusal: DomainError | undefined;
    let deadLettered: { commandId: string; reply: Reply<unknown> } | undefined;
    let attempts = 0;
    /** This delivery's "retry shortly" reached its waiting sender, who confirmed it. */
    let answered = false;
    const outcome = await this.run(m, async (delivery) => {
      const sent = decode<CommandEnvelope>(m.data);
      envelope = sent;
      // What a handler compares with an outcome recorded under the id (reusedIdRefusal).
      if (sent && typeof sent === 'object') sent.subject = subject;
      // Without an id that can name its reply and its outcome, nobody could be answered:
      // kept for an operator. (Other envelope faults are the handler's refusal to record.)
      if (!isCommandId(sent?.commandId)) throw new PoisonMessage('not a command envelope: commandId must be 1 to 200 letters, digits, "_", ":", "-" or "."-separated parts of them');
      const handler = this.handlerFor(subject);
      // A command that carries secrets leaves its stream once it is let go (ERASED_AFTER_HANDLING).
      const erases = erasedOnceHandled(handler?.extras, sent.payload);
      const erase = async () => { if (erases) await removeMessage(this.bus!, m.info.stream, m.seq, { erase: true }); };
      // Its sender has its refusal: an erasure that fails is retried in place, never by running it again.
      const letGoAnswered = () => erase().catch((error: unknown) => { throw new DependencyDown(`erasing ${subject} ${sent.commandId}, whose refusal its sender has: ${shownError(error)}`, { cause: error }); });
      // Its "retry shortly" reached its sender (confirmed) on an earlier try or delivery: the
      // client was told it did not happen, so this message never carries it out (a resend is
      // another message). Only letting it go is left.
      if (answered || await refusalAnswered(this.bus!, m)) {
        await letGoAnswered();
        return;
      }
      // Run again (delivered again, or retried in place through an outage): queued for longer
      // than its first try, it reads as pending, not unknown, also when no gateway answered 202.
      if (++attempts > 1 || m.info.deliveryCount > 1) await this.noteQueued(sent, subject);
      if (!handler) {
        // A contract this version of the service does not handle (yet): during a rolling
        // upgrade an instance of the next version may, so it is retried as a "retry shortly"
        // is, and kept for an operator once its deliveries are spent.
        refusal = unhandledRefusal(subject, this.options.service);
        throw new RetryLater(`no handler for ${subject} in this version (delivery ${delivery})`);
      }
      // An envelope whose actor, ids or times cannot be kept is refused here, for every handler.
      let refused: DomainError | undefined = envelopeRefusal(sent, Date.now(), m.time.getTime());
      // Its time as the log writes every time (UTC, milliseconds): a sender's `+02:00` or
      // microseconds would otherwise be answered and recorded as sent, and read back normalized.
      if (!refused) sent.issuedAt = new Date(sent.issuedAt).toISOString();
      let reply = refused ? errorReply(refused) : await this.invoke(handler, () => sent, new JetStreamContext([subject, m]), true, (error) => (refused = error));
      // Only a final refusal is the command's outcome: after "retry shortly" a resend must get its chance.
      if (refused) {
        const record = { commandId: sent.commandId, subject, reply, fingerprint: fingerprintIn(sent) };
        switch (handleRefusal(refused, { waits: senderWaits(sent.repliesUntil, m.info.deliveryCount) }, delivery, this.options.maxDeliveries)) {
          case 'outcome':
            reply = answerOf(sent, subject, reply, await this.options.recordRefusal?.(record));
            break;
          case 'answer':
            await this.options.recordRetryable?.(record);
            // Recording took time: a sender whose wait ran out meanwhile has been told 202 and
            // would never see this answer, so the bus retries the command instead of acking it.
            if (!senderWaits(sent.repliesUntil, m.info.deliveryCount)) throw new RetryLater(`${refused.message} (answered too late to the sender; retried)`);
            // Letting go of the command is right only once the sender has the answer: a reply
            // lost on the way (the sender reconnecting) would leave a command it answered 202
            // to nobody. Confirmed, it is erased (when it holds secrets) after the answer.
            if (!(await this.answers!.confirmed(subject, reply, sent, m))) throw new RetryLater(`${refused.message} (the sender did not confirm the answer; retried)`);
            // From here it must never run: should letting it go fail, or the process die before
            // the ack, its next delivery reads the record its sender wrote before confirming and
            // settles it as answered. Written again here for a sender of an older version.
            answered = true;
            if (!(await recordRefusalAnswered(this.bus!, m))) this.log.warn(`${subject} ${sent.commandId}: that its sender has its refusal could not be recorded; acked all the same`);
            await letGoAnswered();
            return;
          case 'retry':
            // Not recorded as the last refusal: that tells a resend the command is gone from
            // the queue (CommandBus publishes it again), and this one is still in it.
            await this.noteQueued(sent, subject);
            throw new RetryLater(`${refused.message} (delivery ${delivery}; retried)`);
          case 'give-up':
            // A command that carries secrets is filed without them and could not be redriven:
            // its refusal is its outcome then, as any refusal it gave up on.
            if (refused instanceof ClockRefusal && !erases) {
              // Never the command's outcome: kept for an operator, its last refusal recorded.
              refusal = refused;
              await this.options.recordRetryable?.(record);
              throw new PoisonMessage(`${refused.message} (tried ${delivery} times; kept in the dead-letter stream, not recorded as its outcome: redriven, it is dated when sent again)`);
            }
            reply = errorReply(new DomainError(refused.code, `${refused.message} (tried ${delivery} times; gave up)`, refused.field, true));
            reply = answerOf(sent, subject, reply, await this.options.recordRefusal?.({ ...record, reply }));
            break;
        }
      }
      // Erased before the answer, so that an answer means the secrets are gone. Should the
      // erasure fail, the command is delivered again: handled again (idempotently), erased then.
      await erase();
      // The outcome is committed: answer whoever waits, then let JetStream forget the message.
      this.answers!.send(subject, reply, sent.commandId, fingerprintIn(sent));
    }, erasedIfDeadLettered(this.handlerFor(subject)?.extras, envelope), async () => {
      // To be dead-lettered: its refusal is recorded before JetStream lets it go (settle-message.ts).
      const commandId = envelope?.commandId;
      if (!isCommandId(commandId) || refusal instanceof ClockRefusal) return;
      // Not run on a delivery past its last (its record failed in an outage): why it is let go
      // is said again where it can be (no handler in this version).
      refusal ??= this.handlerFor(subject) ? undefined : unhandledRefusal(subject, this.options.service);
      const record = this.options.recordDeadLettered ?? this.options.recordRefusal;
      deadLettered = { commandId, reply: await recordDeadLettering(record, this.log, { commandId, subject, fingerprint: fingerprintIn(envelope), refusal }) };
    });
    if (outcome === 'dead-lettered' && deadLettered) this.answers!.send(subject, deadLettered.reply, deadLettered.commandId, fingerprintIn(envelope));
  }

  /**
   * Records that a command is queued, as a gateway records the commands it answered 202 (its
   * status then reads pending), where nothing did yet: one published on NATS directly that
   * the bus retries. Best effort: without it, the status lags until the outcome.
   */
  private async noteQueued(sent: CommandEnvelope, subject: string): Promise<void> {
    const fingerprint = fingerprintIn(sent);
    // Within a second: the command waits for it.
    await markAccepted(this.bus!, sent.commandId, subject, { onlyIfNone: true, timeoutMs: 1_000, ...(fingerprint ? { fingerprint } : {}) }).catch(() => undefined);
  }

  private async handleEventMessage(m: JsMsg): Promise<void> {
    const subject = this.bus!.unprefix(m.subject);
    await this.run(m, async () => {
      const handler = this.handlerFor(subject);
      if (!handler) throw new PoisonMessage(`no handler for ${subject}`);
      const event = await wholeEvent(decode(m.data), this.options.readEvent);
      const refusal: { of?: DomainError } = {};
      await this.invoke(handler, () => event, new JetStreamContext([subject, m]), true, (error) => (refusal.of = error));
      // A refusal is not the event handled: acked, the event would be lost to this consumer. One
      // that may pass ("retry shortly", a contended stream) is delivered again, as a command's is
      // when nobody waits (dead-lettered once its deliveries are spent); a final one is poison.
      const refused = refusal.of;
      if (refused) {
        const why = `${subject} refused by its handler: ${refused.code}: ${refused.message}`;
        throw refused.final ? new PoisonMessage(why) : new RetryLater(why);
      }
    });
  }

  private handlerFor(subject: string): MessageHandler | null {
    const cached = this.handlerCache.get(subject);
    if (cached) return cached;
    const handler = this.getHandlerByPattern(subject) ?? this.matchWildcard(subject);
    // Only hits are remembered: publishers choose subjects, misses must not grow the map.
    if (handler) this.handlerCache.set(subject, handler);
    return handler;
  }

  private matchWildcard(subject: string): MessageHandler | null {
    for (const [pattern, handler] of this.messageHandlers) {
      const re = new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '[^.]+').replace(/>$/, '.+')}$`);
      if (re.test(subject)) return handler;
    }
    return null;
  }

  private run(m: JsMsg, work: (delivery: number) => Promise<void>, erase = false, recordDeadLetter?: () => Promise<void>) {
    return settleMessage(m, work, {
      bus: this.bus!, log: this.log, maxDeliveries: this.options.maxDeliveries, stopping: this.stopping.signal, erase, recordDeadLetter,
      onLeftToAnother: () => this.stopTakingCommands(),
    });
  }

  /**
   * Calls a Nest handler. A DomainError becomes a refusal reply; other errors propagate
   * (for commands, to settlement) or become an internal error reply (for queries).
   */
  private async invoke(handler: MessageHandler, data: () => unknown, ctx: JetStreamContext, rethrow = false, onRefusal?: (error: DomainError) => void) {
    try {
      return toReply(await lastValueFrom(this.transformToObservable(await handler(data(), ctx)), { defaultValue: null }));
    } catch (error) {
      if (error instanceof DomainError) {
        onRefusal?.(error);
        return errorReply(error);
      }
      if (rethrow) throw error;
      // A dependency down for now (Postgres restarting, say) is the caller's 503, to retry shortly.
      if (isTransient(error)) {
        this.log.warn(`${ctx.subject} failed, a dependency is down: ${shownError(error)}`);
        return errorReply(new DomainError('unavailable', 'a service this query needs is not available right now; retry shortly'));
      }
      this.log.error(`${ctx.subject} failed: ${shownError(error)}`);
      return errorReply(new DomainError('internal', 'the query failed; see the service log'));
    }
  }
}

