import { randomUUID } from 'node:crypto';
import { GetCommandStatus, type Actor } from '@slipway/contracts';
import { eventually } from '@slipway/testing';
import { RefusalRecordOf } from './answered-refusals';
import { decode, encode } from './codec';
import { lastRecord } from './message-records';
import { probeRig } from './probe-rig.testing';
import { DependencyDown } from './transient';
import { commandStatus } from './command-status';
import { answerCommandStatus, ProbeBusyOnce } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * A resend under the id of a command refused "retry shortly" (JetStream drops it as a
 * duplicate) settles the refused message before it publishes another copy (claimRun): the
 * message runs unless its refusal reached a client or it is gone. What each client is told
 * must be what happens: a 202 is carried out, a "retry shortly" is not.
 */
describe('a resend of a command refused "retry shortly"', () => {
  const rig = probeRig();
  const settled = () => rig.settled();
  const told = (sent: unknown): string => {
    if (typeof sent === 'string') return sent;
    const s = sent as { status: string; reply?: { ok: boolean } };
    return s.status === 'accepted' ? 'accepted' : s.reply!.ok ? 'carried out' : 'refused';
  };
  const carriedOutOnce = { events: 1, effects: 1, outcomes: 1 };

  it('is carried out after its client was answered 202 when the resend found the service\'s own claim to run it (second review)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    // Each step stored after the one it must follow, not after a fixed wait: a 6 s wait for the
    // first sender's answer ran out of its write's bound on a loaded machine, and its retry, not
    // delayed, was stored before the service's claim (then its refusal won, as it may).
    const after = () => {
      let done = (): void => undefined;
      const stored = new Promise<void>((resolve) => { done = resolve; });
      return { done, stored: () => Promise.race([stored, new Promise((resolve) => setTimeout(resolve, 15_000))]) };
    };
    const serviceClaim = after();
    const resendClaim = after();
    const slow = jest.spyOn(rig.bus.js, 'publish').mockImplementation(async (subject, data, ...rest) => {
      const written = subject.endsWith('.refusal') ? decode<{ state?: string; after?: number; by?: string }>(data as Uint8Array) : undefined;
      // the first sender's answer slower than the service waits for it (so the service claims the run)
      if (written?.state === 'answered') await serviceClaim.stored();
      // a second ask, on top of that claim, slower than the resend's claim
      if (written?.state === 'asked' && (written.after ?? 0) > 0) await resendClaim.stored();
      const stored = await publish(subject, data, ...rest);
      if (written?.state === 'runs') (written.by === 'resend' ? resendClaim : serviceClaim).done();
      return stored;
    });
    // the service's claim written, but JetStream's answer to it lost: the delivery tried again in place
    const mayRun = RefusalRecordOf.prototype.mayRun;
    let hiccups = 0;
    const hiccup = jest.spyOn(RefusalRecordOf.prototype, 'mayRun').mockImplementation(async function (this: RefusalRecordOf) {
      const may = await mayRun.call(this);
      if ((this as unknown as { asked: boolean }).asked && hiccups++ === 0) throw new DependencyDown('JetStream\'s answer lost (test)');
      return may;
    });
    const refusedTwice = rig.busyWhen((tries) => tries <= 2);
    // and the second refusal slow to be asked about (a slow handler, a slow Postgres)
    const ask = RefusalRecordOf.prototype.ask;
    const slowAsk = jest.spyOn(RefusalRecordOf.prototype, 'ask').mockImplementation(async function (this: RefusalRecordOf) {
      if ((this as unknown as { asked: boolean }).asked) await new Promise((resolve) => setTimeout(resolve, 2_000));
      return ask.call(this);
    });
    try {
      const commandId = randomUUID();
      const first = rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 25_000 });
      let where = '';
      await eventually(async () => {
        const status = await rig.commands.query(GetCommandStatus, { commandId });
        where = (status.ok ? status.value.lastRefusal?.record?.subject : undefined) ?? '';
        expect(where).not.toBe('');
      }, 10_000, 20);
      // given the service's own claim to run it recorded
      await eventually(async () => expect((await lastRecord<{ state: string }>(rig.bus, where))?.record).toMatchObject({ state: 'runs' }), 15_000, 20);
      // when the client resends it, waiting less
      const resent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 500 });
      const answered = await first;
      await settled();
      // then its 202 is carried out (before: the second refusal was asked about on top of the
      // service's claim and told to the first sender, the message let go unrun)
      expect({ resent: told(resent), first: told(answered), effects: await rig.effects(commandId) }).toEqual({ resent: 'accepted', first: 'carried out', effects: carriedOutOnce });
    } finally {
      refusedTwice.mockRestore();
      slowAsk.mockRestore();
      hiccup.mockRestore();
      slow.mockRestore();
      statusService.unsubscribe();
    }
  }, 60_000);

  it('is carried out when a sender of the version before confirms the refusal after the resend claimed its run (review)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    const commandId = randomUUID();
    // a sender of the version before: it confirms with an empty answer, recording nothing, late
    // (once the resend's claim is stored, so that the claim is what the test sees, however slow the machine)
    let record = '';
    const oldSender = rig.bus.nc.subscribe(rig.bus.subject(`res.${commandId}`), { callback: (_error, msg) => {
      if (!msg.reply) return;
      void eventually(async () => expect((await lastRecord<{ by?: string }>(rig.bus, record))?.record?.by).toBe('resend'), 20_000, 20).finally(() => msg.respond());
    } });
    try {
      const now = Date.now();
      const { seq } = await rig.bus.js.publish(rig.bus.subject(ProbeBusyOnce.subject), encode({
        commandId, correlationId: commandId, actor, issuedAt: new Date(now).toISOString(), repliesUntil: new Date(now + 10_000).toISOString(), payload: {},
      }), { msgID: commandId });
      record = rig.bus.subject(`outage.${rig.bus.stream('COMMANDS')}.probe-commands.${seq}.refusal`);
      await eventually(async () => expect((await lastRecord<{ state: string }>(rig.bus, record))?.record?.state).toBe('asked'), 10_000, 20);
      // when the client resends it under the same id while the old sender is asked
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 3_000 });
      // then the resend's answer (its outcome, or a 202) is what happens: it is carried out, once
      await settled();
      await eventually(async () => expect(await rig.effects(commandId)).toEqual(carriedOutOnce), 20_000, 100);
      expect(told(sent)).toMatch(/^(carried out|accepted)$/);
    } finally {
      oldSender.unsubscribe();
      statusService.unsubscribe();
    }
  }, 60_000);

  it('publishes a copy when the refused message\'s records are gone (OUTAGES emptied by an operator): the message no longer queued never runs (review)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    try {
      const commandId = randomUUID();
      const first = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 10_000 });
      expect(told(first)).toBe('refused');
      await settled();
      await rig.bus.jsm.streams.purge(rig.bus.stream('OUTAGES'));
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 10_000 });
      await settled();
      expect({ told: told(sent), effects: await rig.effects(commandId) }).toEqual({ told: 'carried out', effects: carriedOutOnce });
    } finally {
      statusService.unsubscribe();
    }
  }, 60_000);

  it('answers within its wait that the command may still be carried out when the refused message\'s record cannot be read in time (review)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    const read = rig.bus.jsm.streams.getMessage.bind(rig.bus.jsm.streams);
    try {
      const commandId = randomUUID();
      expect(told(await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 10_000 }))).toBe('refused');
      await settled();
      // the resend's reads of the record stalled far past its wait (the stream's client waits 5 s)
      const stalled = jest.spyOn(rig.bus.jsm.streams, 'getMessage').mockImplementation(async (stream, query) => {
        if (String((query as { last_by_subj?: string }).last_by_subj ?? '').endsWith('.refusal')) await new Promise((resolve) => setTimeout(resolve, 15_000));
        return read(stream, query);
      });
      try {
        const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 2_000 }).catch((error: Error) => error.message);
        expect(told(sent)).toMatch(/may still be carried out \(whether it runs could not be settled now\)/);
      } finally {
        stalled.mockRestore();
      }
    } finally {
      statusService.unsubscribe();
    }
  }, 60_000);

  it('is carried out after its client was answered 202, though the message is refused again while its first sender still waits (review)', async () => {
    const statusService = answerCommandStatus(rig.bus, rig.probe.pool);
    // the first sender's record of its answer slow, so that the resend's claim comes first
    const publish = rig.bus.js.publish.bind(rig.bus.js);
    const slowAnswer = jest.spyOn(rig.bus.js, 'publish').mockImplementation(async (subject, data, ...rest) => {
      if (subject.endsWith('.refusal') && (decode<{ state?: string }>(data as Uint8Array))?.state === 'answered') await new Promise((resolve) => setTimeout(resolve, 2_000));
      return publish(subject, data, ...rest);
    });
    // the service's read of the record after its unconfirmed ask failing once (a JetStream
    // hiccup): the delivery is tried again in place, while its first sender still waits
    const mayRun = RefusalRecordOf.prototype.mayRun;
    let hiccups = 0;
    const hiccup = jest.spyOn(RefusalRecordOf.prototype, 'mayRun').mockImplementation(async function (this: RefusalRecordOf) {
      if ((this as unknown as { asked: boolean }).asked && hiccups++ === 0) throw new DependencyDown('JetStream did not answer (test)');
      return mayRun.call(this);
    });
    // and the command refused on its first two tries
    const refusedTwice = rig.busyWhen((tries) => tries <= 2);
    try {
      const commandId = randomUUID();
      // given a sender that waits long for the command, asked to confirm its refusal
      const first = rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 25_000 });
      await eventually(async () => {
        const status = await rig.commands.query(GetCommandStatus, { commandId });
        const where = status.ok ? status.value.lastRefusal?.record?.subject : undefined;
        expect(where && (await lastRecord<{ state: string }>(rig.bus, where))?.record?.state).toBe('asked');
      }, 10_000, 20);
      // when the client resends it, waiting less
      const resent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 500 });
      // then the resend's 202 is carried out (before: the second refusal was asked about and
      // told to the first sender, the message let go, the 202 never carried out)
      expect(told(resent)).toBe('accepted');
      const answered = await first;
      await settled();
      expect({ hiccups: hiccups > 0, first: told(answered), effects: await rig.effects(commandId) }).toEqual({ hiccups: true, first: 'carried out', effects: carriedOutOnce });
    } finally {
      refusedTwice.mockRestore();
      hiccup.mockRestore();
      slowAnswer.mockRestore();
      statusService.unsubscribe();
    }
  }, 60_000);

  it('is carried out when the copy it finds published by another resend was refused and let go since (its status read before that refusal) (third review)', async () => {
    // a status service that answers one query with a status read earlier (another resend's
    // read, slow to come back), every other with the status as it is
    let stale: unknown;
    const statusService = rig.bus.nc.subscribe(rig.bus.subject(GetCommandStatus.subject), { callback: (_error, msg) => {
      const { commandId } = decode<{ payload: { commandId: string } }>(msg.data).payload;
      if (stale !== undefined) {
        msg.respond(encode({ ok: true, value: stale }));
        stale = undefined;
        return;
      }
      void commandStatus(rig.probe.pool, rig.bus, commandId).then((status) => msg.respond(encode({ ok: true, value: status })));
    } });
    // the first copy of the command refused "retry shortly" too, on its first delivery
    let firstCopy: string | undefined;
    const copyRefused = rig.busyWhen((_tries, m) => {
      const msgId = m.headers?.get('Nats-Msg-Id') ?? '';
      if (msgId.includes('after-refusal')) firstCopy ??= msgId;
      return msgId === firstCopy && m.info.deliveryCount === 1;
    });
    try {
      // given a command refused "retry shortly" to its sender, and a resend whose copy was refused too
      const commandId = randomUUID();
      expect(told(await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 10_000 }))).toBe('refused');
      const before = await rig.commands.query(GetCommandStatus, { commandId });
      expect(told(await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 10_000 }))).toBe('refused');
      await settled();
      // when another resend reads the status as it was before that copy's refusal
      stale = before.ok ? before.value : undefined;
      const sent = await rig.commands.send(ProbeBusyOnce, {}, { actor, commandId, waitMs: 10_000 });
      // then it is carried out, and told so (before: the copy it published was a duplicate of
      // the refused one, nothing was left to run it, and it was answered 202)
      await settled();
      expect({ stale, told: told(sent), effects: await rig.effects(commandId) }).toEqual({ stale: undefined, told: 'carried out', effects: carriedOutOnce });
    } finally {
      copyRefused.mockRestore();
      statusService.unsubscribe();
    }
  }, 60_000);
});
