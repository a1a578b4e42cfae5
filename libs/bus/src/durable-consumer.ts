import type { LoggerService } from '@nestjs/common';
import type { ConsumerConfig, ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { ensureConsumer } from './ensure-consumer';
import { pauseUnlessStopping } from './settle-message';
import { transientPauseMs } from './settlement';
import { shownError } from './shown-error';

export interface DurableConsumer {
  stream: string;
  config: Partial<ConsumerConfig> & { durable_name: string };
  /** Messages pulled at a time. */
  maxMessages: number;
  /** Called for each message as it arrives; it must not block the pull. */
  onMessage: (m: JsMsg) => void;
}

/**
 * Makes (or updates) a durable consumer and hands it messages for as long as the service
 * runs; the first start's failure is the caller's. Should the messages end, or the consumer
 * be deleted (an operator's `nats consumer rm`: the client would look for it for good, and
 * the service would take nothing more while answering queries as healthy), it is made and
 * consumed again, after growing pauses. The messages being consumed are kept in `running`,
 * for the service's stop to stop them.
 */
export async function keepConsuming(
  bus: Bus, consumer: DurableConsumer, context: { stopping: AbortSignal; log: LoggerService; running: Set<ConsumerMessages> },
): Promise<void> {
  const { stream, config, maxMessages, onMessage } = consumer;
  const { stopping, log, running } = context;
  const open = async () => {
    await ensureConsumer(bus, stream, config);
    const messages = await (await bus.js.consumers.get(stream, config.durable_name)).consume({ max_messages: maxMessages });
    running.add(messages);
    void (async () => {
      for await (const status of messages.status()) if (status.type === 'consumer_deleted' || status.type === 'consumer_not_found') messages.stop();
    })().catch(() => undefined); // ends with the messages
    return messages;
  };
  let messages: ConsumerMessages | undefined = await open();
  void (async () => {
    for (let failures = 1; ; failures++) {
      const since = Date.now();
      const why = messages ? await pump(messages, onMessage).then(() => 'its messages ended', (error: unknown) => shownError(error)) : 'it could not be made';
      if (messages) running.delete(messages);
      if (stopping.aborted) return;
      // A consumer that ran for a while starts its pauses over.
      if (Date.now() - since > 60_000) failures = 1;
      const waitMs = transientPauseMs(failures);
      log.warn(`consumer ${config.durable_name} stopped (${why}); made and consumed again in ${waitMs} ms`);
      await pauseUnlessStopping(waitMs, stopping);
      if (stopping.aborted) return;
      messages = await open().catch((error: unknown) => void log.warn(`consumer ${config.durable_name} could not be made: ${shownError(error)}`));
      // Made while the service began to stop: its stop has passed it by.
      if (messages && stopping.aborted) {
        messages.stop();
        running.delete(messages);
        return;
      }
    }
  })();
}

async function pump(messages: ConsumerMessages, onMessage: (m: JsMsg) => void): Promise<void> {
  for await (const m of messages) onMessage(m);
}
