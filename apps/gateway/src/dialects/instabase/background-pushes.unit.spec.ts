import type { CommandBus } from '@slipway/bus';
import { eventually } from '@slipway/testing';
import { GetCommandStatus, PushConfigs, type Contract } from '@slipway/contracts';
import { BackgroundPushes } from './background-pushes';

/**
 * The follow logic alone, against a scripted bus: what it asks and sends is recorded, and
 * the answers are given in order. (The real bus path is covered end to end in
 * apps/gateway/e2e/instabase-accepted-write.e2e.spec.ts.)
 */
function scriptedBus(statuses: Array<() => unknown>) {
  const sent: string[] = [];
  const asked: string[] = [];
  const bus = {
    async query(contract: Contract<never>, payload: { commandId: string }) {
      if (contract.subject !== GetCommandStatus.subject) throw new Error(`unexpected query ${contract.subject}`);
      asked.push(payload.commandId);
      const next = statuses.shift();
      if (!next) return { ok: true, value: { status: 'pending' } };
      return next();
    },
    async send(contract: Contract<never>, _payload: unknown, options: { commandId: string }) {
      sent.push(`${contract.subject} ${options.commandId}`);
      return { status: 'accepted', commandId: options.commandId };
    },
  };
  return { bus: bus as unknown as CommandBus, sent, asked };
}

const done = { ok: true, value: { status: 'succeeded', outcome: { ok: true, value: { materialized: ['a'], successfulApply: [], failedToApply: [] } } } };
const pushNotSent = { ok: true, value: { status: 'unknown' } };
const actor = { principal: 'tester', kind: 'token' as const };

describe('BackgroundPushes', () => {
  it('given a status query that fails once, when following a write, then it tries again and sends the push', async () => {
    const { bus, sent } = scriptedBus([
      () => ({ ok: false, error: { code: 'unavailable', message: 'telemetry restarting' } }),
      () => done,
      () => pushNotSent,
    ]);
    const pushes = new BackgroundPushes(bus);
    pushes.follow('w1', actor);
    await eventually(() => expect(sent).toEqual([`${PushConfigs.subject} w1-push`]));
    await pushes.onModuleDestroy();
    expect(sent).toEqual([`${PushConfigs.subject} w1-push`]);
  });

  it('given the push itself fails to send once, when following, then it is sent on a later try', async () => {
    const { bus, sent } = scriptedBus([() => done, () => { throw new Error('bus down'); }, () => done, () => pushNotSent]);
    const pushes = new BackgroundPushes(bus);
    pushes.follow('w2', actor);
    await eventually(() => expect(sent).toEqual([`${PushConfigs.subject} w2-push`]));
    await pushes.onModuleDestroy();
    expect(sent).toEqual([`${PushConfigs.subject} w2-push`]);
  });

  it('given a stopping gateway, when asked to follow, then it does not start', async () => {
    const { bus, asked } = scriptedBus([]);
    const pushes = new BackgroundPushes(bus);
    await pushes.onModuleDestroy();
    pushes.follow('w3', actor);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(asked).toEqual([]);
  });
});
