import type { CommandBus } from '@slipway/bus';
import { ReadEvents, type ReadEventsQuery } from '@slipway/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { writeInTurn } from '../http/write-in-turn';
import type { EventDoorbell } from './event-doorbell';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events from a position: pages through the gated log reader, then waits
 * for the relay's next publication (the doorbell rings on any `evt.>` message) and reads again. The
 * log is the source, NATS only the doorbell, so no event is skipped or sent twice.
 */
export async function streamEvents(commands: CommandBus, doorbell: EventDoorbell, filter: ReadEventsQuery, req: FastifyRequest, res: FastifyReply): Promise<void> {
  res.hijack();
  res.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  // Sent now, not with the first event or heartbeat: a client tailing a quiet log learns
  // at once that it is connected (one with a header timeout would otherwise give up).
  res.raw.flushHeaders();
  let open = true;
  let ring: (() => void) | undefined;
  const stopListening = doorbell.listen(() => ring?.());
  const gone = new Promise<void>((resolve) => req.raw.on('close', () => { open = false; ring?.(); resolve(); }));
  const heartbeat = setInterval(() => res.raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  let after = filter.after;
  try {
    while (open) {
      let timer: NodeJS.Timeout | undefined;
      const waiting = new Promise<void>((resolve) => { ring = resolve; timer = setTimeout(resolve, 1_000); });
      try {
        const page = await commands.query(ReadEvents, { ...filter, after, limit: 500 });
        if (page.ok) {
          // A slow reader holds the next page back: a long log is not read into memory ahead of it.
          for (const event of page.value.events) {
            await writeInTurn(res.raw, `id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`, gone);
            if (!open) break;
          }
          after = page.value.next;
          if (page.value.events.length === 500) continue;
        }
        await waiting;
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    clearInterval(heartbeat);
    stopListening();
    res.raw.end();
  }
}
