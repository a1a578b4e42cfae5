import { randomUUID } from 'node:crypto';
import { commandFingerprint, type Actor } from '@slipway/contracts';
import { findOutcome, recordOutcomeOnce } from '@slipway/event-log';
import { createTestDatabase, natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { CommandBus } from './command-bus';
import { ProbeRefuse, startProbe, type RunningProbe } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

/**
 * A command refused before its handler reached the log (ProbeRefuse always is), whose id
 * already has an outcome: a resend of a command handled before the service lost what it
 * needs (a deployer restarted without its cluster configuration, say).
 */
describe('a refusal decided outside the log, for a command with a recorded outcome', () => {
  let probe: RunningProbe;
  let bus: Bus;
  let commands: CommandBus;
  beforeAll(async () => {
    const prefix = testBusPrefix();
    probe = await startProbe({ natsUrl: natsUrl(), prefix, databaseUrl: await createTestDatabase() });
    bus = await Bus.connect({ url: natsUrl(), prefix });
    commands = new CommandBus(bus);
  });
  afterAll(async () => {
    await bus?.close();
    await probe?.close();
  });

  it('answers the recorded outcome, and records nothing over it', async () => {
    const commandId = randomUUID();
    const recorded = { ok: true as const, value: { count: 1 } };
    await recordOutcomeOnce(probe.pool, { commandId, subject: ProbeRefuse.subject, reply: recorded });

    expect(await commands.send(ProbeRefuse, {}, { actor, commandId, waitMs: 20_000 })).toEqual({ status: 'completed', commandId, reply: recorded });
    expect((await findOutcome(probe.pool, commandId))?.reply).toEqual(recorded);
  });

  it('refuses it naming the id when the outcome recorded is another command\'s (another payload)', async () => {
    const commandId = randomUUID();
    await recordOutcomeOnce(probe.pool, { commandId, subject: ProbeRefuse.subject, reply: { ok: true, value: { count: 1 } }, fingerprint: commandFingerprint(commandId, { other: true }) });

    const sent = await commands.send(ProbeRefuse, {}, { actor, commandId, checkPayload: true, waitMs: 20_000 });
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'invalid', field: 'commandId' } } });
    expect((await findOutcome(probe.pool, commandId))?.reply).toEqual({ ok: true, value: { count: 1 } });
  });

  it('refuses it naming the id when the outcome recorded is another subject\'s', async () => {
    const commandId = randomUUID();
    await recordOutcomeOnce(probe.pool, { commandId, subject: 'cmd.probe.other.v1', reply: { ok: true, value: { count: 1 } } });

    const sent = await commands.send(ProbeRefuse, {}, { actor, commandId, waitMs: 20_000 });
    expect(sent).toMatchObject({ status: 'completed', reply: { ok: false, error: { code: 'invalid', field: 'commandId' } } });
  });
});
