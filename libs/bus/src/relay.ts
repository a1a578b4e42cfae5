import { checkpointOf, loadCheckpoint, readLog, storeCheckpoint, TailLoop, type RecordedEvent } from '@slipway/event-log';
import type { Pool } from 'pg';
import type { Bus } from './bus';
import { overBusLimit } from './bus-limit';
import { encode } from './codec';
import { ATOMIC_BATCH_MIN } from './atomic-batch';
import { publishInOrder } from './publish-in-order';
import { PoisonMessage } from './settlement';

/** The relay's checkpoint: the log is published up to it. */
export const RELAY_CHECKPOINT = 'relay';

export interface RelayHooks {
  /**
   * Runs after JetStream acknowledged the batch and before the checkpoint is stored.
   * A seam for failure tests: throwing here is a crash between publish and checkpoint.
   */
  afterPublish?: (events: RecordedEvent[]) => void | Promise<void>;
}

const BATCH_SIZE = 500;
/**
 * Under a steady stream of commands each relay step takes ~50 ms of events: one atomic
 * batch costs the server ~2 ms and file-system work whatever its size, so fewer, larger
 * ones (at 1,000 commands/s, alternating runs: p50 19 and 7 ms vs 31 and 13 ms with 20 ms
 * steps). An event reaches EVENTS at most this much later.
 */
const GATHER_MS = 50;

/**
 * Publishes the log to the EVENTS stream in (transaction, position) order, each event
 * with `Nats-Msg-Id` = its id. The checkpoint is stored after JetStream acknowledged the
 * batch: a crash in between republishes, and JetStream drops the duplicates, within its
 * dedupe window (ten minutes). Should no relay run for longer than that after such a crash
 * (every service down), EVENTS gets those events twice; each carries its id and position,
 * by which a consumer tells.
 */
export async function relayBatch(pool: Pool, bus: Bus, batchSize = BATCH_SIZE, hooks: RelayHooks = {}): Promise<number> {
  const checkpoint = await loadCheckpoint(pool, RELAY_CHECKPOINT);
  const events = await readLog(pool, checkpoint, { limit: batchSize });
  if (events.length === 0) return 0;
  // In order: if JetStream refuses an event, no later one may reach EVENTS before it.
  await publishInOrder(bus, events.map((event) => ({ subject: bus.subject(`evt.${event.type}`), data: relayedBody(bus, event), msgId: event.eventId })));
  await hooks.afterPublish?.(events);
  await storeCheckpoint(pool, RELAY_CHECKPOINT, checkpointOf(events[events.length - 1]!));
  return events.length;
}

/** Marks an event on EVENTS whose data stayed in the log: too big for the bus. */
export interface OmittedEvent extends Omit<RecordedEvent, 'data'> {
  data: null;
  omitted: string;
}

/**
 * The event as EVENTS carries it. One larger than the server takes (the log has no such
 * limit) is announced without its data, which consumers read from the log by position
 * (JetStreamServer's `readEvent`): refused, it would stop the relay at it for good.
 */
function relayedBody(bus: Bus, event: RecordedEvent): Uint8Array {
  const data = encode(event);
  const over = overBusLimit(bus, data.length);
  if (!over) return data;
  const omitted: OmittedEvent = { ...event, data: null, omitted: `its data is ${over}; read it from the log at position ${event.position}` };
  return encode(omitted);
}

function isOmittedEvent(value: unknown): value is OmittedEvent {
  return typeof value === 'object' && value !== null && typeof (value as OmittedEvent).omitted === 'string' && typeof (value as OmittedEvent).position === 'number';
}

/**
 * The event a message on EVENTS stands for, as the log has it. Whoever may publish on NATS
 * could put a message there, and only the log says what happened: a service that reads the
 * log hands its handlers the log's event at the message's position (a message the log does
 * not bear out is poison). One that cannot read it takes the message as relayed, which must
 * then carry its data.
 */
export async function wholeEvent(relayed: unknown, readEvent?: (position: number) => Promise<unknown>): Promise<unknown> {
  if (!readEvent) {
    if (isOmittedEvent(relayed)) throw new PoisonMessage(`event at position ${relayed.position} came without its data (${relayed.omitted}), and this service cannot read the log`);
    return relayed;
  }
  const { position, eventId } = (relayed ?? {}) as { position?: unknown; eventId?: unknown };
  if (typeof position !== 'number' || !Number.isSafeInteger(position)) throw new PoisonMessage('an event message without a position in the log');
  const logged = await readEvent(position) as { eventId?: unknown } | undefined;
  if (!logged) throw new PoisonMessage(`event at position ${position} is not in the log`);
  if (logged.eventId !== eventId) throw new PoisonMessage(`event at position ${position} is not the one the log has there`);
  return logged;
}

const RELAY_IDLE_MS = 25;
const RELAY_MAX_IDLE_MS = 200;

export function startRelay(pool: Pool, bus: Bus, url: string, onError?: (e: unknown) => void): TailLoop {
  const loop = new TailLoop({
    url, key: `slipway:${bus.prefix}relay`, step: () => relayBatch(pool, bus), onError,
    gather: { ms: GATHER_MS, fullStep: ATOMIC_BATCH_MIN * 4 },
    // Idle, it asked Postgres 40 times a second (soak probe: the most of an idle Slipway's
    // transactions); 200 ms at most once nothing has come for a while, 25 ms under load.
    idleMs: RELAY_IDLE_MS, maxIdleMs: RELAY_MAX_IDLE_MS,
  });
  loop.start();
  return loop;
}
