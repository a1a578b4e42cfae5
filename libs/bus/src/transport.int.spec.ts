import { randomUUID } from 'node:crypto';
import type { ConsumerInfo } from '@nats-io/jetstream';
import { errors } from '@nats-io/nats-core';
import { GetCommandStatus, replySubject, type Actor, type CommandEnvelope } from '@slipway/contracts';
import { findOutcome } from '@slipway/event-log';
import { eventually, filesContaining } from '@slipway/testing';
import { encode } from './codec';
import { probeRig } from './probe-rig.testing';
import { answerCommandStatus, expectRetriedThenGivenUp, ProbeBroken, ProbeBusyOnce, ProbeSecretBroken, ProbeFlaky, ProbeRefuse, ProbeUnavailable, ProbeUnhandled, Unconsumed } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * The JetStream transport's settlement of commands against a real NATS server and a real
 * Postgres: a Nest microservice ("probe", maxDeliveries 3) whose handlers fail on purpose.
 * (Events, queries, oversized answers and other publishers: transport-answers.int.spec.ts.)
 */
describe('JetStream transport: settlement against real NATS and Postgres', () => {
  const rig = probeRig();

  const consumer = (): Promise<ConsumerInfo> => rig.bus.jsm.consumers.info(rig.bus.stream('COMMANDS'), 'probe-commands');
  const inCommands = (subject: string) => rig.bus.jsm.streams.getMessage(rig.bus.stream('COMMANDS'), { last_by_subj: rig.bus.subject(subject) });
  const deadLetter = (subject: string) => rig.bus.jsm.streams.getMessage(rig.bus.stream('DEADLETTER'), { last_by_subj: rig.bus.subject(`dead.${subject}`) });
  /** The last message filed in DEADLETTER from `subject`, once `check` holds of it. */
  const deadLettered = (subject: string, check: (msg: Awaited<ReturnType<typeof deadLetter>>) => void) => eventually(async () => {
    const msg = await deadLetter(subject);
    check(msg);
    return msg!;
  }, 30_000, 200);

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
    const result = await rig.commands.send(ProbeFlaky, { failTimes: 2 }, { actor, commandId, waitMs: 20_000 });

    // then the third delivery succeeded and its outcome is the reply
    expect(result).toEqual({ status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } });
    expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 2, 3]);
    // and the two failed attempts left nothing behind: one event, one side effect, one outcome
    expect(await rig.effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
    // and JetStream forgot the command (work queue: acked means removed)
    await settled();
    await eventually(async () => expect(await inCommands(ProbeFlaky.subject)).toBeNull());
  });

  it('a crash after commit but before the ack is redelivered and answered from the recorded outcome', async () => {
    // given a handler that commits, then "dies" before the ack, once
    const commandId = randomUUID();

    const result = await rig.commands.send(ProbeFlaky, { failTimes: 1, crashAfterCommit: true }, { actor, commandId, waitMs: 20_000 });

    // then the redelivery found the first outcome and appended nothing more
    expect(result).toMatchObject({ status: 'completed', reply: { ok: true, value: { count: 1 } } });
    expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 2]);
    expect(await rig.effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
  });

  it('dead-letters a command that always fails after maxDeliveries, and tells the waiting sender', async () => {
    const commandId = randomUUID();
    const before = await consumer();

    // when a command whose handler always throws is sent
    const result = await rig.commands.send(ProbeBroken, {}, { actor, commandId, waitMs: 20_000 });

    // then the sender gets an internal error instead of waiting forever
    expect(result).toMatchObject({ status: 'completed', commandId, reply: { ok: false, error: { code: 'internal' } } });
    // and the handler ran exactly maxDeliveries times
    expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 2, 3]);
    // and the message sits in DEADLETTER, with why, from where, after how many deliveries
    const dead = await deadLettered(ProbeBroken.subject, (msg) => expect(msg).not.toBeNull());
    expect(dead.subject).toBe(rig.bus.subject(`dead.${ProbeBroken.subject}`));
    expect(dead.header.get('Slipway-Reason')).toBe('Error: probe is broken');
    expect(dead.header.get('Slipway-Subject')).toBe(rig.bus.subject(ProbeBroken.subject));
    expect(dead.header.get('Slipway-Deliveries')).toBe('3');
    expect(dead.json<CommandEnvelope>()).toMatchObject({ commandId, payload: {} });
    // and it is no longer in COMMANDS, and no further delivery is pending
    const after = await settled();
    await eventually(async () => expect(await inCommands(ProbeBroken.subject)).toBeNull());
    expect(after.delivered.consumer_seq - before.delivered.consumer_seq).toBe(3);
    // and its status reads as failed, not pending
    expect((await findOutcome(rig.probe.pool, commandId))?.reply).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('says, at the status of a command whose success is recorded, that what followed it was dead-lettered', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    try {
      // Its success committed at the first delivery, then each delivery fails after it (as an intent that cannot be carried out).
      const commandId = randomUUID();
      await rig.commands.send(ProbeFlaky, { failTimes: 9, crashAfterCommit: true }, { actor, commandId, waitMs: 0 });
      const status = await eventually(async () => {
        const read = await rig.commands.query(GetCommandStatus, { commandId });
        expect(read).toMatchObject({ ok: true, value: { deadLettered: { at: expect.any(String) } } });
        return read;
      }, 30_000, 200);
      expect(status).toMatchObject({ ok: true, value: { status: 'succeeded', outcome: { ok: true }, deadLettered: { message: expect.stringContaining('dead-letter stream') } } });
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 2, 3]);
    } finally {
      statusService.unsubscribe();
    }
  });

  it('dead-letters a body that is not JSON on its first delivery, without calling any handler', async () => {
    const before = await consumer();
    const calls = rig.probe.recorder.calls;

    // when another publisher puts garbage on a command subject
    const messageId = randomUUID();
    const ack = await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), new TextEncoder().encode('{not json'), { msgID: messageId });

    // then it is dead-lettered after exactly one delivery, as its size (text may hold a password anywhere)
    const dead = await deadLettered(ProbeFlaky.subject, (msg) => expect(msg?.header.get('Slipway-Undecodable-Bytes')).toBe('9'));
    expect(dead.data.length).toBe(0);
    expect(dead.header.get('Slipway-Reason')).toBe('PoisonMessage: message body is not valid JSON');
    expect(dead.header.get('Slipway-Deliveries')).toBe('1');
    // with the id it was published under: it has no command id for its sender to look it up by
    expect(dead.header.get('Slipway-Msg-Id')).toBe(messageId);
    const after = await settled();
    expect(after.delivered.consumer_seq - before.delivered.consumer_seq).toBe(1);
    expect(rig.probe.recorder.calls).toBe(calls);
    await eventually(() => expect(rig.bus.jsm.streams.getMessage(rig.bus.stream('COMMANDS'), { seq: ack.seq })).resolves.toBeNull());
  });

  it('records an unreadable copy\'s refusal under the command id its message id was made from, never over a success recorded, nor noting that success dead-lettered', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    try {
      // given a command carried out, and another never sent
      const done = randomUUID();
      expect(await rig.commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId: done, waitMs: 20_000 })).toMatchObject({ status: 'completed', reply: { ok: true } });
      const unsent = randomUUID();
      // when an unreadable copy of each is published under a resend's message id (`<id>.after-refusal.<time>`)
      for (const commandId of [done, unsent]) {
        await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), new TextEncoder().encode('{"commandId": '), { msgID: `${commandId}.after-refusal.1796668898274` });
        await deadLettered(ProbeFlaky.subject, (msg) => expect(msg?.header.get('Slipway-Msg-Id')).toBe(`${commandId}.after-refusal.1796668898274`));
      }
      // then the one carried out reads succeeded, nothing said of a dead letter; the other failed, saying why
      const status = async (commandId: string) => (await rig.commands.query(GetCommandStatus, { commandId })) as unknown as { ok: true; value: Record<string, unknown> };
      const doneStatus = await status(done);
      expect(doneStatus.value).toMatchObject({ status: 'succeeded', outcome: { ok: true } });
      expect(doneStatus.value.deadLettered).toBeUndefined();
      expect((await status(unsent)).value).toMatchObject({ status: 'failed', outcome: { ok: false, error: { code: 'invalid', message: 'the command could not be read: message body is not valid JSON' } } });
    } finally {
      statusService.unsubscribe();
    }
  });

  it('reads a command as strictly as the gateway reads a body: bytes that are not UTF-8, or a key twice, are dead-lettered on the first delivery, not to be sent again (probe: they were taken)', async () => {
    const calls = rig.probe.recorder.calls;
    const envelope = (commandId: string) => `{"commandId":"${commandId}","correlationId":"c","actor":{"principal":"tester","kind":"token"},"issuedAt":"${new Date().toISOString()}","payload":{"failTimes":0}}`;
    const notUtf8 = randomUUID();
    const bytes = new TextEncoder().encode(envelope(notUtf8));
    const at = bytes.indexOf(0x74 /* t of "tester" */);
    bytes[at] = 0xff;
    const twice = randomUUID();
    const withActorTwice = envelope(twice).replace('"issuedAt"', '"actor":{"principal":"root","kind":"token"},"issuedAt"');
    for (const [commandId, body, reason] of [
      [notUtf8, bytes, 'PoisonMessage: message body is not valid UTF-8'],
      [twice, new TextEncoder().encode(withActorTwice), 'PoisonMessage: message body holds the key "actor" twice in one object (actor): which one is meant cannot be told'],
    ] as const) {
      await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), body, { msgID: commandId });
      const dead = await deadLettered(ProbeFlaky.subject, (msg) => expect(msg?.header.get('Slipway-Msg-Id')).toBe(commandId));
      expect(dead.header.get('Slipway-Reason')).toBe(reason);
      expect(dead.header.get('Slipway-Deliveries')).toBe('1');
      expect(dead.header.get('Slipway-Whole')).not.toBe('true');
      // Not carried out: refused, under the id it was published with, so that its status reads why.
      expect((await findOutcome(rig.probe.pool, commandId))?.reply).toEqual({ ok: false, error: { code: 'invalid', message: `the command could not be read: ${reason.slice('PoisonMessage: '.length)}` } });
    }
    expect(rig.probe.recorder.calls).toBe(calls);
  });

  it('dead-letters JSON that is no envelope, or whose commandId cannot name its reply, on its first delivery; the service stays connected', async () => {
    const calls = rig.probe.recorder.calls;
    const envelopeWith = (commandId: unknown) => JSON.stringify({ commandId, correlationId: 'c', actor, issuedAt: new Date().toISOString(), payload: { failTimes: 0 } });
    // NUL (Postgres refuses it, as if the database were down), a space, 5,000 characters
    // (over the server's control line: it would close the connection), empty, a wildcard
    for (const body of ['42', 'null', envelopeWith('a\u0000b'), envelopeWith('sp ace'), envelopeWith('K'.repeat(5_000)), envelopeWith(''), envelopeWith('a.>'), envelopeWith(7)]) {
      await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), new TextEncoder().encode(body), { msgID: randomUUID() });
      const dead = await deadLettered(ProbeFlaky.subject, (msg) => expect(msg?.string()).toBe(body));
      expect(dead.header.get('Slipway-Reason')).toMatch(/^PoisonMessage: not a command envelope: commandId must be/);
      expect(dead.header.get('Slipway-Deliveries')).toBe('1');
    }
    expect(rig.probe.recorder.calls).toBe(calls);
    // and the next command is handled and answered as ever
    const commandId = randomUUID();
    expect(await rig.commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 })).toMatchObject({ status: 'completed', reply: { ok: true } });
  });

  it('dead-letters a command whose id holds a token\'s secret on its first delivery, recording nothing under it and answering nobody (probe: its refusal was kept with the secret as its key)', async () => {
    const calls = rig.probe.recorder.calls;
    const commandId = `slw_${'A1b2C3d4'.repeat(6)}`;
    const replies = rig.bus.nc.subscribe(rig.bus.subject(replySubject(commandId)), { max: 1 });
    const body = JSON.stringify({ commandId, correlationId: 'c', actor, issuedAt: new Date().toISOString(), payload: { failTimes: 0 } });
    // (under its id as message id, as CommandBus sends: the letter must not keep it there either; review)
    await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), new TextEncoder().encode(body), { msgID: commandId });
    // (filed without the secret, as any letter is)
    const dead = await deadLettered(ProbeFlaky.subject, (msg) => expect(msg?.string()).toBe(body.replace(commandId, '[redacted]')));
    expect(dead.header.get('Slipway-Reason')).toBe("PoisonMessage: not a command envelope: commandId must not hold a token's secret (slw_…): ids are shown in the audit log");
    expect(dead.header.get('Slipway-Deliveries')).toBe('1');
    expect(dead.header.get('Slipway-Msg-Id')).toBe('[redacted]');
    expect(rig.probe.recorder.calls).toBe(calls);
    expect(await findOutcome(rig.probe.pool, commandId)).toBeUndefined();
    expect((await rig.probe.pool.query('SELECT count(*)::int AS n FROM command_retries WHERE command_id = $1', [commandId])).rows[0].n).toBe(0);
    expect(replies.getProcessed()).toBe(0);
    replies.unsubscribe();
    // and a CommandBus refuses to send one, before publishing or recording it as accepted (review)
    await expect(rig.commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 2_000 })).rejects.toMatchObject({ code: 'invalid', field: 'commandId' });
  });

  it('refuses an envelope whose id can be answered but whose actor or time cannot be kept, recording the refusal', async () => {
    for (const [field, change] of [['actor', { actor: 'root' }], ['actor.principal', { actor: { principal: 'a\u0000b', kind: 'token' } }], ['actor.principal', { actor: { principal: 'a\ud800', kind: 'token' } }], ['issuedAt', { issuedAt: '0000-01-01T00:00:00Z' }]] as const) {
      const commandId = randomUUID();
      const replies = rig.bus.nc.subscribe(rig.bus.subject(replySubject(commandId)), { max: 1, timeout: 20_000 });
      const envelope = Object.assign({ commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload: { failTimes: 0 } }, change);
      await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), encode(envelope), { msgID: commandId });
      let reply: unknown;
      for await (const msg of replies) reply = msg.json();
      expect(reply).toEqual({ ok: false, error: { code: 'invalid', message: expect.stringContaining(`not a command envelope: ${field}`) } });
      expect(await rig.effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 1 });
    }
  });

  it.each([
    ['further ahead than clocks differ', '2999-01-01T00:00:00Z', /^issuedAt is \d+ s ahead of when the command reached the bus .*the sender's clock is wrong/],
    ['more than a day before it reached the bus', '1970-01-01T00:00:00Z', /^issuedAt is \d+ hours before the command reached the bus/],
  ])('refuses a command dated %s as not final (a clock is wrong): answered, not recorded', async (_when, issuedAt, message) => {
    const commandId = randomUUID();
    const replies = rig.bus.nc.subscribe(rig.bus.subject(replySubject(commandId)), { max: 1, timeout: 20_000 });
    const envelope = { commandId, correlationId: commandId, actor, issuedAt, repliesUntil: new Date(Date.now() + 20_000).toISOString(), payload: { failTimes: 0 } };
    await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), encode(envelope), { msgID: commandId });
    let reply: unknown;
    for await (const msg of replies) reply = msg.json();
    expect(reply).toEqual({ ok: false, error: { code: 'unavailable', field: 'issuedAt', message: expect.stringMatching(message) } });
    expect(await rig.effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 0 });
  });

  it('keeps a command dated wrongly that nobody waits for in the dead-letter stream once its deliveries are spent, never as its outcome', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    try {
      // A publisher on NATS that does not say it waits (no repliesUntil), its clock a day and more behind.
      const commandId = randomUUID();
      const envelope = { commandId, correlationId: commandId, actor, issuedAt: '1970-01-01T00:00:00Z', payload: { failTimes: 0 } };
      await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), encode(envelope), { msgID: commandId });
      const dead = await deadLettered(ProbeFlaky.subject, (msg) => expect(msg?.json<CommandEnvelope>().commandId).toBe(commandId));
      expect(dead.header.get('Slipway-Reason')).toMatch(/^PoisonMessage: issuedAt is \d+ hours before the command reached the bus .*kept in the dead-letter stream, not recorded as its outcome/);
      // Not its outcome: the id stays the command's, and its status tells why it waits.
      expect(await findOutcome(rig.probe.pool, commandId)).toBeUndefined();
      // (given up: a client following its 202 learns it waits for a resend or an operator, not for a service; probe)
      expect(await rig.commands.query(GetCommandStatus, { commandId })).toMatchObject({ ok: true, value: { status: 'pending', lastRefusal: {
        error: { code: 'unavailable', field: 'issuedAt', message: expect.stringMatching(/^issuedAt is \d+ hours before .*gave up: kept in the dead-letter stream, not run; sent again under its id, or redriven, it is dated anew\)$/) },
      } } });
      // and sent again, dated right, it runs
      const again = await rig.commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 });
      expect(again).toMatchObject({ status: 'completed', reply: { ok: true } });
    } finally {
      statusService.unsubscribe();
    }
  });

  it('gives up at once on a command dated ahead of the bus\'s clock that nobody waits for: no retry mends its sender\'s clock, and each would hold a place of the consumer (probe: 32 held every config write for a minute)', async () => {
    const commandId = randomUUID();
    const envelope = { commandId, correlationId: commandId, actor, issuedAt: new Date(Date.now() + 7 * 60_000).toISOString(), payload: { failTimes: 0 } };
    await rig.bus.js.publish(rig.bus.subject(ProbeFlaky.subject), encode(envelope), { msgID: commandId });
    const dead = await deadLettered(ProbeFlaky.subject, (msg) => expect(msg?.json<CommandEnvelope>().commandId).toBe(commandId));
    expect(dead.header.get('Slipway-Reason')).toMatch(/^PoisonMessage: issuedAt is \d+ s ahead of when the command reached the bus .*\(tried 1 times; kept in the dead-letter stream, not recorded as its outcome/);
    expect(await findOutcome(rig.probe.pool, commandId)).toBeUndefined();
  });

  it('keeps a command dated wrongly that carries secrets in the dead-letter stream without them once its deliveries are spent, its refusal recorded as its outcome (probe: it was recorded, never filed)', async () => {
    // A publisher on NATS that does not say it waits, its clock a day and more behind, the command a secret's carrier.
    const commandId = randomUUID();
    const envelope = { commandId, correlationId: commandId, actor, issuedAt: '1970-01-01T00:00:00Z', payload: { password: 'hunter2-secret' } };
    await rig.bus.js.publish(rig.bus.subject(ProbeBusyOnce.subject), encode(envelope), { msgID: commandId });
    const dead = await deadLettered(ProbeBusyOnce.subject, (msg) => expect(msg?.json<CommandEnvelope>().commandId).toBe(commandId));
    expect(new TextDecoder().decode(dead.data)).not.toContain('hunter2-secret');
    expect(dead.header.get('Slipway-Reason')).toMatch(/without its secrets, its refusal recorded as its outcome/);
    // its outcome, since it cannot be sent again from there
    expect((await findOutcome(rig.probe.pool, commandId))?.reply).toMatchObject({ ok: false, error: { code: 'unavailable', field: 'issuedAt', final: true, message: expect.stringContaining('gave up') } });
    expect(await rig.effects(commandId)).toMatchObject({ events: 0, effects: 0 });
  });

  it('dead-letters a command nobody handles once its deliveries are spent (an instance of a newer version could take it meanwhile) and tells the sender', async () => {
    const commandId = randomUUID();
    const unknown = ProbeUnhandled;

    const result = await rig.commands.send(unknown, {}, { actor, commandId, waitMs: 20_000 });

    // final (the outcome recorded for it), though `unavailable` alone would ask to retry
    expect(result).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable', final: true, message: expect.stringContaining('not handled by this version') } } });
    expect((await findOutcome(rig.probe.pool, commandId))?.reply).toMatchObject({ ok: false, error: { code: 'unavailable', final: true } });
    const dead = await deadLettered(unknown.subject, (msg) => expect(msg).not.toBeNull());
    expect(dead.header.get('Slipway-Reason')).toBe(`RetryLater: no handler for ${unknown.subject} in this version (delivery 3)`);
    expect(dead.header.get('Slipway-Deliveries')).toBe('3');
    await settled();
    await eventually(async () => expect(await inCommands(unknown.subject)).toBeNull());
  });

  it('acks a refusal (DomainError) once, replies ok:false and does not redeliver', async () => {
    const commandId = randomUUID();
    const before = await consumer();

    const result = await rig.commands.send(ProbeRefuse, {}, { actor, commandId, waitMs: 20_000 });

    expect(result).toEqual({ status: 'completed', commandId, reply: { ok: false, error: { code: 'conflict', message: 'probe refuses' } } });
    // Acked: nothing pending, the work queue dropped it, and it was delivered exactly once.
    const after = await settled();
    expect(after.delivered.consumer_seq - before.delivered.consumer_seq).toBe(1);
    expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1]);
    await eventually(async () => expect(await inCommands(ProbeRefuse.subject)).toBeNull());
    expect(await deadLetter(ProbeRefuse.subject)).toBeNull();
    // and the refusal, decided before any command log, is recorded as the command's outcome
    expect((await findOutcome(rig.probe.pool, commandId))?.reply).toEqual({ ok: false, error: { code: 'conflict', message: 'probe refuses' } });
  });

  it('does not record an `unavailable` refusal: a resend of the same command runs again', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    try {
      const commandId = randomUUID();
      const first = await rig.commands.send(ProbeUnavailable, {}, { actor, commandId, waitMs: 20_000 });
      expect(first).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
      expect(await findOutcome(rig.probe.pool, commandId)).toBeUndefined();
      // The resend (the same Idempotency-Key), well inside JetStream's dedupe window: it is
      // handled again and answered, not dropped as a duplicate and left waiting for a reply.
      const again = await rig.commands.send(ProbeUnavailable, {}, { actor, commandId, waitMs: 10_000 });
      expect(again).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 1]);
      // and its status says so while it has no outcome
      const status = await rig.commands.query(GetCommandStatus, { commandId });
      expect(status).toMatchObject({ ok: true, value: { status: 'pending', lastRefusal: { error: { code: 'unavailable' }, refusedAt: expect.any(String) } } });
    } finally {
      statusService.unsubscribe();
    }
  });

  it('runs a resend after an `unavailable` refusal again also when its publish goes unanswered at first (a stalled server)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    try {
      const commandId = randomUUID();
      const first = await rig.commands.send(ProbeUnavailable, {}, { actor, commandId, waitMs: 20_000 });
      expect(first).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
      // The resend's first publish is lost on the way, unanswered; published again, it is
      // a duplicate of the first send's copy, which is gone from the queue.
      let lost = false;
      rig.bus.js.publish = async (...args) => {
        if (!lost && args[2]?.msgID === commandId) {
          lost = true;
          throw new errors.TimeoutError();
        }
        return publish(...args);
      };
      const again = await rig.commands.send(ProbeUnavailable, {}, { actor, commandId, waitMs: 10_000 });
      expect(lost).toBe(true);
      expect(again).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 1]);
    } finally {
      rig.bus.js.publish = publish;
      statusService.unsubscribe();
    }
  });

  it('answers a command its service answered though JetStream\'s own answer to its publish was lost, not "may still be carried out"', async () => {
    const commandId = randomUUID();
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    // given a publish JetStream stores, and whose answer is lost (each time it is published), after the service has answered
    rig.bus.js.publish = async (...args) => {
      if (args[2]?.msgID !== commandId) return publish(...args);
      await publish(...args);
      await eventually(async () => expect(await findOutcome(rig.probe.pool, commandId)).toBeDefined());
      throw new errors.TimeoutError();
    };
    try {
      // then the sender is given the service's answer
      const sent = await rig.commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 });
      expect(sent).toMatchObject({ status: 'completed', reply: { ok: true } });
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1]);
    } finally {
      rig.bus.js.publish = publish;
    }
  });

  it('retries an `unavailable` refusal itself when nobody waits for the reply, and makes it the outcome at the last delivery', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    try {
      const commandId = randomUUID();
      // The sender stops waiting at once, as a 202 does: a "retry shortly" would reach nobody.
      expect(await rig.commands.send(ProbeUnavailable, {}, { actor, commandId, waitMs: 0 })).toMatchObject({ status: 'accepted' });
      await expectRetriedThenGivenUp(rig.probe, commandId);
      const status = await rig.commands.query(GetCommandStatus, { commandId });
      expect(status).toMatchObject({ ok: true, value: { status: 'failed' } });
      expect(await deadLetter(ProbeUnavailable.subject)).toBeNull();
    } finally {
      statusService.unsubscribe();
    }
  });

  it('reads a command published on NATS directly as pending while the bus retries it, not as unknown (no gateway answered it 202)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    try {
      const commandId = randomUUID();
      // given a publisher on NATS, who records nothing and waits for no reply
      const envelope = { commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), payload: {} };
      await rig.bus.js.publish(rig.bus.subject(ProbeUnavailable.subject), new TextEncoder().encode(JSON.stringify(envelope)), { msgID: commandId });
      // when its service refuses it with "retry shortly" and the bus retries it
      await eventually(() => expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1]), 10_000, 50);
      // then its status reads pending, with its subject
      const pending = await eventually(async () => {
        const status = await rig.commands.query(GetCommandStatus, { commandId });
        expect(status).toMatchObject({ ok: true, value: { status: 'pending' } });
        return status;
      }, 5_000, 50);
      expect(pending).toMatchObject({ ok: true, value: { commandId, subject: ProbeUnavailable.subject } });
      // and, its deliveries spent, failed
      await expectRetriedThenGivenUp(rig.probe, commandId);
      expect(await rig.commands.query(GetCommandStatus, { commandId })).toMatchObject({ ok: true, value: { status: 'failed' } });
    } finally {
      statusService.unsubscribe();
    }
  });

  // Only when the run started the NATS server itself: its files are at hand.
  const natsStore = process.env.SLIPWAY_TEST_NATS_STORE;
  (natsStore ? it : it.skip)('erases a dead-lettered command that carries secrets from COMMANDS, and files it without them', async () => {
    // A command nobody takes keeps the stream's block (an emptied block goes, and all in it).
    const control = `control-${randomUUID()}`;
    await rig.bus.js.publish(rig.bus.subject(Unconsumed.subject), new TextEncoder().encode(control));
    await eventually(() => expect(filesContaining(natsStore!, control)).not.toEqual([]));
    const secret = `secret-${randomUUID()}`;
    const result = await rig.commands.send(ProbeSecretBroken, { password: secret }, { actor, commandId: randomUUID(), waitMs: 20_000 });
    expect(result).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'internal' } } });
    const filed = (await deadLetter(ProbeSecretBroken.subject))!.json<{ commandId: string; payload: unknown }>();
    expect(filed.payload).toEqual({ notKept: expect.stringContaining('the payload of a command erased once handled') });
    expect(JSON.stringify(filed)).not.toContain(secret);
    expect(filesContaining(natsStore!, secret)).toEqual([]);
    expect(filesContaining(natsStore!, control)).not.toEqual([]);
  });
});
