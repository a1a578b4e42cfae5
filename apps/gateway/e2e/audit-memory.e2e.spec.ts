import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Bus, decode, encode } from '@slipway/bus';
import { ReadEvents } from '@slipway/contracts';
import { eventually, natsUrl } from '@slipway/testing';
import { startTelemetry } from '../../telemetry/src/service';
import { startStack, type Stack } from './stack';

/** Near a stream's page of event data (1 MiB): the stream holds one unit of the gateway's memory for it until it is sent. */
const EVENT_DATA = 'x'.repeat(900_000);

describe('the audit log\'s pages a gateway holds for clients yet to take them', () => {
  let stack: Stack;
  let bus: Bus;
  const asked: Array<{ maxBytes: number }> = [];
  beforeAll(async () => {
    // 6 MiB: six streams' pages, or one listed page (4) and two streams'.
    stack = await startStack({ commandWaitMs: 2_000, auditMemoryMib: 6 });
    // A reader (standing in for telemetry's, on the real bus) whose every page is near 1 MiB, and more follows.
    const telemetry = stack.services.pop()!;
    await telemetry.close();
    bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
    bus.nc.subscribe(bus.subject(ReadEvents.subject), { callback: (_error, msg) => {
      asked.push((decode(msg.data) as { payload: { maxBytes: number } }).payload);
      const position = asked.length;
      const event = { position, streamId: 'target-big/one', version: position, type: 'target.updated.v1', data: { note: EVENT_DATA }, metadata: {} };
      msg.respond(encode({ ok: true, value: { events: [event], next: position, more: true } }));
    } });
    await bus.nc.flush();
  });
  afterAll(async () => {
    await bus.close();
    stack.services.push(await startTelemetry({ databaseUrl: stack.databaseUrl, natsUrl: natsUrl(), busPrefix: stack.busPrefix }));
    await stack.stop();
  });

  /** A stream whose client reads nothing (as one that stalled): its socket fills, and its page waits in the gateway. */
  const stalledStream = () => new Promise<{ request: ClientRequest; response: IncomingMessage }>((resolve) => {
    const request = get(`${stack.url}/api/v1/events/stream?from=0`, { headers: { authorization: `Bearer ${stack.adminToken}` } }, (response) => {
      response.pause();
      response.on('error', () => undefined);
      resolve({ request, response });
    });
    request.on('error', () => undefined);
  });

  it('holds at most its bound: past it a stream waits and a page is refused 503 "retry shortly", and both are served once stalled clients leave', async () => {
    // given six streams whose clients stopped reading: together they hold the gateway's 6 MiB
    const stalled = await Promise.all(Array.from({ length: 6 }, stalledStream));
    expect(stalled.map(({ response }) => response.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    // once their sockets are full, each holds a page it cannot send, and nothing more is read
    await eventually(async () => {
      const reads = asked.length;
      await sleep(1_500);
      expect(asked.length).toBe(reads);
    }, 60_000);
    // when a page is listed (4 MiB) while they hold the gateway's memory for pages
    const list = () => stack.request('/api/v1/events?after=0');
    const refused = await list();
    expect(refused.status).toBe(503);
    // then it is refused after the wait bound, in the platform's shape, asking for a retry
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ error: { code: 'unavailable', message: 'this gateway holds as many pages of the audit log as it may for clients yet to take them: retry shortly' } });
    // and a seventh stream opens, but its page waits: nothing more is read meanwhile
    const readsBefore = asked.length;
    const waiting = new AbortController();
    const seventh = await stack.request('/api/v1/events/stream?from=0', { signal: waiting.signal });
    expect(seventh.status).toBe(200);
    expect((await list()).status).toBe(503);
    expect(asked.length).toBe(readsBefore);
    // when four of the stalled clients leave, their pages are let go: the waiting stream is sent its events, and a page is listed
    for (const { request } of stalled.slice(0, 4)) request.destroy();
    try {
      const reader = seventh.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toMatch(/^id: \d+\nevent: target\.updated\.v1\n/);
      await reader.cancel();
      await eventually(async () => expect((await list()).status).toBe(200), 30_000);
      // a page's read is the size the gateway sets, not more
      expect(asked.at(-1)).toMatchObject({ maxBytes: 4 * 1024 * 1024 });
    } finally {
      waiting.abort();
      for (const { request } of stalled) request.destroy();
    }
  });
});
