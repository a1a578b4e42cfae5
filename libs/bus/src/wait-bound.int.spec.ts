import { randomUUID } from 'node:crypto';
import type { Actor, CommandEnvelope } from '@slipway/contracts';
import { natsUrl, testBusPrefix } from '@slipway/testing';
import { Bus } from './bus';
import { decode } from './codec';
import { CommandBus } from './command-bus';
import { ProbeUnavailable } from './probe.testing';

const actor: Actor = { principal: 'tester', kind: 'token' };

// No service runs here: JetStream keeps what is sent, and only the sender's side is looked at.
describe('a send whose sender began to wait before it (an HTTP request\'s token check)', () => {
  let bus: Bus;

  beforeAll(async () => {
    bus = await Bus.connect({ url: natsUrl(), prefix: testBusPrefix() });
  });
  afterAll(async () => {
    await bus?.close();
  });

  const sentEnvelope = async () =>
    decode<CommandEnvelope>((await bus.jsm.streams.getMessage(bus.stream('COMMANDS'), { last_by_subj: bus.subject(ProbeUnavailable.subject) }))!.data);

  it('waits what is left of the bound, and tells the service so', async () => {
    // given a request that began to wait 3 s ago, with a bound of 5 s
    const commandId = randomUUID();
    const sent = await new CommandBus(bus, 5_000).send(ProbeUnavailable, {}, { actor, commandId, waitingSince: Date.now() - 3_000 });
    // then, unanswered, it is accepted, and its envelope says its sender waits 2 s at most
    expect(sent).toEqual({ status: 'accepted', commandId });
    const envelope = await sentEnvelope();
    expect(envelope.commandId).toBe(commandId);
    const waited = Date.parse(envelope.repliesUntil!) - Date.parse(envelope.issuedAt);
    expect(waited).toBeLessThanOrEqual(2_000);
    expect(waited).toBeGreaterThan(1_000);
  });

  it('still listens when the bound is spent, and reads as a sender that waits', async () => {
    const commandId = randomUUID();
    const sent = await new CommandBus(bus, 5_000).send(ProbeUnavailable, {}, { actor, commandId, waitingSince: Date.now() - 60_000 });
    expect(sent).toEqual({ status: 'accepted', commandId });
    const envelope = await sentEnvelope();
    expect(envelope.commandId).toBe(commandId);
    expect(Date.parse(envelope.repliesUntil!) - Date.parse(envelope.issuedAt)).toBe(1);
  });
});
