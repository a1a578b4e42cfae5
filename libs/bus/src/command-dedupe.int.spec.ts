import { randomUUID } from 'node:crypto';
import type { PubAck } from '@nats-io/jetstream';
import type { Subscription } from '@nats-io/nats-core';
import { command, commandFingerprint, replySubject, type Actor, type CommandEnvelope } from '@slipway/contracts';
import { z } from 'zod';
import { findOutcome } from '@slipway/event-log';
import { createTestDatabase, eventually, natsUrl, testBusPrefix } from '@slipway/testing';
import { acceptedRecord } from './accepted-commands';
import { Bus } from './bus';
import { decode, encode } from './codec';
import { CommandBus } from './command-bus';
import { answerCommandStatus, ProbeFlaky, startProbe, type RunningProbe } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * Command dedupe at the bus level: the commandId is the JetStream Nats-Msg-Id, so a resend
 * within the dedupe window is dropped by JetStream before any service sees it.
 */
// Two commands of the same payload (a pause and a resume, say) that no service takes: only the subject tells them apart.
const Pause = command<z.ZodObject, never>('cmd.unserved.pause.v1', z.object({}));
const Resume = command<z.ZodObject, never>('cmd.unserved.resume.v1', z.object({}));

describe('command dedupe on the bus', () => {
  let probe: RunningProbe;
  let bus: Bus;
  let commands: CommandBus;
  let statusService: Subscription | undefined;
  const acks: PubAck[] = [];

  beforeAll(async () => {
    const prefix = testBusPrefix();
    probe = await startProbe({ natsUrl: natsUrl(), prefix, databaseUrl: await createTestDatabase(), maxDeliveries: 3 });
    bus = await Bus.connect({ url: natsUrl(), prefix });
    // Observe (not replace) what JetStream answers to each publish of a command (not the
    // record of a 202, which goes to ACCEPTED).
    const publish = bus.js.publish.bind(bus.js);
    bus.js.publish = async (...args) => {
      const ack = await publish(...args);
      if (ack.stream === bus.stream('COMMANDS')) acks.push(ack);
      return ack;
    };
    // The status check before a keyed send may take its time here: a busy machine must not
    // make a test of what it finds publish first.
    commands = new CommandBus(bus, 5_000, 30_000);
  });
  afterAll(async () => {
    statusService?.unsubscribe();
    await bus?.close();
    await probe?.close();
  });

  const consumerSeq = async () => (await bus.jsm.consumers.info(bus.stream('COMMANDS'), 'probe-commands')).delivered.consumer_seq;

  it('drops a resend with the same commandId; the handler runs once and the resend gets the first outcome', async () => {
    statusService = answerCommandStatus(bus, probe.pool);
    const commandId = randomUUID();
    const deliveredBefore = await consumerSeq();
    acks.length = 0;

    // given a command that was handled
    const first = await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 });
    expect(first).toEqual({ status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } });

    // when the same command is sent again
    const second = await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 });

    // then JetStream reported the second publish as a duplicate of the first message
    expect(acks.map((a) => a.duplicate)).toEqual([false, true]);
    expect(acks[1]!.seq).toBe(acks[0]!.seq);
    // and the sender got the recorded outcome of the first
    expect(second).toEqual(first);
    // and the handler ran once, delivered once, and the log holds one event
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1]);
    await eventually(async () => expect(await consumerSeq()).toBe(deliveredBefore + 1));
    const { rows } = await probe.pool.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [`probe-${commandId}`]);
    expect(rows[0].n).toBe(1);
  });

  it('without anyone to report the outcome, a resend is "accepted", not handled again', async () => {
    statusService?.unsubscribe();
    statusService = undefined;
    const commandId = randomUUID();
    acks.length = 0;
    await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 });

    const again = await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 300 });

    expect(acks.map((a) => a.duplicate)).toEqual([false, true]);
    expect(again).toEqual({ status: 'accepted', commandId });
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1]);
    const { rows } = await probe.pool.query('SELECT count(*)::int AS n FROM command_outcomes WHERE command_id = $1', [commandId]);
    expect(rows[0].n).toBe(1);
  });

  it('the same command sent twice at once (a retried request) is handled once, and both sends get its outcome', async () => {
    statusService ??= answerCommandStatus(bus, probe.pool);
    const commandId = randomUUID();

    const [first, second] = await Promise.all([1, 2].map(() => commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 })));

    const outcome = { status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } };
    expect([first, second]).toEqual([outcome, outcome]);
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1]);
  });

  it('a resend while the first is still queued (a failure is being retried) is not published again: it gets the first\'s outcome', async () => {
    statusService ??= answerCommandStatus(bus, probe.pool);
    const commandId = randomUUID();
    // given a first send whose handling fails once (redelivered after a delay): still pending
    const first = commands.send(ProbeFlaky, { failTimes: 1 }, { actor, commandId, waitMs: 20_000 });
    await eventually(() => expect(probe.recorder.attempts(commandId)).toBeGreaterThanOrEqual(1));

    // when the same command is sent again meanwhile
    const again = await commands.send(ProbeFlaky, { failTimes: 1 }, { actor, commandId, waitMs: 20_000 });

    // then both get the one outcome of the one copy (its redelivery), and the log holds one event for it
    const outcome = { status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } };
    expect([await first, again]).toEqual([outcome, outcome]);
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1, 2]);
    const { rows } = await probe.pool.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [`probe-${commandId}`]);
    expect(rows[0].n).toBe(1);
  });

  it('refuses another kind of command under an id still pending (answered 202), before publishing it', async () => {
    statusService ??= answerCommandStatus(bus, probe.pool);
    const commandId = randomUUID();
    expect(await commands.send(Pause, {}, { actor, commandId, checkPayload: true, waitMs: 0 })).toEqual({ status: 'accepted', commandId });
    await expect(commands.send(Resume, {}, { actor, commandId, checkPayload: true, waitMs: 0 }))
      .rejects.toMatchObject({ code: 'invalid', field: 'commandId', message: expect.stringContaining('another kind of command') });
  });

  it('a resend under a client\'s id with another payload is refused naming the id, within JetStream\'s dedupe window and after it', async () => {
    statusService ??= answerCommandStatus(bus, probe.pool);
    const commandId = randomUUID();
    const checked = { actor, commandId, checkPayload: true, waitMs: 20_000 };
    const first = await commands.send(ProbeFlaky, { failTimes: 0 }, checked);
    expect(first).toEqual({ status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } });
    const reused = { code: 'invalid', field: 'commandId', message: expect.stringContaining(`command id ${commandId} was used before for another command`) };

    // within the window JetStream drops the resend; its sender refuses the first command's outcome as its own
    await expect(commands.send(ProbeFlaky, { failTimes: 0, replyBytes: 8 }, checked)).rejects.toMatchObject(reused);
    // past it (JetStream has forgotten the id: another Nats-Msg-Id), the service refuses it, without recording
    const payload = { failTimes: 0, replyBytes: 8 };
    const late: CommandEnvelope = {
      commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), repliesUntil: new Date(Date.now() + 20_000).toISOString(),
      fingerprint: commandFingerprint(commandId, payload), payload,
    };
    const answer = bus.nc.subscribe(bus.subject(replySubject(commandId)), { max: 1 });
    await bus.js.publish(bus.subject(ProbeFlaky.subject), encode(late), { msgID: `${commandId}.after-window` });
    for await (const msg of answer) expect(decode(msg.data)).toEqual({ ok: false, error: reused });

    // and the first command's outcome, events and answer to a true retry stand
    expect((await findOutcome(probe.pool, commandId))?.reply).toEqual({ ok: true, value: { count: 1 } });
    const { rows } = await probe.pool.query('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [`probe-${commandId}`]);
    expect(rows[0].n).toBe(1);
    expect(await commands.send(ProbeFlaky, { failTimes: 0 }, checked)).toEqual(first);
  });

  it('a resend with another payload after the first was answered 202 is refused before it is published: its status would read the first\'s', async () => {
    statusService ??= answerCommandStatus(bus, probe.pool);
    const commandId = randomUUID();
    const reused = { code: 'invalid', field: 'commandId' };
    expect(await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, checkPayload: true, waitMs: 0 })).toEqual({ status: 'accepted', commandId });
    acks.length = 0;

    await expect(commands.send(ProbeFlaky, { failTimes: 0, replyBytes: 8 }, { actor, commandId, checkPayload: true, waitMs: 0 })).rejects.toMatchObject(reused);

    expect(acks).toHaveLength(0);
    await eventually(async () => expect((await findOutcome(probe.pool, commandId))?.reply).toEqual({ ok: true, value: { count: 1 } }));
  });

  it('a resend with another payload that no status service can check is refused by the first one\'s 202 record, which it never records itself over', async () => {
    statusService?.unsubscribe();
    statusService = undefined;
    const commandId = randomUUID();
    // given a first command answered 202 (its record says what it is), taken but not yet answered
    // (its answer, arriving during the resend, would rightly refuse the resend instead)
    const release = probe.recorder.hold(commandId);
    try {
      expect(await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, checkPayload: true, waitMs: 0 })).toEqual({ status: 'accepted', commandId });
      await eventually(async () => expect(probe.recorder.deliveries.get(commandId)).toEqual([1]));
      // when another payload is sent under its id while nothing can read the status: the 202's record refuses it, before publishing
      acks.length = 0;
      await expect(commands.send(ProbeFlaky, { failTimes: 0, replyBytes: 8 }, { actor, commandId, checkPayload: true, waitMs: 0 }))
        .rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining(`command id ${commandId} was used before for another command`) });
      expect(acks).toEqual([]);
      // and the same payload again is answered 202 as the first was
      expect(await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, checkPayload: true, waitMs: 0 })).toEqual({ status: 'accepted', commandId });
      // then the 202's record is still the first command's: its identical resends are not refused
      expect((await acceptedRecord(bus, commandId))?.fingerprint).toBe(commandFingerprint(commandId, { failTimes: 0 }));
    } finally {
      release();
    }
    statusService = answerCommandStatus(bus, probe.pool);
    await eventually(async () => expect(await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, checkPayload: true, waitMs: 5_000 }))
      .toEqual({ status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } }));
  });

  it('a resend under an id JetStream holds, whose status nothing can read and that no 202 recorded, is not answered 202', async () => {
    statusService?.unsubscribe();
    statusService = undefined;
    const commandId = randomUUID();
    // given a first command that JetStream holds and that was neither answered nor answered 202 (its sender gone)
    const release = probe.recorder.hold(commandId);
    try {
      const first = encode({ commandId, correlationId: commandId, actor, issuedAt: new Date().toISOString(), fingerprint: commandFingerprint(commandId, { failTimes: 0 }), payload: { failTimes: 0 } });
      await bus.js.publish(bus.subject(ProbeFlaky.subject), first, { msgID: commandId });
      // when another payload is sent under its id while nothing can read the status
      await expect(commands.send(ProbeFlaky, { failTimes: 0, replyBytes: 8 }, { actor, commandId, checkPayload: true, waitMs: 200 }))
        .rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('whether with this payload cannot be told now') });
      // then nothing recorded it accepted
      expect(await acceptedRecord(bus, commandId)).toBeUndefined();
    } finally {
      release();
    }
    statusService = answerCommandStatus(bus, probe.pool);
  });

  it('a resend with another payload while the first is still queued is refused by the first one\'s answer, which it waited for', async () => {
    statusService ??= answerCommandStatus(bus, probe.pool);
    const commandId = randomUUID();
    const checked = { actor, commandId, checkPayload: true, waitMs: 20_000 };
    // given a first send whose handling fails once (redelivered after a delay): pending, its sender waiting
    const first = commands.send(ProbeFlaky, { failTimes: 1 }, checked);
    await eventually(() => expect(probe.recorder.attempts(commandId)).toBeGreaterThanOrEqual(1));

    // when another payload is sent under its id meanwhile (nothing recorded yet to compare with)
    const other = commands.send(ProbeFlaky, { failTimes: 1, replyBytes: 8 }, checked);

    // then the answer to the first (its redelivery) is not taken for the other's
    await expect(other).rejects.toMatchObject({ code: 'invalid', field: 'commandId' });
    expect(await first).toEqual({ status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } });
    expect(probe.recorder.deliveries.get(commandId)).toEqual([1, 2]);
  });

  it('without a fingerprint the id alone is the command (a service\'s own steps): a resend with another payload gets the first outcome', async () => {
    statusService ??= answerCommandStatus(bus, probe.pool);
    const commandId = randomUUID();
    const first = await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 });
    expect(await commands.send(ProbeFlaky, { failTimes: 0, replyBytes: 8 }, { actor, commandId, waitMs: 20_000 })).toEqual(first);
  });

  it('sends concurrent commands as one atomic batch, each handled once', async () => {
    statusService ??= answerCommandStatus(bus, probe.pool);
    acks.length = 0;
    const ids = Array.from({ length: 20 }, () => randomUUID());

    // when twenty commands are sent at once
    const results = await Promise.all(ids.map((commandId) => commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 })));

    // then none was published alone: they went to JetStream together
    expect(acks).toHaveLength(0);
    // and each was handled once and answered with its own outcome
    expect(results).toEqual(ids.map((commandId) => ({ status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } })));
    for (const id of ids) expect(probe.recorder.deliveries.get(id)).toEqual([1]);
  });

  it('when a resend is among concurrent commands, the batch goes one by one: the resend is dropped, the others handled once', async () => {
    statusService ??= answerCommandStatus(bus, probe.pool);
    const resent = randomUUID();
    const first = await commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId: resent, waitMs: 20_000 });
    acks.length = 0;
    const fresh = Array.from({ length: 15 }, () => randomUUID());

    // when the resend goes together with fifteen new commands (enough for an atomic batch)
    const [again, ...results] = await Promise.all([resent, ...fresh].map((commandId) => commands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 })));

    // then JetStream refused the batch for the duplicate and took each one alone: one duplicate
    expect(acks).toHaveLength(16);
    expect(acks.filter((a) => a.duplicate)).toHaveLength(1);
    // and the resend got the first outcome, without running again
    expect(again).toEqual(first);
    expect(probe.recorder.deliveries.get(resent)).toEqual([1]);
    // and every new command was handled once
    expect(results).toEqual(fresh.map((commandId) => ({ status: 'completed', commandId, reply: { ok: true, value: { count: 1 } } })));
    for (const id of fresh) expect(probe.recorder.deliveries.get(id)).toEqual([1]);
  });

  it('a command over the server\'s max_payload is refused as bad input naming the limit, and nothing is published', async () => {
    const limit = bus.nc.info!.max_payload;
    const lastBefore = (await bus.jsm.streams.info(bus.stream('COMMANDS'))).state.last_seq;
    acks.length = 0;
    const commandId = randomUUID();

    // when a command is bigger than the server takes (it would be refused on every retry)
    const payload = { failTimes: 0, padding: 'x'.repeat(limit) } as unknown as { failTimes: number };
    const sent = commands.send(ProbeFlaky, payload, { actor, commandId, waitMs: 2_000 });

    // then it is refused as the request's fault, with the limit, not as "retry shortly"
    await expect(sent).rejects.toMatchObject({ code: 'invalid', message: expect.stringContaining(`NATS max_payload ${limit}`) });
    // and JetStream got nothing
    expect(acks).toHaveLength(0);
    expect((await bus.jsm.streams.info(bus.stream('COMMANDS'))).state.last_seq).toBe(lastBefore);
    expect(probe.recorder.deliveries.get(commandId)).toBeUndefined();
  });

  it('commands of a batch the client cannot send (its connection closed) are refused, none left hanging', async () => {
    const own = await Bus.connect({ url: natsUrl(), prefix: bus.prefix.slice(0, -1) });
    const ownCommands = new CommandBus(own);
    const ids = Array.from({ length: 14 }, () => randomUUID());

    // when fourteen commands are sent together and the connection closes before they go out
    const sent = Promise.allSettled(ids.map((commandId) => ownCommands.send(ProbeFlaky, { failTimes: 0 }, { actor, commandId, waitMs: 20_000 })));
    const closed = own.nc.close();

    // then every one is refused as not accepted (the client may retry), and none was handled
    const results = await sent;
    await closed;
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code?: string }).code : r.status))).toEqual(ids.map(() => 'unavailable'));
    for (const id of ids) expect(probe.recorder.deliveries.get(id)).toBeUndefined();
  });
});
