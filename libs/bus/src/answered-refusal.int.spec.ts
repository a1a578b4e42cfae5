import { randomUUID } from 'node:crypto';
import type { JsMsg } from '@nats-io/jetstream';
import { TimeoutError } from '@nats-io/nats-core';
import type { Actor } from '@slipway/contracts';
import { eventually } from '@slipway/testing';
import { RefusalRecordOf } from './answered-refusals';
import type { Bus } from './bus';
import { encode } from './codec';
import { lastRecord } from './message-records';
import { probeRig } from './probe-rig.testing';
import { answerCommandStatus, ProbeBusyOnce } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * A "retry shortly" its waiting sender confirmed has been told to the client (the gateway's
 * 503): the command did not happen. Letting its message go may still fail after that (its
 * erasure, its ack, the process), and JetStream delivers it again with nobody waiting: that
 * delivery must not carry it out (a retry under a new id would do it twice).
 */
describe('a "retry shortly" refusal confirmed by its waiting sender', () => {
  const rig = probeRig();
  /**
   * How long a sender here waits for its answer: well past what the delays the tests put in
   * add up to (up to some 7 s), so that its answer, asserted, is never a 202 for want of time
   * on a loaded machine (5 and 8 s left some 3 s to spare). Only the time it may wait: the
   * answers come when they come.
   */
  const WAIT_MS = 20_000;

  const settled = () => rig.settled();

  const refusedShortly = async (commandId: string, payload: { password?: string }) => {
    const sent = await rig.commands.send(ProbeBusyOnce, payload, { actor, commandId, waitMs: WAIT_MS });
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
  };

  it('is not carried out when erasing it (it carries a secret) fails after the answer: erased again, never run', async () => {
    // given an erasure that times out once, as NATS does when slow
    const server = rig.probe.app.unwrap<Bus>();
    const erasure = jest.spyOn(server.jsm.streams, 'deleteMessage').mockRejectedValueOnce(new TimeoutError());
    try {
      // when the command is refused "retry shortly" to its sender, who confirms it
      const commandId = randomUUID();
      await refusedShortly(commandId, { password: 'hunter2' });
      // then, once its message is let go, it was erased and never run again
      await settled();
      expect(erasure.mock.calls.length).toBeGreaterThanOrEqual(2);
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1]);
      expect(await rig.effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 0 });
    } finally {
      erasure.mockRestore();
    }
  });

  it('is not carried out when its message comes again after the answer (its ack lost, or the process gone before it)', async () => {
    // given the first ack in this process lost, the message delivered again at once (a nak
    // stands for the ack wait running out): JsMsg's class is not exported, so it is reached
    // through a message this process receives
    const ack = jest.spyOn(await jsMsgPrototype(rig.bus), 'ack').mockImplementationOnce(function (this: JsMsg) { this.nak(); });
    try {
      // when the command is refused "retry shortly" to its sender, who confirms it
      const commandId = randomUUID();
      await refusedShortly(commandId, {});
      // then the delivery after it settles it as answered, without running it
      await settled();
      expect(ack).toHaveBeenCalledTimes(2);
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1]);
      expect(await rig.effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 0 });
    } finally {
      ack.mockRestore();
    }
  });

  it('is not carried out by a copy published again when the answer to its publish was lost: the refusal is the answer', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    // given the command stored, but JetStream's answer to its publish lost after the service refused it
    const answerLost = publishAnswerLost();
    try {
      // when it is sent, the service refusing it "retry shortly"
      const commandId = randomUUID();
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: WAIT_MS });
      // then the sender is told the refusal, and no copy of the command runs
      expect(sent).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
      await settled();
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1]);
      expect(await rig.effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 0 });
    } finally {
      answerLost.mockRestore();
      statusService.unsubscribe();
    }
  });

  /** The service's connection, whose requests (the confirmations it asks for) a test may tamper with. */
  const serviceBus = () => rig.probe.app.unwrap<Bus>();
  /** The service's records of refusals (asks, claims to run) written `ms` late: JetStream slow for it. */
  const slowServiceRecords = (ms: number) => {
    const server = serviceBus();
    const servicePublish = server.js.publish.bind(server.js);
    return jest.spyOn(server.js, 'publish').mockImplementation(async (subject, ...rest) => {
      if (subject.endsWith('.refusal')) await new Promise((resolve) => setTimeout(resolve, ms));
      return servicePublish(subject, ...rest);
    });
  };
  /** The service's answers that are no requests (outcomes) sent `ms` late, as a real handler's (a push to the cluster) may come. */
  const slowOutcomes = (ms: number) => {
    const server = serviceBus();
    const natsPublish = server.nc.publish.bind(server.nc);
    return jest.spyOn(server.nc, 'publish').mockImplementation((subject, ...rest) => {
      if (subject.startsWith(server.subject('res.')) && !(rest[1] as { reply?: string } | undefined)?.reply) {
        setTimeout(() => natsPublish(subject, ...rest), ms);
        return;
      }
      natsPublish(subject, ...rest);
    });
  };
  /**
   * The sender's first publish of a ProbeBusyOnce stored, but JetStream's answer to it lost (800 ms,
   * then a timeout); with `recordDelayMs`, the sender's own refusal records slow too (a stalled JetStream).
   */
  const publishAnswerLost = (recordDelayMs?: number) => {
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    let lost = false;
    return jest.spyOn(rig.bus.js, 'publish').mockImplementation(async (subject, ...rest) => {
      if (recordDelayMs !== undefined && subject.endsWith('.refusal')) {
        await new Promise((resolve) => setTimeout(resolve, recordDelayMs));
        return publish(subject, ...rest);
      }
      if (lost || !subject.endsWith(ProbeBusyOnce.subject)) return publish(subject, ...rest);
      lost = true;
      await publish(subject, ...rest);
      await new Promise((resolve) => setTimeout(resolve, 800));
      throw new TimeoutError();
    });
  };
  /** What a sender was told is what happened: refused and never run, or run once. */
  const expectToldAsHappened = async (sent: unknown, commandId: string) => {
    const effects = await rig.effects(commandId);
    const told = (sent as { reply: { ok: boolean } }).reply.ok ? 'carried out' : 'refused';
    expect({ told, effects }).toEqual(told === 'refused' ? { told, effects: { events: 0, effects: 0, outcomes: 0 } } : { told, effects: { events: 1, effects: 1, outcomes: 1 } });
  };

  it('is not carried out when the service never learns that its sender confirmed (the confirmation lost, the service gone before it)', async () => {
    // given the service's request for confirmation answered, but the answer lost on its way back
    const server = serviceBus();
    const request = server.nc.request.bind(server.nc);
    const lostConfirmation = jest.spyOn(server.nc, 'request').mockImplementation(async (subject, ...rest) => {
      if (!subject.startsWith(server.subject('res.'))) return request(subject, ...rest);
      await request(subject, ...rest);
      throw new TimeoutError();
    });
    try {
      // when the command is refused "retry shortly" to its sender, who tells its client
      const commandId = randomUUID();
      await refusedShortly(commandId, {});
      // then the deliveries after it (the service retries what it thinks unconfirmed) let it go unrun
      await settled();
      expect(lostConfirmation).toHaveBeenCalled();
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1]);
      expect(await rig.effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 0 });
    } finally {
      lostConfirmation.mockRestore();
    }
  });

  it('is not told to the client when the service ran the command before the sender could record it: the outcome is', async () => {
    // given a sender slow to record its answer (JetStream holding its write) until the service,
    // its confirmation unanswered within half a second, has gone on to run the command
    const server = serviceBus();
    const request = server.nc.request.bind(server.nc);
    const shortWait = jest.spyOn(server.nc, 'request').mockImplementation((subject, data, options) =>
      request(subject, data, subject.startsWith(server.subject('res.')) ? { ...options, timeout: 500 } : options));
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    const slowRecord = jest.spyOn(rig.bus.js, 'publish').mockImplementation(async (subject, ...rest) => {
      if (subject.startsWith(rig.bus.subject('outage.')) && subject.endsWith('.refusal')) {
        await eventually(async () => expect((await lastRecord<{ state?: string }>(rig.bus, subject))?.record?.state).toBe('runs'), 20_000, 50);
      }
      return publish(subject, ...rest);
    });
    try {
      // when the command is sent, its first delivery refused "retry shortly"
      const commandId = randomUUID();
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 20_000 });
      // then its sender is answered the outcome of the run, not the refusal, and it ran once
      expect(sent).toMatchObject({ status: 'completed', reply: { ok: true, value: { count: 1 } } });
      expect(slowRecord.mock.calls.some(([subject]) => subject.endsWith('.refusal'))).toBe(true);
      await settled();
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 2]);
      expect(await rig.effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
    } finally {
      slowRecord.mockRestore();
      shortWait.mockRestore();
    }
  });

  it('tells its sender it may still be carried out when whether the refusal stands cannot be recorded; it is then carried out', async () => {
    // given a sender whose record of its answer JetStream never takes
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    const failingRecord = jest.spyOn(rig.bus.js, 'publish').mockImplementation(async (subject, ...rest) => {
      if (subject.endsWith('.refusal')) throw new TimeoutError();
      return publish(subject, ...rest);
    });
    try {
      // when the command is refused "retry shortly" to it
      const commandId = randomUUID();
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 10_000 });
      // then it is told the command may still run (not that it did not), and the bus runs it
      expect(sent).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } });
      expect((sent as { reply: { error: { message: string } } }).reply.error.message).toContain('it may still be carried out');
      failingRecord.mockRestore();
      await settled();
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 2]);
      expect(await rig.effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
    } finally {
      failingRecord.mockRestore();
    }
  });

  it('is recorded by the service when a sender of the version before confirms without recording it', async () => {
    // given a sender that confirms with an empty answer, as the version before did
    const commandId = randomUUID();
    const oldSender = rig.bus.nc.subscribe(rig.bus.subject(`res.${commandId}`), { callback: (_error, msg) => { msg.respond(); } });
    try {
      // when the command is published for it and refused "retry shortly"
      const now = Date.now();
      const { seq } = await rig.bus.js.publish(rig.bus.subject(ProbeBusyOnce.subject), encode({
        commandId, correlationId: commandId, actor, issuedAt: new Date(now).toISOString(), repliesUntil: new Date(now + 10_000).toISOString(), payload: {},
      }), { msgID: commandId });
      // then the service records the answer itself, and the message is let go unrun
      await settled();
      const recordOf = (kind: string) => lastRecord(rig.bus, rig.bus.subject(`outage.${rig.bus.stream('COMMANDS')}.probe-commands.${seq}.${kind}`));
      expect((await recordOf('refusal'))?.record).toMatchObject({ state: 'answered' });
      // and as that version reads it, for one of its services taking the next delivery
      expect((await recordOf('answered'))?.record).toEqual({ stored: expect.any(String) });
      expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1]);
      expect(await rig.effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 0 });
    } finally {
      oldSender.unsubscribe();
    }
  });

  it('is the answer of a send whose publish went unanswered, once recorded: no copy is published meanwhile to run after its client is told (review)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    // the answer to its publish lost, and the sender's record of its answer slow (a stalled JetStream)
    const stalled = publishAnswerLost(1_500);
    // and a copy's outcome slow to come
    const slowOutcome = slowOutcomes(3_000);
    try {
      // when the command is sent, its service refusing it "retry shortly"
      const commandId = randomUUID();
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: WAIT_MS });
      slowOutcome.mockRestore();
      await settled();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      // then what its sender was told is what happened: refused and never run, or run once
      await expectToldAsHappened(sent, commandId);
    } finally {
      slowOutcome.mockRestore();
      stalled.mockRestore();
      statusService.unsubscribe();
    }
  });

  it('leaves, while its sender is asked, nothing a service of the version before reads as answered (it would let a 202\'s command go unrun) (review)', async () => {
    // given a sender that waits, but whose answer never comes back (its gateway gone): nobody confirms
    const commandId = randomUUID();
    const now = Date.now();
    const { seq } = await rig.bus.js.publish(rig.bus.subject(ProbeBusyOnce.subject), encode({
      commandId, correlationId: commandId, actor, issuedAt: new Date(now).toISOString(), repliesUntil: new Date(now + 10_000).toISOString(), payload: {},
    }), { msgID: commandId });
    // when its service has asked
    const recordOf = (kind: string) => lastRecord<{ state?: string }>(rig.bus, rig.bus.subject(`outage.${rig.bus.stream('COMMANDS')}.probe-commands.${seq}.${kind}`));
    await eventually(async () => expect((await recordOf('refusal'))?.record?.state).toBe('asked'), 10_000, 20);
    // then the subject that version reads holds nothing, and the command runs on its next delivery
    expect(await recordOf('answered')).toBeUndefined();
    await settled();
    expect(rig.probe.recorder.deliveries.get(commandId)).toEqual([1, 2]);
    expect(await rig.effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
  });

  it('does not hold its sender for ever when the confirmation cannot be sent (the connection draining) (review)', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => { rejections.push(reason); };
    process.on('unhandledRejection', onRejection);
    // NATS's protocol handler: what a Msg's respond() writes through
    const protocol = (rig.bus.nc as unknown as { protocol: { publish: (...args: unknown[]) => void } }).protocol;
    const publish = protocol.publish.bind(protocol);
    const draining = jest.spyOn(protocol, 'publish').mockImplementation((subject: unknown, data: unknown, ...rest: unknown[]) => {
      if (ArrayBuffer.isView(data) && Buffer.from(data as Uint8Array).toString() === '{"recorded":true}') throw new Error('connection draining');
      return publish(subject, data, ...rest);
    });
    try {
      const commandId = randomUUID();
      const sent = await Promise.race([
        // (a wait under the 15 s that tells a sender held: one held to its bound is answered 202, also a failure)
        rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 10_000 }).catch((error: unknown) => `threw ${String(error)}`),
        new Promise((resolve) => setTimeout(() => resolve('still held after 15 s'), 15_000)),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // told the refusal it recorded, which stands: the command never runs
      expect({ sent, rejections: rejections.map(String) }).toMatchObject({ sent: { status: 'completed', reply: { ok: false, error: { code: 'unavailable' } } }, rejections: [] });
      await settled();
      expect(await rig.effects(commandId)).toEqual({ events: 0, effects: 0, outcomes: 0 });
    } finally {
      draining.mockRestore();
      process.off('unhandledRejection', onRejection);
    }
  }, 30_000);

  it('is not told while a copy its sender published (its ask slow to come, after the sender read the refusal in the status) runs: the copy\'s outcome is (review)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    // the answer to the sender's publish lost (stored, then a timeout): it goes the duplicate path
    const answerLost = publishAnswerLost();
    // the service's `asked` record slow (JetStream slow): its lastRefusal is readable before its ask comes
    const slowAsk = slowServiceRecords(2_000);
    // and a copy's outcome slow to come
    const slowOutcome = slowOutcomes(4_000);
    try {
      const commandId = randomUUID();
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: WAIT_MS });
      slowOutcome.mockRestore();
      slowAsk.mockRestore();
      await settled();
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      await expectToldAsHappened(sent, commandId);
    } finally {
      slowOutcome.mockRestore();
      slowAsk.mockRestore();
      answerLost.mockRestore();
      statusService.unsubscribe();
    }
  }, 40_000);

  it('is settled before a copy is published: a copy refused too is never told while the first message, its ask slow, runs (review)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    // the answer to the sender's publish lost (stored, then a timeout): it goes the duplicate path
    const answerLost = publishAnswerLost();
    // the service's records slow (JetStream slow): its lastRefusal is readable before its ask comes
    const slowAsk = slowServiceRecords(2_000);
    // and any copy of the command refused "retry shortly" too, on its first delivery
    const copies: string[] = [];
    const copyRefused = rig.busyWhen((_tries, m) => {
      const msgId = m.headers?.get('Nats-Msg-Id') ?? '';
      if (!msgId.includes('after-refusal')) return false;
      copies.push(msgId);
      return m.info.deliveryCount === 1;
    });
    try {
      const commandId = randomUUID();
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 10_000 });
      slowAsk.mockRestore();
      await settled();
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      // then what the sender was told is what happened (before: "retry shortly", told of the
      // copy's refusal, while the first message, its ask unconfirmed, ran), and no copy was sent
      // while the first message could run
      const effects = await rig.effects(commandId);
      const told = (sent as { status: string; reply?: { ok: boolean } }).status === 'accepted' ? 'accepted' : (sent as { reply: { ok: boolean } }).reply.ok ? 'carried out' : 'refused';
      expect({ told, effects, copies }).toEqual({ told: expect.stringMatching(/^(carried out|accepted)$/), effects: { events: 1, effects: 1, outcomes: 1 }, copies: [] });
    } finally {
      copyRefused.mockRestore();
      slowAsk.mockRestore();
      answerLost.mockRestore();
      statusService.unsubscribe();
    }
  }, 60_000);

  it('is, once told to its client, where a service of the version before reads it before any later delivery begins (review)', async () => {
    // the service's wait for the confirmation short (standing for an ask that reached its sender late)
    const server = serviceBus();
    const request = server.nc.request.bind(server.nc);
    const shortWait = jest.spyOn(server.nc, 'request').mockImplementation((subject, data, options) =>
      request(subject, data, subject.startsWith(server.subject('res.')) ? { ...options, timeout: 500 } : options));
    // the sender's legacy write slow (its CAS is not)
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    const slowLegacy = jest.spyOn(rig.bus.js, 'publish').mockImplementation(async (subject, ...rest) => {
      if (subject.startsWith(rig.bus.subject('outage.')) && subject.endsWith('.answered')) await new Promise((resolve) => setTimeout(resolve, 2_500));
      return publish(subject, ...rest);
    });
    // what a service of the version before would read as each later delivery begins
    const seenByOld: boolean[] = [];
    const mayRun = RefusalRecordOf.prototype.mayRun;
    // (as each later delivery begins: the delivery that asked reads the record too, once its wait ran out)
    const spy = jest.spyOn(RefusalRecordOf.prototype, 'mayRun').mockImplementation(async function (this: RefusalRecordOf) {
      const self = this as unknown as { m: JsMsg; subject: string };
      if (self.m.info.deliveryCount > 1) seenByOld.push((await lastRecord(rig.bus, self.subject.replace(/\.refusal$/, '.answered')))?.record !== undefined);
      return mayRun.call(this);
    });
    try {
      const commandId = randomUUID();
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: WAIT_MS });
      await settled();
      const told = (sent as { reply: { ok: boolean } }).reply.ok ? 'carried out' : 'refused';
      expect({ told, seenByOld: told === 'refused' ? seenByOld.filter((seen) => !seen) : [] }).toEqual({ told, seenByOld: [] });
    } finally {
      spy.mockRestore();
      slowLegacy.mockRestore();
      shortWait.mockRestore();
    }
  }, 40_000);

  // Before the refusal was settled first, the copy was published here, and JetStream's refusal of
  // it answered "may still be carried out" (the first message ran): now no copy is sent at all.
  it('sends no copy for JetStream to refuse while the refused first message may run: that message runs, its outcome the answer (review)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    let lost = false;
    const answerLost = jest.spyOn(rig.bus.js, 'publish').mockImplementation(async (subject, data, options) => {
      if (!subject.endsWith(ProbeBusyOnce.subject)) return publish(subject, data, options);
      if (String((options as { msgID?: string } | undefined)?.msgID).includes('after-refusal')) {
        await new Promise((resolve) => setTimeout(resolve, 3_000));
        throw new Error('refused by the test');
      }
      if (lost) return publish(subject, data, options);
      lost = true;
      await publish(subject, data, options);
      await new Promise((resolve) => setTimeout(resolve, 800));
      throw new TimeoutError();
    });
    const slowAsk = slowServiceRecords(2_000);
    try {
      const commandId = randomUUID();
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 15_000 }).catch((error: Error) => `threw: ${error.message}`);
      slowAsk.mockRestore();
      await settled();
      const copies = answerLost.mock.calls.filter(([, , options]) => String((options as { msgID?: string } | undefined)?.msgID).includes('after-refusal'));
      expect({ sent, copies: copies.length, effects: await rig.effects(commandId) }).toEqual({ sent: expect.objectContaining({ status: 'completed', reply: { ok: true, value: { count: 1 } } }), copies: 0, effects: { events: 1, effects: 1, outcomes: 1 } });
    } finally {
      slowAsk.mockRestore();
      answerLost.mockRestore();
      statusService.unsubscribe();
    }
  }, 60_000);

  it('is carried out when its client sends it again under the same id: the resend is another message', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    try {
      // given a refusal confirmed, its message let go
      const commandId = randomUUID();
      await refusedShortly(commandId, {});
      await settled();
      // when the client sends it again (Idempotency-Key), then that send runs it, once
      const resent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: WAIT_MS });
      expect(resent).toMatchObject({ status: 'completed', reply: { ok: true, value: { count: 1 } } });
      expect(await rig.effects(commandId)).toEqual({ events: 1, effects: 1, outcomes: 1 });
    } finally {
      statusService.unsubscribe();
    }
  });
});

/** The prototype of the messages JetStream hands this process (JsMsgImpl, which its client does not export). */
async function jsMsgPrototype(bus: Bus): Promise<JsMsg> {
  const subject = bus.subject(`outage.prototype.${randomUUID()}`);
  await bus.js.publish(subject, new Uint8Array(0));
  const consumer = await bus.js.consumers.get(bus.stream('OUTAGES'), { filter_subjects: [subject] });
  const m = await consumer.next({ expires: 5_000 });
  if (!m) throw new Error('no message to take the prototype of');
  return Object.getPrototypeOf(m) as JsMsg;
}
