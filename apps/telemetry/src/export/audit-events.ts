import { readLogFilteredPage, START, type Checkpoint, type RecordedEvent, type Sql } from '@slipway/event-log';
import { PatchesApplied } from '@slipway/contracts';
import { redactEvent } from '../audit/redact-event';
import { namesService, narrowToServices } from './service-events';

/**
 * At most this many bytes of audit events (each as compact JSON) go into one export, like
 * the log budget: an event can be megabytes (a base-config upload carries its files), and
 * the export is built in memory …
 */
export const MAX_EXPORTED_EVENT_BYTES = 8 * 1024 * 1024;
/** … found among at most this many events of the range. */
export const MAX_SCANNED_EVENTS = 50_000;
/** Events read from the log at once: few, for the same reason. */
const PAGE = 50;

export interface ExportedEvent { position: number; stream: string; type: string; occurredAt: string; actor: unknown; data: unknown }

export interface ServiceEvents {
  events: ExportedEvent[];
  /** Their size as compact JSON, within MAX_EXPORTED_EVENT_BYTES. */
  bytes: number;
  /** Events of the range left unread or unexported because a bound was reached. */
  truncated: boolean;
}

/**
 * The event redacted as the audit API shows it (old settings events' secrets too) and
 * narrowed to the services. A patch event is redacted first: what its description hides is
 * what all its command's patches keep secret, those the narrowing leaves out included. Any
 * other is narrowed first, so that an upload of hundreds of documents is not redacted whole
 * for the one the export is about.
 */
function exported(e: RecordedEvent, services: ReadonlySet<string>): ExportedEvent {
  const { transactionId: _t, ...event } = e;
  const redactedWhole = e.type === PatchesApplied.type;
  const { data } = redactEvent({ ...event, metadata: { ...event.metadata }, data: redactedWhole ? e.data : narrowToServices(e.data, services) });
  return { position: e.position, stream: e.streamId, type: e.type, occurredAt: e.metadata.occurredAt, actor: e.metadata.actor, data: redactedWhole ? narrowToServices(data, services) : data };
}

/**
 * The audit events of [start, end) about the services (telemetry's own job events left
 * out), narrowed to those services and redacted, read page by page in log order until
 * the next one would pass the byte bound.
 */
export async function readServiceEvents(sql: Sql, range: { start: string; end: string }, services: ReadonlySet<string>): Promise<ServiceEvents> {
  const events: ExportedEvent[] = [];
  let bytes = 0;
  let after: Checkpoint = START;
  for (let scanned = 0; scanned < MAX_SCANNED_EVENTS;) {
    const page = await readLogFilteredPage(sql, after, { limit: PAGE, since: range.start, until: range.end });
    for (const event of page.events) {
      if (event.type.startsWith('telemetry.') || !namesService(event.data, services)) continue;
      const next = exported(event, services);
      const size = Buffer.byteLength(JSON.stringify(next));
      if (bytes + size > MAX_EXPORTED_EVENT_BYTES) return { events, bytes, truncated: true };
      events.push(next);
      bytes += size;
    }
    // Not "fewer than PAGE": a page is also cut at the readers' byte budget.
    if (!page.more) return { events, bytes, truncated: false };
    scanned += page.events.length;
    after = page.next;
  }
  return { events, bytes, truncated: true };
}
