import { z } from 'zod';
import { query } from '../define';
import { readsAsSecret } from '../envelope';
import { isLaterTime, isoTime } from '../time';
import { wholeNumber } from '../names';

/** One event of the log as the audit API shows it. */
export interface LoggedEvent {
  position: number;
  eventId: string;
  streamId: string;
  streamVersion: number;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/**
 * An id, exact or `prefix*`. A prefix that reads as a secret (`token:S*`) is refused: an id
 * recorded before such ids were refused everywhere (2026-12-08) is shown `[redacted]`, and
 * whether one begins with a guess would read it back a character at a time (probe).
 */
const idFilter = () => z.string().min(1, 'must not be empty').max(200)
  .refine((value) => !(value.endsWith('*') && readsAsSecret(value.slice(0, -1))), 'a prefix that reads as a secret is not taken (an id shown [redacted] would be read back through it): filter by the whole id')
  .optional();

const readEvents = z.object({
  /** Resume after this position (the last one seen); 0 reads from the start. */
  after: wholeNumber({ min: 0 }).default(0),
  limit: wholeNumber({ min: 1, max: 1000 }).default(100),
  stream: z.string().min(1, 'must not be empty (leave it out to read every stream)').max(300).optional(),
  type: z.string().min(1, 'must not be empty (leave it out to read every type)').max(200).optional(),
  /** The principal that wrote the events (metadata.actor). */
  actor: z.string().min(1, 'must not be empty').max(200).optional(),
  /** The command that wrote them (a 202's id, a status URL's). */
  commandId: idFilter(),
  /** Every command of one chain: a request's X-Correlation-Id, else its first command's id. */
  correlationId: idFilter(),
  since: isoTime().optional(),
  until: isoTime().optional(),
  /**
   * The page's budget of event data, for the gateway's event streams (a page waits in memory
   * for a client that reads slowly): at most the reader's own, 16 MiB. Not an HTTP parameter.
   */
  maxBytes: wholeNumber({ min: 64 * 1024, max: 16 * 1024 * 1024 }).optional(),
}).strict().superRefine((query, context) => {
  // An empty window is the caller's slip (the two swapped), not a page that happens to be empty.
  // Only between two times: one that is none is refused for itself, not also as out of order.
  const { since, until } = query;
  if (since === undefined || until === undefined || ![since, until].every((time) => Number.isFinite(Date.parse(time)))) return;
  if (!isLaterTime(until, since)) {
    context.addIssue({ code: 'custom', path: ['until'], message: `must be later than since (${since})` });
  }
});
export type ReadEventsQuery = z.infer<typeof readEvents>;

export interface EventsPage {
  events: LoggedEvent[];
  /**
   * Position to pass as `after` for the next page: the last event returned, or — when no
   * later event matches the filter yet — the last event read (matching or not), or `after`
   * when none was.
   */
  next: number;
  /**
   * Whether later events match already: the page was cut by its `limit` or by the reader's
   * byte budget (a page of large events holds fewer than `limit`). Read again at once.
   */
  more: boolean;
}

export const ReadEvents = query<typeof readEvents, EventsPage>('qry.telemetry.read-events.v1', readEvents);

/**
 * Where a command message keeps the record of whether its "retry shortly" reached a client
 * (the bus's answered-refusals.ts): the record's subject in OUTAGES and the message's stored
 * time; and the message itself (its stream, sequence there and Nats-Msg-Id), to tell whether
 * it is still queued.
 */
export interface RefusalRecordRef {
  subject: string;
  stored: string;
  stream?: string;
  seq?: number;
  msgId?: string;
}

const commandStatus = z.object({ commandId: z.string().min(1).max(200) }).strict();
export interface CommandStatus {
  commandId: string;
  /**
   * `succeeded`/`failed`: the outcome, final. `pending`: not handled yet — its sender
   * stopped waiting and answered 202 (a CommandBus records that), or the service refused
   * it with "retry shortly". `unknown`: none of these — an id never sent, or a command
   * published straight on NATS (not through a CommandBus) that no service has handled yet.
   */
  status: 'pending' | 'succeeded' | 'failed' | 'unknown';
  subject?: string;
  outcome?: unknown;
  completedAt?: string;
  /**
   * While pending: the last time it was refused with "retry shortly" (not an outcome), and
   * the refusal. A resend then runs it again. `record`: where the refused message records
   * whether that refusal reached a client (the bus's, not shown over HTTP).
   */
  lastRefusal?: { error: unknown; refusedAt: string; record?: RefusalRecordRef };
  /**
   * Succeeded, but then dead-lettered: what the command recorded as its intent (a hibernation,
   * a deletion) kept failing to be carried out, and waits for an operator's redrive.
   */
  deadLettered?: { at: string; message: string };
  /**
   * The fingerprint (CommandEnvelope) recorded with the outcome, or with the 202 of a command
   * still pending: for a sender of the same id to tell whether it is its command. Not shown
   * over HTTP.
   */
  fingerprint?: string;
}
export const GetCommandStatus = query<typeof commandStatus, CommandStatus>('qry.telemetry.command-status.v1', commandStatus, { hedged: true });
