import { request } from 'node:http';
import OpenApiParser from '@readme/openapi-parser';
import { headers } from '@nats-io/nats-core';
import { Bus, CommandBus, DEAD_LETTER_HEADERS, decode, encode } from '@slipway/bus';
import { Authenticate, command, CreateTarget, IssueToken, hashToken } from '@slipway/contracts';
import { createPool, noteDeadLettered } from '@slipway/event-log';
import type { Pool } from 'pg';
import { eventually, natsUrl } from '@slipway/testing';
import { replayAll } from '../../telemetry/src/replay/replay';
import { startDeployer } from '../../deployer/src/service';
import { z } from 'zod';
import { get, json, startStack, target, type Stack } from './stack';

/** A command of a later version, which the deployer of this one does not handle. */
const FromTheFuture = command('cmd.deployer.from-the-future.v1', z.object({}).passthrough());

describe('platform endpoints, auth and the bus behind the gateway', () => {
  let stack: Stack;
  let bus: Bus;
  let commands: CommandBus;
  beforeAll(async () => {
    // The default bound: writes here assert their final status (201, 200, 409), and a loaded CI
    // machine can take over a second for one; the 202 below comes from a stopped deployer.
    stack = await startStack();
    bus = await Bus.connect({ url: natsUrl(), prefix: stack.busPrefix });
    commands = new CommandBus(bus);
  });
  afterAll(async () => {
    await bus.close();
    await stack.stop();
  });

  it('checks capabilities per namespace (403 without, 200 with)', async () => {
    const token = 'reader-token-for-team-a';
    const tokenHash = hashToken(token);
    const issued = await commands.send(IssueToken, { principal: 'reader', tokenHash, grants: [{ namespace: 'team-a', capabilities: ['read'] }] }, { actor: { principal: 'admin', kind: 'token' } });
    expect(issued).toMatchObject({ status: 'completed', reply: { ok: true } });
    const as = { authorization: `Bearer ${token}` };
    expect((await stack.request('/api/v1/namespaces/team-a/deployment-targets', { headers: as })).status).toBe(200);
    const denied = await stack.request('/api/v1/namespaces/team-a/deployment-targets', { method: 'POST', headers: { ...as, ...json }, body: target('x') });
    expect(denied.status).toBe(403);
    expect((await denied.json()).message).toContain('"submit"');
    expect((await stack.request('/api/v1/namespaces/team-b/deployment-targets', { headers: as })).status).toBe(403);
    // Nomad's header carries the same token.
    expect((await stack.request('/api/v1/namespaces/team-a/deployment-targets', { headers: { authorization: '', 'x-nomad-token': token } })).status).toBe(200);
    // Two tokens (of any two headers, in either order; or one header twice): which would act cannot be told, so neither does.
    for (const headers of [{ ...as, token: stack.adminToken }, { authorization: `Bearer ${stack.adminToken}`, 'x-nomad-token': token }]) {
      const both = await stack.request('/api/v1/namespaces/team-a/deployment-targets', { headers });
      expect({ status: both.status, message: (await both.json()).message }).toEqual({ status: 400, message: expect.stringContaining('send one token') });
    }
    // the same token in two headers is that token
    expect((await stack.request('/api/v1/namespaces/team-a/deployment-targets', { headers: { ...as, token } })).status).toBe(200);
    const { hostname, port } = new URL(stack.url);
    const sentWith = (headers: string[]) => new Promise<number>((resolve, reject) => {
      // Headers as a list (a name twice is sent twice); Node then adds no Host of its own.
      request({ hostname, port, path: '/api/v1/namespaces/team-a/deployment-targets', headers: ['Host', `${hostname}:${port}`, ...headers] }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject).end();
    });
    expect(await sentWith(['Authorization', `Bearer ${token}`])).toBe(200);
    expect(await sentWith(['Authorization', `Bearer ${token}`, 'Authorization', `Bearer ${stack.adminToken}`])).toBe(400);
    // one token sent twice in a header Node joins ("t, t") is that token
    expect(await sentWith(['Token', token, 'Token', token])).toBe(200);
  });

  it('handles a command published on NATS by another process exactly as one from the gateway', async () => {
    const sent = await commands.send(CreateTarget, { namespace: 'direct', name: 'from-nats', labels: {}, annotations: {}, kubernetesNamespace: 'apps' }, { actor: { principal: 'ci-bot', kind: 'service' } });
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: true } });
    const seen = await stack.request('/api/v1/namespaces/direct/deployment-targets/from-nats');
    expect(seen.status).toBe(200);
    expect((await seen.json()).spec.kubernetes.namespace).toBe('apps');
  });

  it('uses Idempotency-Key as the command id: a retried POST gets the first answer, byte for byte', async () => {
    const headers = { ...json, 'idempotency-key': 'create-retry-1' };
    // Labels in an order of their own: Postgres' jsonb would keep them shortest key first.
    const body = JSON.stringify({ ...JSON.parse(target('once')), metadata: { name: 'once', labels: { 'zone-long': 'a', tier: 'b', z: 'c' } } });
    const first = await stack.request('/api/v1/namespaces/idem/deployment-targets', { method: 'POST', headers, body });
    const retry = await stack.request('/api/v1/namespaces/idem/deployment-targets', { method: 'POST', headers, body });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    // The same bytes, not only equal content: the outcome is kept as its JSON text (jsonb sorted its keys).
    const text = await first.text();
    expect(await retry.text()).toBe(text);
    const answer = JSON.parse(text);
    // the same URL with its letters percent-encoded (RFC 3986 reads it the same) is the same request
    const encoded = await stack.request('/api/v1/namespaces/%69dem/deployment-targets', { method: 'POST', headers, body });
    expect({ status: encoded.status, body: await encoded.json() }).toEqual({ status: 201, body: answer });
  });

  it('reads an Idempotency-Key as sent: two that differ are refused, one sent twice is that key', async () => {
    const { hostname, port } = new URL(stack.url);
    const body = target('keyed-twice');
    // Headers as a list (a name twice is sent twice): Node's server would otherwise see them joined, "a, b"
    const post = (keys: string[]) => new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const sent = ['Host', `${hostname}:${port}`, 'Authorization', `Bearer ${stack.adminToken}`, 'Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(body)), ...keys.flatMap((key) => ['Idempotency-Key', key])];
      request({ hostname, port, method: 'POST', path: '/api/v1/namespaces/idem4/deployment-targets', headers: sent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      }).on('error', reject).end(body);
    });
    // two keys that differ: which names the request cannot be told, so it is not run
    expect(await post(['twice-a', 'twice-b'])).toMatchObject({ status: 400, body: { field: 'Idempotency-Key', message: expect.stringContaining('send one Idempotency-Key') } });
    expect((await stack.request('/api/v1/namespaces/idem4/deployment-targets/keyed-twice')).status).toBe(404);
    // one key sent twice (a proxy repeating it) is that key: a retry sending it once gets the first answer
    const first = await post(['twice-a', 'twice-a']);
    expect(first.status).toBe(201);
    expect(await post(['twice-a'])).toEqual(first);
  });

  it('scopes an Idempotency-Key to its endpoint; the same key with another body is refused naming the header, not run', async () => {
    const headers = { ...json, 'idempotency-key': 'reused-key' };
    const first = await stack.request('/api/v1/namespaces/idem/deployment-targets', { method: 'POST', headers, body: target('first') });
    expect(first.status).toBe(201);
    // the same key with another body is neither a second request nor answered the first one's outcome
    const other = await stack.request('/api/v1/namespaces/idem/deployment-targets', { method: 'POST', headers, body: target('second') });
    expect({ status: other.status, body: await other.json() }).toEqual({ status: 400, body: {
      kind: 'Error', apiVersion: 'v1', statusCode: 400, reason: 'BadRequest', field: 'Idempotency-Key',
      message: expect.stringContaining('Idempotency-Key was used before for this endpoint with another request body'),
    } });
    expect((await stack.request('/api/v1/namespaces/idem/deployment-targets/second')).status).toBe(404);
    // the same body again (a retry) still gets the first answer, and the same key on another endpoint is handled there
    const retry = await stack.request('/api/v1/namespaces/idem/deployment-targets', { method: 'POST', headers, body: target('first') });
    expect({ status: retry.status, body: await retry.json() }).toEqual({ status: 201, body: await first.json() });
    const elsewhere = await stack.request('/api/v1/namespaces/idem2/deployment-targets', { method: 'POST', headers, body: target('first') });
    expect(elsewhere.status).toBe(201);
    expect((await elsewhere.json()).metadata).toMatchObject({ name: 'first', namespace: 'idem2' });
  });

  it('scopes an Idempotency-Key to the token: another token of the same principal sending it makes another request', async () => {
    const grants = [{ namespace: 'idem3', capabilities: ['read', 'submit'] }];
    const tokens = await Promise.all([1, 2].map(async () => (await (await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'twin', grants }) })).json()).token as string));
    const send = (token: string) => stack.request('/api/v1/namespaces/idem3/deployment-targets', {
      method: 'POST', headers: { ...json, authorization: `Bearer ${token}`, 'idempotency-key': 'deploy-1' }, body: target('twin'),
    });
    expect((await send(tokens[0]!)).status).toBe(201);
    expect((await send(tokens[0]!)).status).toBe(201);
    expect((await send(tokens[1]!)).status).toBe(409);
  });

  it('answers 202 with a status URL while the deployer is down, and the command is handled when it returns', async () => {
    // The admin token as the deployer's token store answers it, for a stand-in to answer while
    // the deployer is down: the gateway keeps an answer 5 s only, and from its last lookup to the
    // status read below (the 202 waits out the bound) may take longer, the more on a loaded machine.
    const adminHash = hashToken(stack.adminToken);
    const admin = await commands.query(Authenticate, { tokenHash: adminHash });
    expect(admin).toMatchObject({ ok: true });
    const deployer = stack.services.shift()!;
    await deployer.close();
    // A token this gateway has not seen cannot be checked: said so, a write not sent.
    const unchecked = await stack.request('/api/v1/namespaces/later/deployment-targets', { method: 'POST', headers: { ...json, authorization: 'Bearer never-seen-token' }, body: target('unchecked') });
    expect({ status: unchecked.status, body: await unchecked.json() })
      .toEqual({ status: 503, body: { kind: 'Error', apiVersion: 'v1', statusCode: 503, reason: 'ServiceUnavailable', message: expect.stringMatching(/^the token could not be checked, so nothing was done: no deployer service is running/) } });
    const tokenStore = bus.nc.subscribe(bus.subject(Authenticate.subject), { callback: (_error, msg) => {
      if (decode<{ payload: { tokenHash: string } }>(msg.data).payload.tokenHash === adminHash) msg.respond(encode(admin));
    } });
    await bus.nc.flush();
    let statusUrl = '';
    try {
      const withSecrets = { ...JSON.parse(target('queued')), metadata: { name: 'queued', annotations: { 'db-password': 'hunter2', url: 'postgres://u:pw-77@h/db' } } };
      const accepted = await stack.request('/api/v1/namespaces/later/deployment-targets', { method: 'POST', headers: { ...json, 'idempotency-key': 'queued-1' }, body: JSON.stringify(withSecrets) });
      expect(accepted.status).toBe(202);
      const { commandId, ...answer } = await accepted.json();
      statusUrl = answer.statusUrl;
      expect(accepted.headers.get('location')).toBe(statusUrl);
      expect(await (await stack.request(statusUrl)).json()).toMatchObject({ commandId, status: 'pending' });
      // An id nothing answered with 202 is not pending: it is not found.
      const neverSent = await stack.request(`/api/v1/commands/${commandId}-typo`);
      expect(neverSent.status).toBe(404);
      expect(await neverSent.json()).toEqual({ error: { code: 'not-found', message: expect.stringContaining(`"${commandId}-typo"`) } });
    } finally {
      tokenStore.unsubscribe();
    }

    stack.services.unshift(await startDeployer({ databaseUrl: stack.databaseUrl, natsUrl: natsUrl(), busPrefix: stack.busPrefix }));
    // Polled until it is no longer pending, for as long as a loaded machine may take (10 s was a fixed budget).
    const status = await eventually(async () => {
      const read: { status: string; outcome?: unknown } = await (await stack.request(statusUrl)).json();
      expect(read.status).not.toBe('pending');
      return read;
    }, 30_000, 100);
    expect(status).toMatchObject({ status: 'succeeded', outcome: { ok: true, value: { name: 'queued' } } });
    // secret-looking values read as the audit log shows them: any token may follow a status URL
    expect(JSON.stringify(status)).not.toMatch(/hunter2|pw-77/);
    // the fingerprint its Idempotency-Key recorded is the bus's, not shown
    expect(Object.keys(status).sort()).toEqual(['commandId', 'completedAt', 'outcome', 'status', 'subject']);
    expect((await stack.request('/api/v1/namespaces/later/deployment-targets/queued')).status).toBe(200);
  });

  it('lists what the bus gave up on for an admin, secret values replaced, paged by sequence', async () => {
    // given a command no deployer of this version handles, carrying a secret, and a body that is not JSON
    const commandId = `dead-${Date.now()}`;
    const envelope = { commandId, correlationId: commandId, actor: { principal: 'script', kind: 'token' }, issuedAt: new Date().toISOString(), payload: { name: 'x', password: 'hunter2' } };
    await bus.js.publish(bus.subject(FromTheFuture.subject), JSON.stringify(envelope), { msgID: commandId });
    await bus.js.publish(bus.subject('cmd.deployer.create-target.v1'), 'not json {', { msgID: `${commandId}-garbage` });

    // when an admin reads the dead letters (the first is filed once its five deliveries, 51 s
    // apart in all, found no instance that handles it)
    let page: { deadLetters: Array<Record<string, unknown>>; next: number } = { deadLetters: [], next: 0 };
    for (let i = 0; i < 900 && page.deadLetters.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 100));
      page = await (await stack.request('/api/v1/dead-letters')).json();
    }

    // then both are there (filed in the order the deployer gave up on them), with why, and no secret
    expect(page.deadLetters).toHaveLength(2);
    expect(page.deadLetters).toEqual(expect.arrayContaining([
      expect.objectContaining({ subject: 'cmd.deployer.from-the-future.v1', commandId, messageId: commandId, reason: expect.stringContaining('no handler'), deliveries: 5, payload: { name: 'x', password: '[redacted]' } }),
      // a body that is not a command has no id of its own: its message id is how its sender finds it
      expect.objectContaining({ subject: 'cmd.deployer.create-target.v1', undecodableBytes: 10, messageId: `${commandId}-garbage` }),
    ]));
    expect(JSON.stringify(page)).not.toContain('hunter2');
    // and the body that is no JSON (text, which may hold a password anywhere) is not kept, only its size
    const filed = await bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { last_by_subj: bus.subject('dead.cmd.deployer.create-target.v1') });
    expect(filed?.data.length).toBe(0);
    expect(page.next).toBe(page.deadLetters[1]!.sequence);
    // and the next page starts after the last one seen
    const rest = await (await stack.request(`/api/v1/dead-letters?after=${String(page.deadLetters[0]!.sequence)}&limit=5`)).json();
    expect(rest.deadLetters.map((d: { sequence: number }) => d.sequence)).toEqual([page.deadLetters[1]!.sequence]);
    // and the command's status says it failed
    expect(await (await stack.request(`/api/v1/commands/${commandId}`)).json()).toMatchObject({ status: 'failed' });

    // when the admin discards the first once dealt with, it is gone from the list, and the log says who and what
    const first = page.deadLetters.find((d) => d.commandId === commandId)!;
    const discarded = await stack.request(`/api/v1/dead-letters/${String(first.sequence)}`, { method: 'DELETE' });
    expect(discarded.status).toBe(200);
    expect(await discarded.json()).toMatchObject({ sequence: first.sequence, commandId, subject: 'cmd.deployer.from-the-future.v1' });
    expect((await (await stack.request('/api/v1/dead-letters')).json()).deadLetters.map((d: { sequence: number }) => d.sequence))
      .toEqual(page.deadLetters.filter((d) => d !== first).map((d) => d.sequence));
    const logged = await (await stack.request('/api/v1/events?type=deadletter.discarded.v1')).json();
    expect(logged.events).toEqual([expect.objectContaining({
      data: expect.objectContaining({ sequence: first.sequence, commandId, reason: expect.stringContaining('no handler') }),
      metadata: expect.objectContaining({ actor: 'admin' }),
    })]);
    expect(JSON.stringify(logged)).not.toContain('password');
    expect((await stack.request(`/api/v1/dead-letters/${String(first.sequence)}`, { method: 'DELETE' })).status).toBe(404);
    const notASequence = await stack.request('/api/v1/dead-letters/first', { method: 'DELETE' });
    expect(notASequence.status).toBe(400);
    expect(await notASequence.json()).toMatchObject({ error: { field: 'sequence' } });
    // Bad paging is a 400 naming the field; a token without admin everywhere is refused.
    const bad = await stack.request('/api/v1/dead-letters?limit=1000');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('limit');
    const reader = 'dead-letter-reader-token';
    await commands.send(IssueToken, { principal: 'dl-reader', tokenHash: hashToken(reader), grants: [{ namespace: '*', capabilities: ['read'] }] }, { actor: { principal: 'admin', kind: 'token' } });
    expect((await stack.request('/api/v1/dead-letters', { headers: { authorization: `Bearer ${reader}` } })).status).toBe(403);
  }, 150_000);

  it('sends a dead-lettered command kept whole again, as a new command the log ties to it, once (admin)', async () => {
    // given a create-target command filed in DEADLETTER as the bus files one it gave up on
    // (kept whole: no secret value in it), and two that cannot be sent again as filed
    const stamp = Date.now();
    const file = async (subject: string, body: unknown, whole: boolean) => {
      const h = headers();
      h.set(DEAD_LETTER_HEADERS.reason, 'Error: the handler failed');
      h.set(DEAD_LETTER_HEADERS.subject, bus.subject(subject));
      h.set(DEAD_LETTER_HEADERS.deliveries, '5');
      if (whole) h.set(DEAD_LETTER_HEADERS.whole, 'true');
      return (await bus.js.publish(bus.subject(`dead.${subject}`), JSON.stringify(body), { headers: h })).seq;
    };
    const filedId = `filed-${stamp}`;
    const payload = { namespace: 'redrive', name: 'revived', labels: { tier: 'web' }, annotations: {}, kubernetesNamespace: 'apps' };
    const whole = await file('cmd.deployer.create-target.v1', { commandId: filedId, correlationId: `chain-${stamp}`, actor: { principal: 'script', kind: 'token' }, issuedAt: new Date().toISOString(), payload }, true);
    const redacted = await file('cmd.deployer.create-target.v1', { commandId: `filed-redacted-${stamp}`, correlationId: 'c', actor: { principal: 'script', kind: 'token' }, issuedAt: new Date().toISOString(), payload: { ...payload, annotations: { password: '[redacted]' } } }, false);
    const anEvent = await file('evt.target.created.v1', { commandId: `filed-event-${stamp}`, payload: {} }, true);
    const listed = (await (await stack.request('/api/v1/dead-letters?limit=100')).json()).deadLetters as Array<{ sequence: number; redrivable: boolean }>;
    expect(listed.filter((d) => [whole, redacted, anEvent].includes(d.sequence)).map((d) => [d.sequence, d.redrivable])).toEqual([[whole, true], [redacted, false], [anEvent, false]]);

    // when an admin sends the whole one again
    const redriven = await stack.request(`/api/v1/dead-letters/${String(whole)}/redrive`, { method: 'POST' });

    // then it is answered with the new command's id and status URL, and that command creates the target
    expect(redriven.status).toBe(200);
    const body = await redriven.json();
    expect(body).toMatchObject({ sequence: whole, commandId: filedId, subject: 'cmd.deployer.create-target.v1', redrivenAs: expect.stringMatching(/^redriven-/) });
    expect(redriven.headers.get('location')).toBe(`/api/v1/commands/${String(body.redrivenAs)}`);
    await eventually(async () => expect(await (await stack.request(String(redriven.headers.get('location')))).json()).toMatchObject({ status: 'succeeded' }));
    expect(await (await stack.request('/api/v1/namespaces/redrive/deployment-targets/revived')).json()).toMatchObject({ metadata: { name: 'revived', labels: { tier: 'web' } } });
    // and the log says who sent it again and as what; the target's events name the admin, the filed command as cause, its chain
    const logged = await (await stack.request(`/api/v1/events?type=deadletter.redriven.v1`)).json();
    expect(logged.events).toEqual([expect.objectContaining({ data: expect.objectContaining({ sequence: whole, commandId: filedId, redrivenAs: body.redrivenAs }), metadata: expect.objectContaining({ actor: 'admin' }) })]);
    const created = await (await stack.request(`/api/v1/events?commandId=${String(body.redrivenAs)}`)).json();
    expect(created.events).toEqual([expect.objectContaining({ type: 'target.created.v1', metadata: expect.objectContaining({ actor: 'admin', causationId: filedId, correlationId: `chain-${stamp}` }) })]);
    // and the filed command can never run after it: its own id is recorded failed
    expect(await (await stack.request(`/api/v1/commands/${filedId}`)).json()).toMatchObject({ status: 'failed', outcome: { error: { message: expect.stringContaining(String(body.redrivenAs)) } } });
    // and the letter is gone: it is dealt with once
    expect((await (await stack.request('/api/v1/dead-letters?limit=100')).json()).deadLetters.map((d: { sequence: number }) => d.sequence)).not.toContain(whole);
    expect((await stack.request(`/api/v1/dead-letters/${String(whole)}/redrive`, { method: 'POST' })).status).toBe(404);

    // given a letter of a command whose success is recorded (filed for deliveries it never settled)
    const succeeded = await file('cmd.deployer.create-target.v1', { commandId: body.redrivenAs, correlationId: `chain-${stamp}`, actor: { principal: 'admin', kind: 'token' }, issuedAt: new Date().toISOString(), payload }, true);
    const before = await (await stack.request('/api/v1/namespaces/redrive/deployment-targets/revived')).json();
    // (as the bus notes a command dead-lettered after its success: its status says so)
    await withPool(stack.databaseUrl, (pool) => noteDeadLettered(pool, body.redrivenAs));
    expect(await (await stack.request(`/api/v1/commands/${body.redrivenAs}`)).json()).toMatchObject({ status: 'succeeded', deadLettered: { at: expect.any(String) } });
    // when it is sent again, then it goes under its own id, answered its outcome, and does nothing twice
    const again = await stack.request(`/api/v1/dead-letters/${String(succeeded)}/redrive`, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ sequence: succeeded, redrivenAs: body.redrivenAs });
    // and its status no longer says it waits for an operator
    expect(await (await stack.request(`/api/v1/commands/${body.redrivenAs}`)).json()).not.toHaveProperty('deadLettered');
    await eventually(async () => expect((await (await stack.request('/api/v1/dead-letters?limit=100')).json()).deadLetters.map((d: { sequence: number }) => d.sequence)).not.toContain(succeeded));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await (await stack.request('/api/v1/namespaces/redrive/deployment-targets/revived')).json()).toEqual(before);
    expect((await (await stack.request(`/api/v1/events?type=target.created.v1&stream=target-redrive/revived`)).json()).events).toHaveLength(1);

    // and the others are refused, saying why, and stay for the admin to deal with
    for (const [sequence, why] of [[redacted, 'without its secret values'], [anEvent, 'it is an event']] as const) {
      const refused = await stack.request(`/api/v1/dead-letters/${String(sequence)}/redrive`, { method: 'POST' });
      expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 400, body: { error: { field: 'sequence', message: expect.stringContaining(why) } } });
    }
    expect((await (await stack.request('/api/v1/dead-letters?limit=100')).json()).deadLetters.map((d: { sequence: number }) => d.sequence)).toEqual(expect.arrayContaining([redacted, anEvent]));
    // and only an admin of every namespace may send one again
    const submitter = 'dead-letter-submitter-token';
    await commands.send(IssueToken, { principal: 'dl-submitter', tokenHash: hashToken(submitter), grants: [{ namespace: '*', capabilities: ['read', 'submit'] }] }, { actor: { principal: 'admin', kind: 'token' } });
    expect((await stack.request(`/api/v1/dead-letters/${String(redacted)}/redrive`, { method: 'POST', headers: { authorization: `Bearer ${submitter}` } })).status).toBe(403);
  });

  it('refuses a YAML token request that contains itself, and goes on answering (it once walked it until out of memory)', async () => {
    const refused = await stack.request('/api/v1/tokens', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: '&r\nprincipal: *r\ngrants: []\n' });
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 400, body: { error: { code: 'invalid', message: expect.stringContaining('alias *r stands for a node that contains it') } } });
    expect((await stack.request('/healthz')).status).toBe(200);
  });

  it('refuses an Idempotency-Key on a token request, which could not answer a retry the first token', async () => {
    const refused = await stack.request('/api/v1/tokens', { method: 'POST', headers: { ...json, 'idempotency-key': 'token-retry-1' }, body: JSON.stringify({ principal: 'keyed', grants: [] }) });
    expect({ status: refused.status, body: await refused.json() }).toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'Idempotency-Key' } } });
    const listed = await (await stack.request('/api/v1/tokens')).json();
    expect(JSON.stringify(listed)).not.toContain('"keyed"');
  });

  it('issues, lists and revokes access tokens for an admin; a revoked token is refused', async () => {
    // when an admin issues a token that may read namespace team-x
    const issued = await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'ci-reader', grants: [{ namespace: 'team-x', capabilities: ['read'] }] }) });
    expect(issued.status).toBe(201);
    const { id, token, ...view } = await issued.json();
    expect(view).toEqual({ principal: 'ci-reader', grants: [{ namespace: 'team-x', capabilities: ['read'] }] });
    expect(token).toMatch(/^slw_[A-Za-z0-9_-]{43}$/);
    expect(id).toBe(hashToken(token));
    expect(issued.headers.get('location')).toBe(`/api/v1/tokens/${id}`);
    // where it points is the token, as the list shows it
    expect(await (await stack.request(`/api/v1/tokens/${id}`)).json()).toEqual({ id, principal: 'ci-reader', grants: [{ namespace: 'team-x', capabilities: ['read'] }], issuedAt: expect.any(String) });
    expect((await stack.request('/api/v1/tokens/NOT-AN-ID')).status).toBe(400);

    // then the token reads team-x and nothing more
    const as = { authorization: `Bearer ${token}` };
    expect((await stack.request('/api/v1/namespaces/team-x/deployment-targets', { headers: as })).status).toBe(200);
    expect((await stack.request('/api/v1/namespaces/team-x/deployment-targets', { method: 'POST', headers: { ...as, ...json }, body: target('y') })).status).toBe(403);
    expect((await stack.request('/api/v1/tokens', { headers: as })).status).toBe(403);
    // and it can read what it is
    expect(await (await stack.request('/api/v1/tokens/self', { headers: as })).json())
      .toEqual({ id, principal: 'ci-reader', grants: [{ namespace: 'team-x', capabilities: ['read'] }] });
    // and the list shows it by id, without its secret (nor anywhere in the log)
    const listed = await (await stack.request('/api/v1/tokens')).json();
    expect(listed.tokens).toContainEqual({ id, principal: 'ci-reader', grants: [{ namespace: 'team-x', capabilities: ['read'] }], issuedAt: expect.any(String) });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(JSON.stringify(await (await stack.request('/api/v1/events?limit=1000')).json())).not.toContain(token);

    // when it is revoked, it is refused at once, and gone from the list
    expect((await stack.request(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: { 'idempotency-key': 'k'.repeat(201) } })).status).toBe(400);
    const revoked = await stack.request(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: { 'idempotency-key': 'revoke-ci-reader' } });
    expect(revoked.status).toBe(200);
    const first = await revoked.json();
    expect(first).toMatchObject({ id, principal: 'ci-reader' });
    // a retried revocation under the same key answers the first outcome, as every write does
    const retried = await stack.request(`/api/v1/tokens/${id}`, { method: 'DELETE', headers: { 'idempotency-key': 'revoke-ci-reader' } });
    expect({ status: retried.status, body: await retried.json() }).toEqual({ status: 200, body: first });
    expect((await stack.request('/api/v1/namespaces/team-x/deployment-targets', { headers: as })).status).toBe(401);
    expect((await stack.request('/api/v1/tokens/self', { headers: as })).status).toBe(401);
    expect((await stack.request(`/api/v1/tokens/${id}`)).status).toBe(404);
    expect((await (await stack.request('/api/v1/tokens')).json()).tokens.map((t: { id: string }) => t.id)).not.toContain(id);
    expect((await stack.request(`/api/v1/tokens/${id}`, { method: 'DELETE' })).status).toBe(404);

    // a token revokes itself, its holder no admin (Vault's revoke-self): refused at once after
    const own = (await (await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'leaky', grants: [{ namespace: 'team-x', capabilities: ['read'] }] }) })).json()) as { id: string; token: string };
    const mine = { authorization: `Bearer ${own.token}` };
    const selfRevoked = await stack.request('/api/v1/tokens/self', { method: 'DELETE', headers: mine });
    expect({ status: selfRevoked.status, body: await selfRevoked.json() }).toMatchObject({ status: 200, body: { id: own.id, principal: 'leaky' } });
    expect((await stack.request('/api/v1/tokens/self', { headers: mine })).status).toBe(401);
    expect((await (await stack.request('/api/v1/tokens')).json()).tokens.map((t: { id: string }) => t.id)).not.toContain(own.id);
    for (const report of await replayAll(stack.databaseUrl)) expect(report).toMatchObject({ equal: true });

    // Bad requests name the problem.
    const refused = async (path: string, init: RequestInit) => { const r = await stack.request(path, init); return { status: r.status, body: await r.json() }; };
    expect(await refused('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'x', grants: [{ namespace: 'team-x', capabilities: ['write'] }] }) }))
      .toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'grants.0.capabilities.0' } } });
    // a principal the log gives Slipway's own actors (it would read as if the bootstrap admin had acted)
    expect(await refused('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'admin', grants: [{ namespace: 'team-x', capabilities: ['read'] }] }) }))
      .toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'principal', message: expect.stringContaining('Slipway gives its own actors') } } });
    for (const lookalike of ['Admin', 'ａｄｍｉｎ', 'ad\u200bmin', '\u0430dmin', 'adm\u0456n', 'sl\u0131pway', 'telem\u0435try', '\u1d00\u1d05\u1d0d\u026a\u0274', 'telemetr\u04af']) {
      expect((await refused('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: lookalike, grants: [{ namespace: 'team-x', capabilities: ['read'] }] }) })).status).toBe(400);
    }
    // a principal that reads in the log as another one
    for (const lookalike of ['bob\u200b', 'b\u034fob', 'bob\ufe0f', '\u3164bob']) {
      expect(await refused('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: lookalike, grants: [{ namespace: 'team-x', capabilities: ['read'] }] }) }))
        .toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'principal', message: expect.stringContaining('invisible characters') } } });
    }
    // a principal holding a token's secret, which the audit log would show every reader
    const secret = (await (await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'pasted', grants: [{ namespace: 'team-x', capabilities: ['read'] }] }) })).json()).token as string;
    const pasted = await refused('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: `ci ${secret}`, grants: [{ namespace: 'team-x', capabilities: ['read'] }] }) });
    expect(pasted).toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'principal', message: expect.stringContaining("must not hold a token's secret") } } });
    expect(JSON.stringify(pasted.body)).not.toContain(secret);
    // so is one holding a live token's secret of another shape: the bootstrap admin's, or an
    // issued one's without its prefix (sent by another admin: the sender's own is refused in any body, below)
    const otherAdmin = (await (await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'other-admin', grants: [{ namespace: '*', capabilities: ['admin'] }] }) })).json()).token as string;
    for (const principal of [stack.adminToken, `ci ${secret.slice('slw_'.length)}`, `x=${stack.adminToken}=`, `ci-${secret}-bot`]) {
      const held = await refused('/api/v1/tokens', { method: 'POST', headers: { ...json, authorization: `Bearer ${otherAdmin}` }, body: JSON.stringify({ principal, grants: [{ namespace: 'team-x', capabilities: ['read'] }] }) });
      expect(held).toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'principal', message: expect.stringContaining("must not hold a token's secret") } } });
      expect(JSON.stringify(held.body)).not.toContain(principal);
    }
    // a name like one is a name
    expect((await stack.request('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'slw_release_pipeline_bot', grants: [{ namespace: 'team-x', capabilities: ['read'] }] }) })).status).toBe(201);
    expect(await refused('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'x', grants: [{ namespace: 'team-x', capabilities: ['read', 'read'] }] }) }))
      .toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'grants.0.capabilities', message: expect.stringContaining('names a capability more than once') } } });
    expect(await refused('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'x', grants: [{ namespace: 'team-x', capabilities: ['read'] }, { namespace: 'team-x', capabilities: ['admin'] }] }) }))
      .toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'grants', message: expect.stringContaining('names a namespace more than once') } } });
    expect(await refused('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'x', grants: [{ namespace: '*', capabilities: ['read'] }], tokenHash: 'a'.repeat(64) }) }))
      .toMatchObject({ status: 400, body: { error: { field: 'tokenHash' } } });
    expect(await refused('/api/v1/tokens/not-an-id', { method: 'DELETE' })).toMatchObject({ status: 400, body: { error: { field: 'id' } } });
    // a principal no command could carry as its actor (every command of the token would be refused)
    expect(await refused('/api/v1/tokens', { method: 'POST', headers: json, body: JSON.stringify({ principal: 'ci\nreader', grants: [{ namespace: '*', capabilities: ['read'] }] }) }))
      .toMatchObject({ status: 400, body: { error: { code: 'invalid', field: 'principal', message: expect.stringContaining('control characters') } } });
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect(await (await get(`${stack.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await get(`${stack.url}/readyz`)).status).toBe(200);
    const metrics = await (await get(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/slipway_http_requests_total\{dialect="ververica",method="POST",status="201"\} \d+/);
    const openapi = await (await get(`${stack.url}/openapi.json`)).json();
    // Valid OpenAPI 3.1, by a validator of its schema (it throws naming what is not).
    await expect(OpenApiParser.validate(structuredClone(openapi))).resolves.toMatchObject({ openapi: '3.1.0' });
    expect(Object.keys(openapi.paths)).toContain('/api/v1/namespaces/{namespace}/deployment-targets/{name}');
    // the routes that ask for no token, as their handlers are marked, and those only
    const open = Object.entries(openapi.paths as Record<string, Record<string, { security: unknown[] }>>)
      .flatMap(([path, operations]) => Object.values(operations).filter((operation) => operation.security.length === 0).map(() => path));
    expect(open.sort()).toEqual(['/healthz', '/metrics', '/openapi.json', '/readyz']);
    // Every served route is listed, the dialects described by their documents included.
    expect(openapi.paths['/api/v1/control_plane/base_configs/{object}/versions'].get).toMatchObject({
      tags: ['instabase'], summary: expect.stringContaining('Instabase Deployment Manager'),
      parameters: [{ name: 'object', in: 'path', required: true }],
    });
    expect(openapi.paths['/api/v1/control_plane/base_configs'].post.tags).toEqual(['instabase']);
    expect(openapi.paths['/openapi.json'].get).toBeDefined();
    // as every answer, none to be kept by a cache (probe: these three alone carried no Cache-Control)
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json']) expect({ path, cache: (await get(`${stack.url}${path}`)).headers.get('cache-control') }).toEqual({ path, cache: 'no-store' });
    for (const [path, operations] of Object.entries<Record<string, { summary?: string }>>(openapi.paths)) {
      expect(path).not.toMatch(/:[A-Za-z]/);
      for (const operation of Object.values(operations)) expect(operation.summary).toEqual(expect.any(String));
    }
  });

  it('lists the query parameters each Instabase read takes, as the gateway refuses the others, and what a method not served answers (probe: none listed)', async () => {
    type Described = { parameters?: Array<{ name: string; in: string; required: boolean }>; responses: Record<string, unknown> };
    const openapi = await (await get(`${stack.url}/openapi.json`)).json() as { paths: Record<string, Record<string, Described>> };
    const reads = Object.entries(openapi.paths).filter(([path, byMethod]) => path.startsWith('/api/v1/control_plane/') && byMethod.get);
    expect(reads.length).toBeGreaterThan(20);
    for (const [path, { get: read }] of reads) {
      const query = (read!.parameters ?? []).filter((parameter) => parameter.in === 'query');
      const concrete = path.replace(/\{[^}]+\}/g, 'x');
      // The refusal of a name no route takes lists the names the route does take.
      const refusal = await (await stack.request(`${concrete}?not_taken=1`)).json() as { error: string };
      expect({ path, takes: refusal.error.replace(/^.* takes /, '') }).toEqual({ path, takes: query.length ? query.map(({ name }) => `"${name}"`).join(', ') : 'none' });
      // A required one left out is refused naming it.
      const required = query.find((parameter) => parameter.required);
      if (required) expect(await (await stack.request(concrete)).json()).toMatchObject({ statusCode: 400, error: `${required.name} is required` });
    }
    expect(reads.find(([path]) => path.endsWith('/patches/search'))![1].get!.parameters!.filter((p) => p.in === 'query').every((p) => p.required)).toBe(true);
    const unserved = await stack.request('/api/v1/control_plane/base_configs', { method: 'PATCH' });
    expect(unserved.status).toBe(405);
    expect(openapi.paths['/api/v1/control_plane/base_configs']!.get!.responses['405']).toMatchObject({ headers: { Allow: expect.anything() } });
  });
});

async function withPool<T>(databaseUrl: string, work: (pool: Pool) => Promise<T>): Promise<T> {
  const pool = createPool(databaseUrl);
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}
