import { DiscardPolicy, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import type { Bus } from './bus';

/** How long JetStream remembers a Nats-Msg-Id: a resend within it is dropped. */
export const DEDUPE_WINDOW_MS = 10 * 60_000;

/**
 * COMMANDS is a work queue (a command is removed once a service acks it), EVENTS keeps
 * what the relay published for consumers and SSE, DEADLETTER keeps what could not be
 * handled for an operator to inspect. Creating them is idempotent.
 */
export async function ensureStreams(bus: Bus): Promise<void> {
  const common = { storage: StorageType.File, duplicate_window: nanos(DEDUPE_WINDOW_MS), num_replicas: 1 };
  await upsert(bus, { ...common, name: bus.stream('COMMANDS'), subjects: [bus.subject('cmd.>')], retention: RetentionPolicy.Workqueue });
  await upsert(bus, {
    ...common, name: bus.stream('EVENTS'), subjects: [bus.subject('evt.>')], retention: RetentionPolicy.Limits,
    max_age: nanos(7 * 24 * 3600_000), discard: DiscardPolicy.Old,
  });
  await upsert(bus, { ...common, name: bus.stream('DEADLETTER'), subjects: [bus.subject('dead.>')], retention: RetentionPolicy.Limits });
}

async function upsert(bus: Bus, config: Parameters<Bus['jsm']['streams']['add']>[0]): Promise<void> {
  try {
    await bus.jsm.streams.info(config.name!);
  } catch {
    await bus.jsm.streams.add(config).catch(async (error: unknown) => {
      // Another process created it between our look and our add.
      await bus.jsm.streams.info(config.name!).catch(() => { throw error; });
    });
  }
}
