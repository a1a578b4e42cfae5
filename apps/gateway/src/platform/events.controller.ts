import { Controller, Get, Req, Res } from '@nestjs/common';
import { CommandBus, parsePayload } from '@slipway/bus';
import { DomainError, ReadEvents, replyValue, type ReadEventsQuery } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticator } from '../auth/authenticator';
import { headerValuesSent } from '../http/headers-sent';
import { send } from '../http/respond';
import { EventDoorbell } from './event-doorbell';
import { AuditReads } from './audit-reads';
import { fieldRenamed, holdStream, streamEvents } from './event-stream';
import { TokenHolds } from './token-holds';
import { queryOf } from '../http/query';
import { refuseHead } from '../http/head-not-served';
import { whenAnswerClosed } from '../http/answer-closed';
import { HeadRefused, Needs } from '../http/route-marks';
import { queryWaitFor } from '../http/wait-clock';
import { ChecksItsQuery } from '../http/query-parameters';

/** What a page of the audit log is asked for by: the query's fields but the page budget, the gateway's streams' own. */
const PAGE_FILTERS = Object.keys(ReadEvents.schema.shape).filter((name) => name !== 'maxBytes');

/**
 * A page's event data at most (the reader's own is 16 MiB; one larger event is read alone),
 * and the pages one token may have read or not yet taken at once on a gateway: a page waits in
 * memory until its client has read it, and a client that opened many and read none held 16 MiB
 * and more for each (review).
 */
const LIST_PAGE_BYTES = 4 * 1024 * 1024;
export const PAGES_PER_TOKEN = 8;
const pagesRead = new TokenHolds(PAGES_PER_TOKEN, (held) => `this token has ${held} pages of the audit log being read or not yet taken on this gateway, the most one may: read those first`);

/** The audit log over HTTP: pages by position, and a live SSE stream from any position. */
@Controller()
export class EventsController {
  constructor(private readonly commands: CommandBus, private readonly reads: AuditReads, private readonly doorbell: EventDoorbell, private readonly auth: Authenticator) {}

  @Get('api/v1/events')
  @ChecksItsQuery()
  @Needs('read')
  async list(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    const actor = await this.auth.authorized(req);
    const query = queryOf(req);
    // The reader's page budget is the gateway's to set, not a client's.
    const unknown = Object.keys(query).find((name) => !PAGE_FILTERS.includes(name));
    if (unknown !== undefined) throw new DomainError('invalid', `unknown field "${unknown}": /api/v1/events takes ${PAGE_FILTERS.join(', ')}`, unknown);
    const filter = { ...parsePayload(ReadEvents, query), maxBytes: LIST_PAGE_BYTES };
    // Held from the read until its client has taken the answer (or gone): a page waits in memory till then.
    const release = pagesRead.hold(actor.tokenId ?? actor.principal);
    const gone = new AbortController();
    // The page's memory, once it is held, goes with the rest when the answer is taken (or its client gone).
    let releasePage = () => {};
    whenAnswerClosed(res.raw, () => {
      release();
      releasePage();
      gone.abort();
    });
    // The gateway's memory for pages and its reads are shared by every client: this one waits
    // its turn within the request's wait bound, and is refused "retry shortly" past it.
    const waited = AbortSignal.any([gone.signal, AbortSignal.timeout(queryWaitFor(req, this.commands.waitMs))]);
    const held = await this.reads.page(filter, waited).catch((error: unknown) => {
      release();
      throw error;
    });
    if (gone.signal.aborted) return void held?.release();
    if (!held) {
      release();
      throw new DomainError('unavailable', 'this gateway holds as many pages of the audit log as it may for clients yet to take them: retry shortly');
    }
    releasePage = held.release;
    send(req, res, 200, replyValue(held.answer));
  }

  @Get('api/v1/events/stream')
  @HeadRefused()
  @ChecksItsQuery()
  @Needs('read')
  async stream(@Req() req: FastifyRequest, @Res() res: FastifyReply) {
    refuseHead(req);
    const actor = await this.auth.authorized(req);
    const query = queryOf(req);
    // An empty one is none (an EventSource whose last event had no id sends none): `from` holds.
    const lastEventIds = [...new Set(headerValuesSent(req, 'last-event-id').map(({ value }) => value).filter((value) => value !== ''))];
    // Node joins two that differ ("3, 4"), which would read as no position at all.
    if (lastEventIds.length > 1) throw new DomainError('invalid', 'Last-Event-ID: given more than once, with different positions; send it once', 'Last-Event-ID');
    const lastEventId = lastEventIds[0];
    const { from, ...rest } = query;
    // The page's position and size have no meaning on a stream: refused, not ignored.
    const unknown = ['after', 'limit', 'maxBytes'].find((name) => Object.hasOwn(rest, name));
    if (unknown) throw new DomainError('invalid', `unknown field "${unknown}": the stream starts at \`from\` (or Last-Event-ID) and sends every event after it`, unknown);
    // The position comes from the header a reconnecting client sends, else from `from`: a
    // bad one is refused naming where it came from, not the query's own `after`.
    // A `from` the header overrides is still checked: a malformed one is the URL's mistake.
    if (from !== undefined) withFieldNamed('from', 'after', () => parsePayload(ReadEvents, { ...rest, after: from }));
    const [source, position] = typeof lastEventId === 'string' ? ['Last-Event-ID', lastEventId] : ['from', from ?? '0'];
    const filter: ReadEventsQuery = withFieldNamed(source, 'after', () => parsePayload(ReadEvents, { ...rest, after: position }));
    const release = holdStream(actor.tokenId ?? actor.principal);
    try {
      const stillAllowed = () => this.auth.authorizedAgain(req);
      await streamEvents(this.reads, this.doorbell, filter, stillAllowed, res, source);
    } finally {
      release();
    }
  }
}

function withFieldNamed<T>(name: string, field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw fieldRenamed(error, field, name);
  }
}
