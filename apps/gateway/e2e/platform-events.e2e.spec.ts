import { Bus, CommandBus } from '@slipway/bus';
import { CreateTarget, hashToken } from '@slipway/contracts';
import { natsUrl } from '@slipway/testing';
import { get } from 'node:http';
import { Client } from 'pg';
import { checkAllSnapshots, replayAll } from '../../telemetry/src/replay/replay';
import { json, startStack, target, type Stack } from './stack';

/** The audit log through the gateway (pages, server-sent events), snapshots and replay, with every app booted. */
describe('the audit log, snapshots and replay behind the gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The default bound: nothing here tests a 202, and 20 commands of 250 KiB each took over a
    // second on a loaded CI machine (answered 202 where the test reads 201).
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  it('pages the event log by position and filters by stream and type', async () => {
    expect((await stack.request('/api/v1/namespaces/paged/deployment-targets', { method: 'POST', headers: json, body: target('first') })).status).toBe(201);
    const issued = await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'auditor', grants: [{ namespace: 'paged', capabilities: ['read'] }] }) });
    expect(issued.status).toBe(201);
    const { token } = await issued.json();
    const page1 = await (await stack.request('/api/v1/events?limit=2')).json();
    expect(page1.events).toHaveLength(2);
    const page2 = await (await stack.request(`/api/v1/events?limit=1000&after=${page1.next}`)).json();
    const positions = [...page1.events, ...page2.events].map((e: { position: number }) => e.position);
    expect(new Set(positions).size).toBe(positions.length);
    const byStream = await (await stack.request('/api/v1/events?stream=target-paged/*')).json();
    expect(byStream.events.map((e: { type: string }) => e.type)).toEqual(['target.created.v1']);
    const byType = await (await stack.request('/api/v1/events?type=token.issued.v1')).json();
    expect(byType.events.every((e: { type: string }) => e.type === 'token.issued.v1')).toBe(true);
    expect(byType.events.length).toBeGreaterThan(0);
    expect(JSON.stringify(byType)).not.toContain(token);
    const bad = await stack.request('/api/v1/events?limit=many');
    expect(bad.status).toBe(400);
    // A window finer than the millisecond events are written to: [t, t + 0.1 µs) holds what was written at t.
    const at = (page1.events[0] as { metadata: { occurredAt: string } }).metadata.occurredAt;
    expect(at).toMatch(/\.\d{3}Z$/);
    const fine = await stack.request(`/api/v1/events?since=${at.replace('Z', '0000Z')}&until=${at.replace('Z', '0001Z')}&limit=1000`);
    expect(fine.status).toBe(200);
    expect((await fine.json()).events.map((e: { position: number }) => e.position)).toContain(page1.events[0].position);
    // The reader's page budget is the gateway's streams' to set.
    const budget = await stack.request('/api/v1/events?maxBytes=65536');
    expect({ status: budget.status, body: await budget.json() }).toMatchObject({ status: 400, body: { error: { field: 'maxBytes' } } });
    // An unknown field is named with those the page takes (probe: it said only "unknown field").
    const foo = await stack.request('/api/v1/events?foo=1');
    expect({ status: foo.status, body: await foo.json() }).toMatchObject({ status: 400, body: { error: { field: 'foo', message: expect.stringContaining('takes after, limit, stream, type, actor') } } });
    // A filter Postgres cannot take (U+0000) is the request's fault, not a failed query.
    const nul = await stack.request('/api/v1/events?type=%00');
    expect({ status: nul.status, body: await nul.json() }).toEqual({ status: 400, body: { error: { code: 'invalid', field: 'type', message: expect.stringContaining('NUL') } } });
  });

  it('records a request\'s X-Correlation-Id and finds events by actor, command and correlation id', async () => {
    const issued = await (await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'release-bot', grants: [{ namespace: 'corr', capabilities: ['submit'] }] }) })).json();
    const release = { ...json, 'x-correlation-id': 'release-2026.12:run-7' };
    const targets = '/api/v1/namespaces/corr/deployment-targets';
    const created = await stack.request(targets, { method: 'POST', headers: { ...release, authorization: `Bearer ${issued.token}` }, body: target('one') });
    expect({ status: created.status, body: await created.json() }).toMatchObject({ status: 201 });
    const labelled = JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'one', labels: { tier: 'web' } }, spec: { kubernetes: { namespace: 'staging' } } });
    expect((await stack.request(`${targets}/one`, { method: 'PUT', headers: release, body: labelled })).status).toBe(200);
    expect((await stack.request(targets, { method: 'POST', headers: json, body: target('two') })).status).toBe(201);

    const chain = await (await stack.request(`/api/v1/events?correlationId=release-2026.12:run-7`)).json();
    type Logged = { type: string; streamId: string; metadata: { actor: string; commandId: string; correlationId: string } };
    expect(chain.events.map((e: Logged) => [e.type, e.metadata.actor])).toEqual([['target.created.v1', 'release-bot'], ['target.metadata-updated.v1', 'admin']]);
    const byActor = await (await stack.request('/api/v1/events?actor=release-bot&stream=target-corr/*')).json();
    expect(byActor.events.map((e: Logged) => e.type)).toEqual(['target.created.v1']);
    // which of a principal's tokens acted: its id, as /api/v1/tokens lists it
    expect(chain.events.map((e: Logged & { metadata: { tokenId?: string } }) => e.metadata.tokenId)).toEqual([issued.id, hashToken(stack.adminToken)]);
    // Without the header a chain is named by its first command.
    const second = (await (await stack.request('/api/v1/events?stream=target-corr/two')).json()).events[0] as Logged;
    expect(second.metadata.correlationId).toBe(second.metadata.commandId);
    const byCommand = await (await stack.request(`/api/v1/events?commandId=${second.metadata.commandId}`)).json();
    expect(byCommand.events.map((e: Logged) => e.streamId)).toEqual(['target-corr/two']);

    // An id sent on NATS that reads as a secret is refused as the header is, writing nothing (probe: it was kept, shown [redacted], and a prefix filter read it back)
    const bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
    const secretId = 'token:SEKRIT32xq44311';
    const definition = { namespace: 'corr', name: 'secret-chain', labels: {}, annotations: {}, kubernetesNamespace: null };
    const sent = await new CommandBus(bus).send(CreateTarget, definition, { actor: { principal: 'admin', kind: 'token' }, correlationId: secretId, waitMs: 20_000 });
    await expect(new CommandBus(bus).send(CreateTarget, definition, { actor: { principal: 'admin', kind: 'token' }, commandId: 'db-password:SEKRIT31xq', waitMs: 20_000 }))
      .rejects.toMatchObject({ code: 'invalid', field: 'commandId' });
    await bus.close();
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'invalid', message: expect.stringMatching(/correlationId: must not hold what reads as a secret/) } } });
    expect(JSON.stringify(sent)).not.toContain('SEKRIT');
    expect((await (await stack.request(`/api/v1/events?correlationId=${encodeURIComponent(secretId)}`)).json()).events).toEqual([]);
    expect((await stack.request('/api/v1/namespaces/corr/deployment-targets/secret-chain')).status).toBe(404);
    // and a prefix that reads as a secret is refused, lest one recorded before be read back through it (review)
    const probing = await stack.request(`/api/v1/events?correlationId=${encodeURIComponent('token:S*')}`);
    expect({ status: probing.status, body: JSON.stringify(await probing.json()) }).toEqual({ status: 400, body: expect.stringContaining('a prefix that reads as a secret is not taken') });
    expect((await stack.request(`/api/v1/events?correlationId=${encodeURIComponent('token:*')}`)).status).toBe(200);

    // A header the log could not show as sent is refused, naming it, and nothing is written.
    const refused = await stack.request(targets, { method: 'POST', headers: { ...json, 'x-correlation-id': 'has space' }, body: target('three') });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('X-Correlation-Id');
    expect((await stack.request(`${targets}/three`)).status).toBe(404);
  });

  it('streams events as SSE from a position, then live', async () => {
    const controller = new AbortController();
    const response = await stack.request('/api/v1/events/stream?from=0', { signal: controller.signal });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const created = stack.request('/api/v1/namespaces/sse/deployment-targets', { method: 'POST', headers: json, body: target('live') });
    while (!text.includes('target-sse/live')) text += decoder.decode((await reader.read()).value);
    controller.abort();
    expect((await created).status).toBe(201);
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers a stream at once, with nothing to send yet', async () => {
    // Not a timing: the headers used to wait for the first heartbeat, 15 s away.
    const controller = new AbortController();
    const bound = setTimeout(() => controller.abort(), 10_000);
    const quiet = await stack.request('/api/v1/events/stream?from=0&stream=nothing-here', { signal: controller.signal }).finally(() => clearTimeout(bound));
    controller.abort();
    expect(quiet.status).toBe(200);
    expect(quiet.headers.get('content-type')).toContain('text/event-stream');
  });

  it('refuses times Postgres cannot read, empty filters and a stream\'s page parameters, naming them', async () => {
    for (const query of ['since=0000-01-01T00:00:00Z', 'until=2020-01-01T00:00:00%2B16:00', 'stream=', 'actor=']) {
      const listed = await stack.request(`/api/v1/events?${query}`);
      const field = query.split('=')[0];
      expect({ status: listed.status, body: await listed.json() }).toMatchObject({ status: 400, body: { error: { code: 'invalid', field } } });
      const streamed = await stack.request(`/api/v1/events/stream?${query}`);
      expect({ status: streamed.status, body: await streamed.json() }).toMatchObject({ status: 400, body: { error: { code: 'invalid', field } } });
    }
    for (const field of ['after', 'limit']) {
      const streamed = await stack.request(`/api/v1/events/stream?${field}=5`);
      expect({ status: streamed.status, body: await streamed.json() }).toMatchObject({ status: 400, body: { error: { code: 'invalid', field } } });
    }
  });

  it('cuts a page of large events at 4 MiB of event data, more following (a page waits in memory for its client)', async () => {
    // 20 targets of 250 KiB of annotations each: 5 MiB of events
    const big = (name: string) => JSON.stringify({ metadata: { name, annotations: { note: 'x'.repeat(250 * 1024) } }, spec: { kubernetes: { namespace: 'staging' } } });
    for (let i = 0; i < 20; i++) {
      expect((await stack.request('/api/v1/namespaces/large/deployment-targets', { method: 'POST', headers: json, body: big(`t${i}`) })).status).toBe(201);
    }
    const page = await (await stack.request('/api/v1/events?stream=target-large/*&limit=1000')).json();
    const bytes = page.events.reduce((sum: number, event: { data: unknown }) => sum + JSON.stringify(event.data).length, 0);
    expect(page.events.length).toBeLessThan(20);
    expect(page.events.length).toBeGreaterThan(10);
    // Its last event may go past the budget (the budget is reached with it).
    expect(bytes).toBeLessThanOrEqual(4 * 1024 * 1024 + 260 * 1024);
    expect(page.more).toBe(true);
    const rest = await (await stack.request(`/api/v1/events?stream=target-large/*&limit=1000&after=${page.next}`)).json();
    expect(page.events.length + rest.events.length).toBe(20);
  });

  it('refuses a bad stream position naming where it came from', async () => {
    const fromQuery = await stack.request('/api/v1/events/stream?from=abc');
    expect({ status: fromQuery.status, body: await fromQuery.json() }).toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'from', message: expect.stringMatching(/^from: /) } } });
    const fromHeader = await stack.request('/api/v1/events/stream', { headers: { 'last-event-id': 'garbage' } });
    expect({ status: fromHeader.status, body: await fromHeader.json() }).toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'Last-Event-ID', message: expect.stringMatching(/^Last-Event-ID: /) } } });
    // Sent twice with different positions (Node joins them, "3, 4"), it is said so (probe).
    const twice = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = get(`${stack.url}/api/v1/events/stream`, { headers: { authorization: `Bearer ${stack.adminToken}`, 'last-event-id': ['3', '4'] } }, (answer) => {
        let body = '';
        answer.on('data', (chunk) => { body += chunk; }).on('end', () => resolve({ status: answer.statusCode!, body }));
      });
      request.on('error', reject);
    });
    expect({ status: twice.status, body: JSON.parse(twice.body) }).toMatchObject({ status: 400, body: { error: { field: 'Last-Event-ID', message: expect.stringContaining('given more than once') } } });
    // A header that takes over from `from` does not make a malformed `from` go unsaid.
    const both = await stack.request('/api/v1/events/stream?from=abc', { headers: { 'last-event-id': '5' } });
    expect({ status: both.status, body: await both.json() }).toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'from' } } });
    // A position past the log's end would resolve to whatever event is last when read, and
    // pass over each one written after: refused, 400, each naming where it was given (a
    // stream reads its first page before it answers: an EventSource does not retry a 400).
    const { next: last } = await (await stack.request('/api/v1/events?limit=1000&stream=no-such-stream')).json();
    expect(last).toBeGreaterThan(0);
    const beyond = last + 1_000_000;
    const paged = await stack.request(`/api/v1/events?after=${beyond}`);
    expect({ status: paged.status, body: await paged.json() }).toMatchObject({
      status: 400, body: { error: { code: 'invalid', field: 'after', message: expect.stringMatching(new RegExp(`^after ${beyond} is past the end of the log \\(its last event is at \\d+\\)`)) } },
    });
    for (const [source, headers, query] of [['from', {}, `?from=${beyond}`], ['Last-Event-ID', { 'last-event-id': String(beyond) }, '']] as const) {
      const streamed = await stack.request(`/api/v1/events/stream${query}`, { headers });
      expect({ status: streamed.status, body: await streamed.json() }).toMatchObject({
        status: 400, body: { error: { code: 'invalid', field: source, message: expect.stringMatching(new RegExp(`^${source} ${beyond} is past the end of the log \\(its last event is at \\d+\\)`)) } },
      });
    }
    // An empty Last-Event-ID is none: the `from` beside it is the position (probe: it was refused naming the header).
    const emptyHeader = await stack.request(`/api/v1/events/stream?from=${beyond}`, { headers: { 'last-event-id': '' } });
    expect({ status: emptyHeader.status, body: await emptyHeader.json() }).toMatchObject({ status: 400, body: { error: { field: 'from' } } });
    // The last position itself is where a reader that is caught up resumes.
    expect((await stack.request(`/api/v1/events?after=${last}`)).status).toBe(200);
  });

  it('a target edited past its snapshot interval answers from snapshot and later events alike', async () => {
    const path = '/api/v1/namespaces/snap/deployment-targets';
    const labelled = (n: number) => JSON.stringify({ kind: 'DeploymentTarget', apiVersion: 'v1', metadata: { name: 'edited', labels: { n: String(n) } }, spec: { kubernetes: { namespace: 'apps' } } });
    expect((await stack.request(path, { method: 'POST', headers: json, body: labelled(0) })).status).toBe(201);
    for (let n = 1; n <= 40; n++) expect((await stack.request(`${path}/edited`, { method: 'PUT', headers: json, body: labelled(n) })).status).toBe(200);
    // 41 events: a snapshot at 32, then nine more events folded onto it.
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    const { rows } = await db.query('SELECT stream_version FROM stream_snapshots WHERE decider = $1 AND stream_id = $2', ['deployment-target', 'target-snap/edited']).finally(() => db.end());
    expect(rows).toEqual([{ stream_version: 32 }]);
    const changed = await stack.request(`${path}/edited`, { method: 'PUT', headers: json, body: JSON.stringify({ ...JSON.parse(labelled(41)), spec: { kubernetes: { namespace: 'other' } } }) });
    expect(changed.status).toBe(422); // the spec is immutable: the state folded from the snapshot still knows it
    const seen = await (await stack.request(`${path}/edited`)).json();
    expect(seen.metadata).toMatchObject({ labels: { n: '40' }, resourceVersion: 41 });
    const check = await checkAllSnapshots(stack.databaseUrl);
    expect(check).toMatchObject({ differing: [], unused: 0 });
    expect(check.checked).toBeGreaterThanOrEqual(1);
  });

  it('replay rebuilds every projection from position 0 equal to the live one', async () => {
    for (const name of ['one', 'two', 'three']) {
      expect((await stack.request('/api/v1/namespaces/replayed/deployment-targets', { method: 'POST', headers: json, body: target(name) })).status).toBe(201);
    }
    const reports = await replayAll(stack.databaseUrl);
    expect(reports.map((r) => r.projection)).toEqual(expect.arrayContaining(['deployer_target_references', 'deployer_targets', 'deployer_tokens']));
    for (const report of reports) expect(report).toMatchObject({ equal: true });
    expect(reports.find((r) => r.projection === 'deployer_targets')!.events).toBeGreaterThan(3);
  });

  it('replay --repair gives a projection that differs from the log its rebuilt rows, while the services run', async () => {
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      expect((await stack.request('/api/v1/namespaces/repaired/deployment-targets', { method: 'POST', headers: json, body: target('stale') })).status).toBe(201);
      // What an upgrade that changed the projection's rules would leave: a row the log does not give.
      const { rowCount } = await db.query(`UPDATE deployer.targets SET labels = '{"stale": "yes"}'::jsonb WHERE namespace = 'repaired' AND name = 'stale'`);
      expect(rowCount).toBe(1);
      expect((await replayAll(stack.databaseUrl)).find((r) => r.projection === 'deployer_targets')).toMatchObject({ equal: false });
      const repaired = await replayAll(stack.databaseUrl, { repair: true });
      expect(repaired.find((r) => r.projection === 'deployer_targets')).toMatchObject({ repaired: true });
      expect(repaired.filter((r) => r.repaired).map((r) => r.projection)).toEqual(['deployer_targets']);
      const seen = await (await stack.request('/api/v1/namespaces/repaired/deployment-targets/stale')).json();
      expect(seen.metadata.labels).toEqual({});
      for (const report of await replayAll(stack.databaseUrl)) expect(report).toMatchObject({ equal: true });
    } finally {
      await db.end();
    }
  });
});
