import { DomainError, type LoggedEvent, type ReadEventsQuery, type SlipwayError } from '@slipway/contracts';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import { whenAnswerClosed } from '../http/answer-closed';
import { writeInTurn } from '../http/write-in-turn';
import type { EventDoorbell } from './event-doorbell';
import type { AuditReads, HeldPage } from './audit-reads';
import { TokenHolds } from './token-holds';

const HEARTBEAT_MS = 15_000;
const PAGE = 500;
/**
 * A stream's page of event data at most (the reader's own is 16 MiB; one event larger is
 * read alone): a page waits in memory until its client has read it, and a client that
 * stopped reading held 25 MB of the gateway's (probe: 220 such streams, 5.5 GB). A stream of
 * large events (uploads of up to 4 MiB) still holds one of them per stalled client.
 */
const PAGE_BYTES = 1024 * 1024;
/** How often a caught-up stream reads again without a ring (a ring may be missed). */
const POLL_MS = 1_000;
const MAX_RETRY_MS = 30_000;
/** How long a stream's answer waits for its first page, to refuse a position the reader refuses with a 400. */
const FIRST_READ_WAIT_MS = 1_000;
/**
 * Streams one token may hold open on a gateway: each holds what of its page its client has
 * not read (a probe's 220 stalled streams of one read token held 1.15 GB), so one token's
 * streams are bounded, as its requests are by their bodies' limit.
 */
export const STREAMS_PER_TOKEN = 64;
const openStreams = new TokenHolds(STREAMS_PER_TOKEN, (open) => `this token holds ${open} event streams open on this gateway, the most one may: close one first`);

/** Counts a stream opened for a token, refused (429) past STREAMS_PER_TOKEN; returns its release. */
export const holdStream = (token: string): (() => void) => openStreams.hold(token);

/**
 * The pause before the next read after `failures` reads in a row the log's reader did
 * not answer: doubling from 2 s to 30 s, so a reader that is down is not asked once a
 * second by every open stream.
 */
export function pauseAfter(failures: number): number {
  return failures === 0 ? POLL_MS : Math.min(MAX_RETRY_MS, POLL_MS * 2 ** failures);
}

/**
 * Server-sent events from a position: pages through the gated log reader, then waits
 * for the relay's next publication (the doorbell rings on any `evt.>` message) and reads again. The
 * log is the source, NATS only the doorbell, so no event is skipped or sent twice. While
 * the reader cannot answer, the stream stays open and retries (not cut short by the
 * doorbell); a refusal of the filter ends it with a `refused` event.
 *
 * `authorize` runs before every read, so that a token revoked (or stripped of its
 * capability) while its stream is open stops reading as soon as any request would be
 * refused: the stream ends with a `refused` event saying why.
 */
