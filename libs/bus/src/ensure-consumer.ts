import type { ConsumerConfig, ConsumerInfo } from '@nats-io/jetstream';
import type { Bus } from './bus';

/** What a later Slipway may change on a durable consumer that an earlier one created. */
const UPDATABLE = ['ack_wait', 'max_deliver', 'max_ack_pending', 'filter_subject', 'filter_subjects'] as const;

/**
 * Creates a durable consumer, or brings an existing one to this configuration. The server
 * refuses to "create" a durable that exists with other settings ("consumer already
 * exists"), so a service whose consumer settings changed between versions would otherwise
 * fail to start on its existing data.
 */
export async function ensureConsumer(bus: Bus, stream: string, config: Partial<ConsumerConfig> & { durable_name: string }): Promise<ConsumerInfo> {
  try {
    return await bus.jsm.consumers.add(stream, config);
  } catch (error) {
    if (!/already exists/i.test(String((error as Error).message))) throw error;
    const changes = Object.fromEntries(UPDATABLE.filter((key) => config[key] !== undefined).map((key) => [key, config[key]]));
    return bus.jsm.consumers.update(stream, config.durable_name, changes);
  }
}
