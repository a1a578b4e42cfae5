import { Bus, CommandBus } from '@slipway/bus';
import { PushConfigs, pushIdOf, type ApplyOutcome, type CommandEnvelope, type Reply } from '@slipway/contracts';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { ChangePusher } from './change-pusher';

/** The push a committed write hands to JetStream, as the deployer will read it. */
describe('ChangePusher on real JetStream', () => {
  let bus: Bus;
  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(() => bus?.close());

  const written = (materialized: string[]): Promise<Reply<ApplyOutcome>> => Promise.resolve({ ok: true, value: { materialized } as unknown as ApplyOutcome });
  const pushOf = async (write: CommandEnvelope) => {
    const held = await bus.jsm.streams.getMessage(bus.stream('COMMANDS'), { last_by_subj: bus.subject(PushConfigs.subject) });
    const envelope = held?.json<CommandEnvelope>();
    expect(envelope?.commandId).toBe(pushIdOf(write.commandId));
    return envelope!;
  };
  const write = (issuedAt: string): CommandEnvelope => ({ commandId: `write-${Date.parse(issuedAt)}`, correlationId: 'c', actor: { principal: 'admin', kind: 'token' }, issuedAt, payload: {} });

  it('dates the push as of the write it follows: a pause issued after the write, handled before the push, comes after it', async () => {
    // given a write issued a minute ago, held until now (the config-store was away)
    const held = write(new Date(Date.now() - 60_000).toISOString());
    await new ChangePusher(new CommandBus(bus)).after(held, written(['web-hpa']));
    // then its push is issued at the write's time, and names it as its cause
    expect(await pushOf(held)).toMatchObject({ issuedAt: held.issuedAt, causationId: held.commandId, payload: { objects: ['web-hpa'] } });
  });

  it('dates the push now when the write waited longer than the bus takes a command dated before it', async () => {
    const old = write(new Date(Date.now() - 20 * 3600_000).toISOString());
    await new ChangePusher(new CommandBus(bus)).after(old, written(['web-hpa']));
    expect(Date.parse((await pushOf(old)).issuedAt)).toBeGreaterThan(Date.now() - 60_000);
  });
});