export async function streamEvents(
  reads: AuditReads, doorbell: EventDoorbell, filter: ReadEventsQuery, authorize: () => Promise<unknown>, res: FastifyReply,
  /** Where the client gave the position (`from`, `Last-Event-ID`): a refusal of it names that, not the reader's `after`. */
  positionFrom = 'from',
): Promise<void> {
  let open = true;
  let rang = false;
  let wake: ((byRing: boolean) => void) | undefined;
  // A signal, not a promise: each write waiting on a promise the stream's whole life would
  // leave a reaction on it until the client leaves.
  const gone = new AbortController();
  const leave = () => { open = false; wake?.(false); gone.abort(); };
  whenAnswerClosed(res.raw, leave);
  // In the gateway's turn and within its memory for pages (audit-reads.ts); nothing is read once the client has left.
  const page = (after: number) => reads.page({ ...filter, after, limit: PAGE, maxBytes: PAGE_BYTES }, gone.signal);
  // The first page is read before the stream is answered, for a while: a position or filter
  // the reader refuses is then a 400, which an EventSource does not retry (a `refused` event
  // ends the stream, and it reconnects with the same position, to be refused again). A reader
  // slow to answer does not hold the answer longer: the stream opens, and the read goes on.
  const firstPage = page(filter.after);
  const waited = new AbortController();
  const early = await Promise.race([firstPage, delay(FIRST_READ_WAIT_MS, undefined, { signal: waited.signal }).catch(() => undefined)]).finally(() => waited.abort());
  if (early && !early.answer.ok && early.answer.error.code === 'invalid') {
    early.release();
    throw fieldRenamed(DomainError.from(early.answer.error), 'after', positionFrom);
  }
  res.hijack();
  if (!open) {
    void firstPage.then((held) => held?.release());
    return void res.raw.destroy();
  }
  res.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  // Sent now, not with the first event or heartbeat: a client tailing a quiet log learns
  // at once that it is connected (one with a header timeout would otherwise give up).
  res.raw.flushHeaders();
  const stopListening = doorbell.listen(() => { rang = true; wake?.(true); });
  // An event is written slice by slice (writeInTurn): a heartbeat between two slices would land
  // inside it, so none is sent while one is written (data flows then, or the client is cut off).
  let writing = false;
  const send = async (text: string) => {
    writing = true;
    try {
      await writeInTurn(res.raw, text, gone.signal);
    } finally {
      writing = false;
    }
  };
  const heartbeat = setInterval(() => { if (!writing) res.raw.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
  const rest = (ms: number, ringWakes: boolean) => new Promise<void>((resolve) => {
    if (!open) return resolve();
    const done = () => { clearTimeout(timer); wake = undefined; resolve(); };
    const timer = setTimeout(done, ms);
    wake = (byRing) => { if (ringWakes || !byRing) done(); };
  });
  // `retry:` slows an EventSource's reconnection, which would meet the same refusal.
  const refuse = ({ code, message, field }: { code: string; message: string; field?: string }) =>
    send(`retry: ${MAX_RETRY_MS}\nevent: refused\ndata: ${JSON.stringify({ code, message, ...(field ? { field } : {}) })}\n\n`);
  let after = filter.after;
  let failures = 0;
  // The token was checked just before the first read, by the route.
  let pending: ReturnType<typeof page> | undefined = firstPage;
  try {
    while (open) {
      // Set before reading: a publication during the read is not waited for (the first
      // read began before anyone listened: the doorbell's rings are not needed for it).
      rang = false;
      let read = pending;
      pending = undefined;
      if (!read) {
        const denied = await authorize().then(() => undefined, (error: unknown) => error);
        if (isFinal(denied)) {
          await refuse(denied);
          break;
        }
        // Whoever could not tell whether the token still holds (the token store away) reads nothing meanwhile.
        read = denied ? Promise.resolve(unheld({ code: 'unavailable', message: 'the token could not be checked' })) : page(after);
      }
      const held = await read;
      if (!held) break;
      const { answer } = held;
      if (!answer.ok) {
        held.release();
        // Only a filter the reader refuses is for good; anything else (the reader down, its
        // database restarting: `internal`) may pass, and is read again after a pause.
        if (answer.error.code === 'invalid') {
          await refuse(fieldRenamed(answer.error, 'after', positionFrom));
          break;
        }
        await rest(pauseAfter(++failures), false);
        continue;
      }
      failures = 0;
      // A slow reader holds the next page back: a long log is not read into memory ahead of it.
      // The page is held as the text it is sent as (its parsed events took about three times
      // as much), each event let go once written: a client that stops reading holds what of
      // its page is unsent (at most PAGE_BYTES of event data, or one larger event), not 16 MiB,
      // and its place in the gateway's memory for pages until it is cut off (writeInTurn).
      const { next, more } = answer.value;
      const texts = answer.value.events.splice(0).map(eventText);
      try {
        for (let text = texts.shift(); text !== undefined && open; text = texts.shift()) await send(text);
      } finally {
        held.release();
      }
      after = next;
      if (more || rang) continue;
      await rest(POLL_MS, true);
    }
  } finally {
    clearInterval(heartbeat);
    stopListening();
    res.raw.end();
  }
}

/** An event as the stream sends it. */
function eventText(event: LoggedEvent): string {
  return `id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** A failed read that holds nothing of the gateway's memory. */
function unheld(error: SlipwayError): HeldPage {
  return { answer: { ok: false, error }, release: () => undefined };
}

/** A refusal of the token itself (revoked, or without the capability now): no retry changes it. */
function isFinal(denied: unknown): denied is DomainError {
  return denied instanceof DomainError && (denied.code === 'unauthorized' || denied.code === 'forbidden');
}

/** A refusal naming `field`, naming `name` instead (in its message's start too); any other as it is. */
export function fieldRenamed<E>(error: E, field: string, name: string): E | DomainError {
  const refusal = error as Partial<SlipwayError>;
  if (typeof refusal.message !== 'string' || refusal.field !== field || !refusal.code) return error;
  return new DomainError(refusal.code, refusal.message.replace(new RegExp(`^${field}\\b`), name), name);
}
