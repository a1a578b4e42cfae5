import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { AckPolicy, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import { nanos, type Msg, type Subscription } from '@nats-io/nats-core';
import { DomainError } from '@slipway/contracts';
import { lastValueFrom } from 'rxjs';
import { Bus } from './bus';
import { JetStreamContext, type JetStreamServerOptions } from './jetstream-options';
import { AnswerParts } from './answer-parts';
import { CommandAnswers } from './command-answers';
import { CommandDelivery, type CommandHandling } from './command-delivery';
import { decode, encode } from './codec';
import { keepConsuming, type DurableConsumer } from './durable-consumer';
import { decodedQuery } from './parse';
import { wholeEvent } from './relay';
import { errorReply, toReply } from './reply';
import { settleMessage } from './settle-message';
import { shownError } from './shown-error';
import { ACK_WAIT_MS, PoisonMessage, RetryLater } from './settlement';
import { isTransient } from './transient';

/**
 * Nest transport over JetStream: commands from a durable pull consumer on COMMANDS
 * (acked only after the handler's transaction has committed), queries over core NATS
 * request/reply in a queue group, events from a durable consumer on EVENTS. Settlement
 * decisions live in settlement.ts.
 */
export class JetStreamServer extends Server implements CustomTransportStrategy {
  private bus?: Bus;
  private parts?: AnswerParts;
  private commandHandling?: CommandHandling;
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
      this.commandHandling = this.commandHandlingOn(this.bus);
      this.subscribeQueries();
      await this.consumeCommands();
      await this.consumeEvents();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  /** What a command's handling (command-delivery.ts) needs of this server. */
  private commandHandlingOn(bus: Bus): CommandHandling {
    return {
      bus, answers: new CommandAnswers(bus, this.log), log: this.log, options: this.options,
      handlerFor: (subject) => this.handlerFor(subject),
      invoke: async (handler, sent, subject, m) => {
        let refused: DomainError | undefined;
        const reply = await this.invoke(handler, () => sent, new JetStreamContext([subject, m]), true, (error) => (refused = error));
        return { reply, ...(refused ? { refused } : {}) };
      },
    };
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

  /** A command: its handling is one CommandDelivery's (command-delivery.ts), through every try. */
  private async handleCommand(m: JsMsg): Promise<void> {
    const delivery = new CommandDelivery(m, this.bus!.unprefix(m.subject), this.commandHandling!);
    const outcome = await this.run(m, (n) => delivery.attempt(n), delivery.erasedIfDeadLettered, () => delivery.recordDeadLetter());
    if (outcome === 'dead-lettered') delivery.answerDeadLettered();
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

