import { checkpointOf, readLogFiltered, START, type Checkpoint, type RecordedEvent, type Sql } from '@slipway/event-log';
import { redact } from './redact';
import { namesService, narrowToServices } from './service-events';

/** At most this many audit events go into one export … */
export const MAX_EXPORTED_EVENTS = 5_000;
/** … found among at most this many events of the range. */
export const MAX_SCANNED_EVENTS = 50_000;
const PAGE = 1_000;

export interface ExportedEvent { position: number; stream: string; type: string; occurredAt: string; actor: unknown; data: unknown }

export interface ServiceEvents {
  events: ExportedEvent[];
  /** Events of the range left unread or unexported because a bound was reached. */
  truncated: boolean;
}

const exported = (e: RecordedEvent, services: ReadonlySet<string>): ExportedEvent => ({
  position: e.position, stream: e.streamId, type: e.type, occurredAt: e.metadata.occurredAt, actor: e.metadata.actor,
  data: redact(narrowToServices(e.data, services)),
});

/**
 * The audit events of [start, end) about the services (telemetry's own job events left
 * out), narrowed to those services and redacted, read page by page in log order.
 */
export async function readServiceEvents(sql: Sql, range: { start: string; end: string }, services: ReadonlySet<string>): Promise<ServiceEvents> {
  const events: ExportedEvent[] = [];
  let after: Checkpoint = START;
  for (let scanned = 0; scanned < MAX_SCANNED_EVENTS;) {
    const page = await readLogFiltered(sql, after, { limit: PAGE, since: range.start, until: range.end });
    for (const event of page) {
      if (event.type.startsWith('telemetry.') || !namesService(event.data, services)) continue;
      if (events.length === MAX_EXPORTED_EVENTS) return { events, truncated: true };
      events.push(exported(event, services));
    }
    if (page.length < PAGE) return { events, truncated: false };
    scanned += page.length;
    after = checkpointOf(page[page.length - 1]!);
  }
  return { events, truncated: true };
}
