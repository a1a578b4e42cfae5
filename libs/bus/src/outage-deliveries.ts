import type { JsMsg } from '@nats-io/jetstream';
import type { Bus } from './bus';
import { decode, encode } from './codec';

/**
 * Which of a message's deliveries ended while its work waited out an outage (Postgres down,
 * say) rather than while its handler ran: the service stopped and handed it back, or the
 * process died during a pause between attempts. JetStream counts each of them as a delivery,
 * and settlement dead-letters a message delivered too often without being settled (a handler
 * that takes the process down); five restarts during one outage would otherwise file a
 * command that never ran. So each delivery says here whether it is in an outage's pause: set
 * before each pause, withdrawn before the handler runs again. Only deliveries that meet an
 * outage write, and only redeliveries read, so the command path pays nothing.
 *
 * Kept per consumer and stream message (stream and sequence, with its stored time against a
 * stream made again), the last word only, for a week.
 */
const subjectOf = (bus: Bus, m: JsMsg) => bus.subject(`outage.${m.info.stream}.${m.info.consumer}.${m.info.streamSequence}`);

/**
 * At most this many of a message's deliveries whose work ran and met an outage are not
 * counted: past it, a message whose failure only looks like an outage is dead-lettered after
 * all. One held through a database outage is handed back once a minute (HOLD_IN_OUTAGE_MS):
 * this is about a day of it. Deliveries handed back unrun (their process was waiting out an
 * outage already) are never counted: nothing of theirs failed.
 */
const MAX_UNCOUNTED = 1_500;

/** A message's deliveries that ended in an outage. */
export interface OutageCount {
  /** Its work ran, met the outage, and waited it out (or the process died meanwhile). */
  held: number;
  /** Handed back without running, its process waiting out an outage already. */
  unrun: number;
}

interface OutageDeliveries extends Partial<OutageCount> {
  /** The message's stored time, in nanoseconds: a stream deleted and made again reuses sequences. */
  stored: string;
  /** All of them, as records written before `held` and `unrun` were kept name them (and as instances of that version read them). */
  deliveries?: number;
}

const count = (value: unknown): number => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : 0);

/**
 * The message's earlier deliveries that ended in an outage (none if that cannot be read), and
 * how many of its deliveries are therefore not counted towards its dead-lettering.
 */
export async function outageDeliveries(bus: Bus, m: JsMsg): Promise<OutageCount & { uncounted: number }> {
  const none = { held: 0, unrun: 0, uncounted: 0 };
  if (m.info.deliveryCount <= 1) return none;
  try {
    const found = await bus.jsm.streams.getMessage(bus.stream('OUTAGES'), { last_by_subj: subjectOf(bus, m) });
    const kept = found ? decode<OutageDeliveries>(found.data) : undefined;
    if (kept?.stored !== String(m.info.timestampNanos)) return none;
    const held = count(kept.held ?? kept.deliveries);
    const unrun = count(kept.unrun);
    return { held, unrun, uncounted: Math.min(Math.min(held, MAX_UNCOUNTED) + unrun, m.info.deliveryCount - 1) };
  } catch {
    // Not known: every delivery counts, as it would without this record.
    return none;
  }
}

/**
 * Records how many of the message's deliveries, this one included, ended in an outage. Best
 * effort, with a short wait: NATS not answering only means this delivery counts as any other.
 */
export async function recordOutageDeliveries(bus: Bus, m: JsMsg, { held, unrun }: OutageCount): Promise<void> {
  // `deliveries` for instances of the version before, which read that alone (during a rolling upgrade).
  const record: OutageDeliveries = { stored: String(m.info.timestampNanos), held, unrun, deliveries: held + unrun };
  await bus.js.publish(subjectOf(bus, m), encode(record), { timeout: 2_000 }).catch(() => undefined);
}
