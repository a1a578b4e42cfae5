import { connect } from 'node:net';
import { Bus, decode, encode } from '@slipway/bus';
import { ReadEvents } from '@slipway/contracts';
import { Client } from 'pg';
import { eventually, natsUrl } from '@slipway/testing';
import { startTelemetry } from '../../telemetry/src/service';
import { STREAMS_PER_TOKEN } from '../src/platform/event-stream';
import { startStack, type Stack } from './stack';

const json = { 'content-type': 'application/json' };

/** Reads an SSE body until `done` holds for the text so far, or the stream ends. */
async function readUntil(body: ReadableStream<Uint8Array>, done: (text: string) => boolean): Promise<{ text: string; ended: boolean }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done: ended } = await reader.read();
    if (ended) return { text, ended: true };
    text += decoder.decode(value, { stream: true });
    if (done(text)) {
      await reader.cancel();
      return { text, ended: false };
    }
  }
}

describe('the event stream when the log\'s reader is away', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ commandWaitMs: 5_000 });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('stays open while the reader is down and sends what was logged meanwhile once it is back', async () => {
    // given a stream opened while the telemetry service (the log's reader) is stopped
    const telemetry = stack.services.pop()!;
    await telemetry.close();
    const controller = new AbortController();
    const bound = setTimeout(() => controller.abort(), 60_000);
    try {
      const response = await stack.request('/api/v1/events/stream?from=0&stream=target-away*', { signal: controller.signal });
      expect(response.status).toBe(200);
      // when a target is created meanwhile, and the reader comes back
      const created = await stack.request('/api/v1/namespaces/away/deployment-targets', {
        method: 'POST', headers: json, body: JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'meanwhile' }, spec: { kubernetes: { namespace: 'ns' } } }),
      });
      expect(created.status).toBe(201);
      stack.services.push(await startTelemetry({ databaseUrl: stack.databaseUrl, natsUrl: natsUrl(), busPrefix: stack.busPrefix }));
      // then the same stream sends its event
      const { text, ended } = await readUntil(response.body!, (so) => so.includes('target-away/meanwhile'));
      expect(ended).toBe(false);
      expect(text).toMatch(/^event: target\.created\.v1$/m);
    } finally {
      clearTimeout(bound);
      controller.abort();
    }
  });

  it('ends with a `refused` event once its token is revoked, sending nothing logged after', async () => {
    // given a stream opened with a token that may read every namespace
    const issued = await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'auditor', grants: [{ namespace: '*', capabilities: ['read'] }] }) });
    expect(issued.status).toBe(201);
    const { id, token } = await issued.json();
    const controller = new AbortController();
    const bound = setTimeout(() => controller.abort(), 30_000);
    try {
      const response = await stack.request('/api/v1/events/stream?from=0&stream=target-revoked*', { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
      expect(response.status).toBe(200);
      // when the token is revoked, and a target is created after
      expect((await stack.request(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(200);
      const created = await stack.request('/api/v1/namespaces/revoked/deployment-targets', {
        method: 'POST', headers: json, body: JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'after' }, spec: { kubernetes: { namespace: 'ns' } } }),
      });
      expect(created.status).toBe(201);
      // then the stream says why and ends, without the event
      const { text, ended } = await readUntil(response.body!, () => false);
      expect(ended).toBe(true);
      expect(text).toMatch(/retry: 30000\nevent: refused\ndata: \{"code":"unauthorized",/);
      expect(text).not.toContain('target-revoked/after');
    } finally {
      clearTimeout(bound);
      controller.abort();
    }
  });

  /**
   * Runs `check` with the telemetry service (the log's reader) stopped and a stand-in
   * answering its n-th read (from 1) with `answer(n)`; the reader is back afterwards.
   */
  async function withStandInReader(
    answer: (read: number) => unknown | Promise<unknown>, check: (signal: AbortSignal, reads: () => number) => Promise<void>, asked?: (payload: unknown) => void,
  ): Promise<void> {
    const telemetry = stack.services.pop()!;
    await telemetry.close();
    const bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
    let reads = 0;
    const reader = bus.nc.subscribe(bus.subject(ReadEvents.subject), { callback: (_error, msg) => {
      reads++;
      asked?.((decode(msg.data) as { payload: unknown }).payload);
      void Promise.resolve(answer(reads)).then((value) => msg.respond(encode(value)));
    } });
    await bus.nc.flush();
    const controller = new AbortController();
    const bound = setTimeout(() => controller.abort(), 30_000);
    try {
      await check(controller.signal, () => reads);
    } finally {
      clearTimeout(bound);
      controller.abort();
      reader.unsubscribe();
      await bus.close();
      stack.services.push(await startTelemetry({ databaseUrl: stack.databaseUrl, natsUrl: natsUrl(), busPrefix: stack.busPrefix }));
    }
  }

  it('refuses a filter the reader refuses at once with a 400 naming it (an EventSource does not retry that), reading it once', async () => {
    // given a reader that refuses every read's filter (a stand-in: the gateway checks filters first, so the service never does today)
    const refusal = { ok: false, error: { code: 'invalid', message: 'stream: not a filter this reader knows', field: 'stream' } };
    await withStandInReader(() => refusal, async (signal, reads) => {
      const response = await stack.request('/api/v1/events/stream?from=0', { signal });
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 400, body: { error: { code: 'invalid', message: 'stream: not a filter this reader knows', field: 'stream' } },
      });
      expect(reads()).toBe(1);
    });
  });

  it('ends with a `refused` event naming the problem when the reader refuses the filter after the stream opened, not retrying it', async () => {
    // given a reader that refuses every read's filter, later than the stream waits to answer
    const refusal = { ok: false, error: { code: 'invalid', message: 'stream: not a filter this reader knows', field: 'stream' } };
    await withStandInReader(() => new Promise((resolve) => setTimeout(() => resolve(refusal), 2_500)), async (signal, reads) => {
      const response = await stack.request('/api/v1/events/stream?from=0', { signal });
      expect(response.status).toBe(200);
      // then the stream says so and ends, after that one read
      const { text, ended } = await readUntil(response.body!, () => false);
      expect(ended).toBe(true);
      expect(text).toContain('retry: 30000\nevent: refused\ndata: {"code":"invalid","message":"stream: not a filter this reader knows","field":"stream"}\n\n');
      expect(reads()).toBe(1);
    });
  });

  it('reads a stream\'s pages with a budget of 1 MiB of event data, not the reader\'s 16 (a page waits in memory for its client)', async () => {
    const asked: unknown[] = [];
    const emptyPage = { ok: true, value: { events: [], next: 0, more: false } };
    await withStandInReader(() => emptyPage, async (signal) => {
      const response = await stack.request('/api/v1/events/stream?from=0&type=target.created.v1', { signal });
      expect(response.status).toBe(200);
      await eventually(() => expect(asked.length).toBeGreaterThan(0));
    }, (payload) => asked.push(payload));
    expect(asked[0]).toEqual({ after: 0, type: 'target.created.v1', limit: 500, maxBytes: 1024 * 1024 });
  });

  it('reads pages for at most four streams at once, and none for a stream whose client left meanwhile', async () => {
    // given a reader slow to answer, and six clients that open a stream each and leave
    const emptyPage = { ok: true, value: { events: [], next: 0, more: false } };
    await withStandInReader(() => new Promise((resolve) => setTimeout(() => resolve(emptyPage), 1_500)), async (_signal, reads) => {
      const clients = Array.from({ length: 6 }, () => new AbortController());
      const responses = await Promise.all(clients.map((c) => stack.request('/api/v1/events/stream?from=0', { signal: c.signal })));
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
      await eventually(() => expect(reads()).toBe(4));
      for (const client of clients) client.abort();
      // then, once the four reads are answered, the two that waited read nothing: their clients are gone
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(reads()).toBe(4);
      await eventually(async () => expect(await streamsOpen()).toBe(0));
    });
  });

  it('refuses a token more than its share of open streams, 429 in the platform\'s shape; others, and it once one closes, are served', async () => {
    const issue = async (principal: string) => (await (await stack.request('/api/v1/tokens', {
      method: 'POST', headers: json, body: JSON.stringify({ principal, grants: [{ namespace: '*', capabilities: ['read'] }] }),
    })).json()).token as string;
    const [greedy, other] = [await issue('greedy-reader'), await issue('other-reader')];
    const open = (token: string, controller: AbortController) =>
      stack.request('/api/v1/events/stream?from=0&stream=nothing-here', { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    const held = Array.from({ length: STREAMS_PER_TOKEN }, () => new AbortController());
    const extra = new AbortController();
    try {
      expect((await Promise.all(held.map((c) => open(greedy, c)))).map((r) => r.status)).toEqual(Array(STREAMS_PER_TOKEN).fill(200));
      const refused = await open(greedy, new AbortController());
      expect({ status: refused.status, body: await refused.json() }).toEqual({
        status: 429, body: { error: { code: 'limited', message: `this token holds ${STREAMS_PER_TOKEN} event streams open on this gateway, the most one may: close one first` } },
      });
      expect((await open(other, extra)).status).toBe(200);
      held.pop()!.abort();
      await eventually(async () => expect((await open(greedy, extra)).status).toBe(200));
    } finally {
      for (const controller of [...held, extra]) controller.abort();
    }
    await eventually(async () => expect(await streamsOpen()).toBe(0));
  });

  it('stops serving a stream whose client left while its token was being checked', async () => {
    const issued = await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'leaver', grants: [{ namespace: '*', capabilities: ['read'] }] }) });
    const { token } = await issued.json();
    // given a client that sends its request and closes the connection at once (the token's
    // first use: checked with the deployer, while the connection closes)
    const { port } = new URL(stack.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET /api/v1/events/stream?from=0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`);
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // when another client streams meanwhile
    const controller = new AbortController();
    try {
      const response = await stack.request('/api/v1/events/stream?from=0', { signal: controller.signal });
      expect(response.status).toBe(200);
      // then the gateway serves that one stream only
      await eventually(async () => expect(await streamsOpen()).toBe(1));
    } finally {
      controller.abort();
    }
    await eventually(async () => expect(await streamsOpen()).toBe(0));
  });

  /** The gateway's gauge of the event streams it serves. */
  async function streamsOpen(): Promise<number> {
    const text = await (await stack.request('/metrics')).text();
    return Number(/^slipway_event_streams_open (\d+)$/m.exec(text)?.[1]);
  }

  it('reads again while the reader\'s database refuses connections (as while it restarts), and sends what follows once it is back', async () => {
    // given a stream open on an empty stream filter, its reads watched on the bus
    const bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
    let reads = 0;
    const watch = bus.nc.subscribe(bus.subject(ReadEvents.subject), { callback: () => { reads++; } });
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    const database = new URL(stack.databaseUrl).pathname.slice(1);
    const controller = new AbortController();
    const bound = setTimeout(() => controller.abort(), 60_000);
    try {
      const response = await stack.request('/api/v1/events/stream?from=0&stream=target-outage*', { signal: controller.signal });
      expect(response.status).toBe(200);
      // when the database takes no connections and drops those it had, until the stream has
      // read (and failed) at least once; the token check fails meanwhile too, reading nothing
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [database]);
      const before = reads;
      await eventually(async () => expect(reads).toBeGreaterThan(before), 30_000);
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      // then the same stream, still open, sends what is logged after
      const created = await stack.request('/api/v1/namespaces/outage/deployment-targets', {
        method: 'POST', headers: json, body: JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'after' }, spec: { kubernetes: { namespace: 'ns' } } }),
      });
      expect(created.status).toBe(201);
      const { text, ended } = await readUntil(response.body!, (so) => so.includes('target-outage/after'));
      expect(ended).toBe(false);
      expect(text).not.toContain('event: refused');
    } finally {
      clearTimeout(bound);
      controller.abort();
      await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`);
      await admin.end();
      watch.unsubscribe();
      await bus.close();
    }
  });
});
