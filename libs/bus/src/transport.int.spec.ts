import { randomUUID } from 'node:crypto';
import type { ConsumerInfo } from '@nats-io/jetstream';
import { command, GetCommandStatus, replySubject, type Actor, type CommandEnvelope } from '@slipway/contracts';
import { appendToStream, findOutcome, inTransaction } from '@slipway/event-log';
import { createTestDatabase, eventually, filesContaining, natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { encode } from './codec';
import { CommandBus } from './command-bus';
import { commandStatus } from './command-status';
import { readDeadLetters } from './dead-letters';
import { relayBatch } from './relay';
import { z } from 'zod';
import { answerCommandStatus, expectRetriedThenGivenUp, PROBE_EVENT, PROBE_NOTICED, ProbeBroken, ProbeSecretBroken, ProbeEcho, ProbeFlaky, ProbeRefuse, ProbeUnavailable, startProbe, type RunningProbe } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * The JetStream transport against a real NATS server and a real Postgres: a Nest
 * microservice ("probe", maxDeliveries 3) whose handlers fail on purpose.
 */
describe('JetStream transport: settlement against real NATS and Postgres', () => {
  let probe: RunningProbe;
  let bus: Bus;
  let commands: CommandBus;

  beforeAll(async () => {
    const prefix = testBusPrefix();
    probe = await startProbe({ natsUrl: natsUrl(), prefix, databaseUrl: await createTestDatabase(), maxDeliveries: 3 });
    bus = await Bus.connect({ url: natsUrl(), prefix });
    commands = new CommandBus(bus);
  });
  afterAll(async () => {
    await bus?.close();
    await probe?.close();
  });

  const consumer = (): Promise<ConsumerInfo> => bus.jsm.consumers.info(bus.stream('COMMANDS'), 'probe-commands');
  const inCommands = (subject: string) => bus.jsm.streams.getMessage(bus.stream('COMMANDS'), { last_by_subj: bus.subject(subject) });
  const deadLetter = (subject: string) => bus.jsm.streams.getMessage(bus.stream('DEADLETTER'), { last_by_subj: bus.subject(`dead.${subject}`) });

  async function effects(commandId: string): Promise<{ events: number; effects: number; outcomes: number }> {
    const { rows } = await probe.pool.query<{ events: number; effects: number; outcomes: number }>(
      `SELECT (SELECT count(*)::int FROM events WHERE stream_id = $2) AS events,
              (SELECT count(*)::int FROM probe_effects WHERE command_id = $1) AS effects,
              (SELECT count(*)::int FROM command_outcomes WHERE command_id = $1) AS outcomes`,
      [commandId, `probe-${commandId}`],
    );
    return rows[0]!;
  }

  /** Waits until the consumer has nothing delivered-but-unsettled and nothing left to deliver. */
  async function settled(): Promise<ConsumerInfo> {
    return eventually(async () => {
      const info = await consumer();
      expect(info.num_ack_pending).toBe(0);
      expect(info.num_pending).toBe(0);
      return info;
    });
  }

  it('redelivers a command after a transient failure; the effect happens once and the reply arrives', async () => {
    // given a handler that fails twice (after appending, so the rollback must undo it)
    const commandId = randomUUID();

    // when the command is sent and the sender waits long enough for the retries
    const result = await commands.send(ProbeFlaky, { failTimes: 2 }, { actor, commandId, waitMs: 20_000 });

    // then the third delivery succeeded and its outcome is the reply
    expect(result).toEqual({ status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } });
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1, 2, 3]);
    // and the two failed attempts left nothing behind: one event, one side effect, one outcome
    expect(await effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
    // and JetStream forgot the command (work queue: acked means removed)
    await settled();
    await eventually(async () => expect(await inCommands(ProbeFlaky.subject)).toBeNull());
  });

  it('a crash after commit but before the ack is redelivered and answered from the recorded outcome', async () => {
    // given a handler that commits, then "dies" before the ack, once
    const commandId = randomUUID();

    const result = await commands.send(ProbeFlaky, { failTimes: 1, crashAfterCommit: true }, { actor, commandId, waitMs: 20_000 });

    // then the redelivery found the first outcome and appended nothing more
    expect(result).toMatchObject({ status: 'completed', reply: { ok: true, value: { count: 1 } } });
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1, 2]);
    expect(await effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
  });

  it('dead-letters a command that always fails after maxDeliveries, and tells the waiting sender', async () => {
    const commandId = randomUUID();
    const before = await consumer();

    // when a command whose handler always throws is sent
    const result = await commands.send(ProbeBroken, {}, { actor, commandId, waitMs: 20_000 });

    // then the sender gets an internal error instead of waiting forever
    expect(result).toMatchObject({ status: 'completed', commandId, reply: { ok: false, error: { code: 'internal' } } });
    // and the handler ran exactly maxDeliveries times
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1, 2, 3]);
    // and the message sits in DEADLETTER, with why, from where, after how many deliveries
    const dead = await eventually(async () => {
      const msg = await deadLetter(ProbeBroken.subject);
      expect(msg).not.toBeNull();
      return msg!;
    });
    expect(dead.subject).toBe(bus.subject(`dead.${ProbeBroken.subject}`));
    expect(dead.header.get('Slipway-Reason')).toBe('Error: probe is broken');
    expect(dead.header.get('Slipway-Subject')).toBe(bus.subject(ProbeBroken.subject));
    expect(dead.header.get('Slipway-Deliveries')).toBe('3');
    expect(dead.json<CommandEnvelope>()).toMatchObject({ commandId, payload: {} });
    // and it is no longer in COMMANDS, and no further delivery is pending
    const after = await settled();
    await eventually(async () => expect(await inCommands(ProbeBroken.subject)).toBeNull());
    expect(after.delivered.consumer_seq - before.delivered.consumer_seq).toBe(3);
    // and its status reads as failed, not pending
    expect((await findOutcome(probe.pool, commandId))?.reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('dead-letters a body that is not JSON on its first delivery, without calling any handler', async () => {
    const before = await consumer();
    const calls = probe.recorder.calls;

    // when another publisher puts garbage on a command subject
    const ack = await bus.js.publish(bus.subject(ProbeFlaky.subject), new TextEncoder().encode('{not json'), { msgID: randomUUID() });

    // then it is dead-lettered after exactly one delivery
    const dead = await eventually(async () => {
      const msg = await deadLetter(ProbeFlaky.subject);
      expect(msg?.string()).toBe('{not json');
      return msg!;
    });
    expect(dead.header.get('Slipway-Reason')).toBe('PoisonMessage: message body is not valid JSON');
    expect(dead.header.get('Slipway-Deliveries')).toBe('1');
    const after = await settled();
    expect(after.delivered.consumer_seq - before.delivered.consumer_seq).toBe(1);
    expect(probe.recorder.calls).toBe(calls);
    await eventually(() => expect(bus.jsm.streams.getMessage(bus.stream('COMMANDS'), { seq: ack.seq })).resolves.toBeNull());
  });

  it('dead-letters JSON that is no envelope, or whose commandId cannot name its reply, on its first delivery; the service stays connected', async () => {
    const calls = probe.recorder.calls;
    const envelopeWith = (commandId: unknown) => JSON.stringify({ commandId, correlationId: 'c', actor, issuedAt: new Date().toISOString(), payload: { failTimes: 0 } });
    // NUL (Postgres refuses it, as if the database were down), a space, 5,000 characters
    // (over the server's control line: it would close the connection), empty, a wildcard
    for (const body of ['42', 'null', envelopeWith('a\u0000b'), envelopeWith('sp ace'), envelopeWith('K'.repeat(5_000)), envelopeWith(''), envelopeWith('a.>'), envelopeWith(7)]) {
      await bus.js.publish(bus.subject(ProbeFlaky.subject), new TextEncoder().encode(body), { msgID: randomUUID() });
      const dead = await eventually(async () => {
        const msg = await deadLetter(ProbeFlaky.subject);
        expect(msg?.string()).toBe(body);
        return msg!;
      });
      expect(dead.header.get('Slipway-Reason')).toMatch(/^PoisonMessage: not a command envelope: commandId must be/);
      expect(dead.header.get('Slipway-Deliveries')).toBe('1');
    }
    expect(probe.recorder.calls).toBe(calls);
    // and the next command is handled and answered as ever
    const commandId = randomUUID();
    expect(await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 })).toMatchObject({ status: 'completed', reply: { ok: true } });
  });

  it('refuses an envelope whose id can be answered but whose actor or time cannot be kept, recording the refusal', async () => {
    for (const [field, change] of [['actor', { actor: 'root' }], ['actor.principal', { actor: { principal: 'a\u0000b', kind: 'token' } }], ['actor.principal', { actor: { principal: 'a\ud800', kind: 'token' } }], ['issuedAt', { issuedAt: '0000-01-01T00:00:00Z' }]] as const) {
      const commandId = randomUUID();
      const replies = bus.nc.subscribe(bus.subject(replySubject(commandId)), { max: 1, timeout: 20_000 });
      const envelope = Object.assign({ commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload: { failTimes: 0 } }, change);
      await bus.js.publish(bus.subject(ProbeFlaky.subject), encode(envelope), { msgID: commandId });
      let reply: unknown;
      for await (const msg of replies) reply = msg.json();
      expect(reply).toEqual({ ok: false, error: { code: 'invalid', message: expect.stringContaining(`not a command envelope: ${field}`) } });
      expect(await effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 1 });
    }
  });

  it('refuses a command dated further ahead than clocks differ as not final: answered, not recorded', async () => {
    const commandId = randomUUID();
    const replies = bus.nc.subscribe(bus.subject(replySubject(commandId)), { max: 1, timeout: 20_000 });
    const envelope = { commandId, correlationId: commandId, actor, issuedAt: '2999-01-01T00:00:00Z', repliesUntil: new Date(Date.now() + 20_000).toISOString(), payload: { failTimes: 0 } };
    await bus.js.publish(bus.subject(ProbeFlaky.subject), encode(envelope), { msgID: commandId });
    let reply: unknown;
    for await (const msg of replies) reply = msg.json();
    expect(reply).toEqual({ ok: false, error: { code: 'unavailable', field: 'issuedAt', message: expect.stringMatching(/^issuedAt is \d+ s ahead of this service's clock/) } });
    expect(await effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 0 });
  });

  it('dead-letters a command nobody handles once its deliveries are spent (an instance of a newer version could take it meanwhile) and tells the sender', async () => {
    const commandId = randomUUID();
    const unknown = { ...ProbeRefuse, subject: 'cmd.probe.unknown.v1' };

    const result = await commands.send(unknown, {}, { actor, commandId, waitMs: 20_000 });

    // final (the outcome recorded for it), though `unavailable` alone would ask to retry
    expect(result).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable', final: true, message: expect.stringContaining('not handled by this version') } } });
    expect((await findOutcome(probe.pool, commandId))?.reply).toMatchObject({ ok: false, error: { code: 'unavailable', final: true } });
    const dead = await eventually(async () => {
      const msg = await deadLetter(unknown.subject);
      expect(msg).not.toBeNull();
      return msg!;
    });
    expect(dead.header.get('Slipway-Reason')).toBe('RetryLater: no handler for cmd.probe.unknown.v1 in this version (delivery 3)');
    expect(dead.header.get('Slipway-Deliveries')).toBe('3');
    await settled();
    await eventually(async () => expect(await inCommands(unknown.subject)).toBeNull());
  });

  it('acks a refusal (DomainError) once, replies ok:false and does not redeliver', async () => {
    const commandId = randomUUID();
    const before = await consumer();

    const result = await commands.send(ProbeRefuse, {}, { actor, commandId, waitMs: 20_000 });

    expect(result).toEqual({ status: 'completed', commandId, reply: { ok: false, error: { code: 'conflict', message: 'probe refuses' } } });
    // Acked: nothing pending, the work queue dropped it, and it was delivered exactly once.
    const after = await settled();
    expect(after.delivered.consumer_seq - before.delivered.consumer_seq).toBe(1);
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1]);
    await eventually(async () => expect(await inCommands(ProbeRefuse.subject)).toBeNull());
    expect(await deadLetter(ProbeRefuse.subject)).toBeNull();
    // and the refusal, decided before any command log, is recorded as the command's outcome
    expect((await findOutcome(probe.pool, commandId))?.reply).toEqual({ ok: false, error: { code: 'conflict', message: 'probe refuses' } });
  });

  it('does not record an `unavailable` refusal: a resend of the same command runs again', async () => {
    const statusService = answerCommandStatus(bus, probe.pool);
    try {
      const commandId = randomUUID();
      const first = await commands.send(ProbeUnavailable, {}, { actor, commandId, waitMs: 20_000 });
      expect(first).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
      expect(await findOutcome(probe.pool, commandId)).toBeUndefined();
      // The resend (the same Idempotency-Key), well inside JetStream's dedupe window: it is
      // handled again and answered, not dropped as a duplicate and left waiting for a reply.
      const again = await commands.send(ProbeUnavailable, {}, { actor, commandId, waitMs: 10_000 });
      expect(again).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
      expect(probe.recorder.deliveries.get(commandId)).toEqual([1, 1]);
      // and its status says so while it has no outcome
      const status = await commands.query(GetCommandStatus, { commandId });
      expect(status).toMatchObject({ ok: true, value: { status: 'pending', lastRefusal: { error: { code: 'unavailable' }, refusedAt: expect.any(String) } } });
    } finally {
      statusService.unsubscribe();
    }
  });

  it('retries an `unavailable` refusal itself when nobody waits for the reply, and makes it the outcome at the last delivery', async () => {
    const statusService = answerCommandStatus(bus, probe.pool);
    try {
      const commandId = randomUUID();
      // The sender stops waiting at once, as a 202 does: a "retry shortly" would reach nobody.
      expect(await commands.send(ProbeUnavailable, {}, { actor, commandId, waitMs: 0 })).toMatchObject({ status: 'accepted' });
      await expectRetriedThenGivenUp(probe, commandId);
      const status = await commands.query(GetCommandStatus, { commandId });
      expect(status).toMatchObject({ ok: true, value: { status: 'failed' } });
      expect(await deadLetter(ProbeUnavailable.subject)).toBeNull();
    } finally {
      statusService.unsubscribe();
    }
  });

  it('relays an event too big for the bus without its data, and its handler gets it whole from the log', async () => {
    const text = 'x'.repeat(9 * 1024 * 1024);
    const meta = { commandId: randomUUID(), correlationId: 'big', actor: 'tester', schemaVersion: 1, occurredAt: '2026-12-03T00:00:00Z' };
    await inTransaction(probe.pool, (tx) => appendToStream(tx, `noticed-${randomUUID()}`, 0, [{ type: PROBE_NOTICED, data: { text } }], meta));
    // Refused by the server (max_payload), it would stop the relay at it for good.
    await eventually(async () => expect(await relayBatch(probe.pool, bus)).toBe(0), 30_000, 100);
    const announced = await bus.jsm.streams.getMessage(bus.stream('EVENTS'), { last_by_subj: bus.subject(`evt.${PROBE_NOTICED}`) });
    expect(announced!.json()).toMatchObject({ type: PROBE_NOTICED, data: null, omitted: expect.stringContaining('read it from the log at position') });
    await eventually(async () => expect(probe.recorder.noticed.map((d) => (d as { text: string }).text.length)).toEqual([text.length]), 30_000, 100);
  });

  it('hands event handlers the log\'s event: a message on EVENTS the log does not bear out is dead-lettered, not handled', async () => {
    const noticed = probe.recorder.noticed.length;
    const meta = { commandId: randomUUID(), correlationId: 'real', actor: 'tester', schemaVersion: 1, occurredAt: '2026-12-03T00:00:00Z' };
    const { positions } = await inTransaction(probe.pool, (tx) => appendToStream(tx, `noticed-${randomUUID()}`, 0, [{ type: PROBE_NOTICED, data: { text: 'logged' } }], meta));
    const forge = (fields: Record<string, unknown>) => encode({ eventId: randomUUID(), streamId: 'forged', streamVersion: 1, type: PROBE_NOTICED, data: { text: 'forged' }, metadata: meta, ...fields });
    // another publisher's events: a position the log does not have, and a real position with other content
    const before = (await bus.jsm.streams.info(bus.stream('DEADLETTER'))).state.last_seq;
    for (const body of [forge({ position: 999_999_999 }), forge({ position: positions[0] })]) {
      await bus.js.publish(bus.subject(`evt.${PROBE_NOTICED}`), body, { msgID: randomUUID() });
    }
    // both dead-lettered, in whichever order their handlers (running at once) finished
    await eventually(async () => {
      const { deadLetters } = await readDeadLetters(bus, before, 10);
      expect(deadLetters.filter((d) => d.subject === `evt.${PROBE_NOTICED}`).map((d) => d.reason).sort()).toEqual([
        'PoisonMessage: event at position 999999999 is not in the log',
        `PoisonMessage: event at position ${positions[0]} is not the one the log has there`,
      ].sort());
    });
    // the real event, relayed, is handled, with the log's data
    await eventually(async () => expect(await relayBatch(probe.pool, bus)).toBe(0), 30_000, 100);
    await eventually(async () => expect(probe.recorder.noticed.slice(noticed)).toEqual([{ text: 'logged' }]), 30_000, 100);
  });

  // Only when the run started the NATS server itself: its files are at hand.
  const natsStore = process.env.SLIPWAY_TEST_NATS_STORE;
  (natsStore ? it : it.skip)('erases a dead-lettered command that carries secrets from COMMANDS, and files it without them', async () => {
    // A command nobody takes keeps the stream's block (an emptied block goes, and all in it).
    const control = `control-${randomUUID()}`;
    await bus.js.publish(bus.subject('cmd.nobody.control.v1'), new TextEncoder().encode(control));
    await eventually(() => expect(filesContaining(natsStore!, control)).not.toEqual([]));
    const secret = `secret-${randomUUID()}`;
    const result = await commands.send(ProbeSecretBroken, { password: secret }, { actor, commandId: randomUUID(), waitMs: 20_000 });
    expect(result).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'internal' } } });
    const filed = (await deadLetter(ProbeSecretBroken.subject))!.json<{ commandId: string; payload: unknown }>();
    expect(filed.payload).toEqual({ notKept: expect.stringContaining('the payload of a command erased once handled') });
    expect(JSON.stringify(filed)).not.toContain(secret);
    expect(filesContaining(natsStore!, secret)).toEqual([]);
    expect(filesContaining(natsStore!, control)).not.toEqual([]);
  });

  it('answers queries over request/reply, refusals and crashes included', async () => {
    await expect(commands.query(ProbeEcho, { text: 'hello' }, 5_000, actor))
      .resolves.toEqual({ ok: true, value: { text: 'hello', actor: 'tester' } });
    await expect(commands.query(ProbeEcho, { text: 'ghost', refuse: true }))
      .resolves.toEqual({ ok: false, error: { code: 'not-found', message: 'no ghost' } });
    await expect(commands.query(ProbeEcho, { text: 'x', crash: true }))
      .resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    // A query subject of the service that nobody handles is answered, not left to time out.
    const missing = { ...ProbeEcho, subject: 'qry.probe.missing.v1' };
    await expect(commands.query(missing, { text: 'x' })).resolves.toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('answers a query whose answer is over the server\'s max_payload, in parts put back together', async () => {
    const limit = bus.nc.info!.max_payload;
    const answer = await commands.query(ProbeEcho, { text: 'xyz', repeat: limit }, 20_000, actor);
    expect(answer.ok).toBe(true);
    const { text } = (answer as { value: { text: string } }).value;
    expect(text.length).toBe(3 * limit);
    expect(text === 'xyz'.repeat(limit)).toBe(true);
  });

  it('a command whose reply is over max_payload is answered at once with a note, and its outcome is recorded whole', async () => {
    const limit = bus.nc.info!.max_payload;
    const commandId = randomUUID();
    const sent = await commands.send(ProbeFlaky, { failTimes: 0, replyBytes: limit }, { actor, commandId, waitMs: 20_000 });
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'internal', message: expect.stringContaining(`/api/v1/commands/${commandId}`) } } });
    const recorded = await findOutcome(probe.pool, commandId);
    expect(recorded?.reply).toMatchObject({ ok: true, value: { count: 1 } });
    expect((recorded?.reply as { value: { padding: string } }).value.padding).toHaveLength(limit);
  });

  it('handles a command published raw by another process exactly like one sent by CommandBus', async () => {
    // given another process with its own connection and no CommandBus
    const other = await Bus.connect({ url: natsUrl(), prefix: bus.prefix.slice(0, -1), name: 'other-process' });
    try {
      const commandId = randomUUID();
      const envelope: CommandEnvelope = { commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload: { failTimes: 1 } };
      const replies = other.nc.subscribe(other.subject(replySubject(commandId)), { max: 1, timeout: 20_000 });

      // when it publishes a contract envelope straight to JetStream
      await other.js.publish(other.subject(ProbeFlaky.subject), encode(envelope), { msgID: commandId });

      // then it is retried, answered on res.<commandId>, and takes effect once
      let reply: unknown;
      for await (const msg of replies) reply = msg.json();
      expect(reply).toEqual({ ok: true, value: { count: 1 } });
      expect(probe.recorder.deliveries.get(commandId)).toEqual([1, 2]);
      expect(await effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
      const { rows } = await probe.pool.query('SELECT type, metadata FROM events WHERE stream_id = $1', [`probe-${commandId}`]);
      expect(rows).toEqual([{ type: PROBE_EVENT, metadata: expect.objectContaining({ commandId, actor: 'tester' }) }]);
    } finally {
      await other.close();
    }
  });

  it('reads a command its sender stopped waiting for as pending, then its outcome; an id never sent is unknown', async () => {
    // given a command no service consumes, whose sender gave up at once (the gateway's 202)
    const Unserved = command<z.ZodObject, never>('cmd.unserved.noop.v1', z.object({}));
    const queued = await commands.send(Unserved, {}, { actor, waitMs: 0 });
    expect(queued.status).toBe('accepted');
    expect(await commandStatus(probe.pool, bus, queued.commandId)).toEqual({ commandId: queued.commandId, status: 'pending' });
    // an id nobody handed over has no status to wait for
    const typo = `${queued.commandId}-typo`;
    expect(await commandStatus(probe.pool, bus, typo)).toEqual({ commandId: typo, status: 'unknown' });
    // and a command handed over that way reads as its outcome once handled
    const refused = await commands.send(ProbeRefuse, {}, { actor, waitMs: 0 });
    await eventually(async () => expect(await commandStatus(probe.pool, bus, refused.commandId)).toMatchObject({ status: 'failed', subject: ProbeRefuse.subject }));
  });

  it('pages the dead letters by sequence, over messages an operator removed', async () => {
    // given three commands of a subject no handler takes, filed one after the other
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    const before = (await bus.jsm.streams.info(bus.stream('DEADLETTER'))).state.last_seq;
    for (const [i, commandId] of ids.entries()) {
      await bus.js.publish(bus.subject('cmd.probe.nobody-handles.v1'), encode({ commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload: { i } }), { msgID: commandId });
      await eventually(async () => expect((await bus.jsm.streams.info(bus.stream('DEADLETTER'))).state.last_seq).toBe(before + i + 1), 20_000);
    }
    // and the middle one removed by an operator
    await bus.jsm.streams.deleteMessage(bus.stream('DEADLETTER'), before + 2);

    // then a page skips the gap, and the next page starts after the last one it gave
    const all = await readDeadLetters(bus, before, 10);
    expect(all.deadLetters.map((d) => [d.sequence, d.commandId, d.payload])).toEqual([[before + 1, ids[0], { i: 0 }], [before + 3, ids[2], { i: 2 }]]);
    expect(all.deadLetters[0]).toMatchObject({ subject: 'cmd.probe.nobody-handles.v1', deliveries: 3, reason: expect.stringContaining('no handler') });
    const first = await readDeadLetters(bus, before, 1);
    expect(first).toEqual({ deadLetters: [all.deadLetters[0]], next: before + 1 });
    const second = await readDeadLetters(bus, first.next, 1);
    expect(second.deadLetters.map((d) => d.sequence)).toEqual([before + 3]);
    expect(await readDeadLetters(bus, second.next, 1)).toEqual({ deadLetters: [], next: second.next });
  });
});
