import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { definedCommandSubjects } from '@slipway/contracts';
import type { Bus } from './bus';

/** How long JetStream remembers a Nats-Msg-Id: a resend within it is dropped. */
export const DEDUPE_WINDOW_MS = 10 * 60_000;

const WEEK = nanos(7 * 24 * 3600_000);

/**
 * What EVENTS holds at most, besides its week: events carry uploads of up to 4 MiB, and a
 * busy week of them must not fill the server's disk. EVENTS is for live consumers (the
 * gateway's doorbell, subscribers of other systems); whoever needs every event reads the
 * log (`/api/v1/events`, the projections), which keeps them all.
 */
export const EVENTS_MAX_BYTES = 1024 ** 3;

/**
 * COMMANDS is a work queue (a command is removed once a service acks it), EVENTS keeps
 * what the relay published for consumers and SSE, DEADLETTER keeps what could not be
 * handled for an operator to inspect, ACCEPTED the ids of commands whose senders stopped
 * waiting for them (accepted-commands.ts), INSTALLATION whose bus it is (bus-claim.ts),
 * OUTAGES which deliveries of a message ended in an outage (outage-deliveries.ts) and whether
 * a command's "retry shortly" reached its client or the command runs (answered-refusals.ts).
 * Creating them is idempotent.
 */
export async function ensureStreams(bus: Bus): Promise<{ atomicBatches: boolean }> {
  const common = { storage: StorageType.File, duplicate_window: nanos(DEDUPE_WINDOW_MS), num_replicas: 1 };
  // A work queue: JetStream removes a command once its service acks it. (A limits stream
  // purged in bulk behind the consumers' ack floor saves a tombstone fsync per ack, but a
  // purge empties the consumer's redelivery queue and a stuck command stalls it; measured
  // and reviewed in the second session, see docs/benchmarks.md.)
  // Commands (GroupPublisher) and events (the relay) are published in atomic batches
  // where the server has them (2.12+): one fsync per batch.
  const atomic = serverHasAtomicBatches(bus) ? { allow_atomic: true } : {};
  const commands = await upsert(bus, {
    ...common, ...atomic, name: bus.stream('COMMANDS'), subjects: definedCommandSubjects().map((subject) => bus.subject(subject)), retention: RetentionPolicy.Workqueue,
  }, bus.subject('cmd.>'));
  const events = await upsert(bus, {
    ...common, ...atomic, name: bus.stream('EVENTS'), subjects: [bus.subject('evt.>')], retention: RetentionPolicy.Limits,
    max_age: WEEK, max_bytes: EVENTS_MAX_BYTES, discard: DiscardPolicy.Old,
  });
  await upsert(bus, { ...common, name: bus.stream('DEADLETTER'), subjects: [bus.subject('dead.>')], retention: RetentionPolicy.Limits });
  // Kept as long as EVENTS keeps events: a command still queued after a week reads as unknown.
  await upsert(bus, {
    ...common, name: bus.stream('ACCEPTED'), subjects: [bus.subject('acc.>')], retention: RetentionPolicy.Limits,
    max_msgs_per_subject: 1, max_age: WEEK, discard: DiscardPolicy.Old,
  });
  // A message's deliveries that ended in an outage do not count towards its dead-lettering;
  // a command whose refusal reached its client is not run when delivered again.
  await upsert(bus, {
    ...common, name: bus.stream('OUTAGES'), subjects: [bus.subject('outage.>')], retention: RetentionPolicy.Limits,
    max_msgs_per_subject: 1, max_age: WEEK, discard: DiscardPolicy.Old,
  });
  // Which installation this bus serves (bus-claim.ts): its first message, kept for good.
  await upsert(bus, { ...common, name: bus.stream('INSTALLATION'), subjects: [bus.subject('installation')], retention: RetentionPolicy.Limits });
  return { atomicBatches: commands.allow_atomic === true && events.allow_atomic === true };
}

type StreamConfig = Parameters<Bus['jsm']['streams']['add']>[0];

function serverHasAtomicBatches(bus: Bus): boolean {
  const [major = 0, minor = 0] = (bus.nc.info?.version ?? '0.0').split('.').map(Number);
  return major > 2 || (major === 2 && minor >= 12);
}

/** Settings an older Slipway created a stream without or with other values: brought to this version's. */
const UPDATED_SETTINGS = ['allow_atomic', 'max_bytes'] as const;

/**
 * Creates the stream, or updates the settings of an existing one an older Slipway made
 * (UPDATED_SETTINGS); returns the stream's configuration as the server holds it.
 * `replacedSubject`: a catch-all subject an older Slipway gave the stream, replaced by the
 * exact ones; those of other versions stay (an older or newer instance, in a rolling
 * upgrade, sends its own), and this version's are added to them — read again after the
 * update, as another version may have updated it at the same time from what it read. (A
 * publish the stream still refuses ensures the streams again: see CommandBus.)
 */
async function upsert(bus: Bus, config: StreamConfig, replacedSubject?: string): Promise<Partial<StreamConfig>> {
  for (let attempt = 1; ; attempt++) {
    const existing = await bus.jsm.streams.info(config.name!).then((info) => info.config, (error: unknown) => {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return undefined;
      throw error;
    });
    if (!existing) {
      const added = await bus.jsm.streams.add(config).then((info) => info.config, (error: unknown) => {
        // Another process created it between our look and our add: look again.
        if (attempt < 5) return undefined;
        throw error;
      });
      if (added) return added;
      continue;
    }
    const changed = UPDATED_SETTINGS.filter((key) => config[key] !== undefined && config[key] !== existing[key]);
    const subjects = replacedSubject ? withSubjectsOf(existing.subjects ?? [], config.subjects ?? [], replacedSubject) : existing.subjects;
    if (changed.length === 0 && subjects === existing.subjects) return existing;
    const updated = (await bus.jsm.streams.update(config.name!, { ...existing, subjects, ...Object.fromEntries(changed.map((key) => [key, config[key]])) })).config;
    if (!replacedSubject || attempt >= 5) return updated;
    // The update's answer holds what this process sent: another version writing what it read
    // before shows only in a later read. A random pause lets two such writers part.
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    const now = (await bus.jsm.streams.info(config.name!)).config;
    if (withSubjectsOf(now.subjects ?? [], config.subjects ?? [], replacedSubject) === now.subjects) return now;
  }
}

/** `existing` without `replaced` and with every one of `ours`; `existing` itself when that is what it is already. */
function withSubjectsOf(existing: string[], ours: string[], replaced: string): string[] {
  const missing = ours.filter((subject) => !existing.includes(subject));
  if (missing.length === 0 && !existing.includes(replaced)) return existing;
  return [...existing.filter((subject) => subject !== replaced), ...missing];
}
