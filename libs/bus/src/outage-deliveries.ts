import { AsyncLocalStorage } from 'node:async_hooks';
import type { JsMsg } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { readMessageRecord, writeMessageRecord } from './message-records';

/**
 * Which of a message's deliveries ended while its work waited out an outage (Postgres down,
 * say) or waited its turn behind other commands (waitingUncounted), rather than while its
 * handler ran: the service stopped and handed it back, or the process died during a pause
 * between attempts or in line. JetStream counts each of them as a delivery,
 * and settlement dead-letters a message delivered too often without being settled (a handler
 * that takes the process down); five restarts during one outage would otherwise file a
 * command that never ran. So each delivery says here whether it is in an outage's pause: set
 * before each pause, withdrawn before the handler runs again. Only deliveries that meet an
 * outage write, and only redeliveries read, so the command path pays nothing.
 * Kept as the message's record (message-records.ts).
 */

/**
 * At most this many of a message's deliveries are not counted: past it, a message whose
 * failure only looks like an outage (a deadlock of its own, say) and whose service keeps
 * being restarted is dead-lettered after all.
 */
const MAX_UNCOUNTED = 50;

interface OutageDeliveries {
  /** How many of its deliveries so far ended in an outage, counting the one that wrote. */
  deliveries: number;
}

/**
 * How many of the message's earlier deliveries ended in an outage. Throws when the record
 * cannot be read (JetStream slow to answer after a restart, say): taken as none, every earlier
 * delivery would count, and a command that never ran, handed back through several restarts
 * during an outage, would be dead-lettered unrun (settle-message.ts reads it again instead).
 */
export async function outageDeliveries(bus: Bus, m: JsMsg): Promise<number> {
  if (m.info.deliveryCount <= 1) return 0;
  const kept = await readMessageRecord<OutageDeliveries>(bus, m, '');
  if (!kept || !Number.isSafeInteger(kept.deliveries) || kept.deliveries < 0) return 0;
  return Math.min(kept.deliveries, m.info.deliveryCount - 1, MAX_UNCOUNTED);
}

/**
 * Records how many of the message's deliveries, this one included, ended in an outage. Best
 * effort, with a short wait: NATS not answering only means this delivery counts as any other.
 */
export async function recordOutageDeliveries(bus: Bus, m: JsMsg, deliveries: number): Promise<void> {
  const record: OutageDeliveries = { deliveries };
  await writeMessageRecord(bus, m, '', record).catch(() => undefined);
}

/** The delivery whose handler runs here: what a wait inside it records itself against. */
interface Delivery { bus: Bus; m: JsMsg; inOutages: number }
const running = new AsyncLocalStorage<Delivery>();

/** Runs a message's handler as its delivery (settle-message.ts), so that waits inside it can be left uncounted. */
export function asDelivery<T>(delivery: Delivery, work: () => Promise<T>): Promise<T> {
  return running.run(delivery, work);
}

/** How long a wait for a turn goes before it is recorded: a turn taken at once costs nothing. */
const UNCOUNTED_AFTER_MS = 1_000;

/**
 * Waits for a turn (another command's lock, a queue in line) without the wait counting as a
 * delivery of the message handled: a process that dies while this one waits behind others
 * (a deployer killed while pushes queue for one namespace) was not taken down by it, and
 * five such deaths would dead-letter work that never ran. `run` calls `turnBegins` once its
 * turn is taken: from then on, its death counts again. Recorded only past a second of waiting.
 */
export async function waitingUncounted<T>(run: (turnBegins: () => Promise<void>) => Promise<T>): Promise<T> {
  const delivery = running.getStore();
  if (!delivery) return run(async () => undefined);
  let recorded: Promise<void> | undefined;
  const timer = setTimeout(() => { recorded = recordOutageDeliveries(delivery.bus, delivery.m, delivery.inOutages + 1); }, UNCOUNTED_AFTER_MS);
  // From here the delivery counts again: its turn began, or the wait failed (its settling decides then).
  const counted = async () => {
    clearTimeout(timer);
    if (!recorded) return;
    await recorded;
    recorded = undefined;
    await recordOutageDeliveries(delivery.bus, delivery.m, delivery.inOutages);
  };
  try {
    return await run(counted);
  } finally {
    await counted();
  }
}
