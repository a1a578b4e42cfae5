import { randomUUID } from 'node:crypto';
import type { JsMsg } from '@nats-io/jetstream';
import { TimeoutError } from '@nats-io/nats-core';
import type { Actor } from '@slipway/contracts';
import { eventually } from '@slipway/testing';
import type { Bus } from './bus';
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

  /** Once the probe's COMMANDS consumer has settled everything and the stream holds nothing. */
  const settled = () => eventually(async () => {
    expect(await rig.bus.jsm.consumers.info(rig.bus.stream('COMMANDS'), 'probe-commands')).toMatchObject({ num_pending: 0, num_ack_pending: 0 });
    expect((await rig.bus.jsm.streams.info(rig.bus.stream('COMMANDS'))).state.messages).toBe(0);
  }, 30_000, 100);

  const refusedShortly = async (commandId: string, payload: { password?: string }) => {
    const sent = await rig.commands.send(ProbeBusyOnce, payload, { actor, commandId, waitMs: 5_000 });
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
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    let lost = false;
    const answerLost = jest.spyOn(rig.bus.js, 'publish').mockImplementation(async (subject, ...rest) => {
      if (lost || !subject.endsWith(ProbeBusyOnce.subject)) return publish(subject, ...rest);
      lost = true;
      await publish(subject, ...rest);
      await new Promise((resolve) => setTimeout(resolve, 800));
      throw new TimeoutError();
    });
    try {
      // when it is sent, the service refusing it "retry shortly"
      const commandId = randomUUID();
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 5_000 });
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

  it('is carried out when its client sends it again under the same id: the resend is another message', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    try {
      // given a refusal confirmed, its message let go
      const commandId = randomUUID();
      await refusedShortly(commandId, {});
      await settled();
      // when the client sends it again (Idempotency-Key), then that send runs it, once
      const resent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 5_000 });
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
